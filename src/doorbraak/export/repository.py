"""Every SQL statement of the export besides the per-table SELECTs (those are declared in
`tabellen.py`): export runs, the watermark, the snapshot, tombstone candidates."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import ExportRun, ExportWatermerk, TijdlijnRegel

WATERMERK = "export"
# PostgreSQL advisory lock key held by the process running an export (any fixed 64-bit number).
ADVISORY_SLEUTEL = 0x646F6F72_65787074  # "door" "expt"


async def run(session: AsyncSession, run_id: uuid.UUID) -> ExportRun | None:
    return await session.get(ExportRun, run_id)


async def lopende_run(session: AsyncSession) -> ExportRun | None:
    result = await session.scalars(select(ExportRun).where(ExportRun.status == "bezig"))
    return result.first()


def runs_select() -> Select[ExportRun]:
    return select(ExportRun)


RUN_SLEUTELS = [
    Sleutel(ExportRun.gestart_op, aflopend=True),
    Sleutel(ExportRun.id, aflopend=True),
]


async def runs(session: AsyncSession, vraag: PaginaVraag) -> Sequence[ExportRun]:
    stmt = pagineer_select(runs_select(), RUN_SLEUTELS, vraag)
    return list((await session.scalars(stmt)).all())


async def markeer_afgebroken(session: AsyncSession, run_id: uuid.UUID, reden: str) -> None:
    await session.execute(
        update(ExportRun)
        .where(ExportRun.id == run_id, ExportRun.status == "bezig")
        .values(status="afgebroken", fout=reden)
    )


async def watermerk(conn: AsyncConnection) -> int | None:
    waarde = await conn.scalar(
        select(ExportWatermerk.tijdlijn_id).where(ExportWatermerk.naam == WATERMERK)
    )
    return None if waarde is None else int(waarde)


async def watermerk_zetten(
    session: AsyncSession, tijdlijn_id: int, run_id: uuid.UUID, nu: dt.datetime
) -> None:
    rij = await session.get(ExportWatermerk, WATERMERK)
    if rij is None:
        session.add(
            ExportWatermerk(
                naam=WATERMERK, tijdlijn_id=tijdlijn_id, run_id=run_id, bijgewerkt_op=nu
            )
        )
    else:
        rij.tijdlijn_id = tijdlijn_id
        rij.run_id = run_id
        rij.bijgewerkt_op = nu


# --- the snapshot --------------------------------------------------------------------------


async def postgres_advisory_lock(conn: AsyncConnection) -> bool:
    return bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_SLEUTEL}))


async def postgres_tijdlijn_blokkeren(conn: AsyncConnection) -> None:
    """SHARE on the tijdlijn waits for every transaction still writing to it and holds new ones
    for a moment: a snapshot taken meanwhile has every tijdlijn id up to its maximum, none
    still to commit below it. (Ids come from a sequence in insert order, not commit order.)"""
    await conn.execute(text("SET LOCAL lock_timeout = '60s'"))
    await conn.execute(text("LOCK TABLE tijdlijn IN SHARE MODE"))


async def hoogste_tijdlijn_id(conn: AsyncConnection) -> int:
    return int(await conn.scalar(select(func.coalesce(func.max(TijdlijnRegel.id), 0))) or 0)


def tijdlijn_periode(
    van_id: int | None, tot_id: int, sinds: dt.datetime | None
) -> ColumnElement[bool]:
    voorwaarden: list[ColumnElement[bool]] = [TijdlijnRegel.id <= tot_id]
    if van_id is not None:
        voorwaarden.append(TijdlijnRegel.id > van_id)
    if sinds is not None:
        voorwaarden.append(TijdlijnRegel.op > sinds)
    return and_(*voorwaarden)


def gewijzigde_casussen(periode: ColumnElement[bool]) -> Select[int]:
    return select(TijdlijnRegel.casus_id).where(periode)


async def verwijderingen(
    conn: AsyncConnection, periode: ColumnElement[bool], object_soort: str
) -> list[tuple[int, str]]:
    """(casus id, object id) of every `<soort>.verwijderd` entry in the period, oldest first."""
    result = await conn.execute(
        select(TijdlijnRegel.casus_id, TijdlijnRegel.object_id)
        .where(periode, TijdlijnRegel.actie == f"{object_soort}.verwijderd")
        .order_by(TijdlijnRegel.id)
    )
    return [(int(c), str(o)) for c, o in result.all()]


async def bestaande_sleutels(
    conn: AsyncConnection, stmt: Select[Any], sleutel: str, casus_ids: Sequence[int]
) -> list[tuple[int, str]]:
    """(casus id, key) of the rows a table's SELECT still has for these casussen."""
    sub = stmt.order_by(None).subquery()
    result = await conn.execute(
        select(sub.c.casus_pseudoniem, sub.c[sleutel]).where(
            sub.c.casus_pseudoniem.in_(sorted(set(casus_ids)))
        )
    )
    return [(int(c), str(k)) for c, k in result.all()]


def bijwerken(run_id: uuid.UUID, **waarden: Any) -> Any:
    return update(ExportRun).where(ExportRun.id == run_id).values(**waarden)


async def postgres_advisory_unlock(conn: AsyncConnection) -> None:
    await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_SLEUTEL})
