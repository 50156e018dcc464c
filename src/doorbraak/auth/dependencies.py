"""Who is calling: `CurrentUser` and the `Ctx` work context every mutating endpoint takes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from doorbraak.auth import repository
from doorbraak.auth.tokens import token_hash
from doorbraak.db import utcnow
from doorbraak.errors import NietGeauthenticeerd, OngeldigeInvoer
from doorbraak.kit.deps import VerzoekDep
from doorbraak.kit.schema import _schoon
from doorbraak.kit.werkcontext import Werkcontext
from doorbraak.models import Medewerker

bearer = HTTPBearer(auto_error=False, description="Bearer token (API token or OIDC access token).")


async def huidige_medewerker(
    staat: VerzoekDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Medewerker:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise NietGeauthenticeerd()
    gevonden = await repository.medewerker_bij_token(
        staat.session, token_hash(credentials.credentials)
    )
    if gevonden is None:
        raise NietGeauthenticeerd("Het token is onbekend.")
    medewerker, token = gevonden
    nu = utcnow()
    if token.ingetrokken_op is not None or (
        token.verloopt_op is not None and token.verloopt_op <= nu
    ):
        raise NietGeauthenticeerd("Het token is verlopen of ingetrokken.")
    if not medewerker.actief:
        raise NietGeauthenticeerd("Dit account is niet actief.")
    staat.actor_id = str(medewerker.id)
    return medewerker


CurrentUser = Annotated[Medewerker, Depends(huidige_medewerker)]


def werkcontext(
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
            toelichting = _schoon(x_audit_toelichting.strip()) or None
        except ValueError as exc:
            raise OngeldigeInvoer(
                [{"name": "X-Audit-Toelichting", "code": "ongeldige-tekens", "reason": str(exc)}]
            ) from exc
    return Werkcontext(session=staat.session, actor=actor, staat=staat, toelichting=toelichting)


Ctx = Annotated[Werkcontext, Depends(werkcontext)]
