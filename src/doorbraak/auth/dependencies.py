"""Who is calling: `CurrentUser` and the `Ctx` work context every mutating endpoint takes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from doorbraak.auth import oidc, repository
from doorbraak.auth.cache import Authcache
from doorbraak.auth.tokens import PREFIX, token_hash, vervalt_op
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
    staat_app = appstaat(request)
    settings, cache = staat_app.settings, staat_app.authcache
    if oidc.lijkt_op_jwt(token) and oidc.oidc_ingesteld(settings):
        medewerker = await _via_oidc(request, staat, token, settings, cache)
    else:
        medewerker = await _via_api_token(staat, token, settings, cache)
    if not medewerker.actief:
        raise NietGeauthenticeerd("Dit account is niet actief.")
    staat.actor_id = str(medewerker.id)
    return medewerker


async def _via_oidc(
    request: Request, staat: Verzoekstaat, token: str, settings: Settings, cache: Authcache
) -> Medewerker:
    jwks = appstaat(request).jwks
    try:
        # The token itself (signature, issuer, audience, exp) is verified on every request.
        identiteit = await oidc.verifieer(token, settings, jwks)
    except oidc.OngeldigToken as exc:
        raise NietGeauthenticeerd(str(exc)) from exc
    sleutel = ("oidc", identiteit.claim, identiteit.waarde)
    if (bekend := cache.zoek(sleutel)) is not None:
        return bekend.medewerker(staat.session.sync_session)
    begin = cache.begin()
    if identiteit.claim == "email":
        medewerker = await repository.medewerker_bij_email(staat.session, identiteit.waarde)
    else:
        medewerker = await repository.medewerker_bij_oidc_sub(staat.session, identiteit.waarde)
    if medewerker is None:
        raise NietGeauthenticeerd("Er is geen medewerker bekend voor dit token.")
    cache.bewaar(sleutel, begin, medewerker)
    return medewerker


async def _via_api_token(
    staat: Verzoekstaat, token: str, settings: Settings, cache: Authcache
) -> Medewerker:
    # Outside development only real API tokens count: the demo tokens are public knowledge.
    if settings.auth_mode != "dev" and not token.startswith(PREFIX):
        raise NietGeauthenticeerd("Het token is onbekend.")
    sleutel = ("token", token_hash(token))
    if (bekend := cache.zoek(sleutel)) is not None:
        ingetrokken_op, verloopt_op = bekend.ingetrokken_op, bekend.verloopt_op
        aangemaakt_op = bekend.aangemaakt_op
        medewerker = bekend.medewerker(staat.session.sync_session)
    else:
        begin = cache.begin()
        gevonden = await repository.medewerker_bij_token(staat.session, sleutel[1])
        if gevonden is None:
            raise NietGeauthenticeerd("Het token is onbekend.")
        medewerker, api_token = gevonden
        cache.bewaar(sleutel, begin, medewerker, api_token)
        ingetrokken_op, verloopt_op = api_token.ingetrokken_op, api_token.verloopt_op
        aangemaakt_op = api_token.aangemaakt_op
    if token.startswith(PREFIX) and aangemaakt_op is not None:
        # The longest lifetime caps every real token; the public demo tokens work in
        # development mode only.
        verloopt_op = vervalt_op(aangemaakt_op, verloopt_op, settings.token_max_dagen)
    if ingetrokken_op is not None or (verloopt_op is not None and verloopt_op <= utcnow()):
        raise NietGeauthenticeerd("Het token is verlopen of ingetrokken.")
    return medewerker


CurrentUser = Annotated[Medewerker, Depends(huidige_medewerker)]


async def werkcontext(
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
