"""Repository helpers shared by the domain packages."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

# A result row of any shape (SQLAlchemy 2.1 types rows by their column tuple).
Rij = Row[*tuple[Any, ...]]


async def onderdeel(
    session: AsyncSession, model: type[T], casus_id: int, id_: uuid.UUID
) -> T | None:
    """A part of a casus by id; parts of another casus are simply not found."""
    m: Any = model
    result: T | None = await session.scalar(
        select(model).where(m.id == id_, m.casus_id == casus_id)
    )
    return result
