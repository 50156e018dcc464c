"""A job the app runs itself every few seconds, beside the requests (the statistieken snapshot):
started and stopped by the lifespan; a failed run is logged and the next one tries again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("doorbraak.werk")


class Periodiek:
    """Runs `werk` now and then every `interval` seconds; 0: never (cron runs the command)."""

    def __init__(self, naam: str, interval: float, werk: Callable[[], Awaitable[Any]]) -> None:
        self.naam = naam
        self.interval = interval
        self._werk = werk
        self._taak: asyncio.Task[Any] | None = None

    @property
    def actief(self) -> bool:
        return self.interval > 0

    def start(self) -> None:
        if self.actief and (self._taak is None or self._taak.done()):
            self._taak = asyncio.get_running_loop().create_task(self._lus())

    async def stop(self) -> None:
        if self._taak is not None:
            self._taak.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._taak
            self._taak = None

    async def _lus(self) -> None:
        while True:
            try:
                await self._werk()
            except Exception as fout:  # the database may be away for a moment: retried
                # The kind only: an exception's message may quote data.
                log.warning(
                    "periodic job %s failed (%s); retried later", self.naam, type(fout).__name__
                )
            await asyncio.sleep(self.interval)
