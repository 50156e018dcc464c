"""Leerpunten of a casus; verhalen and beleidssignalen across casussen."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Response

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.leren import repository, service
from doorbraak.leren.schemas import (
    BeleidssignaalUit,
    LeerpuntNieuw,
    LeerpuntUit,
    LeerpuntWijziging,
    VerhaalUit,
)
from doorbraak.models import Leerpunt
from doorbraak.models.enums import SignaalStatus
from doorbraak.organisatie.schemas import RegelRef
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("leren")


def _leerpunt(lp: Leerpunt, kenmerk: str) -> LeerpuntUit:
    return LeerpuntUit(
        id=lp.id,
        kenmerk=kenmerk,
        soort=lp.soort,
        tekst=lp.tekst,
        voor_wie=lp.voor_wie,
        delen=lp.delen,
        gedeeld_op=lp.gedeeld_op,
        signaal_status=lp.signaal_status,
        aangemaakt_op=lp.aangemaakt_op,
        versie=lp.versie,
    )


@router.get(
    "/casussen/{kenmerk}/leerpunten",
    response_model=Pagina[LeerpuntUit],
    responses=fouten(401, 404),
)
async def leerpunten_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[LeerpuntUit]:
    rijen = await repository.leerpunten(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[_leerpunt(lp, toegang.casus.kenmerk) for lp in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda lp: [lp.aangemaakt_op, lp.id]),
    )


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
    return _leerpunt(leerpunt, toegang.casus.kenmerk)


@router.get(
    "/casussen/{kenmerk}/leerpunten/{id}", response_model=LeerpuntUit, responses=fouten(401, 404)
)
async def leerpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_of_404(ctx, toegang, id)
    zet_etag(response, leerpunt.versie)
    return _leerpunt(leerpunt, toegang.casus.kenmerk)


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
    return _leerpunt(leerpunt, toegang.casus.kenmerk)


@router.get(
    "/verhalen",
    response_model=Pagina[VerhaalUit],
    responses=fouten(401, 403),
    summary="Shared, anonymised success stories (every medewerker)",
)
async def verhalen(ctx: Ctx, vraag: PaginaDep) -> Pagina[VerhaalUit]:
    policy.mag_verhalen_lezen(ctx.actor)
    rijen = await repository.verhalen(ctx.session, vraag)
    return Pagina(
        results=[
            VerhaalUit(id=r.id, tekst=r.tekst, voor_wie=r.voor_wie, gedeeld_op=r.gedeeld_op)
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.gedeeld_op, r.id]),
    )


def _signaal(r: Any) -> BeleidssignaalUit:
    regel = None
    if r.regel_id is not None:
        regel = RegelRef(id=r.regel_id, titel=r.regel_titel, regeling=r.regeling, artikel=r.artikel)
    return BeleidssignaalUit(
        id=r.id,
        bron=r.bron,
        tekst=r.tekst,
        voor_wie=r.voor_wie,
        regel=regel,
        grondslag=r.grondslag,
        risico=r.risico,
        signaal_status=r.signaal_status,
        gemeld_op=r.gemeld_op,
    )


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
    policy.mag_registers_lezen(ctx.actor)
    rijen = await repository.beleidssignalen(ctx.session, vraag, signaal_status)
    return Pagina(
        results=[_signaal(r) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.gemeld_op, r.id]),
    )
