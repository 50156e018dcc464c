"""Notities: the conversation on a casus, with @vermeldingen that notify."""

from __future__ import annotations

import uuid

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.notities import lezen, service
from doorbraak.notities.schemas import NotitieNieuw, NotitieUit
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("notities")


@router.get(
    "/casussen/{kenmerk}/notities",
    response_model=Pagina[NotitieUit],
    responses=fouten(401, 404),
    summary="The conversation on a casus, oldest first (not the audit tijdlijn)",
)
async def notities_lijst(ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep) -> Pagina[NotitieUit]:
    return await lezen.notities(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/notities",
    status_code=201,
    response_model=NotitieUit,
    responses=fouten(401, 403, 404, 409),
    summary="Place a note; @naam mentions a medewerker who can see the casus (and notifies them)",
    description="Mentioning someone who cannot see the casus is refused (409 "
    "`vermelding-buiten-casus`): add them to the casusteam first. An unknown or ambiguous "
    "@naam is a 400. The mentioned get an inbox item (`genoemd`) and an e-mail melding as they "
    "prefer; the mail names the kind of event and the kenmerk, never the note.",
)
async def notitie_plaatsen(ctx: Ctx, toegang: CasusFromPath, invoer: NotitieNieuw) -> NotitieUit:
    notitie = await service.notitie_plaatsen(ctx, toegang, invoer)
    return await lezen.notitie(ctx, toegang, notitie)


@router.post(
    "/casussen/{kenmerk}/notities/{id}/gezien",
    response_model=NotitieUit,
    responses=fouten(401, 403, 404, 409),
    summary="Mark my @vermelding in this note as seen (it leaves my inbox)",
)
async def notitie_gezien(ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID) -> NotitieUit:
    notitie = await service.gezien(ctx, toegang, id)
    return await lezen.notitie(ctx, toegang, notitie)
