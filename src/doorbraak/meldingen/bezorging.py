"""Delivering meldingen over SMTP: direct mails from the outbox after commit, the daily digest
from cron, each claimed under a database lock and logged in the sent-log before it goes out, so
two processes never send the same mail; a failed mail is retried with backoff.

A mail names the kind of event, the kenmerk and a link, never case content (no titles, names,
texts or BSNs): whoever reads it signs in to see what it is about.

The steps of one run: (1) under the lock, claim what is due and write its sent-log key, commit;
(2) send, outside any transaction (SMTP never holds a database lock); (3) record what was sent
and, for a failure, when to try again. A process that dies between (1) and (3) leaves a claim
that expires (`CLAIM`), after which the mail is tried again."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import smtplib
import ssl
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.kit import werkdagen
from doorbraak.meldingen import repository
from doorbraak.models import Melding, Verzending
from doorbraak.models.enums import MeldingSoort

log = logging.getLogger("doorbraak.meldingen")

CLAIM = dt.timedelta(minutes=5)
PER_RUN = 100
MAX_WACHTTIJD = 6 * 3600.0

ZINNEN = {
    MeldingSoort.genoemd: "U bent genoemd in een notitie",
    MeldingSoort.regie_toegewezen: "U heeft de regie gekregen",
    MeldingSoort.escalatie_aangevraagd: "Er is geëscaleerd; een uitkomst wordt gevraagd",
    MeldingSoort.reactie_gevraagd: "Een besluit wacht op de reactie van uw afdeling",
}


class SmtpNietIngesteld(RuntimeError):
    """No SMTP server configured (DOORBRAAK_SMTP_HOST)."""


@dataclass
class Resultaat:
    verzonden: int = 0
    mislukt: int = 0
    opgegeven: int = 0
    overgeslagen: int = 0
    fouten: list[str] = field(default_factory=list)


def _url(settings: Settings, link: str) -> str:
    return settings.public_base_url.rstrip("/") + link


def _regel(settings: Settings, soort: MeldingSoort, kenmerk: str | None, link: str) -> str:
    waar = f" ({kenmerk})" if kenmerk else ""
    return f"{ZINNEN[soort]}{waar}: {_url(settings, link)}"


def _bericht(settings: Settings, aan: str, onderwerp: str, regels: Sequence[str]) -> EmailMessage:
    bericht = EmailMessage()
    bericht["From"] = settings.smtp_afzender
    bericht["To"] = aan
    bericht["Subject"] = onderwerp
    bericht["Date"] = format_datetime(utcnow())
    bericht["Message-ID"] = make_msgid(domain="doorbraak")
    voet = (
        "\n\nDeze e-mail noemt alleen wat er is gebeurd en het kenmerk; wat het is, leest u na "
        "inloggen. Uw meldingen (direct, dagelijks of uit) stelt u in op Mijn werk: "
        f"{_url(settings, '/#meldingen')}\n"
    )
    bericht.set_content("\n".join(regels) + voet)
    return bericht


def direct_bericht(settings: Settings, aan: str, m: Melding) -> EmailMessage:
    onderwerp = f"doorbraak: {ZINNEN[m.soort].lower()}" + (f" ({m.kenmerk})" if m.kenmerk else "")
    return _bericht(settings, aan, onderwerp, [_regel(settings, m.soort, m.kenmerk, m.link)])


def digest_bericht(
    settings: Settings, aan: str, dag: dt.date, meldingen: Sequence[Melding]
) -> EmailMessage:
    regels = [f"Uw meldingen van doorbraak ({dag.strftime('%d-%m-%Y')}):", ""]
    regels += [f"- {_regel(settings, m.soort, m.kenmerk, m.link)}" for m in meldingen]
    regels += ["", f"Alles wat op u wacht: {_url(settings, '/#inbox')}"]
    onderwerp = f"doorbraak: {len(meldingen)} melding{'en' if len(meldingen) > 1 else ''}"
    return _bericht(settings, aan, onderwerp, regels)


class SmtpLoginZonderTls(RuntimeError):
    """Credentials set while the connection is not encrypted: the login is refused."""


def tls_context(settings: Settings) -> ssl.SSLContext:
    """The TLS context of the SMTP connection: the server's certificate and host name are
    verified (against `smtp_ca_bestand` when set), unless that is switched off for a test relay."""
    cafile = str(settings.smtp_ca_bestand) if settings.smtp_ca_bestand else None
    context = ssl.create_default_context(cafile=cafile)
    if not settings.smtp_certificaat_controleren:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _smtp_verstuur(settings: Settings, bericht: EmailMessage) -> None:
    if not settings.smtp_host:
        raise SmtpNietIngesteld("DOORBRAAK_SMTP_HOST is niet ingesteld")
    if settings.smtp_gebruiker and settings.smtp_beveiliging == "geen":
        # The settings refuse this combination at start; checked again here because the
        # password must never go over a plain connection, whatever built the settings.
        raise SmtpLoginZonderTls("SMTP-login alleen over TLS (starttls of tls)")
    timeout = settings.smtp_timeout_seconden
    client: smtplib.SMTP
    if settings.smtp_beveiliging == "tls":
        client = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=tls_context(settings)
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with client:
        if settings.smtp_beveiliging == "starttls":
            # Raises when the server does not offer STARTTLS: never a silent plain fallback.
            client.starttls(context=tls_context(settings))
        if settings.smtp_gebruiker:
            wachtwoord = (
                settings.smtp_wachtwoord.get_secret_value() if settings.smtp_wachtwoord else ""
            )
            client.login(settings.smtp_gebruiker, wachtwoord)
        client.send_message(bericht)


async def verstuur(settings: Settings, bericht: EmailMessage) -> None:
    """One mail over SMTP (smtplib in a thread: the event loop keeps serving requests)."""
    await asyncio.to_thread(_smtp_verstuur, settings, bericht)


Verstuurder = Callable[[Settings, EmailMessage], Awaitable[None]]


def wachttijd(settings: Settings, poging: int) -> dt.timedelta:
    """Backoff after the `poging`-th failed attempt: doubles each time, at most six hours."""
    seconden = settings.meldingen_wachttijd_seconden * (2 ** max(poging - 1, 0))
    return dt.timedelta(seconds=min(seconden, MAX_WACHTTIJD))


def _foutnaam(exc: BaseException) -> str:
    # Only the kind and the SMTP code: a server's message may quote the recipient.
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


async def _mislukt(
    session: AsyncSession, settings: Settings, ids: Sequence[uuid.UUID], fout: str, nu: dt.datetime
) -> int:
    """Release the claims; schedule the next attempt or give up. Returns how many gave up."""
    opgegeven = 0
    for melding_id in ids:
        m = await session.get(Melding, melding_id)
        if m is None:
            continue
        m.geclaimd_tot = None
        m.laatste_fout = fout
        if m.pogingen >= settings.meldingen_pogingen:
            m.opgegeven_op = nu
            opgegeven += 1
            log.error("melding given up after %s attempts: %s", m.pogingen, fout)
        else:
            m.volgende_poging_op = nu + wachttijd(settings, m.pogingen)
    return opgegeven


@dataclass
class _Claim:
    sleutel: str
    aan: str
    bericht: EmailMessage
    ids: list[uuid.UUID]


async def _claim(
    session: AsyncSession,
    sleutel: str,
    medewerker_id: uuid.UUID,
    meldingen: Sequence[Melding],
    nu: dt.datetime,
) -> bool:
    """Take the sent-log key and claim the meldingen; False when the key is taken (the mail
    was sent, or another sender is sending it now)."""
    bestaand = await repository.verzending(session, sleutel)
    if bestaand is not None:
        if bestaand.verzonden_op is not None or bestaand.begonnen_op > nu - CLAIM:
            return False
        bestaand.begonnen_op = nu  # a run that died: this one takes over
        bestaand.aantal = len(meldingen)
    else:
        session.add(
            Verzending(
                sleutel=sleutel, medewerker_id=medewerker_id, aantal=len(meldingen), begonnen_op=nu
            )
        )
    for m in meldingen:
        m.geclaimd_tot = nu + CLAIM
        m.pogingen += 1
    return True


async def _afronden(
    maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    claims: Sequence[_Claim],
    verstuurder: Verstuurder,
    klok: Callable[[], dt.datetime],
    resultaat: Resultaat,
) -> None:
    for claim in claims:
        try:
            await verstuurder(settings, claim.bericht)
        except Exception as exc:  # any SMTP or network failure: retried later
            fout = _foutnaam(exc)
            resultaat.mislukt += 1
            resultaat.fouten.append(fout)
            log.warning("mail not delivered (%s); retried with backoff", fout)
            async with maker() as session, session.begin():
                verzending = await repository.verzending(session, claim.sleutel)
                if verzending is not None:
                    await session.delete(verzending)
                resultaat.opgegeven += await _mislukt(session, settings, claim.ids, fout, klok())
            continue
        async with maker() as session, session.begin():
            await repository.markeer_verzonden(session, claim.ids, claim.sleutel, klok())
        resultaat.verzonden += 1


async def bezorg_direct(
    maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    verstuurder: Verstuurder = verstuur,
    klok: Callable[[], dt.datetime] = utcnow,
) -> Resultaat:
    """Send the direct meldingen that are due (new ones, and failed ones whose backoff passed)."""
    resultaat = Resultaat()
    nu = klok()
    claims: list[_Claim] = []
    async with maker() as session, session.begin():
        await repository.vergrendel(session)
        meldingen = await repository.directe_te_verzenden(session, nu, PER_RUN)
        adressen = await repository.ontvangers(session, [m.medewerker_id for m in meldingen])
        for m in meldingen:
            aan = adressen.get(m.medewerker_id)
            if aan is None:  # left the organisation meanwhile: nothing to send
                m.opgegeven_op = nu
                resultaat.overgeslagen += 1
                continue
            sleutel = f"melding:{m.id}"
            if await _claim(session, sleutel, m.medewerker_id, [m], nu):
                claims.append(_Claim(sleutel, aan, direct_bericht(settings, aan, m), [m.id]))
            else:
                resultaat.overgeslagen += 1
    await _afronden(maker, settings, claims, verstuurder, klok, resultaat)
    return resultaat


async def digest(
    maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    verstuurder: Verstuurder = verstuur,
    klok: Callable[[], dt.datetime] = utcnow,
) -> Resultaat:
    """One digest per medewerker per day (in Amsterdam) of their `dagelijks` meldingen: the
    sent-log key `digest:<medewerker>:<date>` makes a second run the same day send nothing."""
    resultaat = Resultaat()
    nu = klok()
    dag = werkdagen.lokale_datum(nu)
    claims: list[_Claim] = []
    async with maker() as session, session.begin():
        await repository.vergrendel(session)
        meldingen = await repository.digest_te_verzenden(session, nu)
        per_medewerker: dict[uuid.UUID, list[Melding]] = {}
        for m in meldingen:
            per_medewerker.setdefault(m.medewerker_id, []).append(m)
        adressen = await repository.ontvangers(session, list(per_medewerker))
        for medewerker_id, eigen in per_medewerker.items():
            aan = adressen.get(medewerker_id)
            if aan is None:
                for m in eigen:
                    m.opgegeven_op = nu
                resultaat.overgeslagen += 1
                continue
            sleutel = f"digest:{medewerker_id}:{dag.isoformat()}"
            if await _claim(session, sleutel, medewerker_id, eigen, nu):
                bericht = digest_bericht(settings, aan, dag, eigen)
                claims.append(_Claim(sleutel, aan, bericht, [m.id for m in eigen]))
            else:
                resultaat.overgeslagen += 1
    await _afronden(maker, settings, claims, verstuurder, klok, resultaat)
    return resultaat


class Bezorger:
    """The app's sender: woken by the request boundary after a commit that queued meldingen,
    and every `meldingen_interval_seconden` for retries. One run at a time per process; across
    processes the database lock and the sent-log keep every mail single."""

    def __init__(self, maker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._maker = maker
        self._settings = settings
        self._wek = asyncio.Event()
        self._taak: asyncio.Task[Any] | None = None

    @property
    def actief(self) -> bool:
        return bool(self._settings.smtp_host)

    def start(self) -> None:
        if self.actief and (self._taak is None or self._taak.done()):
            self._taak = asyncio.get_running_loop().create_task(self._lus())

    def wek(self) -> None:
        if not self.actief:
            return
        self.start()
        self._wek.set()

    async def stop(self) -> None:
        if self._taak is not None:
            self._taak.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._taak
            self._taak = None

    async def _lus(self) -> None:
        interval = self._settings.meldingen_interval_seconden or None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wek.wait(), timeout=interval)
            self._wek.clear()
            try:
                await bezorg_direct(self._maker, self._settings)
            except Exception:  # the database may be away for a moment: the next run retries
                log.warning("delivering meldingen failed; retried later", exc_info=True)
