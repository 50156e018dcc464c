"""The perspectiefplan of a casus (huishoudleden, doelen, afspraken, the household's consent),
the catalogue of external parties, their deelnames in a casus, and due nazorg moments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.huishouden import lezen, service
from doorbraak.huishouden.schemas import (
    AfspraakNieuw,
    AfspraakUit,
    AfspraakWijziging,
    DoelNieuw,
    DoelUit,
    DoelWijziging,
    ExternePartijNieuw,
    ExternePartijUit,
    ExternePartijWijziging,
    HuishoudlidNieuw,
    HuishoudlidUit,
    HuishoudlidWijziging,
    InstemmingNieuw,
    NazorgMoment,
    PartijdeelnameNieuw,
    PartijdeelnameUit,
    PartijdeelnameWijziging,
    PerspectiefplanUit,
)
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.kit.schema import CODE_PATROON, IsoDatum
from doorbraak.models import Afspraak, Doel, Huishoudlid
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("huishouden")
LEZEN = fouten(401, 404)
SCHRIJVEN = fouten(401, 403, 404, 409)
WIJZIGEN = fouten(401, 403, 404, 409, 412, 428)
PartijCode = Annotated[str, Path(alias="partijCode", pattern=CODE_PATROON, max_length=40)]
Code = Annotated[str, Path(pattern=CODE_PATROON, max_length=40)]


# --- the plan ----------------------------------------------------------------------------------


@router.get(
    "/casussen/{kenmerk}/perspectiefplan",
    response_model=PerspectiefplanUit,
    responses=LEZEN,
    summary="The household's plan: members, doelen per leefgebied, afspraken, consent",
)
async def perspectiefplan_lezen(ctx: Ctx, toegang: CasusFromPath) -> PerspectiefplanUit:
    return await lezen.perspectiefplan(ctx, toegang)


@router.post(
    "/casussen/{kenmerk}/perspectiefplan/instemming",
    status_code=201,
    response_model=PerspectiefplanUit,
    responses=fouten(400, 401, 403, 404, 409),
    summary="Record that the household agreed to its plan (needs at least one doel)",
)
async def instemming_vastleggen(
    ctx: Ctx, toegang: CasusFromPath, invoer: InstemmingNieuw
) -> PerspectiefplanUit:
    await service.instemming_vastleggen(ctx, toegang, invoer)
    return await lezen.perspectiefplan(ctx, toegang)


@router.delete(
    "/casussen/{kenmerk}/perspectiefplan/instemming", status_code=204, responses=SCHRIJVEN
)
async def instemming_intrekken(ctx: Ctx, toegang: CasusFromPath) -> Response:
    await service.instemming_intrekken(ctx, toegang)
    return Response(status_code=204)


# --- huishoudleden ------------------------------------------------------------------------------


@router.post(
    "/casussen/{kenmerk}/huishoudleden",
    status_code=201,
    response_model=HuishoudlidUit,
    responses=SCHRIJVEN,
)
async def huishoudlid_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: HuishoudlidNieuw, response: Response
) -> HuishoudlidUit:
    lid = await service.huishoudlid_toevoegen(ctx, toegang, invoer)
    zet_etag(response, lid.versie)
    return lezen.huishoudlid(lid, toegang)


@router.get(
    "/casussen/{kenmerk}/huishoudleden/{id}", response_model=HuishoudlidUit, responses=LEZEN
)
async def huishoudlid_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> HuishoudlidUit:
    lid = await service.onderdeel_of_404(ctx, toegang, Huishoudlid, id)
    zet_etag(response, lid.versie)
    return lezen.huishoudlid(lid, toegang)


@router.patch(
    "/casussen/{kenmerk}/huishoudleden/{id}", response_model=HuishoudlidUit, responses=WIJZIGEN
)
async def huishoudlid_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: HuishoudlidWijziging,
    versie: IfMatch,
    response: Response,
) -> HuishoudlidUit:
    lid = await service.huishoudlid_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, lid.versie)
    return lezen.huishoudlid(lid, toegang)


@router.delete("/casussen/{kenmerk}/huishoudleden/{id}", status_code=204, responses=WIJZIGEN)
async def huishoudlid_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.huishoudlid_verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)


# --- doelen -------------------------------------------------------------------------------------


@router.post(
    "/casussen/{kenmerk}/doelen", status_code=201, response_model=DoelUit, responses=SCHRIJVEN
)
async def doel_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: DoelNieuw, response: Response
) -> DoelUit:
    doel = await service.doel_toevoegen(ctx, toegang, invoer)
    zet_etag(response, doel.versie)
    return await lezen.een_doel(ctx, toegang, doel)


@router.get("/casussen/{kenmerk}/doelen/{id}", response_model=DoelUit, responses=LEZEN)
async def doel_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> DoelUit:
    doel = await service.onderdeel_of_404(ctx, toegang, Doel, id)
    zet_etag(response, doel.versie)
    return await lezen.een_doel(ctx, toegang, doel)


@router.patch("/casussen/{kenmerk}/doelen/{id}", response_model=DoelUit, responses=WIJZIGEN)
async def doel_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: DoelWijziging,
    versie: IfMatch,
    response: Response,
) -> DoelUit:
    doel = await service.doel_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, doel.versie)
    return await lezen.een_doel(ctx, toegang, doel)


@router.delete("/casussen/{kenmerk}/doelen/{id}", status_code=204, responses=WIJZIGEN)
async def doel_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.doel_verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)


# --- afspraken -------------------------------------------------------------------------------


@router.post(
    "/casussen/{kenmerk}/afspraken",
    status_code=201,
    response_model=AfspraakUit,
    responses=fouten(400, 401, 403, 404, 409),
)
async def afspraak_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: AfspraakNieuw, response: Response
) -> AfspraakUit:
    afspraak = await service.afspraak_toevoegen(ctx, toegang, invoer)
    zet_etag(response, afspraak.versie)
    return await lezen.een_afspraak(ctx, toegang, afspraak)


@router.get("/casussen/{kenmerk}/afspraken/{id}", response_model=AfspraakUit, responses=LEZEN)
async def afspraak_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> AfspraakUit:
    afspraak = await service.onderdeel_of_404(ctx, toegang, Afspraak, id)
    zet_etag(response, afspraak.versie)
    return await lezen.een_afspraak(ctx, toegang, afspraak)


@router.patch("/casussen/{kenmerk}/afspraken/{id}", response_model=AfspraakUit, responses=WIJZIGEN)
async def afspraak_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    id: uuid.UUID,
    invoer: AfspraakWijziging,
    versie: IfMatch,
    response: Response,
) -> AfspraakUit:
    afspraak = await service.afspraak_wijzigen(ctx, toegang, id, invoer, versie)
    zet_etag(response, afspraak.versie)
    return await lezen.een_afspraak(ctx, toegang, afspraak)


@router.delete("/casussen/{kenmerk}/afspraken/{id}", status_code=204, responses=WIJZIGEN)
async def afspraak_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.afspraak_verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)


# --- the catalogue of external parties (beheerder) -------------------------------------------------


@router.get("/externe-partijen", response_model=Pagina[ExternePartijUit], responses=fouten(401))
async def externe_partijen_lijst(
    ctx: Ctx, vraag: PaginaDep, actief: bool | None = None
) -> Pagina[ExternePartijUit]:
    return await lezen.partijen(ctx, vraag, actief)


@router.post(
    "/externe-partijen",
    status_code=201,
    response_model=ExternePartijUit,
    responses=fouten(401, 403, 409),
)
async def externe_partij_toevoegen(
    ctx: Ctx, invoer: ExternePartijNieuw, response: Response
) -> ExternePartijUit:
    partij = await service.partij_toevoegen(ctx, invoer)
    zet_etag(response, partij.versie)
    return lezen.partij(partij)


@router.get("/externe-partijen/{code}", response_model=ExternePartijUit, responses=LEZEN)
async def externe_partij_lezen(ctx: Ctx, code: Code, response: Response) -> ExternePartijUit:
    partij = await service.partij_of_404(ctx, code)
    zet_etag(response, partij.versie)
    return lezen.partij(partij)


@router.patch(
    "/externe-partijen/{code}",
    response_model=ExternePartijUit,
    responses=fouten(401, 403, 404, 412, 428),
)
async def externe_partij_wijzigen(
    ctx: Ctx, code: Code, invoer: ExternePartijWijziging, versie: IfMatch, response: Response
) -> ExternePartijUit:
    partij = await service.partij_wijzigen(ctx, code, invoer, versie)
    zet_etag(response, partij.versie)
    return lezen.partij(partij)


# --- partijdeelnames ------------------------------------------------------------------------------


@router.get(
    "/casussen/{kenmerk}/partijdeelnames",
    response_model=Pagina[PartijdeelnameUit],
    responses=LEZEN,
    summary="External parties taking part (a casus has a handful: one page)",
)
async def partijdeelnames_lijst(ctx: Ctx, toegang: CasusFromPath) -> Pagina[PartijdeelnameUit]:
    return Pagina(results=await lezen.partijdeelnames(ctx, toegang), next=None)


@router.post(
    "/casussen/{kenmerk}/partijdeelnames",
    status_code=201,
    response_model=PartijdeelnameUit,
    responses=fouten(400, 401, 403, 404, 409),
)
async def partijdeelname_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, invoer: PartijdeelnameNieuw, response: Response
) -> PartijdeelnameUit:
    deelname = await service.partijdeelname_toevoegen(ctx, toegang, invoer)
    zet_etag(response, deelname.versie)
    return await lezen.partijdeelname(ctx, toegang, deelname)


@router.get(
    "/casussen/{kenmerk}/partijdeelnames/{partijCode}",
    response_model=PartijdeelnameUit,
    responses=LEZEN,
)
async def partijdeelname_lezen(
    ctx: Ctx, toegang: CasusFromPath, partij_code: PartijCode, response: Response
) -> PartijdeelnameUit:
    deelname = await service.partijdeelname_of_404(ctx, toegang, partij_code)
    zet_etag(response, deelname.versie)
    return await lezen.partijdeelname(ctx, toegang, deelname)


@router.patch(
    "/casussen/{kenmerk}/partijdeelnames/{partijCode}",
    response_model=PartijdeelnameUit,
    responses=WIJZIGEN,
)
async def partijdeelname_wijzigen(
    ctx: Ctx,
    toegang: CasusFromPath,
    partij_code: PartijCode,
    invoer: PartijdeelnameWijziging,
    versie: IfMatch,
    response: Response,
) -> PartijdeelnameUit:
    deelname = await service.partijdeelname_wijzigen(ctx, toegang, partij_code, invoer, versie)
    zet_etag(response, deelname.versie)
    return await lezen.partijdeelname(ctx, toegang, deelname)


@router.delete(
    "/casussen/{kenmerk}/partijdeelnames/{partijCode}", status_code=204, responses=WIJZIGEN
)
async def partijdeelname_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, partij_code: PartijCode, versie: IfMatch
) -> Response:
    await service.partijdeelname_verwijderen(ctx, toegang, partij_code, versie)
    return Response(status_code=204)


# --- nazorg ----------------------------------------------------------------------------------


@router.get(
    "/nazorgmomenten",
    response_model=list[NazorgMoment],
    responses=fouten(401),
    summary="Nazorg moments due on the visible casussen (closed ones included)",
)
async def nazorgmomenten_lijst(
    ctx: Ctx,
    tot: Annotated[IsoDatum | None, Query(description="Due by this day; default today.")] = None,
    alleen_eigen: Annotated[bool, Query(alias="alleenEigen")] = False,
) -> list[NazorgMoment]:
    return await lezen.nazorg_te_doen(ctx, tot=tot, alleen_eigen=alleen_eigen)
