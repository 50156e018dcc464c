"""Notities with @vermeldingen and e-mail meldingen over a real SMTP server on loopback
(aiosmtpd): who gets what by preference, the outbox delivered only after commit, the digest
run twice in two processes sends once, a failing server retried with backoff, and every mail
scanned for resident data (as tests/bsn_wachter.py does for responses)."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import ipaddress
import os
import socket
import ssl
import sys
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.app import create_app
from doorbraak.config import Settings, get_settings
from doorbraak.demo import DEMO_BSNS
from doorbraak.meldingen import bezorging
from doorbraak.models import Melding, Verzending
from doorbraak.models.enums import MeldingSoort
from doorbraak.werk.systeem import Omgeving
from tests.conftest import TEST_URL, Api, omgeving_van
from tests.helpers import casus_in_maatwerk, mid, nieuwe_casus, ok, probleem
from tests.personas import medewerker_id

# What must never be in a mail: the demo BSNs and the case content of these tests.
GEHEIM = (
    *DEMO_BSNS,
    "Familie Demir",
    "Lekkende huurwoning",
    "Het dak lekt",
    "offerte",
    "Sanne de Vries",
    "Karim El Amrani",
    "Eva Mulder",
    "Peter Visser",
    "Joost Bakker",
)


class Postbus:
    """Collects every message; `weiger` answers the next n DATA commands with a 451."""

    def __init__(self) -> None:
        self.berichten: list[Message] = []
        self.weiger = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.weiger:
            self.weiger -= 1
            return "451 4.3.0 Even niet"
        self.berichten.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def aan(self, wie: str) -> list[Message]:
        return [b for b in self.berichten if b["To"] == f"{wie}@gemeente.example"]


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postbus() -> Iterator[tuple[Postbus, int]]:
    bus = Postbus()
    poort = vrije_poort()
    controller = Controller(bus, hostname="127.0.0.1", port=poort)
    controller.start()
    yield bus, poort
    controller.stop()
    # Every mail of the test, headers and body, is scanned for resident data.
    for bericht in bus.berichten:
        tekst = bericht.as_string()
        for geheim in GEHEIM:
            assert geheim not in tekst, f"{geheim!r} in a mail: {tekst}"


def smtp_settings(poort: int, **extra: Any) -> Settings:
    return get_settings().model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": poort,
            "smtp_beveiliging": "geen",
            "meldingen_wachttijd_seconden": 60.0,
            "meldingen_pogingen": 3,
            "public_base_url": "https://doorbraak.gemeente.example",
            **extra,
        }
    )


async def meldingen(db: async_sessionmaker[AsyncSession]) -> list[Melding]:
    async with db() as session:
        return list((await session.scalars(select(Melding).order_by(Melding.aangemaakt_op))).all())


async def notitie(api: Api, wie: str, kenmerk: str, tekst: str) -> httpx.Response:
    return await api(wie).post(f"/api/v1/casussen/{kenmerk}/notities", json={"tekst": tekst})


async def zet_voorkeur(api: Api, wie: str, voorkeur: str) -> None:
    client = api(wie)
    r = await client.get("/api/v1/ik/meldingvoorkeur")
    ok(r)
    ok(
        await client.put(
            "/api/v1/ik/meldingvoorkeur",
            json={"voorkeur": voorkeur},
            headers={"If-Match": r.headers["ETag"]},
        )
    )


async def test_a_mention_reaches_the_inbox_and_a_mail_without_the_note(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    bus, poort = postbus
    k = (await casus_in_maatwerk(api))["kenmerk"]
    tekst = "@sanne kun jij de offerte bij Familie Demir navragen? @Joost weet ervan."
    geplaatst = ok(await notitie(api, "karim", k, tekst), 201)
    assert {m["naam"] for m in geplaatst["vermeld"]} == {"Sanne de Vries", "Joost Bakker"}
    assert geplaatst["tekst"] == tekst and not geplaatst["mijVermeld"]

    [item] = ok(await api("sanne").get("/api/v1/inbox", params={"soort": "genoemd"}))["results"]
    assert item["kenmerk"] == k and item["link"] == f"/casussen/{k}#notities"
    lijst = ok(await api("sanne").get(f"/api/v1/casussen/{k}/notities"))["results"]
    assert [n["mijVermeld"] for n in lijst] == [True]

    r = await bezorging.bezorg_direct(db, smtp_settings(poort))
    # sanne and joost (mentioned), and the regie and reactie meldingen of casus_in_maatwerk.
    assert r.mislukt == 0
    [mail] = [m for m in bus.aan("sanne") if "genoemd" in m["Subject"]]
    assert k in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert f"https://doorbraak.gemeente.example/casussen/{k}#notities" in body
    assert len([m for m in bus.aan("joost") if "genoemd" in m["Subject"]]) == 1
    assert not [m for m in bus.aan("karim") if "genoemd" in m["Subject"]], "not to the author"
    # Run again: nothing is sent twice.
    aantal = len(bus.berichten)
    await bezorging.bezorg_direct(db, smtp_settings(poort))
    assert len(bus.berichten) == aantal

    ok(await api("sanne").post(f"/api/v1/casussen/{k}/notities/{geplaatst['id']}/gezien"))
    assert ok(await api("sanne").get("/api/v1/inbox", params={"soort": "genoemd"}))["results"] == []
    probleem(await api("eva").post(f"/api/v1/casussen/{k}/notities/{geplaatst['id']}/gezien"), 404)
    probleem(
        await api("karim").post(f"/api/v1/casussen/{k}/notities/{geplaatst['id']}/gezien"),
        409,
        "niet-vermeld",
    )


async def test_a_mention_of_someone_outside_the_casus_is_refused_and_nothing_is_queued(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    voor = len(await meldingen(db))
    probleem(await notitie(api, "sanne", k, "@eva kijk even mee"), 409, "vermelding-buiten-casus")
    probleem(await notitie(api, "sanne", k, "@niemand kijk even mee"), 400)
    probleem(await notitie(api, "sanne", k, ""), 400)
    # eva cannot see the casus: she cannot read or write its notes either.
    probleem(await api("eva").get(f"/api/v1/casussen/{k}/notities"), 404)
    probleem(await notitie(api, "eva", k, "hallo"), 404)
    # An e-mail address in the text is no mention.
    ok(await notitie(api, "sanne", k, "Mail naar karim@gemeente.example"), 201)
    assert len(await meldingen(db)) == voor


async def test_a_rolled_back_unit_of_work_leaves_no_melding(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    bus, poort = postbus
    omg: Omgeving = omgeving_van(db)
    from doorbraak.meldingen import service

    with pytest.raises(RuntimeError):
        async with omg.als(None, "test") as ctx:
            await service.melden(
                ctx, [medewerker_id("sanne")], MeldingSoort.genoemd, "DB-2026-0001", "/"
            )
            await ctx.session.flush()
            raise RuntimeError("de schrijfactie mislukt")
    assert await meldingen(db) == []
    assert (await bezorging.bezorg_direct(db, smtp_settings(poort))).verzonden == 0
    assert bus.berichten == []


async def test_who_gets_what_by_preference(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    bus, poort = postbus
    await zet_voorkeur(api, "eva", "dagelijks")
    await zet_voorkeur(api, "joost", "uit")
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    for wie in ("eva", "joost"):
        ok(
            await api("karim").post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid(wie)}),
            201,
        )
    ok(await notitie(api, "karim", k, "@sanne @eva @joost overleg morgen"), 201)
    # joost's preference is uit: no melding at all; eva's waits for the digest.
    assert not [m for m in await meldingen(db) if str(m.medewerker_id) == mid("joost")]

    settings = smtp_settings(poort)
    await bezorging.bezorg_direct(db, settings)
    assert {b["To"] for b in bus.berichten} == {"sanne@gemeente.example", "karim@gemeente.example"}
    assert any("regie" in b["Subject"] for b in bus.aan("karim"))
    assert bus.aan("eva") == []

    r = await bezorging.digest(db, settings)
    assert r.verzonden == 1
    [digest] = bus.aan("eva")
    body = digest.get_payload(decode=True).decode()
    assert "U bent genoemd in een notitie" in body and k in body
    # The same day again: nothing new, and the key of today's digest is taken.
    ok(await notitie(api, "karim", k, "@eva nog iets"), 201)
    assert (await bezorging.digest(db, settings)).verzonden == 0
    # The next day in Amsterdam the waiting one goes out.
    morgen = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert (await bezorging.digest(db, settings, klok=lambda: morgen)).verzonden == 1
    assert len(bus.aan("eva")) == 2
    assert bus.aan("joost") == []


async def test_a_failing_server_is_retried_with_backoff_and_given_up_at_last(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    bus, poort = postbus
    settings = smtp_settings(poort, meldingen_pogingen=3, meldingen_wachttijd_seconden=60.0)
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    nu = dt.datetime.now(dt.UTC)
    bus.weiger = 1
    r = await bezorging.bezorg_direct(db, settings, klok=lambda: nu)
    assert (r.verzonden, r.mislukt) == (0, 1) and r.fouten == ["SMTPDataError 451"]
    [m] = await meldingen(db)
    assert m.pogingen == 1 and m.volgende_poging_op == nu + dt.timedelta(seconds=60)
    # Not before the backoff has passed.
    r = await bezorging.bezorg_direct(db, settings, klok=lambda: nu + dt.timedelta(seconds=30))
    assert r.verzonden == r.mislukt == 0
    r = await bezorging.bezorg_direct(db, settings, klok=lambda: nu + dt.timedelta(seconds=61))
    assert r.verzonden == 1
    assert len(bus.aan("karim")) == 1
    async with db() as session:
        [log] = (await session.scalars(select(Verzending))).all()
        assert log.sleutel == f"melding:{m.id}" and log.verzonden_op is not None

    # A server that keeps refusing: the backoff doubles, after 3 attempts the mail is given up.
    ok(await api("karim").post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid("eva")}), 201)
    ok(await notitie(api, "karim", k, "@eva welkom"), 201)
    bus.weiger = 10
    moment = nu
    wachten = []
    for _ in range(3):
        moment += dt.timedelta(hours=1)
        await bezorging.bezorg_direct(db, settings, klok=lambda t=moment: t)
        [eva] = [x for x in await meldingen(db) if str(x.medewerker_id) == mid("eva")]
        if eva.opgegeven_op is None and eva.volgende_poging_op:
            wachten.append(eva.volgende_poging_op - moment)
    assert wachten == [dt.timedelta(seconds=60), dt.timedelta(seconds=120)]
    assert eva.opgegeven_op is not None and eva.pogingen == 3
    assert bus.aan("eva") == []


async def test_the_digest_run_twice_in_two_processes_sends_once(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    bus, poort = postbus
    for wie in ("sanne", "eva", "joost"):
        await zet_voorkeur(api, wie, "dagelijks")
    k = (await nieuwe_casus(api("peter")))["kenmerk"]
    for wie in ("sanne", "eva", "joost"):
        ok(
            await api("peter").post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid(wie)}),
            201,
        )
    ok(await notitie(api, "peter", k, "@sanne @eva @joost graag overleg"), 201)
    env = {
        **os.environ,
        "DOORBRAAK_DATABASE_URL": TEST_URL,
        "DOORBRAAK_SMTP_HOST": "127.0.0.1",
        "DOORBRAAK_SMTP_PORT": str(poort),
        "DOORBRAAK_SMTP_BEVEILIGING": "geen",
    }
    doorbraak = Path(sys.executable).parent / "doorbraak"
    processen = [
        await asyncio.create_subprocess_exec(
            str(doorbraak),
            "meldingen",
            "digest",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    uitvoer = await asyncio.wait_for(
        asyncio.gather(*(p.communicate() for p in processen)), timeout=120
    )
    assert [p.returncode for p in processen] == [0, 0], uitvoer
    assert sorted(b["To"] for b in bus.berichten) == [
        "eva@gemeente.example",
        "joost@gemeente.example",
        "sanne@gemeente.example",
    ], uitvoer
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Verzending)) == 3


@pytest.fixture
async def app_met_smtp(postbus: tuple[Postbus, int]) -> AsyncIterator[Any]:
    _, poort = postbus
    app = create_app(smtp_settings(poort, meldingen_interval_seconden=0.0))
    yield app
    await app.state.bezorger.stop()
    await app.state.engine.dispose()


async def test_the_app_sends_a_direct_mail_after_the_commit(
    api: Api, app_met_smtp: Any, postbus: tuple[Postbus, int]
) -> None:
    bus, _ = postbus
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_met_smtp),
        base_url="http://testserver",
        headers={"Authorization": "Bearer demo-sanne"},
    ) as sanne:
        ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    for _ in range(100):
        if bus.aan("karim"):
            break
        await asyncio.sleep(0.1)
    [mail] = bus.aan("karim")
    assert "regie" in mail["Subject"] and k in mail["Subject"]


async def test_the_preference_is_versioned(api: Api) -> None:
    sanne = api("sanne")
    r = await sanne.get("/api/v1/ik/meldingvoorkeur")
    assert ok(r) == {"voorkeur": "direct", "gewijzigdOp": None, "versie": 0}
    assert r.headers["ETag"] == '"0"'
    probleem(await sanne.put("/api/v1/ik/meldingvoorkeur", json={"voorkeur": "uit"}), 428)
    gezet = ok(
        await sanne.put(
            "/api/v1/ik/meldingvoorkeur", json={"voorkeur": "uit"}, headers={"If-Match": '"0"'}
        )
    )
    assert gezet["voorkeur"] == "uit" and gezet["versie"] == 1
    probleem(
        await sanne.put(
            "/api/v1/ik/meldingvoorkeur", json={"voorkeur": "direct"}, headers={"If-Match": '"0"'}
        ),
        412,
    )
    probleem(
        await sanne.put(
            "/api/v1/ik/meldingvoorkeur", json={"voorkeur": "soms"}, headers={"If-Match": '"1"'}
        ),
        400,
    )
    # Each medewerker has their own.
    assert ok(await api("karim").get("/api/v1/ik/meldingvoorkeur"))["voorkeur"] == "direct"
    probleem(await api(None).get("/api/v1/ik/meldingvoorkeur"), 401)


# --- transport security: STARTTLS and implicit TLS against aiosmtpd with a self-signed
# certificate made here; a login only over TLS; a certificate that does not verify is refused.


def certificaat(map_: Path, naam: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (IP SAN, so the host name check applies) and
    its key, as PEM files."""
    sleutel = ec.generate_private_key(ec.SECP256R1())
    onderwerp = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, naam)])
    nu = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(onderwerp)
        .issuer_name(onderwerp)
        .public_key(sleutel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(nu - dt.timedelta(minutes=5))
        .not_valid_after(nu + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(sleutel, hashes.SHA256())
    )
    cert_pad, sleutel_pad = map_ / f"{naam}.pem", map_ / f"{naam}.key"
    cert_pad.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    sleutel_pad.write_bytes(
        sleutel.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_pad, sleutel_pad


class Loket:
    """Records every AUTH attempt (login, whether the connection was encrypted) and accepts
    `robot`/`geheim`."""

    def __init__(self) -> None:
        self.pogingen: list[tuple[str, bool]] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        # STARTTLS sets session.ssl; under implicit TLS the transport itself is the TLS one.
        versleuteld = session.ssl is not None or (
            server.transport.get_extra_info("ssl_object") is not None
        )
        self.pogingen.append((login, versleuteld))
        return AuthResult(success=login == "robot" and auth_data.password == b"geheim")


@pytest.fixture
def tls_map(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The server's certificate and key, and a second, unrelated certificate."""
    cert, sleutel = certificaat(tmp_path, "smtp-server")
    ander, _ = certificaat(tmp_path, "ander")
    return cert, sleutel, ander


def _server_context(cert: Path, sleutel: Path) -> Any:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, sleutel)
    return context


@pytest.fixture
def starttls_postbus(
    tls_map: tuple[Path, Path, Path],
) -> Iterator[tuple[Postbus, Loket, int]]:
    cert, sleutel, _ = tls_map
    bus, loket, poort = Postbus(), Loket(), vrije_poort()
    controller = Controller(
        bus,
        hostname="127.0.0.1",
        port=poort,
        tls_context=_server_context(cert, sleutel),
        require_starttls=True,
        authenticator=loket,
        auth_required=True,
    )
    controller.start()
    yield bus, loket, poort
    controller.stop()


@pytest.fixture
def tls_postbus(tls_map: tuple[Path, Path, Path]) -> Iterator[tuple[Postbus, Loket, int]]:
    cert, sleutel, _ = tls_map
    bus, loket, poort = Postbus(), Loket(), vrije_poort()
    controller = Controller(
        bus,
        hostname="127.0.0.1",
        port=poort,
        ssl_context=_server_context(cert, sleutel),
        authenticator=loket,
        auth_required=True,
        auth_require_tls=False,  # implicit TLS: the whole session is encrypted anyway
    )
    controller.start()
    yield bus, loket, poort
    controller.stop()


def _bericht(aan: str = "sanne@gemeente.example") -> EmailMessage:
    bericht = EmailMessage()
    bericht["From"] = "doorbraak@gemeente.example"
    bericht["To"] = aan
    bericht["Subject"] = "doorbraak: proef"
    bericht.set_content("proef")
    return bericht


def tls_settings(poort: int, beveiliging: str, ca: Path | None, **extra: Any) -> Settings:
    return smtp_settings(
        poort,
        smtp_beveiliging=beveiliging,
        smtp_ca_bestand=ca,
        smtp_gebruiker="robot",
        smtp_wachtwoord=SecretStr("geheim"),
        **extra,
    )


async def test_starttls_upgrades_then_logs_in_and_sends(
    starttls_postbus: tuple[Postbus, Loket, int], tls_map: tuple[Path, Path, Path]
) -> None:
    bus, loket, poort = starttls_postbus
    await bezorging.verstuur(tls_settings(poort, "starttls", tls_map[0]), _bericht())
    assert [b["Subject"] for b in bus.aan("sanne")] == ["doorbraak: proef"]
    assert loket.pogingen == [("robot", True)], "one login, over the encrypted connection"


async def test_implicit_tls_logs_in_and_sends(
    tls_postbus: tuple[Postbus, Loket, int], tls_map: tuple[Path, Path, Path]
) -> None:
    bus, loket, poort = tls_postbus
    await bezorging.verstuur(tls_settings(poort, "tls", tls_map[0]), _bericht())
    assert [b["Subject"] for b in bus.aan("sanne")] == ["doorbraak: proef"]
    assert loket.pogingen == [("robot", True)]


async def test_a_delivery_run_over_starttls_marks_the_melding_sent(
    api: Api,
    db: async_sessionmaker[AsyncSession],
    starttls_postbus: tuple[Postbus, Loket, int],
    tls_map: tuple[Path, Path, Path],
) -> None:
    bus, _, poort = starttls_postbus
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    r = await bezorging.bezorg_direct(db, tls_settings(poort, "starttls", tls_map[0]))
    assert (r.verzonden, r.mislukt) == (1, 0)
    [mail] = bus.aan("karim")
    assert k in mail["Subject"]


def test_a_login_over_a_plain_connection_is_refused_by_the_settings() -> None:
    with pytest.raises(ValidationError, match="never sent over a plain connection"):
        Settings(smtp_host="127.0.0.1", smtp_beveiliging="geen", smtp_gebruiker="robot")
    # Without credentials a plain relay on localhost stays possible.
    assert Settings(smtp_host="127.0.0.1", smtp_beveiliging="geen").smtp_gebruiker is None


async def test_a_login_over_a_plain_connection_is_never_sent() -> None:
    """Even settings built past the validator (model_copy) do not log in in plain text: the
    server, which would accept AUTH without TLS, sees no login and no mail."""
    bus, loket, poort = Postbus(), Loket(), vrije_poort()
    controller = Controller(
        bus, hostname="127.0.0.1", port=poort, authenticator=loket, auth_require_tls=False
    )
    controller.start()
    try:
        with pytest.raises(bezorging.SmtpLoginZonderTls):
            await bezorging.verstuur(tls_settings(poort, "geen", None), _bericht())
    finally:
        controller.stop()
    assert loket.pogingen == [] and bus.berichten == []


@pytest.mark.parametrize("soort", ["starttls", "tls"])
async def test_a_certificate_that_does_not_verify_is_refused(
    soort: str,
    starttls_postbus: tuple[Postbus, Loket, int],
    tls_postbus: tuple[Postbus, Loket, int],
    tls_map: tuple[Path, Path, Path],
) -> None:
    bus, loket, poort = starttls_postbus if soort == "starttls" else tls_postbus
    _, _, ander = tls_map
    # Trusting another certificate, and trusting the system store: both refuse the server.
    for ca in (ander, None):
        with pytest.raises(ssl.SSLCertVerificationError):
            await bezorging.verstuur(tls_settings(poort, soort, ca), _bericht())
    assert loket.pogingen == [] and bus.berichten == [], "no password, no mail"
    # Switched off explicitly (a test relay), the same server is accepted.
    uit = tls_settings(poort, soort, None, smtp_certificaat_controleren=False)
    await bezorging.verstuur(uit, _bericht())
    assert len(bus.berichten) == 1


async def test_the_demo_history_queues_no_mail(
    api: Api, db: async_sessionmaker[AsyncSession], postbus: tuple[Postbus, int]
) -> None:
    """The demo's mentions, regie and reactie events are history addressed to demo
    medewerkers: a server started with SMTP set sends none of them."""
    from doorbraak.demo import casussen_laden

    bus, poort = postbus
    await casussen_laden(omgeving_van(db))
    settings = smtp_settings(poort)
    assert (await bezorging.bezorg_direct(db, settings)).verzonden == 0
    assert (await bezorging.digest(db, settings)).verzonden == 0
    assert bus.berichten == [] and await meldingen(db) == []
    # Requests after the load queue meldingen as always.
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    assert (await bezorging.bezorg_direct(db, settings)).verzonden == 1
    assert len(bus.aan("karim")) == 1
