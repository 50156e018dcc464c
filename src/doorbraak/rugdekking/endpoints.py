"""Rugdekking by request: the kandidaten of an afwijking and the rugdekkingsverzoeken."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Header, Query, Response

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath, doelbinding_uit_header
from doorbraak.kit.etag import zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.models.enums import RugdekkingsverzoekStatus
from doorbraak.rugdekking import lezen, service
from doorbraak.rugdekking.schemas import (
    Aan,
    KandidaatUit,
    RugdekkingsverzoekAntwoord,
    RugdekkingsverzoekIntrekken,
    RugdekkingsverzoekNieuw,
    RugdekkingsverzoekUit,
)
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("maatwerk")
SCHRIJVEN = fouten(400, 401, 403, 404, 409)

Doelbinding = Annotated[
    str | None,
    Header(
        max_length=policy.DOELBINDING_MAX,
        description="Purpose of this read (auditor only, outside the casusteam); kept in the "
        "logboek.",
    ),
]


def _doel(ctx: Werkcontext, x_doelbinding: str | None) -> str | None:
    doelbinding = doelbinding_uit_header(x_doelbinding)
    if doelbinding is not None:
        ctx.staat.doelbinding = doelbinding
    return doelbinding


@router.get(
    "/casussen/{kenmerk}/afwijkingen/{id}/kandidaten",
    response_model=list[KandidaatUit],
    responses=fouten(401, 404),
    summary="Medewerkers whose mandaat (amount, risk, scope) covers this afwijking and who are "
    "not involved in it: whom the regiehouder may ask for rugdekking",
)
async def kandidaten_lijst(ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID) -> list[KandidaatUit]:
    return await lezen.kandidaten(ctx, toegang, id)


@router.get(
    "/rugdekkingsverzoeken",
    response_model=Pagina[RugdekkingsverzoekUit],
    responses=fouten(400, 401, 404),
    summary="Rugdekkingsverzoeken: `aan=ik` is the inbox of a mandate holder; `afwijking` lists "
    "those about one afwijking (for whoever sees its casus)",
)
async def rugdekkingsverzoeken_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    aan: Annotated[Aan | None, Query(description="`ik`: the requests addressed to you.")] = None,
    afwijking: Annotated[uuid.UUID | None, Query(description="Those about this afwijking.")] = None,
    status: RugdekkingsverzoekStatus | None = None,
    x_doelbinding: Doelbinding = None,
) -> Pagina[RugdekkingsverzoekUit]:
    return await lezen.verzoeken(
        ctx,
        vraag,
        aan_ik=aan is Aan.ik,
        afwijking=afwijking,
        status=status,
        doelbinding=_doel(ctx, x_doelbinding),
    )


@router.post(
    "/rugdekkingsverzoeken",
    status_code=201,
    response_model=RugdekkingsverzoekUit,
    responses=SCHRIJVEN,
    summary="Ask one kandidaat for the rugdekking of an afwijking (the regiehouder); gives them "
    "need-to-know access to the casus while the verzoek is open",
)
async def rugdekkingsverzoek_sturen(
    ctx: Ctx, invoer: RugdekkingsverzoekNieuw, response: Response
) -> RugdekkingsverzoekUit:
    verzoek = await service.verzoek_sturen(ctx, invoer)
    zet_etag(response, verzoek.versie)
    return await lezen.verzoek(ctx, verzoek.id)


@router.get(
    "/rugdekkingsverzoeken/{id}",
    response_model=RugdekkingsverzoekUit,
    responses=fouten(401, 404),
)
async def rugdekkingsverzoek_lezen(
    ctx: Ctx, id: uuid.UUID, response: Response, x_doelbinding: Doelbinding = None
) -> RugdekkingsverzoekUit:
    uit = await lezen.verzoek(ctx, id, doelbinding=_doel(ctx, x_doelbinding))
    zet_etag(response, uit.versie)
    return uit


@router.post(
    "/rugdekkingsverzoeken/{id}/beantwoorden",
    response_model=RugdekkingsverzoekUit,
    responses=SCHRIJVEN,
    summary="The addressee answers: gedekt or afgewezen with a motivering, recorded as the "
    "afwijking's rugdekking under its rules; once",
)
async def rugdekkingsverzoek_beantwoorden(
    ctx: Ctx,
    id: uuid.UUID,
    invoer: RugdekkingsverzoekAntwoord,
    response: Response,
    x_doelbinding: Doelbinding = None,
) -> RugdekkingsverzoekUit:
    verzoek = await service.beantwoorden(ctx, id, invoer, doelbinding=_doel(ctx, x_doelbinding))
    zet_etag(response, verzoek.versie)
    return await lezen.verzoek(ctx, verzoek.id)


@router.post(
    "/rugdekkingsverzoeken/{id}/intrekken",
    response_model=RugdekkingsverzoekUit,
    responses=SCHRIJVEN,
    summary="Withdraw an open verzoek with a reason (the regiehouder); the addressee's access ends",
)
async def rugdekkingsverzoek_intrekken(
    ctx: Ctx,
    id: uuid.UUID,
    invoer: RugdekkingsverzoekIntrekken,
    response: Response,
    x_doelbinding: Doelbinding = None,
) -> RugdekkingsverzoekUit:
    verzoek = await service.intrekken(ctx, id, invoer, doelbinding=_doel(ctx, x_doelbinding))
    zet_etag(response, verzoek.versie)
    return await lezen.verzoek(ctx, verzoek.id)
