"""Regie, deelnames and escalaties of a casus."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.models import Escalatie
from doorbraak.regie import lezen, service
from doorbraak.regie.schemas import (
    CorrectieNieuw,
    DeelnameNieuw,
    DeelnameUit,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieUit,
    EscalatieWijziging,
    RegieNieuw,
    RegieUit,
)
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("regie")
AfdelingCode = Annotated[
    str, Path(alias="afdelingCode", pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
]


@router.get("/casussen/{kenmerk}/regie", response_model=RegieUit, responses=fouten(401, 404))
async def regie_lezen(ctx: Ctx, toegang: CasusFromPath) -> RegieUit:
    return await lezen.regie(ctx, toegang)


@router.post(
    "/casussen/{kenmerk}/regie",
    status_code=201,
    response_model=RegieUit,
    responses=fouten(401, 403, 404, 409),
    summary="Assign the regiehouder, or hand over regie in one step",
)
async def regie_toewijzen(ctx: Ctx, toegang: CasusFromPath, invoer: RegieNieuw) -> RegieUit:
    await service.regie_toewijzen(ctx, toegang, invoer)
    return await regie_lezen(ctx, toegang)


@router.get(
    "/casussen/{kenmerk}/deelnames", response_model=Pagina[DeelnameUit], responses=fouten(401, 404)
)
async def deelnames_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[DeelnameUit]:
    return await lezen.deelnames(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/deelnames",
    status_code=201,
    response_model=DeelnameUit,
    responses=fouten(401, 403, 404, 409),
)
async def deelname_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: DeelnameNieuw, response: Response
) -> DeelnameUit:
    deelname = await service.deelname_toevoegen(ctx, toegang, invoer)
    zet_etag(response, deelname.versie)
    return await lezen.deelname(deelname, ctx, toegang)


@router.get(
    "/casussen/{kenmerk}/deelnames/{afdelingCode}",
    response_model=DeelnameUit,
    responses=fouten(401, 404),
)
async def deelname_lezen(
    ctx: Ctx, toegang: CasusFromPath, afdeling_code: AfdelingCode, response: Response
) -> DeelnameUit:
    deelname = await service.deelname_of_404(ctx, toegang, afdeling_code)
    zet_etag(response, deelname.versie)
    return await lezen.deelname(deelname, ctx, toegang)


@router.patch(
    "/casussen/{kenmerk}/deelnames/{afdelingCode}",
    response_model=DeelnameUit,
    responses=fouten(401, 403, 404, 409, 412, 428),
)
async def deelname_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    afdeling_code: AfdelingCode,
    invoer: DeelnameWijziging,
    versie: IfMatch,
    response: Response,
) -> DeelnameUit:
    deelname = await service.deelname_wijzigen(ctx, toegang, afdeling_code, invoer, versie)
    zet_etag(response, deelname.versie)
    return await lezen.deelname(deelname, ctx, toegang)


@router.delete(
    "/casussen/{kenmerk}/deelnames/{afdelingCode}",
    status_code=204,
    responses=fouten(401, 403, 404, 409, 412, 428),
)
async def deelname_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, afdeling_code: AfdelingCode, versie: IfMatch
) -> Response:
    await service.deelname_verwijderen(ctx, toegang, afdeling_code, versie)
    return Response(status_code=204)


async def _een_escalatie(
    ctx: Ctx, toegang: CasusFromPath, e: Escalatie, response: Response
) -> EscalatieUit:
    zet_etag(response, e.versie)
    return (await lezen.escalaties_uit(ctx, toegang, [e]))[0]


@router.get(
    "/casussen/{kenmerk}/escalaties",
    response_model=Pagina[EscalatieUit],
    responses=fouten(401, 404),
)
async def escalaties_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[EscalatieUit]:
    return await lezen.escalaties(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/escalaties",
    status_code=201,
    response_model=EscalatieUit,
    responses=fouten(401, 403, 404, 409),
)
async def escaleren(
    ctx: Ctx, toegang: CasusFromPath, invoer: EscalatieNieuw, response: Response
) -> EscalatieUit:
    escalatie = await service.escaleren(ctx, toegang, invoer)
    return await _een_escalatie(ctx, toegang, escalatie, response)


@router.get(
    "/casussen/{kenmerk}/escalaties/{id}", response_model=EscalatieUit, responses=fouten(401, 404)
)
async def escalatie_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> EscalatieUit:
    escalatie = await service.escalatie_of_404(ctx, toegang, id)
    return await _een_escalatie(ctx, toegang, escalatie, response)


@router.patch(
    "/casussen/{kenmerk}/escalaties/{id}",
    response_model=EscalatieUit,
    responses=fouten(401, 403, 404, 409, 412, 428),
    summary="Record the outcome of an escalatie once (immutable afterwards), or the progress of "
    "a landelijk escalatie at the loket",
)
async def escalatie_afhandelen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: EscalatieWijziging,
    versie: IfMatch,
    response: Response,
) -> EscalatieUit:
    escalatie = await service.escalatie_afhandelen(ctx, toegang, id, invoer, versie)
    return await _een_escalatie(ctx, toegang, escalatie, response)


@router.post(
    "/casussen/{kenmerk}/escalaties/{id}/correcties",
    status_code=201,
    response_model=EscalatieUit,
    responses=fouten(400, 401, 403, 404, 409),
    summary="Correct a recorded outcome: a new escalatie that supersedes it, with a reason",
)
async def escalatie_corrigeren(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: CorrectieNieuw, response: Response
) -> EscalatieUit:
    escalatie = await service.escalatie_corrigeren(ctx, toegang, id, invoer)
    return await _een_escalatie(ctx, toegang, escalatie, response)
