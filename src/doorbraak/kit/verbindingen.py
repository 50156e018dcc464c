"""uvicorn's HTTP/1.1 protocols with a header timeout (issue 15, "slowly sent headers").

uvicorn bounds an idle keep-alive connection (`timeout_keep_alive`) but not a request head that
arrives slowly: a connection that sends half a request line and stalls is held until the client
gives up, so a few hundred of them (slowloris) hold a worker's connections for as long as the
attacker likes. These subclasses start a clock when a connection is made and, on a kept-alive
connection, when the first byte of the next request arrives; the clock stops when the head
(request line and headers) is complete. When it runs out the connection is closed, after a
`408 Request Timeout` if part of a head had arrived (a slow but honest client learns why).

The clock covers the head only: a slowly sent body and a slow response are bounded by the
reverse proxy in front (docs/security.md, "Robustness"). `doorbraak serve` names these classes
as uvicorn's `http` implementation; the timeout is the setting `kop_timeout_seconden`, read in
each worker (the workers are new processes: a value given to the supervisor alone would not
reach them).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from doorbraak import metrics
from doorbraak.config import get_settings

# What the client reads if part of a head had arrived; the connection closes after it.
_TEKST_408 = b"De aanvraag kwam niet op tijd binnen.\r\n"
ANTWOORD_408 = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_TEKST_408)).encode() + b"\r\n"
    b"connection: close\r\n"
    b"\r\n" + _TEKST_408
)


class _Kopklok:
    """The clock shared by both protocols. `_kop_begonnen` says whether any byte of the head
    being waited for has arrived (a 408 then, a silent close otherwise)."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any

    def _kopklok_init(self) -> None:
        self.kop_timeout = get_settings().kop_timeout_seconden
        self._kopklok: asyncio.TimerHandle | None = None
        self._kop_begonnen = False

    def _kopklok_start(self) -> None:
        if self._kopklok is None:
            self._kopklok = self.loop.call_later(self.kop_timeout, self._kop_verlopen)

    def _kopklok_stop(self) -> None:
        if self._kopklok is not None:
            self._kopklok.cancel()
            self._kopklok = None
        self._kop_begonnen = False

    def _kop_verlopen(self) -> None:
        self._kopklok = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined head behind a response still being written: that response is not
            # cut off; the waiting head gets its own full timeout once it is the next one.
            self._kopklok_start()
            return
        metrics.kop_timeout()
        if self._kop_begonnen:
            self.transport.write(ANTWOORD_408)
        self.transport.close()


class HttpToolsMetKopklok(_Kopklok, HttpToolsProtocol):
    """httptools (the production stack) with the header timeout: the parser reports the start
    of a message and the end of its headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kopklok_init()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._kopklok_start()

    def connection_lost(self, exc: Exception | None) -> None:
        self._kopklok_stop()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # On a new connection the clock runs since connection_made (not restarted by the first
        # byte); on a kept-alive one it starts with the next request's first byte.
        self._kop_begonnen = True
        self._kopklok_start()

    def on_headers_complete(self) -> None:
        self._kopklok_stop()
        super().on_headers_complete()


class H11MetKopklok(_Kopklok, H11Protocol):
    """h11 (the fallback where httptools cannot be installed) with the header timeout: h11
    reports a request only once its head is complete, so the clock follows h11's state of the
    client: IDLE is waiting for (the rest of) a request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kopklok_init()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._kopklok_start()

    def connection_lost(self, exc: Exception | None) -> None:
        self._kopklok_stop()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            # Still waiting for a head, with these bytes of it buffered.
            self._kop_begonnen = self._kop_begonnen or bool(data)
            self._kopklok_start()
        else:
            self._kopklok_stop()


# uvicorn's `http` option takes an import string; the workers import these themselves.
PROTOCOLLEN = {
    "httptools": "doorbraak.kit.verbindingen:HttpToolsMetKopklok",
    "h11": "doorbraak.kit.verbindingen:H11MetKopklok",
}
