"""Signing in and out of the web frontend.

- OIDC authorization-code flow with PKCE against the municipality's identity provider: the
  endpoints come from the IdP's discovery document (or settings); the state, nonce and code
  verifier wait in a sealed sign-in cookie (`web/sessie.py`), not in the database; the code is
  exchanged at the token endpoint with the app's `httpx.AsyncClient`, authenticated as the IdP
  expects (HTTP Basic with the form-encoded id and secret per RFC 6749 2.3.1, the secret in the
  body, or nothing but PKCE for a public client); the ID token is verified with the IdP's JWKS
  (audience: our client id; the nonce must match) and kept in the session row created at
  sign-in, for the id_token_hint of signing out.
- Signing out ends the session here and, with OIDC, at the IdP: a page (200) that moves on to
  the end-session endpoint with id_token_hint, client_id and post_logout_redirect_uri. A page,
  not a redirect of the POST: the CSP's `form-action 'self'` makes the browser block a form
  submission that is redirected to another origin.
- In development mode (`DOORBRAAK_AUTH_MODE=dev`) a page to pick a demo medewerker (the demo
  organisation's only, none preselected; never anyone else without a password).
- Until sign-in succeeds nothing is stored: the sign-in in progress is a sealed cookie. Every
  successful sign-in gets a fresh session token (no session fixation); signing out deletes the
  session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import replace
from typing import Annotated, Literal
from urllib.parse import quote_plus, urlencode

import httpx
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import oidc
from doorbraak.auth import repository as auth_repo
from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import NietGeauthenticeerd, NietGevonden, Overbelast
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
from doorbraak.werk.appstaat import appstaat
from doorbraak.werk.deps import VerzoekDep
from doorbraak.werk.verzoek import Verzoekstaat

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def oidc_web_ingesteld(settings: Settings) -> bool:
    return bool(
        oidc.oidc_ingesteld(settings)
        and settings.oidc_client_id
        and (
            settings.oidc_discovery
            or (settings.oidc_authorization_endpoint and settings.oidc_token_endpoint)
        )
    )


def terugkeer_url(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/") + "/inloggen/terug"


def na_uitloggen_url(settings: Settings) -> str:
    """The post_logout_redirect_uri to register at the IdP."""
    return settings.public_base_url.rstrip("/") + "/uitgelogd"


async def _eindpunten(request: Request) -> oidc.Eindpunten:
    eind = await appstaat(request).oidc_discovery.eindpunten()
    if not eind.authorization or not eind.token:
        raise Overbelast(
            "De identity provider is nu niet bereikbaar (zijn eindpunten zijn onbekend); "
            "probeer het zo opnieuw."
        )
    return eind


ClientAuth = Literal["client_secret_basic", "client_secret_post", "none"]


def client_authenticatie(settings: Settings) -> ClientAuth:
    if settings.oidc_client_auth is not None:
        return settings.oidc_client_auth
    geheim = settings.oidc_client_secret
    return "client_secret_basic" if geheim and geheim.get_secret_value() else "none"


def basic_auth(client_id: str, geheim: str) -> str:
    """RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined for HTTP
    Basic, so a secret with '+', '%' or ':' arrives as it is."""
    paar = f"{quote_plus(client_id, safe='')}:{quote_plus(geheim, safe='')}"
    return "Basic " + base64.b64encode(paar.encode()).decode("ascii")


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
    *,
    id_token: str | None = None,
) -> Response:
    """A fresh session for the signed-in medewerker; a previous session and the sign-in
    cookie are removed."""
    settings: Settings = request.app.state.settings
    terug = veilig_terug(terug or (vorige.terug_naar if vorige else None))
    if vorige is not None:
        await repository.sessie_verwijderen(staat.session, vorige.token_hash)
    await repository.verlopen_sessies_opruimen(staat.session, utcnow())
    staat.actor_id = str(medewerker.id)
    extra = {"oidc_id_token": id_token} if id_token else {}
    token = nieuwe_sessie(staat, settings, medewerker.id, **extra)
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
    eind = await _eindpunten(request)
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
    scheiding = "&" if "?" in (eind.authorization or "") else "?"
    response = RedirectResponse(f"{eind.authorization}{scheiding}{query}", status_code=303)
    zet_aanmelding(request, response, aanmelding)
    return response


async def code_inwisselen(
    http: httpx.AsyncClient, settings: Settings, token_endpoint: str, code: str, verifier: str
) -> str:
    """The authorization code for an ID token at the IdP's token endpoint."""
    client_id = settings.oidc_client_id or ""
    geheim = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else ""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": terugkeer_url(settings),
        "code_verifier": verifier,
        "client_id": client_id,
    }
    headers = {"Accept": "application/json"}
    methode = client_authenticatie(settings)
    if methode == "client_secret_basic":
        headers["Authorization"] = basic_auth(client_id, geheim)
    elif methode == "client_secret_post":
        data["client_secret"] = geheim
    try:
        antwoord = await http.post(token_endpoint, data=data, headers=headers, timeout=5.0)
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
    eind = await _eindpunten(request)
    id_token = await code_inwisselen(
        request.app.state.http, settings, eind.token or "", code, aanmelding.oidc_verifier
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
    return await _aanmelden(request, staat, sessie, medewerker, aanmelding.terug, id_token=id_token)


@router.post("/uitloggen", dependencies=[Csrf])
async def uitloggen(request: Request, staat: VerzoekDep, sessie: SessieDep) -> Response:
    settings: Settings = request.app.state.settings
    id_token = None
    if sessie is not None:
        if sessie.medewerker_id is not None:
            staat.actor_id = str(sessie.medewerker_id)
        id_token = sessie.oidc_id_token
        await repository.sessie_verwijderen(staat.session, sessie.token_hash)
    end_session = None
    if settings.auth_mode != "dev" and oidc_web_ingesteld(settings):
        end_session = (await appstaat(request).oidc_discovery.eindpunten()).end_session
    if end_session is None:
        response: Response = RedirectResponse(
            "/inloggen" if settings.auth_mode == "dev" else "/uitgelogd", status_code=303
        )
    else:
        parameters = {
            "client_id": settings.oidc_client_id or "",
            "post_logout_redirect_uri": na_uitloggen_url(settings),
        }
        if id_token:
            parameters["id_token_hint"] = id_token
        scheiding = "&" if "?" in end_session else "?"
        response = render(
            request,
            "uitgelogd.html",
            {"idp_uitloggen": f"{end_session}{scheiding}{urlencode(parameters)}"},
        )
        response.headers["Cache-Control"] = "no-store"
    wis_cookie(request, response)
    return response


@router.get("/uitgelogd", response_class=HTMLResponse)
async def uitgelogd(request: Request) -> Response:
    """Where the IdP sends the browser back after signing out there (post_logout_redirect_uri)."""
    return render(request, "uitgelogd.html", {"idp_uitloggen": None})


__all__ = ["COOKIE", "router"]
