"""My e-mail meldingen: direct, a daily digest, or off."""

from __future__ import annotations

from fastapi import Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.meldingen import lezen, service
from doorbraak.meldingen.schemas import MeldingvoorkeurInvoer, MeldingvoorkeurUit
from doorbraak.werk.router import api_router

router = api_router("meldingen")


@router.get(
    "/ik/meldingvoorkeur",
    response_model=MeldingvoorkeurUit,
    responses=fouten(401),
    summary="How I get e-mail meldingen: direct, dagelijks (a digest) or uit",
)
async def meldingvoorkeur_lezen(ctx: Ctx, response: Response) -> MeldingvoorkeurUit:
    uit = await lezen.voorkeur(ctx)
    zet_etag(response, uit.versie)
    return uit


@router.put(
    "/ik/meldingvoorkeur",
    response_model=MeldingvoorkeurUit,
    responses=fouten(401, 412, 428),
    summary="Set how I get e-mail meldingen (If-Match: the version read, 0 for the default)",
    description="Applies to meldingen of events from now on; those already queued are sent as "
    "they were queued.",
)
async def meldingvoorkeur_zetten(
    ctx: Ctx, invoer: MeldingvoorkeurInvoer, versie: IfMatch, response: Response
) -> MeldingvoorkeurUit:
    v = await service.voorkeur_zetten(ctx, invoer.voorkeur, versie)
    uit = lezen.voorkeur_uit(v)
    zet_etag(response, uit.versie)
    return uit
