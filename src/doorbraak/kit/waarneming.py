"""The outermost middleware: one access-log line and the request metrics for every request.

Outermost, so that answers given by the transport middleware itself (413, 415, the last-resort
500) are counted and logged too. The request id is the one the transport middleware chose (it
writes it into the shared scope); the route is the template the router matched, read after the
app ran. The access line carries no URL, no query string, no client address: see `logs.py`.

At startup every worker logs the HTTP implementation and event loop it really runs (asked from
the server that started the app, not assumed from the options): `serverstapel`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorbraak import metrics

log = logging.getLogger("doorbraak.toegang")
stapel_log = logging.getLogger("doorbraak.serverstapel")


def _serverconfig(receive: Any, diepte: int = 4) -> Any:
    """uvicorn's loaded `Config`, reached from the lifespan `receive` it handed the app.

    uvicorn passes a method of its lifespan object (which holds the config); frameworks in
    between (FastAPI's telemetry) wrap it in closures, which are followed a few levels deep."""
    kandidaten = [receive]
    for _ in range(diepte):
        volgende = []
        for functie in kandidaten:
            config = getattr(getattr(functie, "__self__", None), "config", None)
            if config is not None and hasattr(config, "http_protocol_class"):
                return config
            for cel in getattr(functie, "__closure__", None) or ():
                try:
                    inhoud = cel.cell_contents
                except ValueError:  # an empty cell
                    continue
                if callable(inhoud):
                    volgende.append(inhoud)
        kandidaten = volgende
    return None


def serverstapel(receive: Receive) -> dict[str, str]:
    """The HTTP implementation and event loop of the running server, asked at its lifespan:
    the protocol class the server loaded (it serves every connection) and the loop this
    coroutine runs on. A server that is not uvicorn: `onbekend`."""
    protocol = getattr(_serverconfig(receive), "http_protocol_class", None)
    # The uvicorn implementation under it: `serve` runs a subclass (kit/verbindingen.py).
    uvicorns = [k for k in getattr(protocol, "__mro__", ()) if k.__module__.startswith("uvicorn.")]
    if uvicorns:
        http = uvicorns[0].__module__.rsplit(".", 1)[-1].removesuffix("_impl")
    else:
        http = metrics.ONBEKEND
    lus = type(asyncio.get_running_loop())
    loop = "uvloop" if lus.__module__.startswith("uvloop") else f"asyncio ({lus.__name__})"
    return {"http": http, "loop": loop}


async def meld_serverstapel(receive: Receive) -> None:
    stapel = serverstapel(receive)
    stapel_log.info(
        "serverstapel pid=%d http=%s loop=%s", os.getpid(), stapel["http"], stapel["loop"]
    )


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
            if scope["type"] == "lifespan":
                await meld_serverstapel(receive)
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
