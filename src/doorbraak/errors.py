"""Typed domain errors and the one problem+json renderer for every error response."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Niet toegestaan",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    412: "Versie komt niet overeen",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Niet verwerkbaar",
    428: "If-Match ontbreekt",
    500: "Interne fout",
    503: "Tijdelijk niet beschikbaar",
}


class DoorbraakError(Exception):
    """An expected failure: carries its HTTP status, a stable machine code and extra members."""

    status: int = 400
    code: str = "fout"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra
        self.headers: dict[str, str] = {}


class OngeldigeInvoer(DoorbraakError):
    status = 400
    code = "ongeldige-invoer"

    def __init__(self, invalid_params: list[dict[str, str]], detail: str | None = None) -> None:
        super().__init__(
            detail or "De invoer bevat fouten; zie invalidParams.",
            invalidParams=invalid_params,
        )


class NietGeauthenticeerd(DoorbraakError):
    status = 401
    code = "niet-geauthenticeerd"

    def __init__(self, detail: str = "Geen geldig token meegestuurd.") -> None:
        super().__init__(detail)
        self.headers = {"WWW-Authenticate": "Bearer"}


class NietToegestaan(DoorbraakError):
    status = 403
    code = "niet-toegestaan"


class NietGevonden(DoorbraakError):
    status = 404
    code = "niet-gevonden"


class Conflict(DoorbraakError):
    status = 409
    code = "conflict"


class VersieConflict(DoorbraakError):
    status = 412
    code = "versie-conflict"

    def __init__(
        self, detail: str = "De resource is intussen gewijzigd; haal hem opnieuw op."
    ) -> None:
        super().__init__(detail)


class VersieOntbreekt(DoorbraakError):
    status = 428
    code = "if-match-ontbreekt"

    def __init__(self) -> None:
        super().__init__("Stuur de header If-Match met de ETag van de versie die u wijzigt.")


class TeGroot(DoorbraakError):
    status = 413
    code = "te-groot"


class MediatypeGeweigerd(DoorbraakError):
    status = 415
    code = "mediatype"


class Onverwerkbaar(DoorbraakError):
    status = 422
    code = "onverwerkbaar"


class Overbelast(DoorbraakError):
    status = 503
    code = "overbelast"

    def __init__(
        self, detail: str = "De dienst is tijdelijk overbelast; probeer het zo opnieuw."
    ) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": "2"}


def problem(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://doorbraak.nl/problemen/{code}",
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        # The path only: query strings may carry filters and never belong in an error echo.
        "instance": request.url.path,
        "code": code,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def validation_params(errors: Any) -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    for err in errors:
        reason = str(err.get("msg", "ongeldig"))
        # Never echo the input back: it may hold personal data (a BSN, a name).
        params.append(
            {
                "name": _location(tuple(err.get("loc", ()))),
                "code": str(err.get("type", "ongeldig")),
                "reason": reason,
            }
        )
    return params


def _param_regex(match: re.Match[str]) -> str:
    from doorbraak.kit.paden import PAD_REGEXEN

    return PAD_REGEXEN.get(match.group(1), "[^/]+")


def _toegestane_methodes(request: Request) -> list[str]:
    """Every method the API offers on this path, read from its OpenAPI document (one FastAPI
    route holds one method, so the router alone cannot tell)."""
    tabel: list[tuple[re.Pattern[str], set[str]]] | None = getattr(
        request.app.state, "methodes", None
    )
    if tabel is None:
        document = request.app.openapi()
        prefix = document["servers"][0]["url"]
        tabel = [
            (
                re.compile(
                    "^" + re.sub(r"\\\{([^/]+?)\\\}", _param_regex, re.escape(prefix + pad)) + "$"
                ),
                {m.upper() for m in operaties if m in ("get", "post", "put", "patch", "delete")},
            )
            for pad, operaties in document["paths"].items()
        ]
        request.app.state.methodes = tabel
    methodes: set[str] = set()
    for patroon, verbs in tabel:
        if patroon.match(request.url.path):
            methodes |= verbs
    return sorted(methodes)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DoorbraakError)
    async def _domain(request: Request, exc: DoorbraakError) -> JSONResponse:
        return problem(request, exc.status, exc.code, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(
            request,
            400,
            "ongeldige-invoer",
            "De invoer bevat fouten; zie invalidParams.",
            invalidParams=validation_params(exc.errors()),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "niet-gevonden", 405: "methode-niet-toegestaan"}.get(exc.status_code, "fout")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Fout")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Deze resource bestaat niet."
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            detail = "Deze methode is hier niet toegestaan."
            headers["Allow"] = ", ".join(_toegestane_methodes(request))
        return problem(request, exc.status_code, code, detail, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # No stack trace, no message in the response: it may carry data. The log has the details.
        logging.getLogger("doorbraak").error(
            "unexpected error on %s %s", request.method, request.url.path, exc_info=exc
        )
        return problem(request, 500, "interne-fout", "Er ging iets mis aan onze kant.")
