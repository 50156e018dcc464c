"""Besluiten with their reacties, and afwijkingen with rugdekking, of a casus."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.errors import NietGevonden
from doorbraak.kit.etag import zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.maatwerk import repository, service
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    AfwijkingUit,
    BesluitNieuw,
    BesluitUit,
    IntrekkenInvoer,
    ReactieNieuw,
    ReactieUit,
    Rugdekking,
    RugdekkingNieuw,
    VaststellenInvoer,
    Waardentoets,
)
from doorbraak.models import Afwijking, Besluit, Reactie
from doorbraak.models.enums import AfwijkingStatus, BesluitStatus
from doorbraak.organisatie.schemas import RegelRef
from doorbraak.organisatie.service import Personen
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("maatwerk")
LEZEN = fouten(401, 404)
SCHRIJVEN = fouten(401, 403, 404, 409)


# --- besluiten ---------------------------------------------------------------------------------


def _reactie(r: Reactie, p: Personen) -> ReactieUit:
    return ReactieUit(
        id=r.id,
        afdeling=r.afdeling_code,
        reactie=r.reactie,
        toelichting=r.toelichting,
        door=p.vereist(r.door_id),
        op=r.op,
        versie=r.versie,
    )


def _besluit(b: Besluit, kenmerk: str, reacties: Sequence[Reactie], p: Personen) -> BesluitUit:
    return BesluitUit(
        id=b.id,
        kenmerk=kenmerk,
        omschrijving=b.omschrijving,
        motivering=b.motivering,
        kosten_eenmalig_cent=b.kosten_eenmalig_cent,
        kosten_per_jaar_cent=b.kosten_per_jaar_cent,
        betalende_afdeling=b.betalende_afdeling_code,
        status=BesluitStatus(b.status),
        vervangt=b.vervangt_id,
        reacties=[_reactie(r, p) for r in reacties if r.besluit_id == b.id],
        afweging=b.afweging,
        opgesteld_door=p.vereist(b.opgesteld_door_id),
        aangemaakt_op=b.aangemaakt_op,
        vastgesteld_door=p.ref(b.vastgesteld_door_id),
        vastgesteld_op=b.vastgesteld_op,
        ingetrokken_op=b.ingetrokken_op,
        intrekkingsreden=b.intrekkingsreden,
        versie=b.versie,
    )


async def _besluiten_uit(ctx: Ctx, besluiten: Sequence[Besluit], kenmerk: str) -> list[BesluitUit]:
    """Besluiten with their reacties and people: two queries for the whole list."""
    reacties = await repository.reacties(ctx.session, [b.id for b in besluiten])
    p = await Personen.laad(
        ctx,
        [i for b in besluiten for i in (b.opgesteld_door_id, b.vastgesteld_door_id)]
        + [r.door_id for r in reacties],
    )
    return [_besluit(b, kenmerk, reacties, p) for b in besluiten]


async def _een_besluit(ctx: Ctx, besluit: Besluit, kenmerk: str, response: Response) -> BesluitUit:
    zet_etag(response, besluit.versie)
    return (await _besluiten_uit(ctx, [besluit], kenmerk))[0]


@router.get("/casussen/{kenmerk}/besluiten", response_model=Pagina[BesluitUit], responses=LEZEN)
async def besluiten_lijst(
    ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep, status: BesluitStatus | None = None
) -> Pagina[BesluitUit]:
    rijen = await repository.besluiten(ctx.session, toegang.casus.id, vraag, status)
    return Pagina(
        results=await _besluiten_uit(ctx, rijen[: vraag.limit], toegang.casus.kenmerk),
        next=volgende_url(vraag, rijen, lambda b: [b.aangemaakt_op, b.id]),
    )


@router.post(
    "/casussen/{kenmerk}/besluiten",
    status_code=201,
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Draft a besluit (concept), by the regiehouder",
)
async def besluit_opstellen(
    ctx: Ctx, toegang: CasusFromPath, invoer: BesluitNieuw, response: Response
) -> BesluitUit:
    besluit = await service.besluit_opstellen(ctx, toegang, invoer)
    return await _een_besluit(ctx, besluit, toegang.casus.kenmerk, response)


@router.get("/casussen/{kenmerk}/besluiten/{id}", response_model=BesluitUit, responses=LEZEN)
async def besluit_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> BesluitUit:
    besluit = await service.besluit_of_404(ctx, toegang, id)
    return await _een_besluit(ctx, besluit, toegang.casus.kenmerk, response)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/reacties",
    status_code=201,
    response_model=ReactieUit,
    responses={
        200: {"description": "The afdeling's earlier reactie was replaced by this one."},
        **SCHRIJVEN,
    },
    summary="An afdeling's akkoord or bezwaar (never blocking; a new one replaces the earlier)",
)
async def reageren(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: ReactieNieuw, response: Response
) -> ReactieUit:
    reactie, nieuw = await service.reageren(ctx, toegang, id, invoer)
    if not nieuw:
        response.status_code = 200
    zet_etag(response, reactie.versie)
    return _reactie(reactie, await Personen.laad(ctx, [reactie.door_id]))


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/vaststellen",
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Fix the besluit (regiehouder); an afweging is required when there is a bezwaar",
)
async def vaststellen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: VaststellenInvoer, response: Response
) -> BesluitUit:
    besluit = await service.vaststellen(ctx, toegang, id, invoer)
    return await _een_besluit(ctx, besluit, toegang.casus.kenmerk, response)


@router.post(
    "/casussen/{kenmerk}/besluiten/{id}/intrekken",
    response_model=BesluitUit,
    responses=SCHRIJVEN,
    summary="Withdraw a besluit with a reason (regiehouder)",
)
async def intrekken(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: IntrekkenInvoer, response: Response
) -> BesluitUit:
    besluit = await service.intrekken(ctx, toegang, id, invoer)
    return await _een_besluit(ctx, besluit, toegang.casus.kenmerk, response)


# --- afwijkingen -------------------------------------------------------------------------------


def _afwijking(rij: Any, kenmerk: str, p: Personen) -> AfwijkingUit:
    a: Afwijking = rij.Afwijking
    rugdekking = None
    if a.rugdekking_door_id is not None and a.rugdekking_op is not None:
        rugdekking = Rugdekking(
            oordeel=a.status,
            door=p.vereist(a.rugdekking_door_id),
            op=a.rugdekking_op,
            toelichting=a.rugdekking_toelichting,
            mandaat_referentie=a.mandaat_referentie,
        )
    return AfwijkingUit(
        id=a.id,
        kenmerk=kenmerk,
        besluit=a.besluit_id,
        regel=RegelRef(id=a.regel_id, titel=rij.titel, regeling=rij.regeling, artikel=rij.artikel),
        wat_de_regel_zegt=a.wat_de_regel_zegt,
        wat_we_doen=a.wat_we_doen,
        grondslag=a.grondslag,
        motivering=a.motivering,
        waardentoets=Waardentoets(
            legitimiteit=a.waardentoets_legitimiteit,
            rendement=a.waardentoets_rendement,
            betrokkenheid=a.waardentoets_betrokkenheid,
        ),
        risico=a.risico,
        financieel_belang_cent=a.financieel_belang_cent,
        status=AfwijkingStatus(a.status),
        rugdekking=rugdekking,
        beleidssignaal=a.beleidssignaal,
        signaal_status=a.signaal_status,
        voorgesteld_door=p.vereist(a.voorgesteld_door_id),
        aangemaakt_op=a.aangemaakt_op,
        versie=a.versie,
    )


async def _personen(ctx: Ctx, rijen: Sequence[Any]) -> Personen:
    return await Personen.laad(
        ctx,
        [
            i
            for r in rijen
            for i in (r.Afwijking.voorgesteld_door_id, r.Afwijking.rugdekking_door_id)
        ],
    )


async def _een_afwijking(
    ctx: Ctx, toegang: CasusFromPath, afwijking_id: uuid.UUID, response: Response
) -> AfwijkingUit:
    rij = await repository.afwijking(ctx.session, toegang.casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    zet_etag(response, rij.Afwijking.versie)
    return _afwijking(rij, toegang.casus.kenmerk, await _personen(ctx, [rij]))


@router.get("/casussen/{kenmerk}/afwijkingen", response_model=Pagina[AfwijkingUit], responses=LEZEN)
async def afwijkingen_lijst(
    ctx: Ctx,
    toegang: CasusFromPath,
    vraag: PaginaDep,
    besluit: Annotated[uuid.UUID | None, Query(description="Only those of this besluit.")] = None,
    status: AfwijkingStatus | None = None,
) -> Pagina[AfwijkingUit]:
    rijen = await repository.afwijkingen(
        ctx.session,
        toegang.casus.id,
        vraag,
        besluit_id=besluit,
        status=status,
    )
    pagina = rijen[: vraag.limit]
    p = await _personen(ctx, pagina)
    return Pagina(
        results=[_afwijking(r, toegang.casus.kenmerk, p) for r in pagina],
        next=volgende_url(vraag, rijen, lambda r: [r.Afwijking.aangemaakt_op, r.Afwijking.id]),
    )


@router.post(
    "/casussen/{kenmerk}/afwijkingen",
    status_code=201,
    response_model=AfwijkingUit,
    responses=SCHRIJVEN,
    summary="Propose an afwijking from a regel for a concept besluit",
)
async def afwijking_voorstellen(
    ctx: Ctx, toegang: CasusFromPath, invoer: AfwijkingNieuw, response: Response
) -> AfwijkingUit:
    afwijking = await service.afwijking_voorstellen(ctx, toegang, invoer)
    return await _een_afwijking(ctx, toegang, afwijking.id, response)


@router.get("/casussen/{kenmerk}/afwijkingen/{id}", response_model=AfwijkingUit, responses=LEZEN)
async def afwijking_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> AfwijkingUit:
    return await _een_afwijking(ctx, toegang, id, response)


@router.post(
    "/casussen/{kenmerk}/afwijkingen/{id}/rugdekking",
    response_model=AfwijkingUit,
    responses=SCHRIJVEN,
    summary="The one rugdekking decision (gedekt or afgewezen) by someone whose mandaat covers it",
)
async def rugdekking_geven(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, invoer: RugdekkingNieuw, response: Response
) -> AfwijkingUit:
    afwijking = await service.rugdekking_geven(ctx, toegang, id, invoer)
    return await _een_afwijking(ctx, toegang, afwijking.id, response)
