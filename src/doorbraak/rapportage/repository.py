"""Every query of the registers and statistieken: aggregates in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, cast, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.kit.periode import Periode
from doorbraak.kit.werkdagen import TIJDZONE, lokale_datum, werkdagen_tussen
from doorbraak.models import (
    Afwijking,
    Beleidssignaal,
    Besluit,
    Casus,
    FaseOvergang,
    Knelpunt,
    Kostenaandeel,
    Kostenregel,
    Regel,
    Regelversie,
    StatistiekenMomentopname,
)
from doorbraak.models.enums import (
    SIGNAAL_AFGEHANDELD,
    AfwijkingStatus,
    BesluitStatus,
    Kostenritme,
    Kostensoort,
)

# Any fixed 64-bit number: one process at a time recomputes the statistieken.
STATISTIEKEN_LOCK = 0x646F6F72_737461


async def momentopname(session: AsyncSession, naam: str) -> StatistiekenMomentopname | None:
    return await session.get(StatistiekenMomentopname, naam)


async def mag_herberekenen(session: AsyncSession) -> bool:
    """False when another request is recomputing right now (it will store a fresh one)."""
    if not _postgres(session):
        return True  # SQLite: the transaction holds the write lock already
    return bool(
        await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": STATISTIEKEN_LOCK})
    )


async def wacht_op_herberekening(session: AsyncSession) -> None:
    if _postgres(session):
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": STATISTIEKEN_LOCK})


async def bewaar_momentopname(
    session: AsyncSession, naam: str, op: dt.datetime, inhoud: dict[str, Any]
) -> None:
    waarden = {"naam": naam, "berekend_op": op, "inhoud": inhoud}
    if _postgres(session):
        stmt: Any = postgresql.insert(StatistiekenMomentopname).values(**waarden)
    else:
        stmt = sqlite.insert(StatistiekenMomentopname).values(**waarden)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["naam"], set_={"berekend_op": op, "inhoud": inhoud}
        )
    )


# A deviation that happened: a gedekt afwijking of a vastgesteld besluit in force. Proposals,
# refusals and afwijkingen of withdrawn or replaced besluiten are not deviations.
IN_KRACHT = (AfwijkingStatus.gedekt, BesluitStatus.vastgesteld)


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def maand_van(session: AsyncSession, kolom: Any) -> Any:
    if _postgres(session):
        return func.to_char(func.timezone("UTC", kolom), "YYYY-MM")
    return func.strftime("%Y-%m", kolom)


def lokale_dag(session: AsyncSession, kolom: Any) -> Any:
    """The Amsterdam calendar day of an instant, in SQL (PostgreSQL); on SQLite the instant
    itself, made a day in Python (`kit.werkdagen.lokale_datum`)."""
    if _postgres(session):
        return cast(func.timezone(TIJDZONE.key, kolom), Date)
    return kolom


def als_dag(waarde: Any) -> dt.date:
    if isinstance(waarde, dt.datetime):
        return lokale_datum(waarde)
    if isinstance(waarde, dt.date):
        return waarde
    return lokale_datum(dt.datetime.fromisoformat(str(waarde)))


# --- afwijkingen register ----------------------------------------------------------------------


@dataclass(frozen=True)
class Registerfilter:
    regel: uuid.UUID | None = None
    grondslag: str | None = None
    # The day the afwijking was proposed (Europe/Amsterdam) and the afdeling taking part.
    periode: Periode = field(default_factory=Periode)


def _gefilterd(stmt: Any, filter_: Registerfilter, *, in_kracht: bool = True) -> Any:
    stmt = stmt.join(Besluit, Besluit.id == Afwijking.besluit_id)
    if in_kracht:
        stmt = stmt.where(Afwijking.status == IN_KRACHT[0], Besluit.status == IN_KRACHT[1])
    if filter_.regel is not None:
        stmt = stmt.where(Afwijking.regel_id == filter_.regel)
    if filter_.grondslag:
        stmt = stmt.where(Afwijking.grondslag == filter_.grondslag)
    return stmt.where(*filter_.periode.filter(Afwijking.aangemaakt_op, Afwijking.casus_id))


async def afwijkingen_per_regelversie(
    session: AsyncSession, filter_: Registerfilter
) -> Sequence[Rij]:
    """Deviations in force per version of each regel: did the bends fall after a change?"""
    aantal = func.count(Afwijking.id).label("aantal")
    stmt = _gefilterd(
        select(
            Regel.id,
            Regel.titel,
            Regel.regeling,
            Regel.artikel,
            Regelversie.id.label("versie_id"),
            Regelversie.nummer,
            Regelversie.geldig_van,
            Regelversie.geldig_tot,
            aantal,
        )
        .join(Regel, Regel.id == Afwijking.regel_id)
        .join(Regelversie, Regelversie.id == Afwijking.regelversie_id),
        filter_,
    ).group_by(
        Regel.id,
        Regel.titel,
        Regel.regeling,
        Regel.artikel,
        Regelversie.id,
        Regelversie.nummer,
        Regelversie.geldig_van,
        Regelversie.geldig_tot,
    )
    return (await session.execute(stmt.order_by(Regel.titel, Regel.id, Regelversie.nummer))).all()


async def afwijkingen_per_regel(
    session: AsyncSession, filter_: Registerfilter, limiet: int | None = None
) -> Sequence[Rij]:
    aantal = func.count(Afwijking.id).label("aantal")
    stmt = _gefilterd(
        select(Regel.id, Regel.titel, Regel.regeling, Regel.artikel, aantal).join(
            Regel, Regel.id == Afwijking.regel_id
        ),
        filter_,
    ).group_by(Regel.id, Regel.titel, Regel.regeling, Regel.artikel)
    stmt = stmt.order_by(aantal.desc(), Regel.titel, Regel.id)
    if limiet:
        stmt = stmt.limit(limiet)
    return (await session.execute(stmt)).all()


async def afwijkingen_per_grondslag(
    session: AsyncSession, filter_: Registerfilter
) -> Sequence[Rij]:
    stmt = _gefilterd(
        select(Afwijking.grondslag, func.count(Afwijking.id).label("aantal")), filter_
    ).group_by(Afwijking.grondslag)
    return (await session.execute(stmt.order_by(Afwijking.grondslag))).all()


async def afwijkingen_per_maand(session: AsyncSession, filter_: Registerfilter) -> Sequence[Rij]:
    maand = maand_van(session, Afwijking.aangemaakt_op).label("maand")
    stmt = _gefilterd(select(maand, func.count(Afwijking.id).label("aantal")), filter_)
    return (await session.execute(stmt.group_by(maand).order_by(maand))).all()


async def geweigerde_rugdekking(session: AsyncSession, filter_: Registerfilter) -> int:
    """Rugdekking refused (a signal too), whatever became of the besluit afterwards."""
    stmt = _gefilterd(select(func.count(Afwijking.id)), filter_, in_kracht=False).where(
        Afwijking.rugdekking_oordeel == "afgewezen"
    )
    return int(await session.scalar(stmt) or 0)


async def register_regels(
    session: AsyncSession, filter_: Registerfilter, vraag: PaginaVraag
) -> Sequence[Rij]:
    stmt = _gefilterd(
        select(
            Afwijking.id,
            Afwijking.grondslag,
            Afwijking.risico,
            Afwijking.status,
            Afwijking.financieel_belang_cent,
            Afwijking.beleidssignaal,
            Afwijking.aangemaakt_op,
            Afwijking.rugdekking_op,
            Besluit.noodmaatregel,
            Regel.id.label("regel_id"),
            Regel.titel,
            Regel.regeling,
            Regel.artikel,
        ).join(Regel, Regel.id == Afwijking.regel_id),
        filter_,
    )
    sleutels = [
        Sleutel(Afwijking.aangemaakt_op, aflopend=True),
        Sleutel(Afwijking.id, aflopend=True),
    ]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


# --- statistieken ------------------------------------------------------------------------------
#
# Lead times are working days (`kit.werkdagen`: Monday to Friday without Dutch public holidays,
# days in Europe/Amsterdam): a casus aangemeld on Thursday before Easter and decided on the
# Tuesday after took 2 working days, not 5 calendar days. The database groups the durations by
# their pair of local days (few distinct pairs even at national scale); Python counts the working
# days of each pair and takes the percentiles, weighted by how often each pair occurs.


async def casussen_per_fase(session: AsyncSession, periode: Periode = Periode()) -> Sequence[Rij]:
    """Casussen by their current fase; with a period, those aangemeld in it."""
    return (
        await session.execute(
            select(Casus.fase, func.count(Casus.id).label("aantal"))
            .where(*periode.filter(Casus.aangemeld_op, Casus.id))
            .group_by(Casus.fase)
        )
    ).all()


@dataclass(frozen=True)
class Spreiding:
    """Count, median and 90th percentile of durations in working days (linear interpolation)."""

    aantal: int
    mediaan: float | None
    p90: float | None


def percentiel_gewogen(waarden: Sequence[tuple[int, int]], p: float) -> float | None:
    """`percentiel` over values that occur `n` times each: (waarde, n) pairs."""
    paren = sorted((w, n) for w, n in waarden if n > 0)
    totaal = sum(n for _, n in paren)
    if not totaal:
        return None
    positie = (totaal - 1) * p
    onder, boven = math.floor(positie), math.ceil(positie)

    def op_rang(rang: int) -> int:
        gezien = 0
        for w, n in paren:
            gezien += n
            if rang < gezien:
                return w
        return paren[-1][0]

    laag, hoog = op_rang(onder), op_rang(boven)
    return round(laag + (hoog - laag) * (positie - onder), 2)


def spreiding(waarden: Sequence[tuple[int, int]]) -> Spreiding:
    return Spreiding(
        sum(n for _, n in waarden),
        percentiel_gewogen(waarden, 0.5),
        percentiel_gewogen(waarden, 0.9),
    )


async def _werkdagen_per(
    session: AsyncSession, bron: Any, groep: Any | None
) -> dict[Any, list[tuple[int, int]]]:
    """(working days, count) per group, for a subquery with the instants `van` and `tot`."""
    dagen = [lokale_dag(session, bron.c.van), lokale_dag(session, bron.c.tot)]
    kolommen = ([groep] if groep is not None else []) + dagen
    if _postgres(session):
        stmt: Any = select(*kolommen, func.count()).group_by(*kolommen)
    else:
        stmt = select(*kolommen, literal(1))
    per: dict[Any, dict[int, int]] = {}
    for rij in (await session.execute(stmt)).all():
        g = rij[0] if groep is not None else None
        begin, einde, n = rij[-3], rij[-2], rij[-1]
        werkdagen = werkdagen_tussen(als_dag(begin), als_dag(einde))
        teller = per.setdefault(g, {})
        teller[werkdagen] = teller.get(werkdagen, 0) + int(n)
    return {g: sorted(t.items()) for g, t in per.items()}


async def tijd_tot_eerste_besluit(session: AsyncSession, periode: Periode = Periode()) -> Spreiding:
    """KPI 1: from aangemeld to the first vastgesteld besluit, for the casussen whose first
    besluit was vastgesteld in the period."""
    waarden = (await _tot_eerste_besluit(session, periode, None)).get(None, [])
    return spreiding(waarden)


def _eerste_besluit() -> Any:
    return (
        select(Besluit.casus_id, func.min(Besluit.vastgesteld_op).label("eerste"))
        .where(Besluit.vastgesteld_op.is_not(None))
        .group_by(Besluit.casus_id)
        .subquery()
    )


async def _tot_eerste_besluit(
    session: AsyncSession, periode: Periode, groep: str | None
) -> dict[Any, list[tuple[int, int]]]:
    eerste = _eerste_besluit()
    kolommen = [Casus.aangemeld_op.label("van"), eerste.c.eerste.label("tot")]
    bron = (
        select(*kolommen)
        .join(eerste, eerste.c.casus_id == Casus.id)
        .where(*periode.filter(eerste.c.eerste, Casus.id))
        .subquery()
    )
    if groep is None:
        return await _werkdagen_per(session, bron, None)
    # Per month of the first besluit (Amsterdam): the trend of KPI 1.
    per: dict[Any, dict[int, int]] = {}
    for w in await _paren(session, bron):
        maand, dagen, n = w
        teller = per.setdefault(maand, {})
        teller[dagen] = teller.get(dagen, 0) + n
    return {m: sorted(t.items()) for m, t in per.items()}


async def _paren(session: AsyncSession, bron: Any) -> list[tuple[str, int, int]]:
    van, tot = lokale_dag(session, bron.c.van), lokale_dag(session, bron.c.tot)
    if _postgres(session):
        stmt: Any = select(van, tot, func.count()).group_by(van, tot)
    else:
        stmt = select(van, tot, literal(1))
    uit = []
    for begin, einde, n in (await session.execute(stmt)).all():
        eind_dag = als_dag(einde)
        uit.append((f"{eind_dag:%Y-%m}", werkdagen_tussen(als_dag(begin), eind_dag), int(n)))
    return uit


async def doorlooptijd_per_maand(
    session: AsyncSession, periode: Periode = Periode()
) -> list[tuple[str, Spreiding]]:
    per = await _tot_eerste_besluit(session, periode, "maand")
    return [(m, spreiding(per[m])) for m in sorted(per)]


async def tijd_per_fase(
    session: AsyncSession, periode: Periode = Periode()
) -> dict[str | None, Spreiding]:
    """Working days spent in each fase, over the stays that ended in the period."""
    verblijven = select(
        FaseOvergang.casus_id.label("casus_id"),
        FaseOvergang.naar.label("fase"),
        FaseOvergang.op.label("van"),
        func.lead(FaseOvergang.op)
        .over(partition_by=FaseOvergang.casus_id, order_by=(FaseOvergang.op, FaseOvergang.id))
        .label("tot"),
    ).subquery()
    bron = (
        select(verblijven.c.fase, verblijven.c.van, verblijven.c.tot)
        .where(
            verblijven.c.tot.is_not(None),
            *periode.filter(verblijven.c.tot, verblijven.c.casus_id),
        )
        .subquery()
    )
    per = await _werkdagen_per(session, bron, bron.c.fase)
    return {g: spreiding(w) for g, w in per.items()}


async def kosten_totalen(session: AsyncSession, periode: Periode = Periode()) -> tuple[int, int]:
    """Doormodderen: the huidig yearly costs in force in the ledger (dreigend costs are a
    scenario, not counted) of the casussen aangemeld in the period; doorbraak: the vastgestelde
    besluiten of the period (one-off plus yearly)."""
    doormodderen = (
        select(func.coalesce(func.sum(Kostenregel.bedrag_cent), 0))
        .join(Casus, Casus.id == Kostenregel.casus_id)
        .where(
            Kostenregel.tot.is_(None),
            Kostenregel.soort == Kostensoort.huidig,
            Kostenregel.ritme == Kostenritme.jaarlijks,
            *periode.filter(Casus.aangemeld_op, Casus.id),
        )
        .scalar_subquery()
    )
    doorbraak = (
        select(
            func.coalesce(func.sum(Besluit.kosten_eenmalig_cent + Besluit.kosten_per_jaar_cent), 0)
        )
        .where(
            Besluit.status == BesluitStatus.vastgesteld,
            *periode.filter(Besluit.vastgesteld_op, Besluit.casus_id),
        )
        .scalar_subquery()
    )
    rij = (await session.execute(select(doormodderen, doorbraak))).one()
    return int(rij[0]), int(rij[1])


async def noodmaatregelen(session: AsyncSession, periode: Periode = Periode()) -> int:
    return int(
        await session.scalar(
            select(func.count(Besluit.id)).where(
                Besluit.status == "vastgesteld",
                Besluit.noodmaatregel.is_(True),
                *periode.filter(Besluit.vastgesteld_op, Besluit.casus_id),
            )
        )
        or 0
    )


async def besluiten_vastgesteld(session: AsyncSession, periode: Periode = Periode()) -> int:
    """Besluiten vastgesteld in the period that are still in force."""
    return int(
        await session.scalar(
            select(func.count(Besluit.id)).where(
                Besluit.status == BesluitStatus.vastgesteld,
                *periode.filter(Besluit.vastgesteld_op, Besluit.casus_id),
            )
        )
        or 0
    )


async def kosten_per_afdeling(session: AsyncSession, periode: Periode = Periode()) -> Sequence[Rij]:
    """What each afdeling pays of the vastgestelde besluiten (their cost split)."""
    return (
        await session.execute(
            select(
                Kostenaandeel.afdeling_code.label("afdeling"),
                func.sum(Kostenaandeel.eenmalig_cent).label("eenmalig"),
                func.sum(Kostenaandeel.per_jaar_cent).label("per_jaar"),
            )
            .join(Besluit, Besluit.id == Kostenaandeel.besluit_id)
            .where(
                Besluit.status == "vastgesteld",
                *periode.filter(Besluit.vastgesteld_op, Besluit.casus_id),
            )
            .group_by(Kostenaandeel.afdeling_code)
            .order_by(Kostenaandeel.afdeling_code)
        )
    ).all()


async def knelpunt_soorten(session: AsyncSession, periode: Periode = Periode()) -> Sequence[Rij]:
    aantal = func.count(Knelpunt.id).label("aantal")
    return (
        await session.execute(
            select(Knelpunt.soort, aantal)
            .where(*periode.filter(Knelpunt.aangemaakt_op, Knelpunt.casus_id))
            .group_by(Knelpunt.soort)
            .order_by(aantal.desc(), Knelpunt.soort)
        )
    ).all()


async def knelpunten_top(
    session: AsyncSession, periode: Periode, limiet: int = 10
) -> Sequence[Rij]:
    """The knelpunten raised most in the period, by soort and niveau (no text: a knelpunt's
    omschrijving is case content)."""
    aantal = func.count(Knelpunt.id).label("aantal")
    opgelost = func.count(Knelpunt.id).filter(Knelpunt.status == "opgelost").label("opgelost")
    return (
        await session.execute(
            select(Knelpunt.soort, Knelpunt.niveau, aantal, opgelost)
            .where(*periode.filter(Knelpunt.aangemaakt_op, Knelpunt.casus_id))
            .group_by(Knelpunt.soort, Knelpunt.niveau)
            .order_by(aantal.desc(), Knelpunt.soort, Knelpunt.niveau)
            .limit(limiet)
        )
    ).all()


async def signalen_tellingen(session: AsyncSession, periode: Periode) -> tuple[int, int]:
    """Signals raised in the period (not of a withdrawn afwijking), and signals that beleid
    handled (regel or werkwijze aangepast, niet aangepast) with a decision in the period."""
    telt = (Afwijking.id.is_(None)) | (Afwijking.status != AfwijkingStatus.ingetrokken)
    basis = select(func.count(Beleidssignaal.id)).outerjoin(
        Afwijking, Afwijking.id == Beleidssignaal.afwijking_id
    )
    gemeld = await session.scalar(
        basis.where(telt, *periode.filter(Beleidssignaal.gemeld_op, Beleidssignaal.casus_id))
    )
    afgehandeld = basis.where(
        telt,
        Beleidssignaal.status.in_(SIGNAAL_AFGEHANDELD),
        *periode.van_afdeling(Beleidssignaal.casus_id),
    )
    if periode.van is not None:
        afgehandeld = afgehandeld.where(Beleidssignaal.besloten_op >= periode.van)
    if periode.tot is not None:
        afgehandeld = afgehandeld.where(Beleidssignaal.besloten_op <= periode.tot)
    return int(gemeld or 0), int(await session.scalar(afgehandeld) or 0)


async def signalen_per_status(session: AsyncSession, periode: Periode) -> Sequence[Rij]:
    """Signals raised in the period, by where beleid is with them now, and by source."""
    telt = (Afwijking.id.is_(None)) | (Afwijking.status != AfwijkingStatus.ingetrokken)
    return (
        await session.execute(
            select(
                Beleidssignaal.bron,
                Beleidssignaal.status,
                func.count(Beleidssignaal.id).label("aantal"),
            )
            .outerjoin(Afwijking, Afwijking.id == Beleidssignaal.afwijking_id)
            .where(telt, *periode.filter(Beleidssignaal.gemeld_op, Beleidssignaal.casus_id))
            .group_by(Beleidssignaal.bron, Beleidssignaal.status)
            .order_by(Beleidssignaal.bron, Beleidssignaal.status)
        )
    ).all()


async def signaal_doorlooptijden(session: AsyncSession, periode: Periode) -> Spreiding:
    """Working days from raising a signal to beleid's decision, for the signals decided in the
    period."""
    stmt = select(Beleidssignaal.gemeld_op, Beleidssignaal.besloten_op).where(
        Beleidssignaal.status.in_(SIGNAAL_AFGEHANDELD),
        Beleidssignaal.besloten_op.is_not(None),
        *periode.van_afdeling(Beleidssignaal.casus_id),
    )
    if periode.van is not None:
        stmt = stmt.where(Beleidssignaal.besloten_op >= periode.van)
    if periode.tot is not None:
        stmt = stmt.where(Beleidssignaal.besloten_op <= periode.tot)
    teller: dict[int, int] = {}
    for gemeld, besloten in (await session.execute(stmt)).all():
        if besloten is None:
            continue
        dagen = werkdagen_tussen(lokale_datum(gemeld), besloten)
        teller[dagen] = teller.get(dagen, 0) + 1
    return spreiding(sorted(teller.items()))


async def regelwijzigingen(session: AsyncSession, periode: Periode) -> Sequence[Rij]:
    """Versions of regels that took effect in the period (version 2 and later: changes)."""
    stmt = (
        select(
            Regel.id,
            Regel.titel,
            Regel.regeling,
            Regel.artikel,
            Regelversie.id.label("versie_id"),
            Regelversie.nummer,
            Regelversie.geldig_van,
            Regelversie.geldig_tot,
            Regelversie.reden,
        )
        .join(Regel, Regel.id == Regelversie.regel_id)
        .where(Regelversie.nummer > 1)
        .order_by(Regelversie.geldig_van, Regel.titel, Regelversie.nummer)
    )
    if periode.van is not None:
        stmt = stmt.where(Regelversie.geldig_van >= periode.van)
    if periode.tot is not None:
        stmt = stmt.where(Regelversie.geldig_van <= periode.tot)
    return (await session.execute(stmt)).all()


async def afwijkingen_in_kracht_tussen(
    session: AsyncSession,
    regel_id: uuid.UUID,
    van: dt.date,
    tot: dt.date,
    afdeling: str | None,
) -> int:
    """Deviations in force of a regel proposed from `van` up to and including `tot`."""
    filter_ = Registerfilter(regel=regel_id, periode=Periode(van, tot, afdeling))
    stmt = _gefilterd(select(func.count(Afwijking.id)), filter_)
    return int(await session.scalar(stmt) or 0)
