"""Betrokkenen, stappen and knelpunten of a casus, and the cross-case step work list."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from doorbraak.afpellen import lezen, service
from doorbraak.afpellen.schemas import (
    BetrokkeneNieuw,
    BetrokkeneUit,
    BetrokkeneWijziging,
    KnelpuntNieuw,
    KnelpuntUit,
    KnelpuntWijziging,
    StapNieuw,
    StapUit,
    StapWijziging,
)
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.models import Betrokkene, Knelpunt, Stap
from doorbraak.models.enums import StapStatus
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("afpellen")
LEZEN = fouten(401, 404)
SCHRIJVEN = fouten(401, 403, 404, 409)
WIJZIGEN = fouten(401, 403, 404, 409, 412, 428)


# --- betrokkenen -------------------------------------------------------------------------------


@router.get(
    "/casussen/{kenmerk}/betrokkenen", response_model=Pagina[BetrokkeneUit], responses=LEZEN
)
async def betrokkenen_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[BetrokkeneUit]:
    return await lezen.betrokkenen(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/betrokkenen",
    status_code=201,
    response_model=BetrokkeneUit,
    responses=SCHRIJVEN,
)
async def betrokkene_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: BetrokkeneNieuw, response: Response
) -> BetrokkeneUit:
    betrokkene = await service.betrokkene_toevoegen(ctx, toegang, invoer)
    zet_etag(response, betrokkene.versie)
    return lezen.betrokkene(betrokkene)


@router.get("/casussen/{kenmerk}/betrokkenen/{id}", response_model=BetrokkeneUit, responses=LEZEN)
async def betrokkene_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> BetrokkeneUit:
    betrokkene = await service.onderdeel_of_404(ctx, toegang, Betrokkene, id)
    zet_etag(response, betrokkene.versie)
    return lezen.betrokkene(betrokkene)


@router.patch(
    "/casussen/{kenmerk}/betrokkenen/{id}", response_model=BetrokkeneUit, responses=WIJZIGEN
)
async def betrokkene_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: BetrokkeneWijziging,
    versie: IfMatch,
    response: Response,
) -> BetrokkeneUit:
    betrokkene = await service.betrokkene_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, betrokkene.versie)
    return lezen.betrokkene(betrokkene)


@router.delete("/casussen/{kenmerk}/betrokkenen/{id}", status_code=204, responses=WIJZIGEN)
async def betrokkene_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.betrokkene_verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)


# --- stappen -----------------------------------------------------------------------------------


@router.get(
    "/stappen",
    response_model=Pagina[StapUit],
    responses=fouten(401),
    summary="Steps across the visible casussen (a work list)",
)
async def werklijst(
    ctx: Ctx,
    vraag: PaginaDep,
    eigenaar: Annotated[uuid.UUID | None, Query(description="Medewerker id of the owner.")] = None,
    te_laat: Annotated[bool | None, Query(alias="teLaat")] = None,
    status: StapStatus | None = None,
) -> Pagina[StapUit]:
    return await lezen.werklijst(ctx, vraag, eigenaar=eigenaar, te_laat=te_laat, status=status)


@router.get("/casussen/{kenmerk}/stappen", response_model=Pagina[StapUit], responses=LEZEN)
async def stappen_lijst(
    ctx: Ctx,
    toegang: CasusFromPath,
    vraag: PaginaDep,
    te_laat: Annotated[
        bool | None, Query(alias="teLaat", description="Only overdue (true) or not (false).")
    ] = None,
) -> Pagina[StapUit]:
    return await lezen.stappen(ctx, toegang, vraag, te_laat=te_laat)


@router.post(
    "/casussen/{kenmerk}/stappen", status_code=201, response_model=StapUit, responses=SCHRIJVEN
)
async def stap_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: StapNieuw, response: Response
) -> StapUit:
    stap = await service.stap_toevoegen(ctx, toegang, invoer)
    zet_etag(response, stap.versie)
    return await lezen.stap(ctx, toegang, stap)


@router.get("/casussen/{kenmerk}/stappen/{id}", response_model=StapUit, responses=LEZEN)
async def stap_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> StapUit:
    stap = await service.onderdeel_of_404(ctx, toegang, Stap, id)
    zet_etag(response, stap.versie)
    return await lezen.stap(ctx, toegang, stap)


@router.patch("/casussen/{kenmerk}/stappen/{id}", response_model=StapUit, responses=WIJZIGEN)
async def stap_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: StapWijziging,
    versie: IfMatch,
    response: Response,
) -> StapUit:
    stap = await service.stap_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, stap.versie)
    return await lezen.stap(ctx, toegang, stap)


# --- knelpunten --------------------------------------------------------------------------------


@router.get("/casussen/{kenmerk}/knelpunten", response_model=Pagina[KnelpuntUit], responses=LEZEN)
async def knelpunten_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[KnelpuntUit]:
    return await lezen.knelpunten(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/knelpunten",
    status_code=201,
    response_model=KnelpuntUit,
    responses=SCHRIJVEN,
)
async def knelpunt_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: KnelpuntNieuw, response: Response
) -> KnelpuntUit:
    knelpunt = await service.knelpunt_toevoegen(ctx, toegang, invoer)
    zet_etag(response, knelpunt.versie)
    return lezen.knelpunt(knelpunt)


@router.get("/casussen/{kenmerk}/knelpunten/{id}", response_model=KnelpuntUit, responses=LEZEN)
async def knelpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> KnelpuntUit:
    knelpunt = await service.onderdeel_of_404(ctx, toegang, Knelpunt, id)
    zet_etag(response, knelpunt.versie)
    return lezen.knelpunt(knelpunt)


@router.patch("/casussen/{kenmerk}/knelpunten/{id}", response_model=KnelpuntUit, responses=WIJZIGEN)
async def knelpunt_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: KnelpuntWijziging,
    versie: IfMatch,
    response: Response,
) -> KnelpuntUit:
    knelpunt = await service.knelpunt_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, knelpunt.versie)
    return lezen.knelpunt(knelpunt)
