"""Every query of bijlagen. Lists and metadata never load the content (a deferred column)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import Bijlage


async def bijlagen(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Bijlage]:
    stmt = select(Bijlage).where(Bijlage.casus_id == casus_id)
    sleutels = [Sleutel(Bijlage.toegevoegd_op), Sleutel(Bijlage.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def bijlage(session: AsyncSession, casus_id: int, id_: uuid.UUID) -> Bijlage | None:
    gevonden = await session.get(Bijlage, id_)
    return gevonden if gevonden is not None and gevonden.casus_id == casus_id else None


async def inhoud(session: AsyncSession, id_: uuid.UUID) -> bytes:
    return bytes(await session.scalar(select(Bijlage.inhoud).where(Bijlage.id == id_)) or b"")
