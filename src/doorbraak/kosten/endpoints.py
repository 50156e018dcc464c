"""The cost ledger of a casus: the overview with horizons, the history, a new entry."""

from __future__ import annotations

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.kosten import lezen, service
from doorbraak.kosten.schemas import KostenoverzichtUit, KostenregelNieuw, KostenregelUit
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("kosten")


@router.get(
    "/casussen/{kenmerk}/kosten",
    response_model=KostenoverzichtUit,
    responses=fouten(401, 404),
    summary="The costs: doormodderen against doorbraak over 1 and 3 years, per paying afdeling",
)
async def kosten_lezen(ctx: Ctx, toegang: CasusFromPath) -> KostenoverzichtUit:
    return await lezen.overzicht(ctx, toegang)


@router.get(
    "/casussen/{kenmerk}/kostenregels",
    response_model=Pagina[KostenregelUit],
    responses=fouten(401, 404),
    summary="Every cost entry ever made, oldest first (replaced ones carry `tot`)",
)
async def kostenregels_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[KostenregelUit]:
    return await lezen.geschiedenis(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/kostenregels",
    status_code=201,
    response_model=KostenregelUit,
    responses=fouten(401, 403, 404, 409),
    summary="Book a cost: a new post, or a new value of a post (the old one is kept)",
    description="An estimate (`huidig`, `dreigend`) needs an open casus; a `gerealiseerd` cost "
    "(with its evaluation `moment`) may also be recorded after closing.",
)
async def kostenregel_boeken(
    ctx: Ctx, toegang: CasusFromPath, invoer: KostenregelNieuw
) -> KostenregelUit:
    regel = await service.regel_toevoegen(ctx, toegang, invoer)
    return await lezen.regel(ctx, regel)
