"""Transport hygiene for every response, as a plain ASGI middleware (cheap on the hot path).

- `API-Version` and the ADR security headers on every response, errors included;
- a request id (from `X-Request-ID` when it looks sane) echoed back;
- request bodies limited in size (413) and typed as JSON (415), before any parsing;
- except for the upload routes (`uploads`: a bijlage on a casus): multipart/form-data with a
  limit of their own, counted while the body streams in (never buffered here).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorbraak import API_VERSION
from doorbraak.errors import PROBLEM_JSON, TITLES, TeGroot
from doorbraak.logs import REQUEST_ID

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_JSON_TYPE = re.compile(r"^application/([a-z0-9.+\-]+\+)?json\s*(;.*)?$", re.IGNORECASE)
_LICHAAM_METHODES = {"POST", "PUT", "PATCH"}
_MULTIPART_TYPE = re.compile(r"^multipart/form-data\s*;", re.IGNORECASE)


# The web frontend's pages: only the app's own scripts, styles and images; no inline code, no
# framing, no form posts elsewhere (issue 7).
PAGINA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
STATISCH = "/static/"


def _headers(
    extra: dict[str, str], https: bool, api: bool, statisch: bool = False
) -> list[tuple[bytes, bytes]]:
    headers = {
        "api-version": API_VERSION,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
    }
    if api:
        headers["cache-control"] = "no-store"
        headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'"
    elif statisch:
        # Stylesheet and script: no case data, a short cache keeps pages fast.
        headers["cache-control"] = "public, max-age=3600"
        headers["content-security-policy"] = PAGINA_CSP
    else:
        # Pages carry case data: never kept in a cache, never framed.
        headers["cache-control"] = "no-store"
        headers["content-security-policy"] = PAGINA_CSP
    if https:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    headers.update(extra)
    return [(k.encode(), v.encode()) for k, v in headers.items()]


# Headers a reverse proxy adds. Development mode trusts the loopback address as the user's own
# machine; behind a proxy on the same host every remote client would look local (issue 15).
DOORSTUUR_HEADERS = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
)


class TransportMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        ontwikkelmodus: bool = False,
        uploads: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.ontwikkelmodus = ontwikkelmodus
        # (path pattern, limit in bytes) of the POST routes that take a file.
        self.uploads = tuple(uploads)

    def _uploadgrens(self, scope: Scope) -> int | None:
        if scope["method"] != "POST":
            return None
        for patroon, grens in self.uploads:
            if patroon.match(scope["path"]):
                return grens
        return None

    def _uploadpad(self, scope: Scope) -> bool:
        return any(patroon.match(scope["path"]) for patroon, _ in self.uploads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        req_headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
        }
        rid = req_headers.get("x-request-id", "")
        if not _REQUEST_ID.match(rid):
            rid = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        # Every request sets its own id, whatever context it started in: uvicorn starts the
        # next request of a connection (a pipelined one, or the one after a response that did
        # not wait for its body, like a 413) from inside the previous request's task, so it
        # inherits that request's context. The id is left set when an exception escapes, so
        # that the server's own error line names this request; otherwise it is cleared.
        REQUEST_ID.set(rid)
        await self._verzoek(scope, receive, send, req_headers, rid)
        REQUEST_ID.set(None)

    async def _verzoek(
        self, scope: Scope, receive: Receive, send: Send, req_headers: dict[str, str], rid: str
    ) -> None:
        path: str = scope["path"]
        api = path.startswith("/api/")
        statisch = path.startswith(STATISCH)
        https = scope.get("scheme") == "https"
        extra = {"x-request-id": rid}

        gestart = False

        async def send_met_headers(message: Message) -> None:
            nonlocal gestart
            if message["type"] == "http.response.start":
                gestart = True
                bestaand = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in _OVERSCHREVEN
                ]
                eigen_cache = any(k.lower() == b"cache-control" for k, _ in bestaand)
                nieuw = _headers(extra, https, api, statisch)
                if eigen_cache:
                    nieuw = [(k, v) for k, v in nieuw if k != b"cache-control"]
                message["headers"] = bestaand + nieuw
            await send(message)

        if self.ontwikkelmodus and any(h in req_headers for h in DOORSTUUR_HEADERS):
            await self._problem(
                scope,
                send_met_headers,
                403,
                "ontwikkelmodus-achter-proxy",
                "De ontwikkelmodus (DOORBRAAK_AUTH_MODE=dev) neemt geen verzoeken aan die via "
                "een reverse proxy komen; gebruik DOORBRAAK_AUTH_MODE=oidc.",
            )
            return
        if scope["method"] in _LICHAAM_METHODES:
            uploadgrens = self._uploadgrens(scope)
            grens = self.max_body_bytes if uploadgrens is None else uploadgrens
            lengte = req_headers.get("content-length")
            if lengte is not None and (not lengte.isdigit() or int(lengte) > grens):
                await self._problem(
                    scope,
                    send_met_headers,
                    413,
                    "te-groot",
                    f"Het verzoek is groter dan {grens} bytes.",
                )
                return
            type_ = req_headers.get("content-type")
            heeft_lichaam = lengte is None or int(lengte) > 0
            if uploadgrens is not None:
                if api and heeft_lichaam and not _MULTIPART_TYPE.match(type_ or ""):
                    await self._problem(
                        scope,
                        send_met_headers,
                        415,
                        "mediatype",
                        "Stuur het bestand als multipart/form-data (veld `bestand`).",
                    )
                    return
                # Counted as it streams in, whether or not a Content-Length was sent: the app
                # reads the parts straight from the connection, never more than the limit.
                receive = _begrensd(receive, uploadgrens)
            elif (
                api
                and heeft_lichaam
                and type_ is not None
                and not _JSON_TYPE.match(type_)
                # Another method on an upload path (PUT with a file, say) is not a media type
                # question: the router answers 405 with Allow, under the JSON size limit.
                and not self._uploadpad(scope)
            ):
                await self._problem(
                    scope,
                    send_met_headers,
                    415,
                    "mediatype",
                    "Stuur JSON (Content-Type: application/json).",
                )
                return
            elif lengte is None:
                gebufferd = await self._gebufferd(scope, receive, send_met_headers)
                if gebufferd is None:
                    return
                receive = gebufferd
        try:
            await self.app(scope, receive, send_met_headers)
        except TeGroot as exc:
            # An upload over its limit that no route handler turned into a problem.
            if gestart:
                raise
            await self._problem(scope, send_met_headers, 413, exc.code, exc.detail)
        except Exception:
            # An unexpected error: Starlette's outermost handler logs it and would answer without
            # our headers, so the 500 problem (no details, no trace) is sent from here.
            if not gestart:
                await self._problem(
                    scope, send_met_headers, 500, "interne-fout", "Er ging iets mis aan onze kant."
                )
            raise

    async def _gebufferd(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """A body without Content-Length (chunked) is read up to the limit before the app sees it."""
        delen: list[bytes] = []
        totaal = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            deel = message.get("body", b"")
            totaal += len(deel)
            if totaal > self.max_body_bytes:
                await self._problem(
                    scope,
                    send,
                    413,
                    "te-groot",
                    f"Het verzoek is groter dan {self.max_body_bytes} bytes.",
                )
                return None
            delen.append(deel)
            if not message.get("more_body", False):
                break
        lichaam = b"".join(delen)
        verstuurd = False

        async def opnieuw() -> Message:
            nonlocal verstuurd
            if not verstuurd:
                verstuurd = True
                return {"type": "http.request", "body": lichaam, "more_body": False}
            return await receive()

        return opnieuw

    @staticmethod
    async def _problem(scope: Scope, send: Send, status: int, code: str, detail: str) -> None:
        if status != 500:  # a 500 comes from a routed request, which the boundary logged
            _tel_in_logboek(scope, status)
        body: dict[str, Any] = {
            "type": f"https://doorbraak.nl/problemen/{code}",
            "title": TITLES.get(status, "Fout"),
            "status": status,
            "detail": detail,
            "instance": scope["path"],
            "code": code,
        }
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


_OVERSCHREVEN = {b"api-version", b"x-request-id"}


def _begrensd(receive: Receive, grens: int) -> Receive:
    """`receive` that counts the body and raises `TeGroot` (413) once it passes `grens`."""
    totaal = 0

    async def lees() -> Message:
        nonlocal totaal
        message = await receive()
        if message["type"] == "http.request":
            totaal += len(message.get("body", b""))
            if totaal > grens:
                raise TeGroot(f"Het verzoek is groter dan {grens} bytes.")
        return message

    return lees


def _route_sjabloon(app: Any, scope: Scope) -> str:
    for route in getattr(getattr(app, "router", None), "routes", []):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path_format", scope["path"]))
    return "(onbekend)"


def _tel_in_logboek(scope: Scope, status: int) -> None:
    """A request refused here, before routing and authentication, is not anyone's yet: it joins
    the logboek's count of anonymous requests (`app.state.anoniem`), under its route template."""
    app = scope.get("app")
    teller = getattr(getattr(app, "state", None), "anoniem", None)
    if teller is None:
        return
    client = scope.get("client")
    resultaat = f"geweigerd-{status}" if status in (401, 403, 404) else f"fout-{status}"
    teller.tel(
        f"{scope['method']} {_route_sjabloon(app, scope)}",
        resultaat,
        client[0] if client else None,
    )
