"""Rendering pages: the Jinja2 environment, shared page context, and HTML error pages.

`WebRoute` is the API's request boundary (`DoorbraakRoute`: one commit, one logboek entry per
request) with one difference: a refusal or error becomes a calm HTML page instead of
problem+json, with the same status and the same words as the API (a casus that is not visible
is the API's 404).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from doorbraak.auth import policy
from doorbraak.errors import TITLES, DoorbraakError
from doorbraak.kit.bsn import bsns_in_tekst
from doorbraak.kit.labels import LABELS, label
from doorbraak.web.formulieren import Formulier, mensennaam
from doorbraak.web.opmaak import (
    AMSTERDAM,
    bestandssoort,
    dagen,
    datum,
    euro,
    euro_invoer,
    getal,
    grootte,
    maand,
    tijdstip,
)
from doorbraak.web.sessie import (
    Ingelogd,
    NietIngelogd,
    ik_uit_cookie,
    lees_bewaard_formulier,
    verzegel_formulier,
    wis_bewaard_formulier,
    zet_bewaard_formulier,
)
from doorbraak.werk.verzoek import DoorbraakRoute

MAP = Path(__file__).parent
templates = Jinja2Templates(directory=MAP / "templates")
templates.env.filters.update(
    label=label,
    euro=euro,
    euro_invoer=euro_invoer,
    datum=datum,
    getal=getal,
    dagen=dagen,
    maand=maand,
    grootte=grootte,
    bestandssoort=bestandssoort,
)
templates.env.filters["tijdstip"] = tijdstip


def opties(keuzes: list[Any]) -> list[tuple[str, str]]:
    """An enum's members as (value, Dutch label) pairs for a select."""
    return [(str(getattr(k, "value", k)), label(k)) for k in keuzes]


templates.env.globals["opties"] = opties


def render(
    request: Request,
    naam: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    formulier: Formulier | None = None,
) -> HTMLResponse:
    ik: Ingelogd | None = getattr(request.state, "web_ik", None)
    # Signed in again after the session expired mid-form: the first page shown refills that
    # form (when it is on the page) and the kept copy is dropped.
    bewaard = lees_bewaard_formulier(request) if ik is not None and status == 200 else None
    if bewaard is not None and formulier is None:
        formulier = Formulier(actie=bewaard.actie, waarden=bewaard.waarden, hersteld=True)

    def fm(actie: str) -> Formulier:
        if formulier is not None and formulier.actie == actie:
            return formulier
        return Formulier(actie=actie)

    basis: dict[str, Any] = {
        "ik": ik,
        "csrf": getattr(request.state, "web_csrf", ""),
        "pad": request.url.path,
        "fm": fm,
        "formulier": formulier,
        "registerlezer": ik is not None and policy.kan_registers_lezen(ik.rollen),
        "inbox_telling": getattr(request.state, "web_inbox", None),
        "settings": request.app.state.settings,
    }
    basis.update(context or {})
    response = templates.TemplateResponse(request, naam, basis, status_code=status)
    if bewaard is not None:
        wis_bewaard_formulier(request, response)
    return response


def foutpagina(request: Request, status: int, detail: str) -> HTMLResponse:
    return render(
        request,
        "fout.html",
        {"status": status, "titel": TITLES.get(status, "Fout"), "detail": detail},
        status=status,
    )


def naar_inloggen(request: Request) -> RedirectResponse:
    terug = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/inloggen?terug={quote(terug, safe='')}", status_code=303)


class WebRoute(DoorbraakRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        binnen = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await binnen(request)
            except NietIngelogd:
                if request.method in ("GET", "HEAD"):
                    return naar_inloggen(request)
                return await sessie_verlopen(request)
            except DoorbraakError as exc:
                return foutpagina(request, exc.status, exc.detail)
            except RequestValidationError as exc:
                # A path that does not fit (a malformed kenmerk or id) is a page that does not
                # exist; a bad filter is a question we cannot answer.
                if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
                    return foutpagina(request, 404, "Deze pagina bestaat niet.")
                return foutpagina(request, 400, "De vraag bevat ongeldige waarden.")

        return handler


# Form fields that are bookkeeping, not something a person typed.
NIET_TERUG = {"csrf", "versie", "bsn", "bevestigd"}


async def sessie_verlopen(request: Request) -> HTMLResponse:
    """A form sent after the session expired: nothing was saved, and the page says so and shows
    what the person typed (never a BSN), with a sign-in link back to where they were. What was
    typed is also kept in a sealed cookie, so the form is refilled after signing in again."""
    try:
        form = await request.form()
        velden = [
            (str(naam), waarde.strip())
            for naam, waarde in form.multi_items()
            if isinstance(waarde, str)
            and str(naam) not in NIET_TERUG
            and not str(naam).startswith("was.")
            and waarde.strip()
            and not bsns_in_tekst(waarde)
        ]
    except Exception:
        velden = []
    ingevuld = [(mensennaam(naam), waarde) for naam, waarde in velden]
    bewaard = (
        verzegel_formulier(request.app.state.settings, request.url.path, dict(velden))
        if velden
        else None
    )
    terug = quote(request.url.path, safe="")
    response = render(
        request,
        "sessie_verlopen.html",
        {
            "ingevuld": ingevuld,
            "bewaard": bewaard is not None,
            "inloggen": f"/inloggen?terug={terug}",
        },
        status=401,
    )
    if bewaard is not None:
        zet_bewaard_formulier(request, response, bewaard)
    return response


def is_webpad(pad: str) -> bool:
    return not pad.startswith("/api/")


async def http_fout(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
    """Unknown page or method outside the API: an HTML page (the API keeps problem+json)."""
    detail = (
        "Deze pagina bestaat niet."
        if exc.status_code == 404
        else TITLES.get(exc.status_code, "Fout")
    )
    await ik_uit_cookie(request)
    return foutpagina(request, exc.status_code, detail)


# The formatting helpers live in web/opmaak.py; pages that imported them from here still can.
__all__ = ["AMSTERDAM", "LABELS", "WebRoute", "foutpagina", "label", "render", "tijdstip"]
