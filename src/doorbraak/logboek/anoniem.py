"""Anonymous requests are counted, not written one by one.

A request without a known medewerker (no or an unknown token, the sign-in page before signing
in) would otherwise let anyone grow the logboek by one row per request, and the logboek can never
shrink. Such requests are counted in memory per process, per (actie, resultaat, oorsprong), and
written as one entry per key with `aantal` set, every `INTERVAL` seconds and at shutdown. So the
logboek grows with the number of distinct keys per interval, not with the number of requests:
the origins per interval are capped (`MAX_OORSPRONGEN`, the rest counts as `overig`), actie is a
route template, resultaat a status. Object ids are not kept (they are the attacker's choice).

What is given up: the exact time and request id of each anonymous request (the entry has the
time of writing and the count), and the counts of at most one interval when a process is killed
without a shutdown. Requests of a known medewerker are never aggregated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.logboek import service
from doorbraak.logboek.service import Logboekregel
from doorbraak.logboek.sleutels import Sleutelring

log = logging.getLogger("doorbraak.logboek")

INTERVAL = 60.0
MAX_OORSPRONGEN = 100
OVERIG = "overig"


class Anoniemteller:
    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        sleutels: Sleutelring,
        interval: float = INTERVAL,
    ) -> None:
        self.maker = maker
        self.sleutels = sleutels
        self.interval = interval
        self.tellingen: Counter[tuple[str, str, str | None]] = Counter()
        self.oorsprongen: set[str | None] = set()
        self.taak: asyncio.Task[None] | None = None

    def tel(self, actie: str, resultaat: str, oorsprong: str | None) -> None:
        if oorsprong not in self.oorsprongen:
            if len(self.oorsprongen) >= MAX_OORSPRONGEN:
                oorsprong = OVERIG
            else:
                self.oorsprongen.add(oorsprong)
        self.tellingen[(actie, resultaat, oorsprong)] += 1

    async def legen(self) -> int:
        """Write the counts so far as entries; returns how many entries were written."""
        tellingen, self.tellingen = self.tellingen, Counter()
        self.oorsprongen = set()
        if not tellingen:
            return 0
        regels = [
            Logboekregel(
                actie=actie,
                object_soort="anoniem",
                object_id=None,
                resultaat=resultaat,
                oorsprong=oorsprong,
                aantal=aantal,
            )
            for (actie, resultaat, oorsprong), aantal in sorted(
                tellingen.items(), key=lambda t: (t[0][0], t[0][1], t[0][2] or "")
            )
        ]
        try:
            async with self.maker() as session:
                await service.toevoegen(session, regels, self.sleutels)
                await session.commit()
        except Exception:
            # Keep the counts for the next attempt rather than lose them.
            self.tellingen.update(tellingen)
            raise
        return len(regels)

    async def _lus(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.legen()
            except Exception:
                log.error("anonymous request counts could not be written", exc_info=True)

    def start(self) -> None:
        if self.interval > 0:
            self.taak = asyncio.create_task(self._lus())

    async def stop(self) -> None:
        if self.taak is not None:
            self.taak.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.taak
        try:
            await self.legen()
        except Exception:
            log.error("anonymous request counts could not be written at shutdown", exc_info=True)
