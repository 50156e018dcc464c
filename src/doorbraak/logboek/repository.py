"""Every query of the logboek."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import Casus, LogboekRegel
from doorbraak.models.logboek import installatie

# Any fixed 64-bit number: the advisory lock that orders appends to the chain on PostgreSQL.
KETEN_LOCK = 0x646F6F72_6C6F67

# The append of the reads' group commit, as asyncpg statements (`service.toevoegen_asyncpg`).
KETEN_LOCK_SQL = "SELECT pg_advisory_xact_lock($1)"
LAATSTE_HASH_SQL = "SELECT hash FROM logboek ORDER BY id DESC LIMIT 1"
# Every column but the id, from the model, so the statement follows the table.
KOLOMMEN = tuple(k.name for k in LogboekRegel.__table__.columns if k.name != "id")
INSERT_SQL = (
    f"INSERT INTO logboek ({', '.join(KOLOMMEN)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(KOLOMMEN) + 1))})"
)


async def vergrendel_keten(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": KETEN_LOCK})
    # SQLite: every transaction already holds the write lock (BEGIN IMMEDIATE).


async def laatste_hash(session: AsyncSession) -> str | None:
    return await session.scalar(select(LogboekRegel.hash).order_by(LogboekRegel.id.desc()).limit(1))


async def kop(session: AsyncSession) -> tuple[int, str] | None:
    """Id and hash of the newest entry."""
    rij = (
        await session.execute(
            select(LogboekRegel.id, LogboekRegel.hash).order_by(LogboekRegel.id.desc()).limit(1)
        )
    ).first()
    return (int(rij.id), str(rij.hash)) if rij is not None else None


async def database_id(session: AsyncSession) -> str | None:
    """This database's identity; None if the row is gone (a finding for verify)."""
    return await session.scalar(select(installatie.c.database_id).limit(1))


async def laatste_ongesleuteld(session: AsyncSession) -> int | None:
    """The last entry from before the keyed chain (they form its beginning)."""
    return await session.scalar(
        select(LogboekRegel.id)
        .where(LogboekRegel.sleutel_id.is_(None))
        .order_by(LogboekRegel.id.desc())
        .limit(1)
    )


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


@dataclass(frozen=True)
class Logboekfilter:
    casus_kenmerk: str | None = None
    actor: str | None = None
    vanaf: dt.datetime | None = None
    tot: dt.datetime | None = None


LOGBOEK_SLEUTEL = [Sleutel(LogboekRegel.id, aflopend=True)]


async def regels(
    session: AsyncSession, filter_: Logboekfilter, vraag: PaginaVraag
) -> Sequence[Rij]:
    """Newest first; the casus is shown by its kenmerk (the logboek keeps the internal id)."""
    stmt = select(
        LogboekRegel.id,
        LogboekRegel.tijdstempel,
        LogboekRegel.actor,
        LogboekRegel.actie,
        LogboekRegel.object_soort,
        LogboekRegel.object_id,
        Casus.kenmerk.label("casus_kenmerk"),
        LogboekRegel.resultaat,
        LogboekRegel.oorsprong,
        LogboekRegel.doelbinding,
        LogboekRegel.request_id,
        LogboekRegel.aantal,
        LogboekRegel.sleutel_id,
        LogboekRegel.vorige_hash,
        LogboekRegel.hash,
    ).outerjoin(Casus, Casus.id == LogboekRegel.casus_id)
    if filter_.casus_kenmerk is not None:
        casus_id = select(Casus.id).where(Casus.kenmerk == filter_.casus_kenmerk).scalar_subquery()
        stmt = stmt.where(LogboekRegel.casus_id == casus_id)
    if filter_.actor is not None:
        stmt = stmt.where(LogboekRegel.actor == filter_.actor)
    if filter_.vanaf is not None:
        stmt = stmt.where(LogboekRegel.tijdstempel >= filter_.vanaf)
    if filter_.tot is not None:
        stmt = stmt.where(LogboekRegel.tijdstempel < filter_.tot)
    return (await session.execute(pagineer_select(stmt, LOGBOEK_SLEUTEL, vraag))).all()
