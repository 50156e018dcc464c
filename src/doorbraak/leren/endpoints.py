"""Leerpunten of a casus; verhalen and beleidssignalen across casussen."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Response

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import NietToegestaan
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
from doorbraak.models import Leerpunt, Medewerker
from doorbraak.models.enums import LeerpuntSoort, SignaalStatus, VerhaalStatus
from doorbraak.organisatie.schemas import RegelRef
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("leren")


def _verhaal_status(lp: Leerpunt) -> VerhaalStatus | None:
    if lp.soort != LeerpuntSoort.succes:
        return None
    if lp.delen:
        return VerhaalStatus.gedeeld if lp.gedeeld_op else VerhaalStatus.wacht_op_goedkeuring
    return VerhaalStatus.ingetrokken if lp.ingetrokken_op else VerhaalStatus.niet_gedeeld


def _leerpunt(lp: Leerpunt, toegang: CasusToegang, actor: Medewerker) -> LeerpuntUit:
    status = _verhaal_status(lp)
    try:
        if status != VerhaalStatus.wacht_op_goedkeuring:
            raise NietToegestaan("")
        policy.mag_verhaal_goedkeuren(actor, toegang.rechten, lp)
        mag_goedkeuren = True
    except NietToegestaan:
        mag_goedkeuren = False
    return LeerpuntUit(
        id=lp.id,
        kenmerk=toegang.casus.kenmerk,
        soort=lp.soort,
        tekst=lp.tekst,
        voor_wie=lp.voor_wie,
        delen=lp.delen,
        gedeeld_op=lp.gedeeld_op,
        verhaal_status=status,
        toestemming_op=lp.toestemming_op,
        goedgekeurd_op=lp.goedgekeurd_op,
        mag_goedkeuren=mag_goedkeuren,
        mag_intrekken=lp.delen and policy.mag_verhaal_intrekken(actor, lp),
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
        results=[_leerpunt(lp, toegang, ctx.actor) for lp in rijen[: vraag.limit]],
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
    return _leerpunt(leerpunt, toegang, ctx.actor)


@router.get(
    "/casussen/{kenmerk}/leerpunten/{id}", response_model=LeerpuntUit, responses=fouten(401, 404)
)
async def leerpunt_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> LeerpuntUit:
    leerpunt = await service.leerpunt_of_404(ctx, toegang, id)
    zet_etag(response, leerpunt.versie)
    return _leerpunt(leerpunt, toegang, ctx.actor)


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
    return _leerpunt(leerpunt, toegang, ctx.actor)


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
    return _leerpunt(leerpunt, toegang, ctx.actor)


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
