"""Regie, deelnames and escalaties of a casus."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.kit.schema import WijzigVerwijderActies
from doorbraak.models import Deelname, Escalatie, Regievoering
from doorbraak.organisatie.service import Personen
from doorbraak.regie import repository, service
from doorbraak.regie.schemas import (
    DeelnameNieuw,
    DeelnameUit,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieUit,
    EscalatieWijziging,
    RegieNieuw,
    RegieUit,
    RegievoeringUit,
)
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("regie")
AfdelingCode = Annotated[
    str, Path(alias="afdelingCode", pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
]


def _regievoering(r: Regievoering, p: Personen) -> RegievoeringUit:
    return RegievoeringUit(
        id=r.id,
        medewerker=p.vereist(r.medewerker_id),
        van=r.van,
        tot=r.tot,
        reden=r.reden,
        overdrachtsnotitie=r.overdrachtsnotitie,
        toegewezen_door=p.vereist(r.toegewezen_door_id),
    )


@router.get("/casussen/{kenmerk}/regie", response_model=RegieUit, responses=fouten(401, 404))
async def regie_lezen(ctx: Ctx, toegang: CasusFromPath) -> RegieUit:
    voeringen = await repository.regievoeringen(ctx.session, toegang.casus.id)
    p = await Personen.laad(
        ctx, [i for r in voeringen for i in (r.medewerker_id, r.toegewezen_door_id)]
    )
    huidige = next((r for r in voeringen if r.tot is None), None)
    return RegieUit(
        huidige=_regievoering(huidige, p) if huidige else None,
        historie=[_regievoering(r, p) for r in voeringen],
    )


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


async def _deelname(d: Deelname, ctx: Ctx, toegang: CasusToegang) -> DeelnameUit:
    p = await Personen.laad(ctx, [d.contactpersoon_id])
    return _deelname_uit(d, p, toegang)


def _deelname_uit(d: Deelname, p: Personen, toegang: CasusToegang) -> DeelnameUit:
    return DeelnameUit(
        id=d.id,
        afdeling=d.afdeling_code,
        contactpersoon=p.ref(d.contactpersoon_id),
        standpunt=d.standpunt,
        aangemaakt_op=d.aangemaakt_op,
        versie=d.versie,
        toegestane_acties=WijzigVerwijderActies.model_validate(toegang.onderdeel_acties),
    )


@router.get(
    "/casussen/{kenmerk}/deelnames", response_model=Pagina[DeelnameUit], responses=fouten(401, 404)
)
async def deelnames_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[DeelnameUit]:
    rijen = await repository.deelnames(ctx.session, toegang.casus.id, vraag)
    p = await Personen.laad(ctx, [d.contactpersoon_id for d in rijen])
    return Pagina(
        results=[_deelname_uit(d, p, toegang) for d in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda d: [d.aangemaakt_op, d.id]),
    )


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
    return await _deelname(deelname, ctx, toegang)


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
    return await _deelname(deelname, ctx, toegang)


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
    return await _deelname(deelname, ctx, toegang)


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


def _escalatie(e: Escalatie, p: Personen) -> EscalatieUit:
    return EscalatieUit(
        id=e.id,
        niveau=e.niveau,
        reden=e.reden,
        uitkomst=e.uitkomst,
        aangevraagd_door=p.vereist(e.aangevraagd_door_id),
        aangevraagd_op=e.aangevraagd_op,
        afgehandeld_door=p.ref(e.afgehandeld_door_id),
        afgehandeld_op=e.afgehandeld_op,
        versie=e.versie,
    )


@router.get(
    "/casussen/{kenmerk}/escalaties",
    response_model=Pagina[EscalatieUit],
    responses=fouten(401, 404),
)
async def escalaties_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep
) -> Pagina[EscalatieUit]:
    rijen = await repository.escalaties(ctx.session, toegang.casus.id, vraag)
    p = await Personen.laad(
        ctx, [i for e in rijen for i in (e.aangevraagd_door_id, e.afgehandeld_door_id)]
    )
    return Pagina(
        results=[_escalatie(e, p) for e in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda e: [e.aangevraagd_op, e.id]),
    )


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
    zet_etag(response, escalatie.versie)
    return _escalatie(escalatie, await Personen.laad(ctx, [escalatie.aangevraagd_door_id]))


@router.get(
    "/casussen/{kenmerk}/escalaties/{id}", response_model=EscalatieUit, responses=fouten(401, 404)
)
async def escalatie_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> EscalatieUit:
    escalatie = await service.escalatie_of_404(ctx, toegang, id)
    zet_etag(response, escalatie.versie)
    return _escalatie(
        escalatie,
        await Personen.laad(ctx, [escalatie.aangevraagd_door_id, escalatie.afgehandeld_door_id]),
    )


@router.patch(
    "/casussen/{kenmerk}/escalaties/{id}",
    response_model=EscalatieUit,
    responses=fouten(401, 403, 404, 409, 412, 428),
    summary="Record the uitkomst of an escalatie (handles it)",
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
    zet_etag(response, escalatie.versie)
    return _escalatie(
        escalatie,
        await Personen.laad(ctx, [escalatie.aangevraagd_door_id, escalatie.afgehandeld_door_id]),
    )
