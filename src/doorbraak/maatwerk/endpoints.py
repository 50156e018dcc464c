"""Besluiten with their reacties, and afwijkingen with rugdekking, of a casus."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath, CasusVoorRugdekking
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.etag import zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.maatwerk import lezen, service
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    AfwijkingUit,
    BesluitNieuw,
    BesluitUit,
    IntrekkenInvoer,
    OverslagNieuw,
    ReactieNieuw,
    ReactieUit,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.models import Besluit
from doorbraak.models.enums import AfwijkingStatus, BesluitStatus
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("maatwerk")
LEZEN = fouten(401, 404)
SCHRIJVEN = fouten(401, 403, 404, 409)


# --- besluiten ---------------------------------------------------------------------------------


async def _een_besluit(
    ctx: Ctx, toegang: CasusToegang, besluit: Besluit, response: Response
) -> BesluitUit:
    zet_etag(response, besluit.versie)
    return await lezen.besluit(ctx, toegang, besluit)


@router.get("/casussen/{kenmerk}/besluiten", response_model=Pagina[BesluitUit], responses=LEZEN)
async def besluiten_lijst(
    ctx: Ctx, toegang: CasusVoorRugdekking, vraag: PaginaDep, status: BesluitStatus | None = None
) -> Pagina[BesluitUit]:
    return await lezen.besluiten_lijst(ctx, toegang, vraag, status)


@router.post(
    "/casussen/{kenmerk}/besluiten",
    status_code=201,
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Draft a besluit (concept), by the regiehouder",
)
async def besluit_opstellen(
    ctx: Ctx, toegang: CasusFromPath, invoer: BesluitNieuw, response: Response
) -> BesluitUit:
    besluit = await service.besluit_opstellen(ctx, toegang, invoer)
    return await _een_besluit(ctx, toegang, besluit, response)


@router.get("/casussen/{kenmerk}/besluiten/{id}", response_model=BesluitUit, responses=LEZEN)
async def besluit_lezen(
    ctx: Ctx, toegang: CasusVoorRugdekking, id: uuid.UUID, response: Response
) -> BesluitUit:
    besluit = await service.besluit_of_404(ctx, toegang, id)
    return await _een_besluit(ctx, toegang, besluit, response)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/reacties",
    status_code=201,
    response_model=ReactieUit,
    responses={
        200: {"description": "The afdeling's earlier reactie was replaced by this one."},
        **SCHRIJVEN,
    },
    summary="An afdeling's akkoord or bezwaar (never blocking; a new one replaces the earlier)",
)
async def reageren(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: ReactieNieuw, response: Response
) -> ReactieUit:
    reactie, nieuw = await service.reageren(ctx, toegang, id, invoer)
    if not nieuw:
        response.status_code = 200
    zet_etag(response, reactie.versie)
    return await lezen.reactie(ctx, reactie)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/overslagen",
    status_code=201,
    response_model=BesluitUit,
    responses=fouten(400, 401, 403, 404, 409),
    summary="Pass over a participating afdeling with a reason (regiehouder), to fix the besluit "
    "without its reactie",
)
async def overslaan(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: OverslagNieuw, response: Response
) -> BesluitUit:
    await service.overslaan(ctx, toegang, id, invoer)
    besluit = await service.besluit_of_404(ctx, toegang, id)
    return await _een_besluit(ctx, toegang, besluit, response)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/vaststellen",
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Fix the besluit (regiehouder); an afweging is required when there is a bezwaar",
)
async def vaststellen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: VaststellenInvoer, response: Response
) -> BesluitUit:
    besluit = await service.vaststellen(ctx, toegang, id, invoer)
    return await _een_besluit(ctx, toegang, besluit, response)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/intrekken",
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Withdraw a besluit with a reason (regiehouder)",
)
async def intrekken(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: IntrekkenInvoer, response: Response
) -> BesluitUit:
    besluit = await service.intrekken(ctx, toegang, id, invoer)
    return await _een_besluit(ctx, toegang, besluit, response)


# --- afwijkingen -------------------------------------------------------------------------------


async def _een_afwijking(
    ctx: Ctx, toegang: CasusToegang, afwijking_id: uuid.UUID, response: Response
) -> AfwijkingUit:
    uit = await lezen.afwijking(ctx, toegang, afwijking_id)
    zet_etag(response, uit.versie)
    return uit


@router.get("/casussen/{kenmerk}/afwijkingen", response_model=Pagina[AfwijkingUit], responses=LEZEN)
async def afwijkingen_lijst(
    ctx: Ctx,
    toegang: CasusVoorRugdekking,
    vraag: PaginaDep,
    besluit: Annotated[uuid.UUID | None, Query(description="Only those of this besluit.")] = None,
    status: AfwijkingStatus | None = None,
) -> Pagina[AfwijkingUit]:
    return await lezen.afwijkingen_lijst(ctx, toegang, vraag, besluit, status)


@router.post(
    "/casussen/{kenmerk}/afwijkingen",
    status_code=201,
    response_model=AfwijkingUit,
    responses=SCHRIJVEN,
    summary="Propose an afwijking from a regel for a concept besluit",
)
async def afwijking_voorstellen(
    ctx: Ctx, toegang: CasusFromPath, invoer: AfwijkingNieuw, response: Response
) -> AfwijkingUit:
    afwijking = await service.afwijking_voorstellen(ctx, toegang, invoer)
    return await _een_afwijking(ctx, toegang, afwijking.id, response)


@router.get("/casussen/{kenmerk}/afwijkingen/{id}", response_model=AfwijkingUit, responses=LEZEN)
async def afwijking_lezen(
    ctx: Ctx, toegang: CasusVoorRugdekking, id: uuid.UUID, response: Response
) -> AfwijkingUit:
    return await _een_afwijking(ctx, toegang, id, response)


@router.post(
    "/casussen/{kenmerk}/afwijkingen/{id}/rugdekking",
    response_model=AfwijkingUit,
    responses=SCHRIJVEN,
    summary="The one rugdekking decision (gedekt or afgewezen) by someone whose mandaat covers it",
)
async def rugdekking_geven(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: RugdekkingNieuw, response: Response
) -> AfwijkingUit:
    afwijking = await service.rugdekking_geven(ctx, toegang, id, invoer)
    return await _een_afwijking(ctx, toegang, afwijking.id, response)
