"""The read side of rapportage: the registers and statistieken across casussen (beleid,
leidinggevenden), from a stored snapshot while it is young enough. For the API and the web."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from doorbraak.auth import policy
from doorbraak.kit.pagination import PaginaVraag, volgende_url
from doorbraak.kosten import lezen as kosten_lezen
from doorbraak.models.enums import FASE_VOLGORDE
from doorbraak.organisatie.schemas import RegelRef
from doorbraak.rapportage import repository
from doorbraak.rapportage.repository import Registerfilter as Registerfilter
from doorbraak.rapportage.schemas import (
    AfdelingKosten,
    AfwijkingenRegister,
    Doorlooptijd,
    FaseAantal,
    FaseDoorlooptijd,
    GrondslagAantal,
    KnelpuntSoortAantal,
    KostenOverTijd,
    MaandAantal,
    RegelAantal,
    RegisterAfwijking,
    Statistieken,
)
from doorbraak.werk.context import Werkcontext

TOP_REGELS = 10
STATISTIEKEN = "statistieken"
AFWIJKINGEN = "afwijkingen-totalen"


def _doorlooptijd(spreiding: repository.Spreiding) -> Doorlooptijd:
    return Doorlooptijd(
        aantal=spreiding.aantal, mediaan_dagen=spreiding.mediaan, p90_dagen=spreiding.p90
    )


def _regel_aantal(r: Any) -> RegelAantal:
    return RegelAantal(
        regel=RegelRef(id=r.id, titel=r.titel, regeling=r.regeling, artikel=r.artikel),
        aantal=r.aantal,
    )


async def afwijkingen_register(
    ctx: Werkcontext, filter_: Registerfilter, vraag: PaginaVraag
) -> AfwijkingenRegister:
    policy.mag_registers_lezen(ctx.actor)
    s = ctx.session

    async def totalen() -> dict[str, Any]:
        per_regel = await repository.afwijkingen_per_regel(s, filter_)
        per_grondslag = await repository.afwijkingen_per_grondslag(s, filter_)
        per_maand = await repository.afwijkingen_per_maand(s, filter_)
        return {
            "rugdekkingGeweigerd": await repository.geweigerde_rugdekking(s, filter_),
            "perRegel": [
                _regel_aantal(r).model_dump(mode="json", by_alias=True) for r in per_regel
            ],
            "perGrondslag": [{"grondslag": r.grondslag, "aantal": r.aantal} for r in per_grondslag],
            "perMaand": [{"maand": r.maand, "aantal": r.aantal} for r in per_maand],
        }

    # The unfiltered totals count every afwijking (hundreds of thousands nationally): like the
    # statistieken they come from a snapshot; filtered totals and the page are always live.
    if filter_ == Registerfilter():
        t = await _momentopname(ctx, AFWIJKINGEN, totalen)
    else:
        t = await totalen()
    rijen = await repository.register_regels(s, filter_, vraag)
    per_grondslag = [GrondslagAantal.model_validate(x) for x in t["perGrondslag"]]
    return AfwijkingenRegister(
        aantal=sum(g.aantal for g in per_grondslag),
        rugdekking_geweigerd=int(t.get("rugdekkingGeweigerd", 0)),
        per_regel=[RegelAantal.model_validate(x) for x in t["perRegel"]],
        per_grondslag=per_grondslag,
        per_maand=[MaandAantal.model_validate(x) for x in t["perMaand"]],
        results=[
            RegisterAfwijking(
                id=r.id,
                regel=RegelRef(
                    id=r.regel_id, titel=r.titel, regeling=r.regeling, artikel=r.artikel
                ),
                grondslag=r.grondslag,
                risico=r.risico,
                status=r.status,
                financieel_belang_cent=r.financieel_belang_cent,
                beleidssignaal=r.beleidssignaal,
                noodmaatregel=r.noodmaatregel,
                gemeld_op=r.aangemaakt_op,
                rugdekking_op=r.rugdekking_op,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.aangemaakt_op, r.id]),
    )


async def statistieken(ctx: Werkcontext) -> Statistieken:
    """Served from the last snapshot while it is young enough; otherwise recomputed and stored.
    While one request recomputes, the others serve the previous snapshot instead of piling up
    the same multi-second pass (PostgreSQL advisory try-lock)."""
    policy.mag_registers_lezen(ctx.actor)

    async def berekenen() -> dict[str, Any]:
        uit = await _statistieken_berekenen(ctx)
        return uit.model_dump(mode="json", by_alias=True)

    return Statistieken.model_validate(await _momentopname(ctx, STATISTIEKEN, berekenen))


async def _momentopname(
    ctx: Werkcontext, naam: str, berekenen: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """The stored snapshot while it is young enough; otherwise recomputed and stored. While one
    request recomputes, the others serve the previous snapshot (PostgreSQL advisory try-lock)."""
    max_leeftijd = ctx.settings.statistieken_max_leeftijd_seconden
    if max_leeftijd <= 0:
        return await berekenen()
    opname = await repository.momentopname(ctx.session, naam)
    if opname is not None and (ctx.nu - opname.berekend_op).total_seconds() < max_leeftijd:
        return opname.inhoud
    if not await repository.mag_herberekenen(ctx.session):
        if opname is None:
            # The very first computation is under way: wait for it instead of repeating it.
            await repository.wacht_op_herberekening(ctx.session)
            opname = await repository.momentopname(ctx.session, naam)
        if opname is not None:
            return opname.inhoud
    inhoud = await berekenen()
    await repository.bewaar_momentopname(ctx.session, naam, ctx.nu, inhoud)
    return inhoud


async def _statistieken_berekenen(ctx: Werkcontext) -> Statistieken:
    s = ctx.session
    per_fase = {r.fase: r.aantal for r in await repository.casussen_per_fase(s)}
    verblijven = await repository.tijd_per_fase(s)
    tot_besluit = await repository.tijd_tot_eerste_besluit(s)
    doormodderen, doorbraak = await repository.kosten_totalen(s)
    totalen = await kosten_lezen.totalen(ctx)
    return Statistieken(
        casussen_per_fase=[FaseAantal(fase=f, aantal=per_fase.get(f, 0)) for f in FASE_VOLGORDE],
        doorlooptijd_tot_besluit=_doorlooptijd(tot_besluit),
        tijd_per_fase=[
            FaseDoorlooptijd(
                fase=f,
                aantal=verblijven[f].aantal,
                mediaan_dagen=verblijven[f].mediaan,
                p90_dagen=verblijven[f].p90,
            )
            for f in FASE_VOLGORDE
            if f in verblijven
        ],
        kosten_doormodderen_per_jaar_cent=doormodderen,
        kosten_doorbraak_cent=doorbraak,
        kosten_per_afdeling=[
            AfdelingKosten(afdeling=r.afdeling, eenmalig_cent=r.eenmalig, per_jaar_cent=r.per_jaar)
            for r in await repository.kosten_per_afdeling(s)
        ],
        top_regels=[
            _regel_aantal(r)
            for r in await repository.afwijkingen_per_regel(s, Registerfilter(), TOP_REGELS)
        ],
        rugdekking_geweigerd=await repository.geweigerde_rugdekking(s, Registerfilter()),
        noodmaatregelen=await repository.noodmaatregelen(s),
        knelpunt_soorten=[
            KnelpuntSoortAantal(soort=r.soort, aantal=r.aantal)
            for r in await repository.knelpunt_soorten(s)
        ],
        kosten_over_tijd=KostenOverTijd(
            casussen_met_nulmeting=totalen.casussen_met_nulmeting,
            nulmeting_per_jaar_cent=totalen.nulmeting_per_jaar_cent,
            casussen_gemeten=totalen.casussen_gemeten,
            gerealiseerd_per_jaar_cent=totalen.gerealiseerd_per_jaar_cent,
            besparing_een_jaar_cent=totalen.besparing[1],
            besparing_drie_jaar_cent=totalen.besparing[3],
        ),
    )
