"""Every query of the registers and statistieken: aggregates in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, cast, extract, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import (
    Afwijking,
    Besluit,
    Casus,
    FaseOvergang,
    Knelpunt,
    Kostenaandeel,
    Kostenregel,
    Regel,
    StatistiekenMomentopname,
)
from doorbraak.models.enums import AfwijkingStatus, BesluitStatus, Kostenritme, Kostensoort

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


def percentiel(waarden: Sequence[float], p: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont."""
    if not waarden:
        return None
    gesorteerd = sorted(waarden)
    positie = (len(gesorteerd) - 1) * p
    onder, boven = math.floor(positie), math.ceil(positie)
    waarde = gesorteerd[onder] + (gesorteerd[boven] - gesorteerd[onder]) * (positie - onder)
    return round(waarde, 2)


def dagen_tussen(session: AsyncSession, van: Any, tot: Any) -> Any:
    """The days between two instants, as a number, computed by the database."""
    if _postgres(session):
        return extract("epoch", tot - van) / 86400.0
    return cast(func.julianday(tot) - func.julianday(van), Float)


def maand_van(session: AsyncSession, kolom: Any) -> Any:
    if _postgres(session):
        return func.to_char(func.timezone("UTC", kolom), "YYYY-MM")
    return func.strftime("%Y-%m", kolom)


# --- afwijkingen register ----------------------------------------------------------------------


@dataclass(frozen=True)
class Registerfilter:
    regel: uuid.UUID | None = None
    grondslag: str | None = None
    vanaf: dt.date | None = None
    tot: dt.date | None = None


def _dag_begin(datum: dt.date) -> dt.datetime:
    return dt.datetime.combine(datum, dt.time.min, tzinfo=dt.UTC)


def _gefilterd(stmt: Any, filter_: Registerfilter, *, in_kracht: bool = True) -> Any:
    stmt = stmt.join(Besluit, Besluit.id == Afwijking.besluit_id)
    if in_kracht:
        stmt = stmt.where(Afwijking.status == IN_KRACHT[0], Besluit.status == IN_KRACHT[1])
    if filter_.regel is not None:
        stmt = stmt.where(Afwijking.regel_id == filter_.regel)
    if filter_.grondslag:
        stmt = stmt.where(Afwijking.grondslag == filter_.grondslag)
    if filter_.vanaf:
        stmt = stmt.where(Afwijking.aangemaakt_op >= _dag_begin(filter_.vanaf))
    if filter_.tot:
        stmt = stmt.where(Afwijking.aangemaakt_op < _dag_begin(filter_.tot + dt.timedelta(days=1)))
    return stmt


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


async def casussen_per_fase(session: AsyncSession) -> Sequence[Rij]:
    return (
        await session.execute(
            select(Casus.fase, func.count(Casus.id).label("aantal")).group_by(Casus.fase)
        )
    ).all()


@dataclass(frozen=True)
class Spreiding:
    """Count, median and 90th percentile of durations in days (linear interpolation)."""

    aantal: int
    mediaan: float | None
    p90: float | None


def _spreiding(waarden: list[float]) -> Spreiding:
    return Spreiding(len(waarden), percentiel(waarden, 0.5), percentiel(waarden, 0.9))


async def _spreiding_per(
    session: AsyncSession, bron: Any, groep: Any | None
) -> dict[str | None, Spreiding]:
    """PostgreSQL computes the percentiles itself (millions of durations at national scale
    must not travel to Python); SQLite has no percentile_cont, so Python does it there."""
    dagen = bron.c.dagen
    if _postgres(session):
        kolommen = [
            func.count(dagen),
            func.percentile_cont(0.5).within_group(dagen),
            func.percentile_cont(0.9).within_group(dagen),
        ]
        if groep is None:
            rij = (await session.execute(select(*kolommen))).one()
            return {None: _afgerond(rij[0], rij[1], rij[2])}
        rijen = (await session.execute(select(groep, *kolommen).group_by(groep))).all()
        return {r[0]: _afgerond(r[1], r[2], r[3]) for r in rijen}
    per: dict[str | None, list[float]] = {}
    if groep is None:
        per[None] = [float(d) for d in (await session.scalars(select(dagen))).all()]
    else:
        for g, d in (await session.execute(select(groep, dagen))).all():
            per.setdefault(g, []).append(float(d))
    return {g: _spreiding(w) for g, w in per.items()}


def _afgerond(aantal: int, mediaan: float | None, p90: float | None) -> Spreiding:
    return Spreiding(
        int(aantal),
        None if mediaan is None else round(float(mediaan), 2),
        None if p90 is None else round(float(p90), 2),
    )


async def tijd_tot_eerste_besluit(session: AsyncSession) -> Spreiding:
    eerste = (
        select(Besluit.casus_id, func.min(Besluit.vastgesteld_op).label("eerste"))
        .where(Besluit.vastgesteld_op.is_not(None))
        .group_by(Besluit.casus_id)
        .subquery()
    )
    bron = (
        select(dagen_tussen(session, Casus.aangemeld_op, eerste.c.eerste).label("dagen"))
        .join(eerste, eerste.c.casus_id == Casus.id)
        .subquery()
    )
    return (await _spreiding_per(session, bron, None)).get(None) or Spreiding(0, None, None)


async def tijd_per_fase(session: AsyncSession) -> dict[str | None, Spreiding]:
    verblijven = select(
        FaseOvergang.naar.label("fase"),
        FaseOvergang.op.label("van"),
        func.lead(FaseOvergang.op)
        .over(partition_by=FaseOvergang.casus_id, order_by=(FaseOvergang.op, FaseOvergang.id))
        .label("tot"),
    ).subquery()
    bron = (
        select(
            verblijven.c.fase,
            dagen_tussen(session, verblijven.c.van, verblijven.c.tot).label("dagen"),
        )
        .where(verblijven.c.tot.is_not(None))
        .subquery()
    )
    return await _spreiding_per(session, bron, bron.c.fase)


async def kosten_totalen(session: AsyncSession) -> tuple[int, int]:
    # The huidig yearly costs in force in the ledger (dreigend costs are a scenario, not counted).
    doormodderen = (
        select(func.coalesce(func.sum(Kostenregel.bedrag_cent), 0))
        .where(
            Kostenregel.tot.is_(None),
            Kostenregel.soort == Kostensoort.huidig,
            Kostenregel.ritme == Kostenritme.jaarlijks,
        )
        .scalar_subquery()
    )
    doorbraak = (
        select(
            func.coalesce(func.sum(Besluit.kosten_eenmalig_cent + Besluit.kosten_per_jaar_cent), 0)
        )
        .where(Besluit.status == BesluitStatus.vastgesteld)
        .scalar_subquery()
    )
    rij = (await session.execute(select(doormodderen, doorbraak))).one()
    return int(rij[0]), int(rij[1])


async def noodmaatregelen(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count(Besluit.id)).where(
                Besluit.status == "vastgesteld", Besluit.noodmaatregel.is_(True)
            )
        )
        or 0
    )


async def kosten_per_afdeling(session: AsyncSession) -> Sequence[Rij]:
    """What each afdeling pays of the vastgestelde besluiten (their cost split)."""
    return (
        await session.execute(
            select(
                Kostenaandeel.afdeling_code.label("afdeling"),
                func.sum(Kostenaandeel.eenmalig_cent).label("eenmalig"),
                func.sum(Kostenaandeel.per_jaar_cent).label("per_jaar"),
            )
            .join(Besluit, Besluit.id == Kostenaandeel.besluit_id)
            .where(Besluit.status == "vastgesteld")
            .group_by(Kostenaandeel.afdeling_code)
            .order_by(Kostenaandeel.afdeling_code)
        )
    ).all()


async def knelpunt_soorten(session: AsyncSession) -> Sequence[Rij]:
    aantal = func.count(Knelpunt.id).label("aantal")
    return (
        await session.execute(
            select(Knelpunt.soort, aantal)
            .group_by(Knelpunt.soort)
            .order_by(aantal.desc(), Knelpunt.soort)
        )
    ).all()
