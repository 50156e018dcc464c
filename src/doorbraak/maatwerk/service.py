"""Rules of maatwerk: besluiten (concept, vastgesteld, vervangen, ingetrokken), reacties of the
afdelingen (never blocking), afwijkingen and their one rugdekking.

Decisions where the method leaves room:
- One reactie per afdeling per besluit: a new reactie of the same afdeling replaces the earlier
  one (the tijdlijn keeps both). Reacties are only taken while the besluit is a concept.
- A vastgesteld besluit never changes. It is replaced by a new besluit that `vervangt` it (the
  old one becomes `vervangen` when the new one is vastgesteld) or withdrawn with a reason.
- Afwijkingen belong to a concept besluit; `voorgesteld` and `afgewezen` ones stop the besluit
  from being vastgesteld (409 listing them). Withdrawing a besluit withdraws its open afwijkingen.
- Rugdekking (gedekt or afgewezen) is one decision by one medewerker whose mandaat covers the
  amount and the risk; never the regiehouder or the proposer; a decided afwijking is final.
"""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.maatwerk import repository
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    BesluitNieuw,
    IntrekkenInvoer,
    ReactieNieuw,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.models import Afwijking, Besluit, Reactie
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    EscalatieNiveau,
    Grondslag,
    ReactieOordeel,
    RugdekkingOordeel,
    SignaalStatus,
)
from doorbraak.organisatie.service import bestaande_afdeling, bestaande_regel
from doorbraak.regie import repository as regie_repository
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


def _ongeldig(naam: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": naam, "code": code, "reason": reden}])


async def besluit_of_404(ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID) -> Besluit:
    besluit = await repository.besluit(ctx.session, toegang.casus.id, besluit_id)
    if besluit is None:
        raise NietGevonden("Dit besluit bestaat niet.")
    return besluit


def _eis_concept(besluit: Besluit) -> None:
    if besluit.status != BesluitStatus.concept:
        raise Conflict(
            f"Dit besluit is {besluit.status} en verandert niet meer; stel een nieuw besluit op "
            "dat het vervangt.",
            code="besluit-niet-concept",
        )


# --- besluiten ---------------------------------------------------------------------------------


async def besluit_opstellen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: BesluitNieuw
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    casus = toegang.casus
    if invoer.betalende_afdeling is not None:
        await bestaande_afdeling(ctx, invoer.betalende_afdeling, "betalendeAfdeling")
    elif invoer.kosten_eenmalig_cent or invoer.kosten_per_jaar_cent:
        raise _ongeldig("betalendeAfdeling", "verplicht", "verplicht wanneer het besluit iets kost")
    if invoer.vervangt is not None:
        oud = await repository.besluit(ctx.session, casus.id, invoer.vervangt)
        if oud is None or oud.status != BesluitStatus.vastgesteld:
            raise _ongeldig(
                "vervangt",
                "geen-vastgesteld-besluit",
                "alleen een vastgesteld besluit van deze casus kan vervangen worden",
            )
    besluit = Besluit(
        casus_id=casus.id,
        omschrijving=invoer.omschrijving,
        motivering=invoer.motivering,
        kosten_eenmalig_cent=invoer.kosten_eenmalig_cent,
        kosten_per_jaar_cent=invoer.kosten_per_jaar_cent,
        betalende_afdeling_code=invoer.betalende_afdeling,
        status=BesluitStatus.concept,
        vervangt_id=invoer.vervangt,
        opgesteld_door_id=ctx.actor.id,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(besluit)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "besluit.opgesteld",
        "besluit",
        besluit.id,
        {
            "omschrijving": wijziging(None, besluit.omschrijving),
            "kostenEenmaligCent": wijziging(None, besluit.kosten_eenmalig_cent),
            "kostenPerJaarCent": wijziging(None, besluit.kosten_per_jaar_cent),
            "betalendeAfdeling": wijziging(None, besluit.betalende_afdeling_code),
            **({"vervangt": wijziging(None, besluit.vervangt_id)} if besluit.vervangt_id else {}),
        },
    )
    return besluit


async def reageren(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: ReactieNieuw
) -> tuple[Reactie, bool]:
    """An afdeling's akkoord or bezwaar; returns the reactie and whether it is new."""
    toegang.eis_open()
    besluit = await besluit_of_404(ctx, toegang, besluit_id)
    deelname = await regie_repository.deelname(ctx.session, toegang.casus.id, invoer.afdeling)
    if deelname is None:
        raise _ongeldig("afdeling", "geen-deelname", "deze afdeling neemt niet deel aan de casus")
    policy.mag_reageren(ctx.actor, toegang.rechten, invoer.afdeling, deelname.contactpersoon_id)
    _eis_concept(besluit)
    toelichting = invoer.toelichting.strip()
    if invoer.reactie == ReactieOordeel.bezwaar and not toelichting:
        raise _ongeldig("toelichting", "verplicht", "een bezwaar vraagt een toelichting")
    bestaand = await repository.reactie(ctx.session, besluit.id, invoer.afdeling)
    velden = {
        "reactie": invoer.reactie,
        "toelichting": toelichting,
        "door_id": ctx.actor.id,
        "op": ctx.nu,
    }
    if bestaand is not None:
        diff = pas_toe(bestaand, velden)
        diff.pop("op", None)
        ctx.tijdlijn(
            toegang.casus.id,
            "besluit.reactie-gewijzigd",
            "besluit",
            besluit.id,
            {"afdeling": wijziging(invoer.afdeling, invoer.afdeling), **diff},
        )
        await ctx.session.flush()
        return bestaand, False
    reactie = Reactie(besluit_id=besluit.id, afdeling_code=invoer.afdeling, **velden)
    ctx.session.add(reactie)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "besluit.reactie",
        "besluit",
        besluit.id,
        {
            "afdeling": wijziging(None, invoer.afdeling),
            "reactie": wijziging(None, reactie.reactie),
            "toelichting": wijziging(None, reactie.toelichting),
        },
    )
    return reactie, True


async def vaststellen(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: VaststellenInvoer
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    casus = toegang.casus
    besluit = await besluit_of_404(ctx, toegang, besluit_id)
    _eis_concept(besluit)
    afweging = (invoer.afweging or "").strip() or None
    if afweging is None and await repository.heeft_bezwaar(ctx.session, besluit.id):
        raise OngeldigeInvoer(
            [
                {
                    "name": "afweging",
                    "code": "afweging-verplicht",
                    "reason": "er is bezwaar gemaakt: beschrijf hoe u het hebt gewogen",
                }
            ],
            "Er is bezwaar gemaakt tegen dit besluit; vaststellen vraagt een afweging.",
        )
    open_afwijkingen = await repository.niet_gedekte_afwijkingen(ctx.session, besluit.id)
    if open_afwijkingen:
        raise Conflict(
            "Dit besluit heeft afwijkingen zonder rugdekking; het kan pas worden vastgesteld als "
            "elke afwijking gedekt is.",
            code="afwijking-niet-gedekt",
            afwijkingen=[
                {"id": str(a.id), "status": a.status, "regel": a.regel_titel}
                for a in open_afwijkingen
            ],
        )
    oud: Besluit | None = None
    if besluit.vervangt_id is not None:
        oud = await repository.besluit(ctx.session, casus.id, besluit.vervangt_id)
        if oud is None or oud.status != BesluitStatus.vastgesteld:
            raise Conflict(
                "Het besluit dat dit besluit vervangt is niet meer vastgesteld.",
                code="vervangen-besluit-niet-vastgesteld",
            )
    diff = pas_toe(
        besluit,
        {
            "status": BesluitStatus.vastgesteld,
            "afweging": afweging,
            "vastgesteld_door_id": ctx.actor.id,
            "vastgesteld_op": ctx.nu,
        },
    )
    ctx.tijdlijn(casus.id, "besluit.vastgesteld", "besluit", besluit.id, diff)
    if oud is not None:
        oud_diff = pas_toe(oud, {"status": BesluitStatus.vervangen})
        oud_diff["vervangenDoor"] = wijziging(None, besluit.id)
        ctx.tijdlijn(casus.id, "besluit.vervangen", "besluit", oud.id, oud_diff)
    await ctx.session.flush()
    return besluit


async def intrekken(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: IntrekkenInvoer
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    besluit = await besluit_of_404(ctx, toegang, besluit_id)
    if besluit.status not in (BesluitStatus.concept, BesluitStatus.vastgesteld):
        raise Conflict(f"Dit besluit is al {besluit.status}.", code="besluit-niet-actief")
    diff = pas_toe(
        besluit,
        {
            "status": BesluitStatus.ingetrokken,
            "ingetrokken_op": ctx.nu,
            "intrekkingsreden": invoer.reden,
        },
    )
    ctx.tijdlijn(toegang.casus.id, "besluit.ingetrokken", "besluit", besluit.id, diff)
    for afwijking in await repository.afwijkingen_van_besluit(ctx.session, besluit.id):
        if afwijking.status == AfwijkingStatus.voorgesteld:
            afwijking.status = AfwijkingStatus.ingetrokken
            ctx.tijdlijn(
                toegang.casus.id,
                "afwijking.ingetrokken",
                "afwijking",
                afwijking.id,
                {"status": wijziging(AfwijkingStatus.voorgesteld, afwijking.status)},
            )
    await ctx.session.flush()
    return besluit


# --- afwijkingen -------------------------------------------------------------------------------


async def afwijking_voorstellen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: AfwijkingNieuw
) -> Afwijking:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    besluit = await repository.besluit(ctx.session, casus.id, invoer.besluit)
    if besluit is None:
        raise _ongeldig("besluit", "onbekend-besluit", "onbekend besluit van deze casus")
    regel = await bestaande_regel(ctx, invoer.regel, "regel")
    _eis_concept(besluit)
    afwijking = Afwijking(
        casus_id=casus.id,
        besluit_id=besluit.id,
        regel_id=regel.id,
        wat_de_regel_zegt=invoer.wat_de_regel_zegt,
        wat_we_doen=invoer.wat_we_doen,
        grondslag=invoer.grondslag,
        motivering=invoer.motivering,
        waardentoets_legitimiteit=invoer.waardentoets.legitimiteit,
        waardentoets_rendement=invoer.waardentoets.rendement,
        waardentoets_betrokkenheid=invoer.waardentoets.betrokkenheid,
        risico=invoer.risico,
        financieel_belang_cent=invoer.financieel_belang_cent,
        beleidssignaal=invoer.beleidssignaal,
        signaal_status=SignaalStatus.nieuw if invoer.beleidssignaal else None,
        status=AfwijkingStatus.voorgesteld,
        voorgesteld_door_id=ctx.actor.id,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(afwijking)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "afwijking.voorgesteld",
        "afwijking",
        afwijking.id,
        {
            "besluit": wijziging(None, besluit.id),
            "regel": wijziging(None, regel.titel),
            "grondslag": wijziging(None, afwijking.grondslag),
            "risico": wijziging(None, afwijking.risico),
            "financieelBelangCent": wijziging(None, afwijking.financieel_belang_cent),
        },
    )
    return afwijking


async def rugdekking_geven(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID, invoer: RugdekkingNieuw
) -> Afwijking:
    toegang.eis_open()
    casus = toegang.casus
    rij = await repository.afwijking(ctx.session, casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    afwijking: Afwijking = rij.Afwijking
    if afwijking.status != AfwijkingStatus.voorgesteld:
        # No approval chains: the one decision stands.
        raise Conflict(
            f"Over deze afwijking is al beslist ({afwijking.status}); rugdekking is één besluit.",
            code="rugdekking-al-gegeven",
        )
    policy.mag_rugdekking_geven(
        ctx.actor,
        casus,
        voorgesteld_door_id=afwijking.voorgesteld_door_id,
        bedrag_cent=afwijking.financieel_belang_cent,
        risico=afwijking.risico,
    )
    if (
        invoer.oordeel == RugdekkingOordeel.gedekt
        and afwijking.grondslag == Grondslag.buiten_kader
        and not await repository.afgehandelde_escalatie(
            ctx.session, casus.id, EscalatieNiveau.bestuur
        )
    ):
        raise Conflict(
            "Een afwijking buiten kader vraagt eerst een afgehandelde escalatie naar het bestuur "
            "(POST .../escalaties met niveau bestuur, en leg de uitkomst vast).",
            code="bestuur-escalatie-vereist",
        )
    velden: dict[str, Any] = {
        "status": AfwijkingStatus(invoer.oordeel),
        "rugdekking_door_id": ctx.actor.id,
        "rugdekking_op": ctx.nu,
        "rugdekking_toelichting": invoer.toelichting,
        "mandaat_referentie": invoer.mandaat_referentie,
    }
    diff = pas_toe(afwijking, velden)
    ctx.tijdlijn(casus.id, f"afwijking.{invoer.oordeel}", "afwijking", afwijking.id, diff)
    await ctx.session.flush()
    return afwijking
