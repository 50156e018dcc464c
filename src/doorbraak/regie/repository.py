"""Every query of regie, deelnames and escalaties."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import Deelname, Escalatie, Regievoering


async def huidige_regievoering(session: AsyncSession, casus_id: int) -> Regievoering | None:
    return await session.scalar(
        select(Regievoering).where(Regievoering.casus_id == casus_id, Regievoering.tot.is_(None))
    )


async def regievoeringen(session: AsyncSession, casus_id: int) -> Sequence[Regievoering]:
    return (
        await session.scalars(
            select(Regievoering)
            .where(Regievoering.casus_id == casus_id)
            .order_by(Regievoering.van.desc(), Regievoering.id)
        )
    ).all()


async def deelname(session: AsyncSession, casus_id: int, afdeling_code: str) -> Deelname | None:
    return await session.scalar(
        select(Deelname).where(
            Deelname.casus_id == casus_id, Deelname.afdeling_code == afdeling_code
        )
    )


async def deelnames(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Deelname]:
    stmt = select(Deelname).where(Deelname.casus_id == casus_id)
    sleutels = [Sleutel(Deelname.aangemaakt_op), Sleutel(Deelname.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def escalaties(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Escalatie]:
    stmt = select(Escalatie).where(Escalatie.casus_id == casus_id)
    sleutels = [Sleutel(Escalatie.aangevraagd_op), Sleutel(Escalatie.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def escalatie(
    session: AsyncSession, casus_id: int, escalatie_id: uuid.UUID
) -> Escalatie | None:
    return await session.scalar(
        select(Escalatie).where(Escalatie.casus_id == casus_id, Escalatie.id == escalatie_id)
    )
