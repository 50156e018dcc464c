"""Group commit of the logboek entries of reads.

Every request is written to the hash-chained logboek, and appending to the chain is serialised
(one advisory lock, held until commit). When every read appends in its own transaction, every
read waits for the lock and for the WAL flush of every read before it: the chain, not the work,
bounds throughput (measured: docs/performance.md). A read changes nothing, so nothing forces its
entry into its own transaction; what matters is that the entry is durable before the data leaves.
Reads therefore hand their entries to this writer: one per process, it appends everything that
is waiting in one transaction (one lock, one flush), then releases the waiting requests, which
only then send their response. Mutations keep appending inside their own transaction, so a
change and its logboek entry still commit together. The chain stays one chain, verified as ever.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.logboek import service
from doorbraak.logboek.service import Logboekregel
from doorbraak.logboek.sleutels import Sleutelring

log = logging.getLogger("doorbraak.logboek")


class Logboekschrijver:
    def __init__(self, maker: async_sessionmaker[AsyncSession], sleutels: Sleutelring) -> None:
        self.maker = maker
        self.sleutels = sleutels
        self.wachtrij: list[tuple[list[Logboekregel], asyncio.Future[None]]] = []
        self.taak: asyncio.Task[None] | None = None

    async def schrijf(self, regels: list[Logboekregel]) -> None:
        """Returns once the entries are committed; raises what the commit raised."""
        toekomst: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.wachtrij.append((regels, toekomst))
        if self.taak is None or self.taak.done():
            self.taak = asyncio.create_task(self._legen())
        await toekomst

    async def _legen(self) -> None:
        while self.wachtrij:
            partij, self.wachtrij = self.wachtrij, []
            alle = [r for regels, _ in partij for r in regels]
            try:
                await self._schrijf_partij(alle)
            except Exception as exc:  # every waiting request answers with this error
                log.warning("logboek batch of %d requests failed", len(partij), exc_info=True)
                for _, toekomst in partij:
                    if not toekomst.done():
                        toekomst.set_exception(exc)
                continue
            for _, toekomst in partij:
                if not toekomst.done():
                    toekomst.set_result(None)

    async def _schrijf_partij(self, regels: list[Logboekregel]) -> None:
        async with self.maker() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Straight on the pooled asyncpg connection: the batch is the transaction's only
                # work, and the ORM session's per-statement cost is most of a read's append.
                verbinding = await session.connection()
                ruw = await verbinding.get_raw_connection()
                try:
                    await service.toevoegen_asyncpg(ruw.driver_connection, regels, self.sleutels)
                except Exception as exc:
                    if not _verbinding_weg(exc):
                        raise
                    # The pool would hand this connection out again: it goes, and the
                    # requests hear what they hear when the database is gone (503).
                    await verbinding.invalidate(exc)
                    raise ConnectionError("de database is even niet bereikbaar") from exc
                return
            await service.toevoegen(session, regels, self.sleutels)
            await session.commit()


def _verbinding_weg(exc: BaseException) -> bool:
    """A driver error that means the connection or the server is gone: asyncpg's client-side
    InterfaceError (closed connection), SQLSTATE class 08 (connection exception) or 57P
    (operator intervention: shutdown, crash, restart), or the socket itself."""
    import asyncpg

    if isinstance(exc, asyncpg.InterfaceError | ConnectionError | OSError):
        return True
    sqlstate = getattr(exc, "sqlstate", None) or ""
    return isinstance(exc, asyncpg.PostgresError) and sqlstate.startswith(("08", "57P"))
