"""Casussen, fase-overgangen, tijdlijn and casusteam."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen import lezen, service
from doorbraak.casussen.dependencies import CasusFromPath, CasusVoorRugdekking
from doorbraak.casussen.schemas import (
    CasusNieuw,
    CasusSamenvatting,
    CasusUit,
    CasusWijziging,
    CasusZoekvraag,
    FaseOvergangNieuw,
    FaseOvergangUit,
    TeamlidNieuw,
    TeamlidUit,
    TijdlijnRegelUit,
)
from doorbraak.casussen.toegang import casus_toegang
from doorbraak.kit import bsn as bsn_kit
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.kit.schema import CODE_PATROON, ZONDER_STUURTEKENS, IsoDatum
from doorbraak.models.enums import Fase, Urgentie
from doorbraak.organisatie.schemas import MedewerkerRef
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("casussen")


@router.get("/casussen", response_model=Pagina[CasusSamenvatting], responses=fouten(401))
async def casussen_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    fase: Fase | None = None,
    urgentie: Urgentie | None = None,
    afdeling: Annotated[
        str | None,
        Query(max_length=40, pattern=CODE_PATROON, description="Participating afdeling (code)."),
    ] = None,
    regiehouder: Annotated[
        uuid.UUID | None, Query(description="Medewerker id of the regiehouder.")
    ] = None,
    zoek: Annotated[
        str | None,
        Query(max_length=100, pattern=ZONDER_STUURTEKENS, description="Text in titel or kenmerk."),
    ] = None,
    open: Annotated[
        bool | None, Query(description="true: not afgesloten; false: afgesloten.")
    ] = None,
    aangemeld_vanaf: Annotated[IsoDatum | None, Query(alias="aangemeldVanaf")] = None,
    aangemeld_tot: Annotated[IsoDatum | None, Query(alias="aangemeldTot")] = None,
) -> Pagina[CasusSamenvatting]:
    filter_ = lezen.Casusfilter(
        fase=fase,
        urgentie=urgentie,
        afdeling=afdeling,
        regiehouder=regiehouder,
        zoek=zoek.strip() if zoek and zoek.strip() else None,
        open=open,
        aangemeld_vanaf=aangemeld_vanaf,
        aangemeld_tot=aangemeld_tot,
    )
    return await lezen.casuspagina(ctx, filter_, vraag)


@router.post(
    "/casussen/_zoek",
    response_model=Pagina[CasusSamenvatting],
    responses=fouten(401),
    summary="Search visible casussen by BSN",
    description="A BSN never goes into a URL, so this search takes it in the body.",
)
async def casussen_zoeken(
    ctx: Ctx, vraag: PaginaDep, invoer: CasusZoekvraag
) -> Pagina[CasusSamenvatting]:
    filter_ = lezen.Casusfilter(bsn_zoekhash=bsn_kit.zoekhash(ctx.settings, invoer.bsn))
    return await lezen.casuspagina(ctx, filter_, vraag)


@router.post("/casussen", status_code=201, response_model=CasusUit, responses=fouten(401, 403))
async def casus_aanmelden(ctx: Ctx, invoer: CasusNieuw, response: Response) -> CasusUit:
    casus = await service.aanmelden(ctx, invoer)
    toegang = await casus_toegang(ctx, casus.kenmerk)
    response.headers["Location"] = f"/api/v1/casussen/{casus.kenmerk}"
    zet_etag(response, casus.versie)
    return await lezen.casus(ctx, toegang)


@router.get("/casussen/{kenmerk}", response_model=CasusUit, responses=fouten(401, 403, 404))
async def casus_lezen(
    ctx: Ctx,
    toegang: CasusVoorRugdekking,
    response: Response,
    toon_bsn: Annotated[
        bool, Query(alias="toonBsn", description="Show the full BSN (casusteam only; logged).")
    ] = False,
) -> CasusUit:
    zet_etag(response, toegang.casus.versie)
    return await lezen.casus(ctx, toegang, toon_bsn=toon_bsn)


@router.patch(
    "/casussen/{kenmerk}", response_model=CasusUit, responses=fouten(401, 403, 404, 409, 412, 428)
)
async def casus_wijzigen(
    ctx: Ctx, toegang: CasusFromPath, invoer: CasusWijziging, versie: IfMatch, response: Response
) -> CasusUit:
    casus = await service.wijzigen(ctx, toegang, invoer, versie)
    zet_etag(response, casus.versie)
    return await lezen.casus(ctx, toegang)


@router.get(
    "/casussen/{kenmerk}/fase-overgangen",
    response_model=Pagina[FaseOvergangUit],
    responses=fouten(401, 404),
)
async def fase_overgangen_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[FaseOvergangUit]:
    return await lezen.fase_overgangen(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/fase-overgangen",
    status_code=201,
    response_model=FaseOvergangUit,
    responses=fouten(401, 403, 404, 409),
)
async def fase_overgang_maken(
    ctx: Ctx, toegang: CasusFromPath, invoer: FaseOvergangNieuw, response: Response
) -> FaseOvergangUit:
    overgang = await service.fase_wijzigen(ctx, toegang, invoer)
    zet_etag(response, toegang.casus.versie)
    door = MedewerkerRef(id=ctx.actor.id, naam=ctx.actor.naam, afdeling=ctx.actor.afdeling_code)
    return lezen.fase_overgang(overgang, door)


@router.get(
    "/casussen/{kenmerk}/tijdlijn",
    response_model=Pagina[TijdlijnRegelUit],
    responses=fouten(401, 404),
)
async def tijdlijn_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[TijdlijnRegelUit]:
    return await lezen.tijdlijn(ctx, toegang, vraag)


@router.get(
    "/casussen/{kenmerk}/team",
    response_model=Pagina[TeamlidUit],
    responses=fouten(401, 404),
    summary="The casusteam with why each member is on it (one page: a team is small)",
)
async def team_lijst(ctx: Ctx, toegang: CasusFromPath) -> Pagina[TeamlidUit]:
    return Pagina(results=await lezen.team(ctx, toegang), next=None)


@router.post(
    "/casussen/{kenmerk}/team",
    status_code=201,
    response_model=Pagina[TeamlidUit],
    responses=fouten(401, 403, 404, 409),
    summary="Add a member; answers the whole casusteam",
)
async def teamlid_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: TeamlidNieuw
) -> Pagina[TeamlidUit]:
    await service.teamlid_toevoegen(ctx, toegang, invoer.medewerker)
    return Pagina(results=await lezen.team(ctx, toegang), next=None)


@router.delete(
    "/casussen/{kenmerk}/team/{medewerkerId}", status_code=204, responses=fouten(401, 403, 404, 409)
)
async def teamlid_verwijderen(
    ctx: Ctx,
    toegang: CasusFromPath,
    medewerker_id: Annotated[uuid.UUID, Path(alias="medewerkerId")],
) -> Response:
    await service.teamlid_verwijderen(ctx, toegang, medewerker_id)
    return Response(status_code=204)
