"""Security and privacy: the logboek (reads, refusals, tampering), the auditor's purpose-bound read,
BSN protection, mass assignment and transport hygiene."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from doorbraak import cli
from doorbraak.app import create_app
from doorbraak.config import Settings, get_settings
from doorbraak.db import Base, create_engine
from doorbraak.demo import DEMO_BSNS
from doorbraak.logboek import service as logboek
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import LogboekRegel
from tests.bsn_wachter import GEVONDEN, _scan
from tests.conftest import IS_POSTGRES, TEST_URL, Api, postgres_only, zonder_logboektriggers
from tests.helpers import mid, nieuwe_casus, ok, probleem

DOEL = {"X-Doelbinding": "Klacht 2026-17: wie heeft dit dossier ingezien?"}


async def _regels(maker: async_sessionmaker[AsyncSession]) -> list[LogboekRegel]:
    async with maker() as session:
        return list((await session.scalars(select(LogboekRegel).order_by(LogboekRegel.id))).all())


# --- the logboek records reads and refusals ---------------------------------------------------


async def test_logboek_records_reads_and_refusals_on_a_casus(
    api: Api, db: async_sessionmaker[AsyncSession], app: Any
) -> None:
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    pad = f"/api/v1/casussen/{k}"
    ok(await api("sanne").get(pad))
    probleem(await api("joost").get(pad), 404)
    probleem(await api(None).get(pad), 401)
    probleem(await api("lotte").get(pad), 404)
    ok(await api("lotte").get(pad, headers=DOEL))
    probleem(
        await api("lotte").patch(pad, json={"titel": "x"}, headers={**DOEL, "If-Match": '"1"'}), 403
    )

    # The anonymous refusal is counted, and written with the other anonymous counts.
    await app.state.anoniem.legen()
    regels = [
        r
        for r in await _regels(db)
        if r.actie == "GET /api/v1/casussen/{kenmerk}" or r.actie.startswith("PATCH")
    ]
    samenvatting = [(r.actor, r.resultaat, r.object_id, r.doelbinding, r.aantal) for r in regels]
    assert samenvatting == [
        (mid("sanne"), "succes-200", k, None, None),
        (mid("joost"), "geweigerd-404", k, None, None),
        (mid("lotte"), "geweigerd-404", k, None, None),
        (mid("lotte"), "succes-200", k, DOEL["X-Doelbinding"], None),
        (mid("lotte"), "geweigerd-403", k, DOEL["X-Doelbinding"], None),
        (None, "geweigerd-401", None, None, 1),
    ]
    # The refusal of a visible-to-nobody casus still names the casus (for the auditor), and every
    # entry has the BIO fields: actie, object, resultaat, oorsprong, actor (if known), tijdstempel.
    assert all(r.casus_id is not None for r in regels if r.actor is not None)
    assert all(r.oorsprong and r.tijdstempel and r.request_id for r in regels if r.actor)
    assert all(r.sleutel_id == "test" for r in regels)


async def test_auditor_reads_the_logboek_with_filters_and_paging(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    for _ in range(3):
        ok(await api("sanne").get(f"/api/v1/casussen/{k}"))
    probleem(await api("joost").get(f"/api/v1/casussen/{k}"), 404)
    lotte = api("lotte")

    for wie in ("karim", "fatima", "bram", "peter"):
        probleem(await api(wie).get("/api/v1/logboek"), 403, "rol-ontbreekt")
        probleem(await api(wie).get("/api/v1/logboek/verificatie"), 403)
    probleem(await api(None).get("/api/v1/logboek"), 401)

    pagina = ok(await lotte.get(f"/api/v1/logboek?casus={k}&limit=2"))
    assert len(pagina["results"]) == 2 and pagina["next"]
    alle = list(pagina["results"])
    while pagina["next"]:
        pagina = ok(await lotte.get(pagina["next"]))
        alle.extend(pagina["results"])
    assert [r["id"] for r in alle] == sorted((r["id"] for r in alle), reverse=True)
    assert {r["casus"] for r in alle} == {k}
    assert {r["resultaat"] for r in alle} >= {"succes-200", "succes-201", "geweigerd-404"}
    eerste = alle[0]
    assert set(eerste) == {
        "id", "tijdstempel", "actor", "actie", "objectSoort", "objectId", "casus", "resultaat",
        "oorsprong", "doelbinding", "requestId", "aantal", "sleutelId", "vorigeHash", "hash",
    }  # fmt: skip

    van_joost = ok(await lotte.get(f"/api/v1/logboek?actor={mid('joost')}"))["results"]
    assert [r["resultaat"] for r in van_joost] == ["geweigerd-404"]

    morgen = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    gisteren = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    params: dict[str, Any] = {"vanaf": morgen}
    assert ok(await lotte.get("/api/v1/logboek", params=params))["results"] == []
    params = {"vanaf": gisteren, "tot": morgen, "limit": 100}
    assert len(ok(await lotte.get("/api/v1/logboek", params=params))["results"]) >= 5
    probleem(await lotte.get("/api/v1/logboek", params={"vanaf": "2026-01-01T00:00:00"}), 400)
    probleem(await lotte.get("/api/v1/logboek?casus=geen-kenmerk"), 400)

    verificatie = ok(await lotte.get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is True
    assert verificatie["aantalRegels"] >= 6 and verificatie["eersteFoutId"] is None
    # Reading the logboek is itself logged.
    assert any(r.actie == "GET /api/v1/logboek" for r in await _regels(db))


# --- tampering is detected ------------------------------------------------------------------


async def _keten(api: Api) -> None:
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    for _ in range(4):
        ok(await api("sanne").get(f"/api/v1/casussen/{k}"))


async def _knoeien(maker: async_sessionmaker[AsyncSession], *statements: Any) -> None:
    """Change the logboek behind the app's back, as someone with database access could."""
    async with maker() as session:
        if IS_POSTGRES:
            # The trigger refuses this; only a superuser who disables triggers gets here.
            await session.execute(text("SET session_replication_role = replica"))
            for stmt in statements:
                await session.execute(stmt)
            await session.execute(text("SET session_replication_role = DEFAULT"))
        else:
            async with zonder_logboektriggers(session):
                for stmt in statements:
                    await session.execute(stmt)
        await session.commit()


async def _verifieer(maker: async_sessionmaker[AsyncSession]) -> logboek.Verificatie:
    async with maker() as session:
        return await logboek.verifieer(session)


async def test_changed_entry_is_detected(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    await _keten(api)
    assert (await _verifieer(db)).geldig
    doel = (await _regels(db))[3]
    await _knoeien(
        db, update(LogboekRegel).where(LogboekRegel.id == doel.id).values(actor="iemand-anders")
    )
    uitkomst = await _verifieer(db)
    assert not uitkomst.geldig and uitkomst.eerste_fout_id == doel.id
    assert "inhoud" in (uitkomst.reden or "")
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is False and verificatie["eersteFoutId"] == doel.id


async def test_deleted_entry_is_detected(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    await _keten(api)
    regels = await _regels(db)
    await _knoeien(db, delete(LogboekRegel).where(LogboekRegel.id == regels[3].id))
    uitkomst = await _verifieer(db)
    assert not uitkomst.geldig and uitkomst.eerste_fout_id == regels[4].id
    assert "schakel" in (uitkomst.reden or "")


async def test_entry_inserted_in_the_middle_is_detected(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    """Even with a correctly computed hash for the forged entry, the next link breaks."""
    await _keten(api)
    regels = await _regels(db)
    plek = regels[3].id
    waarden: dict[str, Any] = {
        "tijdstempel": regels[2].tijdstempel,
        "actor": None,
        "actie": "GET /api/v1/casussen",
        "object_soort": "casussen",
        "object_id": None,
        "casus_id": None,
        "resultaat": "succes-200",
        "oorsprong": "127.0.0.1",
        "doelbinding": None,
        "request_id": "vals",
    }
    # Forged even with the real key (an insider holding it): the next link still breaks.
    sleutel = sleutelring(get_settings()).huidige
    waarden["sleutel_id"] = sleutel.id
    vervalst = logboek.bereken_mac(sleutel, regels[2].hash, waarden)
    await _knoeien(
        db,
        # Make room: move the rest of the chain up (highest first, so ids never collide).
        *[
            update(LogboekRegel).where(LogboekRegel.id == r.id).values(id=r.id + 1000)
            for r in reversed(regels[3:])
        ],
        insert(LogboekRegel).values(id=plek, vorige_hash=regels[2].hash, hash=vervalst, **waarden),
    )
    uitkomst = await _verifieer(db)
    assert not uitkomst.geldig and uitkomst.eerste_fout_id == regels[3].id + 1000


def test_cli_verify_reports_the_break(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["logboek", "verify"]) == 0
    assert "in orde" in capsys.readouterr().out

    async def vals_aanhangen() -> None:
        # Appending is allowed by the trigger; a forged link is what verify must catch.
        engine = create_engine(get_settings())
        async with engine.begin() as conn:
            await conn.execute(
                insert(LogboekRegel).values(
                    tijdstempel=dt.datetime.now(dt.UTC),
                    actie="vals",
                    object_soort="x",
                    resultaat="succes",
                    vorige_hash="f" * 64,
                    hash="f" * 64,
                )
            )
        await engine.dispose()

    asyncio.run(vals_aanhangen())
    assert cli.main(["logboek", "verify"]) == 2
    assert "GEBROKEN" in capsys.readouterr().out


@postgres_only
async def test_postgres_refuses_update_delete_and_truncate_of_the_logboek(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    await _keten(api)
    eerste = (await _regels(db))[0].id
    for stmt in (
        update(LogboekRegel).where(LogboekRegel.id == eerste).values(actor="x"),
        delete(LogboekRegel).where(LogboekRegel.id == eerste),
        text("TRUNCATE logboek"),
    ):
        async with db() as session:
            with pytest.raises(sa_exc.DBAPIError, match="append-only"):
                await session.execute(stmt)
            await session.rollback()
    assert (await _verifieer(db)).geldig


# --- the auditor's purpose-bound read --------------------------------------------------------


async def test_auditor_needs_a_purpose_and_only_reads(api: Api) -> None:
    k = (await nieuwe_casus(api("sanne"), bsn=DEMO_BSNS[0]))["kenmerk"]
    pad = f"/api/v1/casussen/{k}"
    lotte = api("lotte")
    probleem(await lotte.get(pad), 404)
    probleem(await lotte.get(pad, headers={"X-Doelbinding": "   "}), 404)
    probleem(await lotte.get(pad, headers={"X-Doelbinding": "x" * 501}), 400)
    assert ok(await lotte.get(pad, headers=DOEL))["bsn"].startswith("*****")
    ok(await lotte.get(f"{pad}/tijdlijn", headers=DOEL))
    # Not the full BSN, and nothing that changes the casus.
    probleem(await lotte.get(f"{pad}?toonBsn=true", headers=DOEL), 403)
    probleem(await lotte.post(f"{pad}/stappen", json={"titel": "x"}, headers=DOEL), 403)
    # Lists never show the casus to an auditor: the purpose opens one casus at a time.
    assert ok(await lotte.get("/api/v1/casussen", headers=DOEL))["results"] == []
    # The purpose opens nothing for other roles.
    probleem(await api("fatima").get(pad, headers=DOEL), 404)
    probleem(await api("bram").get(pad, headers=DOEL), 404)


# --- BSN ------------------------------------------------------------------------------------


async def test_bsn_flows_never_leak(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    """Drive every BSN path; the guards in tests/bsn_wachter.py scan all responses and log lines
    of this (and every) test; here we also scan the database at rest."""
    sanne, karim = api("sanne"), api("karim")
    casus = await nieuwe_casus(sanne, bsn=DEMO_BSNS[0], huishoudenNaam="Familie Demir")
    k = casus["kenmerk"]
    assert casus["bsn"] == "*****2333"
    pad = f"/api/v1/casussen/{k}"
    versie = ok(await sanne.get(pad))["versie"]
    ok(await sanne.patch(pad, json={"bsn": DEMO_BSNS[1]}, headers={"If-Match": f'"{versie}"'}))
    # Search by BSN goes in the body, never in the URL.
    gevonden = ok(await sanne.post("/api/v1/casussen/_zoek", json={"bsn": DEMO_BSNS[1]}))
    assert [c["kenmerk"] for c in gevonden["results"]] == [k]
    assert (
        ok(await karim.post("/api/v1/casussen/_zoek", json={"bsn": DEMO_BSNS[1]}))["results"] == []
    )
    # Invalid BSNs are refused without echoing them.
    for fout in ("123456789", "12345678", "1234567890", "abcdefghi"):
        r = await sanne.post("/api/v1/casussen", json={"titel": "x", "bsn": fout})
        probleem(r, 400)
        assert fout not in r.text
    # Bad input next to a valid BSN: the error does not echo the valid one either.
    r = await sanne.post("/api/v1/casussen", json={"titel": 5, "bsn": DEMO_BSNS[0]})
    probleem(r, 400)
    # The explicit, logged view by a casusteam member (the guard's one exemption).
    vol = ok(await sanne.get(f"{pad}?toonBsn=true"))
    assert vol["bsn"] == DEMO_BSNS[1]
    assert any(r.actie == "bsn.inzien" and r.actor == mid("sanne") for r in await _regels(db))
    probleem(await api("peter").get(f"{pad}?toonBsn=true"), 404)
    ok(await sanne.get(f"{pad}/tijdlijn"))
    ok(await api("lotte").get("/api/v1/logboek?limit=100"))

    # At rest: encrypted, hashed, masked; never plain in any column of any table.
    async with db() as session:
        for tabel in Base.metadata.sorted_tables:
            for rij in (await session.execute(select(tabel))).all():
                for bsn in DEMO_BSNS:
                    assert bsn not in repr(tuple(rij)), f"BSN in table {tabel.name}"


def test_the_bsn_guard_itself_works() -> None:
    _scan("a test", f"x {DEMO_BSNS[1]} y".encode())
    assert [f"BSN {DEMO_BSNS[1]} in a test"] == GEVONDEN
    GEVONDEN.clear()


# --- mass assignment ------------------------------------------------------------------------


async def test_server_owned_fields_are_refused(api: Api) -> None:
    sanne = api("sanne")
    eigen = {
        "kenmerk": "DB-2026-9999",
        "fase": "afgesloten",
        "versie": 1,
        "regiehouder": mid("sanne"),
        "aanmelder": mid("karim"),
        "aangemeldOp": "2026-01-01T00:00:00Z",
        "afgeslotenOp": "2026-01-01T00:00:00Z",
        "kostenDoorbraakCent": 1,
    }
    r = await sanne.post("/api/v1/casussen", json={"titel": "x", **eigen})
    body = probleem(r, 400)
    assert {p["name"] for p in body["invalidParams"]} == set(eigen)

    k = (await nieuwe_casus(sanne))["kenmerk"]
    r = await sanne.patch(f"/api/v1/casussen/{k}", json=eigen, headers={"If-Match": '"1"'})
    assert {p["name"] for p in probleem(r, 400)["invalidParams"]} == set(eigen)
    # snake_case spellings are not a back door either.
    r = await sanne.patch(
        f"/api/v1/casussen/{k}", json={"regiehouder_id": mid("sanne")}, headers={"If-Match": '"1"'}
    )
    probleem(r, 400)
    ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    r = await api("karim").post(
        f"/api/v1/casussen/{k}/stappen",
        json={"titel": "x", "id": mid("sanne"), "kenmerk": "DB-2026-0001", "afgerondOp": None},
    )
    assert {p["name"] for p in probleem(r, 400)["invalidParams"]} == {"id", "kenmerk", "afgerondOp"}
    r = await api("bram").patch(
        f"/api/v1/medewerkers/{mid('sanne')}",
        json={"id": mid("karim"), "aangemaaktOp": "2026-01-01T00:00:00Z", "versie": 9},
        headers={"If-Match": '"1"'},
    )
    assert {p["name"] for p in probleem(r, 400)["invalidParams"]} == {
        "id",
        "aangemaaktOp",
        "versie",
    }


# --- transport hygiene ----------------------------------------------------------------------


async def test_hsts_only_over_tls(app: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as c:
        r = await c.get("/api/v1/health")
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as c:
        assert "Strict-Transport-Security" not in (await c.get("/api/v1/health")).headers


async def test_hsts_behind_a_trusted_proxy_only(app: Any) -> None:
    """`doorbraak serve` runs uvicorn with proxy_headers and --forwarded-allow-ips: the scheme from
    X-Forwarded-Proto counts only when the proxy is trusted."""
    achter_proxy = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")
    headers = {"X-Forwarded-Proto": "https"}
    vertrouwd = httpx.ASGITransport(app=achter_proxy, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=vertrouwd, base_url="http://testserver") as c:
        assert (
            "Strict-Transport-Security" in (await c.get("/api/v1/health", headers=headers)).headers
        )
    onbekend = httpx.ASGITransport(app=achter_proxy, client=("203.0.113.9", 5000))
    async with httpx.AsyncClient(transport=onbekend, base_url="http://testserver") as c:
        assert (
            "Strict-Transport-Security"
            not in (await c.get("/api/v1/health", headers=headers)).headers
        )


async def test_cors_allow_list() -> None:
    toegestaan = "https://doorbraak.gemeente.example"
    app = create_app(Settings(database_url=TEST_URL, cors_origins=[toegestaan]))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as c:
            vooraf = {
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "authorization,if-match,x-doelbinding",
            }
            r = await c.options(
                "/api/v1/casussen/DB-2026-0001", headers={"Origin": toegestaan, **vooraf}
            )
            assert r.status_code == 200
            assert r.headers["Access-Control-Allow-Origin"] == toegestaan
            r = await c.options(
                "/api/v1/casussen/DB-2026-0001",
                headers={"Origin": "https://kwaad.example", **vooraf},
            )
            assert r.headers.get("Access-Control-Allow-Origin") is None
            r = await c.get("/api/v1/health", headers={"Origin": "https://kwaad.example"})
            assert r.headers.get("Access-Control-Allow-Origin") is None
            r = await c.get("/api/v1/openapi.json", headers={"Origin": "https://kwaad.example"})
            assert r.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        await app.state.engine.dispose()


async def test_no_stack_trace_or_exception_text_in_a_500() -> None:
    app = create_app(Settings(database_url=TEST_URL))

    @app.get("/api/v1/kapot", include_in_schema=False)
    async def kapot() -> None:
        raise RuntimeError("interne details: wachtwoord=hunter2")

    try:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            r = await c.get("/api/v1/kapot")
        body = probleem(r, 500, "interne-fout")
        assert (
            "hunter2" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
        )
        assert body["detail"] == "Er ging iets mis aan onze kant."
        assert r.headers["Cache-Control"] == "no-store"
    finally:
        await app.state.engine.dispose()
