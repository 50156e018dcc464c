"""Betrokkenen, stappen and knelpunten of a casus, and the cross-case step work list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Query, Response

from doorbraak.afpellen import repository, service
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
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.models import Betrokkene, Knelpunt, Stap
from doorbraak.models.enums import StapStatus
from doorbraak.organisatie.service import Personen
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("afpellen")
LEZEN = fouten(401, 404)
SCHRIJVEN = fouten(401, 403, 404, 409)
WIJZIGEN = fouten(401, 403, 404, 409, 412, 428)


def vandaag() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# --- betrokkenen -------------------------------------------------------------------------------


@router.get(
    "/casussen/{kenmerk}/betrokkenen", response_model=Pagina[BetrokkeneUit], responses=LEZEN
)
async def betrokkenen_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[BetrokkeneUit]:
    rijen = await repository.betrokkenen(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[BetrokkeneUit.model_validate(b) for b in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda b: [b.aangemaakt_op, b.id]),
    )


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
    return BetrokkeneUit.model_validate(betrokkene)


@router.get("/casussen/{kenmerk}/betrokkenen/{id}", response_model=BetrokkeneUit, responses=LEZEN)
async def betrokkene_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> BetrokkeneUit:
    betrokkene = await service.onderdeel_of_404(ctx, toegang, Betrokkene, id)
    zet_etag(response, betrokkene.versie)
    return BetrokkeneUit.model_validate(betrokkene)


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
    return BetrokkeneUit.model_validate(betrokkene)


@router.delete("/casussen/{kenmerk}/betrokkenen/{id}", status_code=204, responses=WIJZIGEN)
async def betrokkene_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.betrokkene_verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)


# --- stappen -----------------------------------------------------------------------------------


def _stap(s: Stap, kenmerk: str, p: Personen, dag: dt.date) -> StapUit:
    return StapUit(
        id=s.id,
        kenmerk=kenmerk,
        titel=s.titel,
        fase=s.fase,
        afdeling=s.afdeling_code,
        eigenaar=p.ref(s.eigenaar_id),
        deadline_datum=s.deadline_datum,
        status=s.status,
        bevinding=s.bevinding,
        te_laat=service.te_laat(s, dag),
        aangemaakt_op=s.aangemaakt_op,
        afgerond_op=s.afgerond_op,
        versie=s.versie,
    )


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
    dag = vandaag()
    rijen = await repository.werklijst(
        ctx.session,
        ctx.actor,
        vraag,
        eigenaar=eigenaar,
        te_laat=te_laat,
        status=status,
        vandaag=dag,
    )
    p = await Personen.laad(ctx, [r.Stap.eigenaar_id for r in rijen])
    return Pagina(
        results=[_stap(r.Stap, r.kenmerk, p, dag) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.Stap.aangemaakt_op, r.Stap.id]),
    )


@router.get("/casussen/{kenmerk}/stappen", response_model=Pagina[StapUit], responses=LEZEN)
async def stappen_lijst(ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep) -> Pagina[StapUit]:
    rijen = await repository.stappen(ctx.session, toegang.casus.id, vraag)
    p = await Personen.laad(ctx, [s.eigenaar_id for s in rijen])
    dag = vandaag()
    return Pagina(
        results=[_stap(s, toegang.casus.kenmerk, p, dag) for s in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda s: [s.aangemaakt_op, s.id]),
    )


@router.post(
    "/casussen/{kenmerk}/stappen", status_code=201, response_model=StapUit, responses=SCHRIJVEN
)
async def stap_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: StapNieuw, response: Response
) -> StapUit:
    stap = await service.stap_toevoegen(ctx, toegang, invoer)
    zet_etag(response, stap.versie)
    return _stap(
        stap, toegang.casus.kenmerk, await Personen.laad(ctx, [stap.eigenaar_id]), vandaag()
    )


@router.get("/casussen/{kenmerk}/stappen/{id}", response_model=StapUit, responses=LEZEN)
async def stap_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> StapUit:
    stap = await service.onderdeel_of_404(ctx, toegang, Stap, id)
    zet_etag(response, stap.versie)
    return _stap(
        stap, toegang.casus.kenmerk, await Personen.laad(ctx, [stap.eigenaar_id]), vandaag()
    )


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
    return _stap(
        stap, toegang.casus.kenmerk, await Personen.laad(ctx, [stap.eigenaar_id]), vandaag()
    )


# --- knelpunten --------------------------------------------------------------------------------


def _knelpunt(k: Knelpunt) -> KnelpuntUit:
    return KnelpuntUit(
        id=k.id,
        soort=k.soort,
        niveau=k.niveau,
        omschrijving=k.omschrijving,
        regel=k.regel_id,
        afdeling=k.afdeling_code,
        status=k.status,
        aangemaakt_op=k.aangemaakt_op,
        versie=k.versie,
    )


@router.get("/casussen/{kenmerk}/knelpunten", response_model=Pagina[KnelpuntUit], responses=LEZEN)
async def knelpunten_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[KnelpuntUit]:
    rijen = await repository.knelpunten(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[_knelpunt(k) for k in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda k: [k.aangemaakt_op, k.id]),
    )


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
    return _knelpunt(knelpunt)


@router.get("/casussen/{kenmerk}/knelpunten/{id}", response_model=KnelpuntUit, responses=LEZEN)
async def knelpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> KnelpuntUit:
    knelpunt = await service.onderdeel_of_404(ctx, toegang, Knelpunt, id)
    zet_etag(response, knelpunt.versie)
    return _knelpunt(knelpunt)


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
    return _knelpunt(knelpunt)
