"""Guards for the whole test run: a BSN must never leave the system.

`BsnWachter` wraps the test app (ASGI) and scans every response's headers and body for the demo
BSNs; `BsnLoghandler` sits on the root logger and scans every log line (message, arguments and
traceback). A hit is recorded in `GEVONDEN`, and the autouse fixture in conftest fails the test
that caused it. The one legitimate exception: the body of `GET /casussen/{kenmerk}?toonBsn=true`,
the explicit, logged request of a casusteam member to see the full BSN.
"""

from __future__ import annotations

import logging
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorbraak.demo import DEMO_BSNS

GEVONDEN: list[str] = []
_BSNS = tuple(b.encode() for b in DEMO_BSNS)
_TOON_BSN = re.compile(rb"(^|&)toonBsn=(true|1)(&|$)", re.IGNORECASE)


def _scan(waar: str, data: bytes) -> None:
    for bsn in _BSNS:
        if bsn in data:
            GEVONDEN.append(f"BSN {bsn.decode()} in {waar}")


class BsnWachter:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        waar = f"{scope['method']} {scope['path']}"
        _scan(f"the URL of {waar}", scope["path"].encode() + b"?" + scope["query_string"])
        toegestaan = scope["method"] == "GET" and bool(_TOON_BSN.search(scope["query_string"]))

        async def bewaakt(message: Message) -> None:
            if message["type"] == "http.response.start":
                for naam, waarde in message.get("headers", []):
                    _scan(f"response header {naam.decode()} of {waar}", waarde)
            elif message["type"] == "http.response.body" and not toegestaan:
                _scan(f"the response body of {waar}", message.get("body", b""))
            await send(message)

        await self.app(scope, receive, bewaakt)


class BsnLoghandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            tekst = self.format(record)
        except Exception:
            tekst = str(record.msg)
        _scan(f"log line of {record.name}", tekst.encode("utf-8", "replace"))
