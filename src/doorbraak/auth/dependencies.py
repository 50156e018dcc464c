"""Who is calling: `CurrentUser` and the `Ctx` work context every mutating endpoint takes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from doorbraak.auth import oidc, repository
from doorbraak.auth.tokens import PREFIX, token_hash
from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import NietGeauthenticeerd, OngeldigeInvoer
from doorbraak.kit.schema import schoon
from doorbraak.models import Medewerker
from doorbraak.werk.appstaat import appstaat
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.deps import VerzoekDep
from doorbraak.werk.verzoek import Verzoekstaat

bearer = HTTPBearer(auto_error=False, description="Bearer token (API token or OIDC access token).")


async def huidige_medewerker(
    request: Request,
    staat: VerzoekDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Medewerker:
    """The caller, from an OIDC JWT or an API token, whatever the auth mode accepts."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise NietGeauthenticeerd()
    token = credentials.credentials
    settings = appstaat(request).settings
    if oidc.lijkt_op_jwt(token) and oidc.oidc_ingesteld(settings):
        medewerker = await _via_oidc(request, staat, token, settings)
    else:
        medewerker = await _via_api_token(staat, token, settings)
    if not medewerker.actief:
        raise NietGeauthenticeerd("Dit account is niet actief.")
    staat.actor_id = str(medewerker.id)
    return medewerker


async def _via_oidc(
    request: Request, staat: Verzoekstaat, token: str, settings: Settings
) -> Medewerker:
    cache = appstaat(request).jwks
    try:
        identiteit = await oidc.verifieer(token, settings, cache)
    except oidc.OngeldigToken as exc:
        raise NietGeauthenticeerd(str(exc)) from exc
    if identiteit.claim == "email":
        medewerker = await repository.medewerker_bij_email(staat.session, identiteit.waarde)
    else:
        medewerker = await repository.medewerker_bij_oidc_sub(staat.session, identiteit.waarde)
    if medewerker is None:
        raise NietGeauthenticeerd("Er is geen medewerker bekend voor dit token.")
    return medewerker


async def _via_api_token(staat: Verzoekstaat, token: str, settings: Settings) -> Medewerker:
    # Outside development only real API tokens count: the demo tokens are public knowledge.
    if settings.auth_mode != "dev" and not token.startswith(PREFIX):
        raise NietGeauthenticeerd("Het token is onbekend.")
    gevonden = await repository.medewerker_bij_token(staat.session, token_hash(token))
    if gevonden is None:
        raise NietGeauthenticeerd("Het token is onbekend.")
    medewerker, api_token = gevonden
    nu = utcnow()
    verloopt = api_token.verloopt_op
    if token.startswith(PREFIX):
        # The longest lifetime caps every real token, also one made before there was a maximum
        # or without an expiry; the public demo tokens work in development mode only.
        uiterlijk = api_token.aangemaakt_op + dt.timedelta(days=settings.token_max_dagen)
        verloopt = min(verloopt, uiterlijk) if verloopt is not None else uiterlijk
    if api_token.ingetrokken_op is not None or (verloopt is not None and verloopt <= nu):
        raise NietGeauthenticeerd("Het token is verlopen of ingetrokken.")
    return medewerker


CurrentUser = Annotated[Medewerker, Depends(huidige_medewerker)]


def werkcontext(
    request: Request,
    staat: VerzoekDep,
    actor: CurrentUser,
    x_audit_toelichting: Annotated[
        str | None,
        Header(
            max_length=1000,
            description="Reason for this change, kept in the tijdlijn and the logboek.",
        ),
    ] = None,
) -> Werkcontext:
    toelichting = None
    if x_audit_toelichting:
        try:
            toelichting = schoon(x_audit_toelichting.strip()) or None
        except ValueError as exc:
            raise OngeldigeInvoer(
                [{"name": "X-Audit-Toelichting", "code": "ongeldige-tekens", "reason": str(exc)}]
            ) from exc
    return Werkcontext(
        session=staat.session,
        actor=actor,
        staat=staat,
        settings=appstaat(request).settings,
        toelichting=toelichting,
    )


Ctx = Annotated[Werkcontext, Depends(werkcontext)]
