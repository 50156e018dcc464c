"""Casussen, fase-overgangen, tijdlijn and casusteam."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen import repository, service
from doorbraak.casussen.dependencies import CasusFromPath
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
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
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
    filter_ = repository.Casusfilter(
        fase=fase,
        urgentie=urgentie,
        afdeling=afdeling,
        regiehouder=regiehouder,
        zoek=zoek.strip() if zoek and zoek.strip() else None,
        open=open,
        aangemeld_vanaf=aangemeld_vanaf,
        aangemeld_tot=aangemeld_tot,
    )
    return await _casuspagina(ctx, filter_, vraag)


async def _casuspagina(
    ctx: Ctx, filter_: repository.Casusfilter, vraag: PaginaVraag
) -> Pagina[CasusSamenvatting]:
    rijen = await repository.lijst(ctx.session, ctx.actor, filter_, vraag)
    return Pagina(
        results=[
            CasusSamenvatting(
                kenmerk=r.kenmerk,
                titel=r.titel,
                urgentie=r.urgentie,
                fase=r.fase,
                regiehouder=MedewerkerRef.uit(r.rh_id, r.rh_naam, r.rh_afdeling),
                aangemeld_op=r.aangemeld_op,
                besluit_uiterlijk_datum=r.besluit_uiterlijk_datum,
                afgesloten_op=r.afgesloten_op,
                versie=r.versie,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


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
    filter_ = repository.Casusfilter(bsn_zoekhash=bsn_kit.zoekhash(ctx.settings, invoer.bsn))
    return await _casuspagina(ctx, filter_, vraag)


@router.post("/casussen", status_code=201, response_model=CasusUit, responses=fouten(401, 403))
async def casus_aanmelden(ctx: Ctx, invoer: CasusNieuw, response: Response) -> CasusUit:
    casus = await service.aanmelden(ctx, invoer)
    toegang = await casus_toegang(ctx, casus.kenmerk)
    response.headers["Location"] = f"/api/v1/casussen/{casus.kenmerk}"
    zet_etag(response, casus.versie)
    return await service.casus_uit(ctx, toegang)


@router.get("/casussen/{kenmerk}", response_model=CasusUit, responses=fouten(401, 403, 404))
async def casus_lezen(
    ctx: Ctx,
    toegang: CasusFromPath,
    response: Response,
    toon_bsn: Annotated[
        bool, Query(alias="toonBsn", description="Show the full BSN (casusteam only; logged).")
    ] = False,
) -> CasusUit:
    zet_etag(response, toegang.casus.versie)
    return await service.casus_uit(ctx, toegang, toon_bsn=toon_bsn)


@router.patch(
    "/casussen/{kenmerk}", response_model=CasusUit, responses=fouten(401, 403, 404, 409, 412, 428)
)
async def casus_wijzigen(
    ctx: Ctx, toegang: CasusFromPath, invoer: CasusWijziging, versie: IfMatch, response: Response
) -> CasusUit:
    casus = await service.wijzigen(ctx, toegang, invoer, versie)
    zet_etag(response, casus.versie)
    return await service.casus_uit(ctx, toegang)


@router.get(
    "/casussen/{kenmerk}/fase-overgangen",
    response_model=Pagina[FaseOvergangUit],
    responses=fouten(401, 404),
)
async def fase_overgangen_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[FaseOvergangUit]:
    rijen = await repository.fase_overgangen(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[
            FaseOvergangUit(
                id=r.id,
                van=r.van,
                naar=r.naar,
                door=MedewerkerRef(id=r.door_id, naam=r.door_naam, afdeling=r.door_afdeling),
                op=r.op,
                toelichting=r.toelichting,
                afsluitreden=r.afsluitreden,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.op, r.id]),
    )


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
    return FaseOvergangUit(
        id=overgang.id,
        van=overgang.van,
        naar=overgang.naar,
        door=MedewerkerRef(id=ctx.actor.id, naam=ctx.actor.naam, afdeling=ctx.actor.afdeling_code),
        op=overgang.op,
        toelichting=overgang.toelichting,
        afsluitreden=overgang.afsluitreden,
    )


@router.get(
    "/casussen/{kenmerk}/tijdlijn",
    response_model=Pagina[TijdlijnRegelUit],
    responses=fouten(401, 404),
)
async def tijdlijn_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[TijdlijnRegelUit]:
    rijen = await repository.tijdlijn(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[
            TijdlijnRegelUit(
                id=r.id,
                op=r.op,
                door=MedewerkerRef.uit(r.door_id, r.door_naam, r.door_afdeling),
                actie=r.actie,
                object_soort=r.object_soort,
                object_id=r.object_id,
                wijzigingen=r.wijzigingen,
                toelichting=r.toelichting,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


@router.get("/casussen/{kenmerk}/team", response_model=list[TeamlidUit], responses=fouten(401, 404))
async def team_lijst(ctx: Ctx, toegang: CasusFromPath) -> list[TeamlidUit]:
    rijen = await repository.casusteam(ctx.session, toegang.casus)
    leden: dict[uuid.UUID, TeamlidUit] = {}
    for r in rijen:
        lid = leden.setdefault(
            r.id,
            TeamlidUit(
                medewerker=MedewerkerRef(id=r.id, naam=r.naam, afdeling=r.afdeling_code), rollen=[]
            ),
        )
        if r.rol not in lid.rollen:
            lid.rollen.append(r.rol)
    return list(leden.values())


@router.post(
    "/casussen/{kenmerk}/team",
    status_code=201,
    response_model=list[TeamlidUit],
    responses=fouten(401, 403, 404, 409),
)
async def teamlid_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: TeamlidNieuw
) -> list[TeamlidUit]:
    await service.teamlid_toevoegen(ctx, toegang, invoer.medewerker)
    return await team_lijst(ctx, toegang)


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
