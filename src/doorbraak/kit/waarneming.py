"""The outermost middleware: one access-log line and the request metrics for every request.

Outermost, so that answers given by the transport middleware itself (413, 415, the last-resort
500) are counted and logged too. The request id is the one the transport middleware chose (it
writes it into the shared scope); the route is the template the router matched, read after the
app ran. The access line carries no URL, no query string, no client address: see `logs.py`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorbraak import metrics

log = logging.getLogger("doorbraak.toegang")


def route_sjabloon(scope: Scope) -> str | None:
    route: Any = scope.get("route")
    # `path_format` is the template without convertors: `{kenmerk}`, not `{kenmerk:kenmerk}`.
    pad = getattr(route, "path_format", None)
    return pad if isinstance(pad, str) else None


class WaarnemingMiddleware:
    def __init__(self, app: ASGIApp, engine: AsyncEngine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begin = time.perf_counter()
        status = 500  # unless a response starts: an exception escaped before any answer

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            duur = time.perf_counter() - begin
            route = route_sjabloon(scope)
            methode = str(scope["method"])
            metrics.verzoek(route, methode, status, duur)
            metrics.pool_bijwerken(self.engine)
            log.info(
                "%s %s %s",
                methode,
                route or metrics.ONBEKEND,
                status,
                extra={
                    "request_id": scope.get("state", {}).get("request_id"),
                    "method": methode,
                    "route": route or metrics.ONBEKEND,
                    "status": status,
                    "duration_ms": round(duur * 1000, 1),
                },
            )
