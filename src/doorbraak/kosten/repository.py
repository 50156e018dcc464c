"""Every query of the cost ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.kit.periode import Periode
from doorbraak.models import Besluit, Casus, Kostenaandeel, Kostennulmeting, Kostenregel
from doorbraak.models.enums import BesluitStatus, Kostenritme, Kostensoort


async def casus_vergrendeld(session: AsyncSession, casus_id: int) -> None:
    """The casus row lock: a post's new value and the close of the old one are decided under it,
    so two concurrent entries for one post never leave two values in force."""
    await session.execute(select(Casus.id).where(Casus.id == casus_id).with_for_update())


async def regels(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Kostenregel]:
    stmt = select(Kostenregel).where(Kostenregel.casus_id == casus_id)
    return (await session.scalars(pagineer_select(stmt, [Sleutel(Kostenregel.id)], vraag))).all()


async def in_kracht(session: AsyncSession, casus_id: int) -> Sequence[Kostenregel]:
    return (
        await session.scalars(
            select(Kostenregel)
            .where(Kostenregel.casus_id == casus_id, Kostenregel.tot.is_(None))
            .order_by(Kostenregel.id)
        )
    ).all()


async def post_bestaat(session: AsyncSession, casus_id: int, post: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(
                select(Kostenregel.id)
                .where(Kostenregel.casus_id == casus_id, Kostenregel.post == post)
                .exists()
            )
        )
    )


async def sluit(
    session: AsyncSession,
    casus_id: int,
    post: uuid.UUID,
    soorten: Sequence[Kostensoort],
    nu: dt.datetime,
) -> None:
    """End the entries in force of a post (only `tot` is set: the amounts stay as they were)."""
    await session.execute(
        update(Kostenregel)
        .where(
            Kostenregel.casus_id == casus_id,
            Kostenregel.post == post,
            Kostenregel.soort.in_(list(soorten)),
            Kostenregel.tot.is_(None),
        )
        .values(tot=nu)
    )


async def nulmeting(session: AsyncSession, casus_id: int) -> Kostennulmeting | None:
    return await session.get(Kostennulmeting, casus_id)


@dataclass
class Besluitkosten:
    eenmalig_cent: int
    per_jaar_cent: int
    betalende_afdeling: str | None
    aandelen: list[tuple[str, int, int]] = field(default_factory=list)


async def besluitkosten_per_casus(
    session: AsyncSession, casus_ids: Sequence[int]
) -> dict[int, list[Besluitkosten]]:
    """Per casus the besluiten whose costs count: the vastgestelde; before any, the newest
    concept. Two queries for any number of casussen."""
    if not casus_ids:
        return {}
    besluiten = (
        await session.scalars(
            select(Besluit)
            .where(
                Besluit.casus_id.in_(list(casus_ids)),
                Besluit.status.in_((BesluitStatus.vastgesteld, BesluitStatus.concept)),
            )
            .order_by(Besluit.aangemaakt_op.desc(), Besluit.id.desc())
        )
    ).all()
    per_casus: dict[int, list[Besluit]] = {}
    for b in besluiten:
        per_casus.setdefault(b.casus_id, []).append(b)
    tellen: dict[int, list[Besluit]] = {}
    for casus_id, lijst in per_casus.items():
        vastgesteld = [b for b in lijst if b.status == BesluitStatus.vastgesteld]
        tellen[casus_id] = vastgesteld or lijst[:1]
    ids = [b.id for lijst in tellen.values() for b in lijst]
    aandelen = (
        (
            await session.scalars(select(Kostenaandeel).where(Kostenaandeel.besluit_id.in_(ids)))
        ).all()
        if ids
        else []
    )
    return {
        casus_id: [
            Besluitkosten(
                eenmalig_cent=b.kosten_eenmalig_cent,
                per_jaar_cent=b.kosten_per_jaar_cent,
                betalende_afdeling=b.betalende_afdeling_code,
                aandelen=[
                    (a.afdeling_code, a.eenmalig_cent, a.per_jaar_cent)
                    for a in aandelen
                    if a.besluit_id == b.id
                ],
            )
            for b in lijst
        ]
        for casus_id, lijst in tellen.items()
    }


async def besluitkosten(session: AsyncSession, casus_id: int) -> list[Besluitkosten]:
    return (await besluitkosten_per_casus(session, [casus_id])).get(casus_id, [])


async def huidig_per_jaar_per_casus(session: AsyncSession) -> dict[int, int]:
    """The huidig yearly costs in force per casus (statistieken)."""
    rijen = await session.execute(
        select(Kostenregel.casus_id, func.sum(Kostenregel.bedrag_cent))
        .where(
            Kostenregel.tot.is_(None),
            Kostenregel.soort == Kostensoort.huidig,
            Kostenregel.ritme == Kostenritme.jaarlijks,
        )
        .group_by(Kostenregel.casus_id)
    )
    return {int(c): int(s or 0) for c, s in rijen.all()}


async def nulmetingen(
    session: AsyncSession, periode: Periode = Periode()
) -> Sequence[Kostennulmeting]:
    """The nulmetingen of the casussen aangemeld in the period (and with a deelname of its
    afdeling): the same casussen the statistieken's other cost figures count."""
    stmt = select(Kostennulmeting)
    if not periode.leeg:
        stmt = stmt.join(Casus, Casus.id == Kostennulmeting.casus_id).where(
            *periode.filter(Casus.aangemeld_op, Casus.id)
        )
    return (await session.scalars(stmt)).all()


async def gemeten_casussen(session: AsyncSession) -> Sequence[int]:
    """Casussen with at least one gerealiseerd cost."""
    return (
        await session.scalars(
            select(Kostenregel.casus_id)
            .where(Kostenregel.soort == Kostensoort.gerealiseerd)
            .distinct()
        )
    ).all()


async def in_kracht_van(session: AsyncSession, casus_ids: Sequence[int]) -> Sequence[Kostenregel]:
    if not casus_ids:
        return []
    return (
        await session.scalars(
            select(Kostenregel).where(
                Kostenregel.casus_id.in_(list(casus_ids)), Kostenregel.tot.is_(None)
            )
        )
    ).all()
