"""Every query of the logboek."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.models import LogboekRegel

# Any fixed 64-bit number: the advisory lock that orders appends to the chain on PostgreSQL.
KETEN_LOCK = 0x646F6F72_6C6F67


async def vergrendel_keten(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": KETEN_LOCK})
    # SQLite: every transaction already holds the write lock (BEGIN IMMEDIATE).


async def laatste_hash(session: AsyncSession) -> str | None:
    return await session.scalar(select(LogboekRegel.hash).order_by(LogboekRegel.id.desc()).limit(1))


async def alle_regels(session: AsyncSession, batch: int = 2000) -> AsyncIterator[LogboekRegel]:
    """Stream the whole chain in id order without holding it all in memory."""
    laatste_id = 0
    while True:
        rijen = (
            await session.scalars(
                select(LogboekRegel)
                .where(LogboekRegel.id > laatste_id)
                .order_by(LogboekRegel.id)
                .limit(batch)
            )
        ).all()
        if not rijen:
            return
        for rij in rijen:
            yield rij
        laatste_id = rijen[-1].id
