"""Signing in and out of the web frontend.

- OIDC authorization-code flow with PKCE against the municipality's identity provider: the
  state, nonce and code verifier wait in a sign-in session (database), the code is exchanged at
  the token endpoint with the app's `httpx.AsyncClient`, and the ID token is verified with the
  IdP's JWKS (audience: our client id; the nonce must match).
- In development mode (`DOORBRAAK_AUTH_MODE=dev`) a page to pick a demo medewerker (the demo
  organisation's only, none preselected; never anyone else without a password).
- Until sign-in succeeds nothing is stored: the sign-in in progress is a sealed cookie
  (`web/sessie.py`). Every successful sign-in gets a fresh session token (no session
  fixation); signing out deletes the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import oidc
from doorbraak.auth import repository as auth_repo
from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import NietGeauthenticeerd, NietGevonden
from doorbraak.models import Medewerker, WebSessie
from doorbraak.web import repository
from doorbraak.web.pagina import WebRoute, render
from doorbraak.web.sessie import (
    COOKIE,
    AanmeldingDep,
    Csrf,
    SessieDep,
    lees_aanmelding,
    nieuwe_aanmelding,
    nieuwe_sessie,
    wis_aanmelding,
    wis_cookie,
    zet_aanmelding,
    zet_cookie,
)
from doorbraak.werk.deps import VerzoekDep
from doorbraak.werk.verzoek import Verzoekstaat

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def oidc_web_ingesteld(settings: Settings) -> bool:
    return bool(
        oidc.oidc_ingesteld(settings)
        and settings.oidc_client_id
        and settings.oidc_authorization_endpoint
        and settings.oidc_token_endpoint
    )


def terugkeer_url(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/") + "/inloggen/terug"


def veilig_terug(terug: str | None) -> str:
    """Only a path on this site: never an open redirect to elsewhere."""
    if not terug or not terug.startswith("/") or terug.startswith("//") or "\\" in terug:
        return "/"
    return terug[:500]


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


async def _aanmelden(
    request: Request,
    staat: Verzoekstaat,
    vorige: WebSessie | None,
    medewerker: Medewerker,
    terug: str | None = None,
) -> Response:
    """A fresh session for the signed-in medewerker; a previous session and the sign-in
    cookie are removed."""
    settings: Settings = request.app.state.settings
    terug = veilig_terug(terug or (vorige.terug_naar if vorige else None))
    if vorige is not None:
        await repository.sessie_verwijderen(staat.session, vorige.token_hash)
    await repository.verlopen_sessies_opruimen(staat.session, utcnow())
    staat.actor_id = str(medewerker.id)
    token = nieuwe_sessie(staat, settings, medewerker.id)
    response = RedirectResponse(terug, status_code=303)
    zet_cookie(request, response, token)
    wis_aanmelding(request, response)
    return response


def demo_ids() -> set[uuid.UUID]:
    """The medewerkers of the demo organisation: the only ones the dev picker offers."""
    from doorbraak.demo import MEDEWERKERS, medewerker_id

    return {medewerker_id(m.sleutel) for m in MEDEWERKERS}


@router.get("/inloggen", response_class=HTMLResponse)
async def inloggen(
    request: Request,
    staat: VerzoekDep,
    sessie: SessieDep,
    terug: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    settings: Settings = request.app.state.settings
    if sessie is not None and sessie.medewerker_id is not None:
        return RedirectResponse(veilig_terug(terug), status_code=303)
    if settings.auth_mode != "dev":
        doel = "/inloggen/oidc" + (f"?{urlencode({'terug': terug})}" if terug else "")
        return RedirectResponse(doel, status_code=303)
    # Development: the picker form's CSRF token travels in the sealed sign-in cookie.
    vorige = lees_aanmelding(request)
    aanmelding = nieuwe_aanmelding(veilig_terug(terug))
    if vorige is not None:
        aanmelding = replace(aanmelding, csrf=vorige.csrf)
    request.state.web_csrf = aanmelding.csrf
    medewerkers = await repository.actieve_medewerkers(staat.session, demo_ids())
    response = render(
        request,
        "inloggen.html",
        {"medewerkers": medewerkers, "oidc": oidc_web_ingesteld(settings)},
    )
    zet_aanmelding(request, response, aanmelding)
    return response


@router.post("/inloggen/demo", response_class=HTMLResponse)
async def inloggen_demo(
    request: Request, staat: VerzoekDep, sessie: SessieDep, aanmelding: AanmeldingDep
) -> Response:
    settings: Settings = request.app.state.settings
    if settings.auth_mode != "dev":
        raise NietGevonden("Deze pagina bestaat niet.")
    form = await request.form()
    gekozen = form.get("medewerker")
    medewerker = None
    for m in await repository.actieve_medewerkers(staat.session, demo_ids()):
        if str(m.id) == gekozen:
            medewerker = m
    if medewerker is None:
        raise NietGeauthenticeerd("Kies een medewerker uit de lijst.")
    return await _aanmelden(request, staat, sessie, medewerker, aanmelding.terug)


@router.get("/inloggen/oidc")
async def inloggen_oidc(
    request: Request,
    staat: VerzoekDep,
    terug: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    settings: Settings = request.app.state.settings
    if not oidc_web_ingesteld(settings):
        raise NietGevonden("Inloggen via de identity provider is niet ingesteld.")
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    aanmelding = nieuwe_aanmelding(
        veilig_terug(terug), oidc_state=state, oidc_nonce=nonce, oidc_verifier=verifier
    )
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.oidc_client_id or "",
            "redirect_uri": terugkeer_url(settings),
            "scope": settings.oidc_scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    scheiding = "&" if "?" in (settings.oidc_authorization_endpoint or "") else "?"
    response = RedirectResponse(
        f"{settings.oidc_authorization_endpoint}{scheiding}{query}", status_code=303
    )
    zet_aanmelding(request, response, aanmelding)
    return response


async def code_inwisselen(
    http: httpx.AsyncClient, settings: Settings, code: str, verifier: str
) -> str:
    """The authorization code for an ID token at the IdP's token endpoint."""
    geheim = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else ""
    try:
        antwoord = await http.post(
            settings.oidc_token_endpoint or "",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": terugkeer_url(settings),
                "code_verifier": verifier,
                "client_id": settings.oidc_client_id or "",
            },
            auth=(settings.oidc_client_id or "", geheim),
            headers={"Accept": "application/json"},
            timeout=5.0,
        )
        antwoord.raise_for_status()
        id_token = antwoord.json().get("id_token")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        raise NietGeauthenticeerd("De identity provider gaf geen geldig antwoord.") from exc
    if not isinstance(id_token, str) or not id_token:
        raise NietGeauthenticeerd("De identity provider gaf geen ID-token.")
    return id_token


@router.get("/inloggen/terug")
async def inloggen_terug(
    request: Request,
    staat: VerzoekDep,
    sessie: SessieDep,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    settings: Settings = request.app.state.settings
    if not oidc_web_ingesteld(settings):
        raise NietGevonden("Inloggen via de identity provider is niet ingesteld.")
    aanmelding = lees_aanmelding(request)
    if (
        error
        or not code
        or not state
        or aanmelding is None
        or aanmelding.oidc_state is None
        or aanmelding.oidc_nonce is None
        or aanmelding.oidc_verifier is None
        or not hmac.compare_digest(state.encode(), aanmelding.oidc_state.encode())
    ):
        raise NietGeauthenticeerd("Het inloggen is mislukt of verlopen. Probeer het opnieuw.")
    id_token = await code_inwisselen(
        request.app.state.http, settings, code, aanmelding.oidc_verifier
    )
    try:
        identiteit = await oidc.verifieer(
            id_token,
            settings,
            request.app.state.jwks,
            audience=settings.oidc_client_id,
            nonce=aanmelding.oidc_nonce,
        )
    except oidc.OngeldigToken as exc:
        raise NietGeauthenticeerd(str(exc)) from exc
    if identiteit.claim == "email":
        medewerker = await auth_repo.medewerker_bij_email(staat.session, identiteit.waarde)
    else:
        medewerker = await auth_repo.medewerker_bij_oidc_sub(staat.session, identiteit.waarde)
    if medewerker is None or not medewerker.actief:
        raise NietGeauthenticeerd("Er is geen actieve medewerker bekend voor dit account.")
    return await _aanmelden(request, staat, sessie, medewerker, aanmelding.terug)


@router.post("/uitloggen", dependencies=[Csrf])
async def uitloggen(request: Request, staat: VerzoekDep, sessie: SessieDep) -> Response:
    settings: Settings = request.app.state.settings
    if sessie is not None:
        if sessie.medewerker_id is not None:
            staat.actor_id = str(sessie.medewerker_id)
        await repository.sessie_verwijderen(staat.session, sessie.token_hash)
    doel = "/inloggen"
    if settings.auth_mode != "dev" and settings.oidc_end_session_endpoint:
        doel = settings.oidc_end_session_endpoint
    response = RedirectResponse(doel, status_code=303)
    wis_cookie(request, response)
    return response


__all__ = ["COOKIE", "router"]
