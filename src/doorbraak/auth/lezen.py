"""The read side of API tokens, for the API and the beheer page: never the token itself."""

from __future__ import annotations

from typing import Any

from doorbraak.auth import policy, repository
from doorbraak.auth.schemas import ApiTokenAangemaakt, ApiTokenUit
from doorbraak.auth.service import NieuwToken
from doorbraak.auth.tokens import vervalt_op
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.models import ApiToken
from doorbraak.models.enums import TokenStatus
from doorbraak.organisatie.schemas import MedewerkerRef
from doorbraak.werk.context import Werkcontext


def _velden(ctx: Werkcontext, t: ApiToken, medewerker: MedewerkerRef) -> dict[str, Any]:
    verloopt = vervalt_op(t.aangemaakt_op, t.verloopt_op, ctx.settings.token_max_dagen)
    status = (
        TokenStatus.ingetrokken
        if t.ingetrokken_op is not None
        else TokenStatus.verlopen
        if verloopt <= ctx.nu
        else TokenStatus.geldig
    )
    return {
        "id": t.id,
        "naam": t.naam,
        "medewerker": medewerker,
        "aangemaakt_op": t.aangemaakt_op,
        "verloopt_op": verloopt,
        "ingetrokken_op": t.ingetrokken_op,
        "status": status,
    }


def token_uit(ctx: Werkcontext, t: ApiToken, medewerker: MedewerkerRef) -> ApiTokenUit:
    return ApiTokenUit.model_validate(_velden(ctx, t, medewerker))


def aangemaakt_uit(ctx: Werkcontext, nieuw: NieuwToken) -> ApiTokenAangemaakt:
    m = nieuw.medewerker
    ref = MedewerkerRef(id=m.id, naam=m.naam, afdeling=m.afdeling_code)
    return ApiTokenAangemaakt.model_validate(_velden(ctx, nieuw.rij, ref) | {"token": nieuw.token})


async def ingetrokken_uit(ctx: Werkcontext, t: ApiToken) -> ApiTokenUit:
    m = await repository.medewerker(ctx.session, t.medewerker_id)
    assert m is not None  # the foreign key keeps it
    return token_uit(ctx, t, MedewerkerRef(id=m.id, naam=m.naam, afdeling=m.afdeling_code))


async def tokens(ctx: Werkcontext, vraag: PaginaVraag) -> Pagina[ApiTokenUit]:
    """Every API token, newest first, with whose it is: for beheerders only."""
    policy.mag_tokens_beheren(ctx.actor)
    rijen = await repository.tokens_pagina(ctx.session, vraag)
    return Pagina(
        results=[
            token_uit(
                ctx,
                r.ApiToken,
                MedewerkerRef(
                    id=r.ApiToken.medewerker_id,
                    naam=r.medewerker_naam,
                    afdeling=r.medewerker_afdeling,
                ),
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.ApiToken.aangemaakt_op, r.ApiToken.id]),
    )
