"""API tokens: made and revoked by a beheerder (API, web) or by an operator on the server (the
CLI, as the system actor), through these functions both, with the same checks and logboek
entries. The token is returned once and never stored: only its SHA-256 (`auth/tokens.py`).

Revoking is an ORM change of the token row: its flush empties every authentication cache of
this process (`auth/cache.py`); other processes refuse the token within the cache's bound.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from doorbraak.auth import policy, repository
from doorbraak.auth.tokens import nieuw_token, token_hash
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.models import ApiToken, Medewerker
from doorbraak.werk.context import Werkcontext


@dataclass(frozen=True)
class NieuwToken:
    rij: ApiToken
    medewerker: Medewerker
    token: str


def _mag(ctx: Werkcontext) -> None:
    # The CLI runs as the system actor: the operator on the server, who holds the database.
    if not ctx.systeem:
        policy.mag_tokens_beheren(ctx.actor)


async def token_aanmaken(
    ctx: Werkcontext, medewerker_id: uuid.UUID, naam: str, verloopt_op: dt.datetime | None
) -> NieuwToken:
    _mag(ctx)
    medewerker = await repository.medewerker(ctx.session, medewerker_id)
    if medewerker is None or not medewerker.actief:
        raise OngeldigeInvoer(
            [
                {
                    "name": "medewerker",
                    "code": "onbekende-medewerker",
                    "reason": "onbekende of inactieve medewerker",
                }
            ]
        )
    if not ctx.systeem:
        policy.mag_token_maken_voor(ctx.actor, medewerker)
    uiterlijk = ctx.nu + dt.timedelta(days=ctx.settings.token_max_dagen)
    verloopt = verloopt_op.astimezone(dt.UTC) if verloopt_op is not None else uiterlijk
    if not ctx.nu < verloopt <= uiterlijk:
        raise OngeldigeInvoer(
            [
                {
                    "name": "verlooptOp",
                    "code": "buiten-bereik",
                    "reason": f"na nu en uiterlijk {ctx.settings.token_max_dagen} dagen vanaf nu "
                    "(DOORBRAAK_TOKEN_MAX_DAGEN); een token dat nooit verloopt bestaat niet",
                }
            ]
        )
    token = nieuw_token()
    rij = ApiToken(
        medewerker_id=medewerker.id,
        naam=naam,
        token_hash=token_hash(token),
        aangemaakt_op=ctx.nu,
        verloopt_op=verloopt,
    )
    ctx.session.add(rij)
    await ctx.session.flush()
    # The token's id and whose it is; never the token.
    ctx.logboek("token.aangemaakt", "api_token", rij.id)
    return NieuwToken(rij=rij, medewerker=medewerker, token=token)


async def token_intrekken(ctx: Werkcontext, token_id: uuid.UUID) -> ApiToken:
    """404 for an unknown token, 409 `al-ingetrokken` for one revoked before (nothing changes)."""
    _mag(ctx)
    rij = await repository.api_token(ctx.session, token_id)
    if rij is None:
        raise NietGevonden("Dit API-token bestaat niet.")
    if rij.ingetrokken_op is not None:
        raise Conflict("Dit API-token is al ingetrokken.", code="al-ingetrokken")
    rij.ingetrokken_op = ctx.nu
    await ctx.session.flush()
    ctx.logboek("token.ingetrokken", "api_token", rij.id)
    return rij
