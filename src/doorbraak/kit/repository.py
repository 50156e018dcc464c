"""Repository helpers shared by the domain packages."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.models import IdempotentieSleutel

T = TypeVar("T")


async def onderdeel(
    session: AsyncSession, model: type[T], casus_id: int, id_: uuid.UUID
) -> T | None:
    """A part of a casus by id; parts of another casus are simply not found."""
    m: Any = model
    result: T | None = await session.scalar(
        select(model).where(m.id == id_, m.casus_id == casus_id)
    )
    return result


# --- idempotency keys (kit/idempotentie.py) -------------------------------------------------------------------------------


async def idempotentie_lezen(
    session: AsyncSession, medewerker_id: object, sleutel: str
) -> IdempotentieSleutel | None:
    return await session.scalar(
        select(IdempotentieSleutel).where(
            IdempotentieSleutel.medewerker_id == medewerker_id,
            IdempotentieSleutel.sleutel == sleutel,
        )
    )


async def idempotentie_claimen(session: AsyncSession, rij: IdempotentieSleutel) -> None:
    postgres = session.get_bind().dialect.name == "postgresql"
    async with session.begin_nested():
        if postgres:
            # Waiting on another request's uncommitted claim means it is still running.
            await session.execute(text("SET LOCAL lock_timeout = '300ms'"))
        session.add(rij)
        await session.flush()
    if postgres:
        await session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))


async def idempotentie_opruimen(session: AsyncSession, nu: dt.datetime) -> int:
    result = await session.execute(
        delete(IdempotentieSleutel).where(IdempotentieSleutel.verloopt_op < nu)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
