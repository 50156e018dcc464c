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
    BeleidssignaalWijziging,
    LeerpuntNieuw,
    LeerpuntUit,
    LeerpuntWijziging,
    Precedenten,
    VerhaalUit,
)
from doorbraak.models.enums import SignaalStatus
from doorbraak.organisatie.schemas import RegelversieNieuw, RegelversieUit
from doorbraak.rapportage import lezen as rapportage
from doorbraak.werk.router import AfdelingFilter, PaginaDep, Tot, Van, api_router

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
    return await lezen.een_leerpunt(ctx, toegang, leerpunt)


@router.get(
    "/casussen/{kenmerk}/leerpunten/{id}", response_model=LeerpuntUit, responses=fouten(401, 404)
)
async def leerpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_of_404(ctx, toegang, id)
    zet_etag(response, leerpunt.versie)
    return await lezen.een_leerpunt(ctx, toegang, leerpunt)


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
    return await lezen.een_leerpunt(ctx, toegang, leerpunt)


@router.post(
    "/casussen/{kenmerk}/leerpunten/{id}/goedkeuring",
    response_model=LeerpuntUit,
    responses=fouten(401, 403, 404, 409, 412, 428, 503),
    summary="Approve a proposed verhaal (four-eyes: a second medewerker); it is then published",
    description="Allowed also when the casus is closed. The approver may work on the casus and "
    "is neither the author nor the one who proposed to share it (403 `vier-ogen`). The text is "
    "checked for identifying data again (400). `If-Match` names the version that was read: the "
    "approval is of that text, never of one changed meanwhile (412).",
)
async def verhaal_goedkeuren(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    versie: IfMatch,
    response: Response,
) -> LeerpuntUit:
    leerpunt = await service.verhaal_goedkeuren(ctx, toegang, id, versie)
    zet_etag(response, leerpunt.versie)
    return await lezen.een_leerpunt(ctx, toegang, leerpunt)


@router.delete(
    "/verhalen/{id}",
    status_code=204,
    responses=fouten(401, 403, 404),
    summary="Take a verhaal down: no longer shared (its author, a leidinggevende, privacy)",
    description="Works in every phase of the casus, also after it closed. The leerpunt stays in "
    "its casus, unshared; sharing it again needs consent and a new approval.",
)
async def verhaal_intrekken(ctx: Ctx, id: uuid.UUID) -> Response:
    await service.verhaal_intrekken(ctx, id)
    return Response(status_code=204)


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
    description="Newest first. `van`/`tot` filter on the day the signal was raised; `afdeling` "
    "on the casussen that afdeling takes part in. No case content, no names.",
)
async def beleidssignalen(
    ctx: Ctx,
    vraag: PaginaDep,
    signaal_status: Annotated[SignaalStatus | None, Query(alias="signaalStatus")] = None,
    van: Van = None,
    tot: Tot = None,
    afdeling: AfdelingFilter = None,
) -> Pagina[BeleidssignaalUit]:
    filter_ = await rapportage.periode_of_400(ctx, van, tot, afdeling)
    return await lezen.beleidssignalen(ctx, vraag, signaal_status, filter_)


@router.get(
    "/beleidssignalen/{id}",
    response_model=BeleidssignaalUit,
    responses=fouten(401, 403, 404),
    summary="One beleidssignaal with how beleid handled it (beleid, leidinggevenden)",
)
async def beleidssignaal_lezen(ctx: Ctx, id: uuid.UUID, response: Response) -> BeleidssignaalUit:
    uit = await lezen.beleidssignaal(ctx, id)
    zet_etag(response, uit.versie)
    return uit


@router.patch(
    "/beleidssignalen/{id}",
    response_model=BeleidssignaalUit,
    responses=fouten(401, 403, 404, 412, 428),
    summary="Handle a beleidssignaal: status, reactie, decision date, new regelversie (beleid)",
    description="Only beleid (403 `rol-ontbreekt` for anyone else), also after the casus "
    "closed. `regel_aangepast` needs `regelversie` (a version of the regel the afwijking bent); "
    "`niet_aangepast` needs a `reactie` with the reason. The casusteam sees the outcome on "
    "its leerpunt or afwijking and in its tijdlijn (`beleidssignaal.behandeld`).",
)
async def beleidssignaal_behandelen(
    ctx: Ctx,
    id: uuid.UUID,
    invoer: BeleidssignaalWijziging,
    versie: IfMatch,
    response: Response,
) -> BeleidssignaalUit:
    signaal = await service.signaal_behandelen(ctx, id, invoer, versie)
    uit = await lezen.beleidssignaal(ctx, signaal.id)
    zet_etag(response, uit.versie)
    return uit


@router.get(
    "/regels/{id}/versies",
    response_model=list[RegelversieUit],
    responses=fouten(401, 404),
    summary="The versions of a regel, with the signals behind each and its deviations in force",
)
async def regelversies_lijst(ctx: Ctx, id: uuid.UUID) -> list[RegelversieUit]:
    return await lezen.regelversies(ctx, id)


@router.post(
    "/regels/{id}/versies",
    status_code=201,
    response_model=RegelversieUit,
    responses=fouten(401, 403, 404),
    summary="Record a new version of a regel (beleid); the signals named are marked handled",
    description="The current version ends the day the new one starts (`geldigVan`, default "
    "today, after the current version's start). Each signal in `signalen` becomes "
    "`regel_aangepast` with a link to the new version.",
)
async def regelversie_vaststellen(
    ctx: Ctx, id: uuid.UUID, invoer: RegelversieNieuw
) -> RegelversieUit:
    versie = await service.regelversie_vaststellen(ctx, id, invoer)
    return await lezen.regelversie(ctx, versie)


@router.get(
    "/casussen/{kenmerk}/precedenten",
    response_model=Precedenten,
    responses=fouten(401, 404),
    summary="Earlier gedekte afwijkingen of a regel, across casussen (for a new proposal)",
    description="Newest first (max 10), with how many were covered and refused. Grondslag, "
    "waardentoets, risico, outcome and date only: no casus, no names (a waardentoets text that "
    "would identify someone is left out).",
)
async def precedenten(
    ctx: Ctx,
    toegang: CasusFromPath,
    regel: Annotated[uuid.UUID, Query(description="The regel to be bent.")],
) -> Precedenten:
    return await lezen.precedenten(ctx, toegang, regel)
