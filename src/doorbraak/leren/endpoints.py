"""Leerpunten of a casus; verhalen and beleidssignalen across casussen."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.leren import lezen, service
from doorbraak.leren.schemas import (
    BeleidssignaalUit,
    LeerpuntNieuw,
    LeerpuntUit,
    LeerpuntWijziging,
    VerhaalUit,
)
from doorbraak.models.enums import SignaalStatus
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("leren")


@router.get(
    "/casussen/{kenmerk}/leerpunten",
    response_model=Pagina[LeerpuntUit],
    responses=fouten(401, 404),
)
async def leerpunten_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[LeerpuntUit]:
    return await lezen.leerpunten(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/leerpunten",
    status_code=201,
    response_model=LeerpuntUit,
    responses=fouten(401, 403, 404, 409),
    summary="Record a leerpunt; a shared succes becomes a verhaal (refused if not anonymous)",
)
async def leerpunt_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: LeerpuntNieuw, response: Response
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_toevoegen(ctx, toegang, invoer)
    zet_etag(response, leerpunt.versie)
    return lezen.leerpunt(toegang, leerpunt)


@router.get(
    "/casussen/{kenmerk}/leerpunten/{id}", response_model=LeerpuntUit, responses=fouten(401, 404)
)
async def leerpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_of_404(ctx, toegang, id)
    zet_etag(response, leerpunt.versie)
    return lezen.leerpunt(toegang, leerpunt)


@router.patch(
    "/casussen/{kenmerk}/leerpunten/{id}",
    response_model=LeerpuntUit,
    responses=fouten(401, 403, 404, 409, 412, 428),
)
async def leerpunt_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: LeerpuntWijziging,
    versie: IfMatch,
    response: Response,
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, leerpunt.versie)
    return lezen.leerpunt(toegang, leerpunt)


@router.get(
    "/verhalen",
    response_model=Pagina[VerhaalUit],
    responses=fouten(401, 403),
    summary="Shared, anonymised success stories (every medewerker)",
)
async def verhalen(ctx: Ctx, vraag: PaginaDep) -> Pagina[VerhaalUit]:
    return await lezen.verhalen(ctx, vraag)


@router.get(
    "/beleidssignalen",
    response_model=Pagina[BeleidssignaalUit],
    responses=fouten(401, 403),
    summary="Systeem-leerpunten and flagged afwijkingen across casussen (beleid, leidinggevenden)",
)
async def beleidssignalen(
    ctx: Ctx,
    vraag: PaginaDep,
    signaal_status: Annotated[SignaalStatus | None, Query(alias="signaalStatus")] = None,
) -> Pagina[BeleidssignaalUit]:
    return await lezen.beleidssignalen(ctx, vraag, signaal_status)
