"""Rules of maatwerk: besluiten (concept, vastgesteld, vervangen, ingetrokken), reacties of the
afdelingen (never blocking), afwijkingen and their one rugdekking.

Decisions where the method leaves room:
- One reactie per afdeling per besluit: a new reactie of the same afdeling replaces the earlier
  one (the tijdlijn keeps both). Reacties are only taken while the besluit is a concept.
- A besluit is fixed "after hearing the departments": every participating afdeling has a
  reactie in force on it, or was passed over explicitly by the regiehouder with a reason. A
  besluit that `vervangt` another starts with the reacties of the one it replaces (marked as
  given on that one); an afweging is needed when any reactie in force is a bezwaar.
- A vastgesteld besluit never changes. It is replaced by a new besluit that `vervangt` it (the
  old one becomes `vervangen` when the new one is vastgesteld) or withdrawn with a reason.
  Its afwijkingen follow it: ingetrokken or vervangen.
- Afwijkingen belong to a concept besluit; `voorgesteld` and `afgewezen` ones stop the besluit
  from being vastgesteld (409 listing them).
- Rugdekking (gedekt or afgewezen) is one decision by one medewerker whose mandaat covers the
  amount and the risk; never the regiehouder, the proposer, the drafter of the besluit or anyone
  who held regie while it was a concept. A refusal is reconsidered only after an escalatie about
  that afwijking was toegekend at a higher level; the new decision replaces the refusal.
- Besluiten, afwijkingen and rugdekking belong to fase maatwerk and later; before that only a
  besluit marked `noodmaatregel` (with a reason) is possible.
- Every path that changes a besluit or its children takes the besluit's row lock first
  (`repository.besluit_vergrendeld`), so the rules above, which span rows, hold under
  concurrency.
"""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, NietToegestaan, OngeldigeInvoer
from doorbraak.leren.service import signaal_melden
from doorbraak.maatwerk import repository
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    BesluitNieuw,
    IntrekkenInvoer,
    OverslagNieuw,
    ReactieNieuw,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.meldingen import service as meldingen
from doorbraak.models import Afwijking, Besluit, Casus, Kostenaandeel, Overslag, Reactie
from doorbraak.models.enums import (
    FASE_VOLGORDE,
    AfwijkingStatus,
    BesluitStatus,
    Fase,
    Grondslag,
    MeldingSoort,
    ReactieOordeel,
    RugdekkingOordeel,
    RugdekkingsverzoekStatus,
)
from doorbraak.organisatie.service import bestaande_afdeling, bestaande_regel, regelversie_op
from doorbraak.regie import repository as regie_repository
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


def _ongeldig(naam: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": naam, "code": code, "reason": reden}])


async def besluit_of_404(ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID) -> Besluit:
    besluit = await repository.besluit(ctx.session, toegang.casus.id, besluit_id)
    if besluit is None:
        raise NietGevonden("Dit besluit bestaat niet.")
    return besluit


async def _vergrendeld_of_404(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID
) -> Besluit:
    besluit = await repository.besluit_vergrendeld(ctx.session, toegang.casus.id, besluit_id)
    if besluit is None:
        raise NietGevonden("Dit besluit bestaat niet.")
    return besluit


def _in_maatwerk(casus: Casus) -> bool:
    return FASE_VOLGORDE.index(Fase(casus.fase)) >= FASE_VOLGORDE.index(Fase.maatwerk)


def _eis_fase(casus: Casus, besluit: Besluit) -> None:
    """Before fase maatwerk only a noodmaatregel is worked on."""
    if not _in_maatwerk(casus) and not besluit.noodmaatregel:
        raise Conflict(
            f"De casus is in fase {casus.fase}; besluiten horen bij fase maatwerk en later. "
            "Eerder kan alleen een besluit dat als noodmaatregel is opgesteld.",
            code="fase-te-vroeg",
        )


async def niet_gehoord(ctx: Werkcontext, besluit: Besluit) -> list[str]:
    """Participating afdelingen without a reactie in force and not passed over."""
    deelnemers = await repository.deelnemende_afdelingen(ctx.session, besluit.casus_id)
    gehoord = {r.afdeling_code for r in await repository.reacties(ctx.session, [besluit.id])}
    gehoord |= {o.afdeling_code for o in await repository.overslagen(ctx.session, [besluit.id])}
    return [a for a in deelnemers if a not in gehoord]


def _eis_concept(besluit: Besluit) -> None:
    if besluit.status != BesluitStatus.concept:
        raise Conflict(
            f"Dit besluit is {besluit.status} en verandert niet meer; stel een nieuw besluit op "
            "dat het vervangt.",
            code="besluit-niet-concept",
        )


# --- besluiten ---------------------------------------------------------------------------------


async def _kostenverdeling(
    ctx: Werkcontext, casus: Casus, invoer: BesluitNieuw
) -> list[tuple[str, int, int]]:
    """The shares (afdeling, eenmalig, per jaar) of a new besluit, validated: participating
    afdelingen, each once, adding up to the besluit's totals."""
    kosten = invoer.kosten_eenmalig_cent or invoer.kosten_per_jaar_cent
    if invoer.kostenverdeling is not None and invoer.betalende_afdeling is not None:
        raise _ongeldig(
            "betalendeAfdeling",
            "dubbel",
            "geef een betalende afdeling of een kostenverdeling, niet allebei",
        )
    if invoer.kostenverdeling is None:
        if invoer.betalende_afdeling is None:
            if kosten:
                raise _ongeldig(
                    "betalendeAfdeling",
                    "verplicht",
                    "verplicht wanneer het besluit iets kost (of geef een kostenverdeling)",
                )
            return []
        await bestaande_afdeling(ctx, invoer.betalende_afdeling, "betalendeAfdeling")
        return [
            (invoer.betalende_afdeling, invoer.kosten_eenmalig_cent, invoer.kosten_per_jaar_cent)
        ]
    deelnemers = set(await repository.deelnemende_afdelingen(ctx.session, casus.id))
    gezien: set[str] = set()
    fouten: list[dict[str, str]] = []
    for i, aandeel in enumerate(invoer.kostenverdeling):
        naam = f"kostenverdeling.{i}.afdeling"
        if aandeel.afdeling in gezien:
            fouten.append({"name": naam, "code": "dubbel", "reason": "elke afdeling één keer"})
        elif aandeel.afdeling not in deelnemers:
            fouten.append(
                {
                    "name": naam,
                    "code": "geen-deelname",
                    "reason": "alleen een afdeling die deelneemt aan de casus betaalt mee",
                }
            )
        gezien.add(aandeel.afdeling)
    for veld, totaal, deel in (
        ("kostenEenmaligCent", invoer.kosten_eenmalig_cent, "eenmalig_cent"),
        ("kostenPerJaarCent", invoer.kosten_per_jaar_cent, "per_jaar_cent"),
    ):
        som = sum(getattr(a, deel) for a in invoer.kostenverdeling)
        if som != totaal:
            fouten.append(
                {
                    "name": "kostenverdeling",
                    "code": "telt-niet-op",
                    "reason": f"de aandelen tellen op tot {som} cent, {veld} is {totaal}",
                }
            )
    if kosten and not invoer.kostenverdeling:
        fouten.append({"name": "kostenverdeling", "code": "verplicht", "reason": "wie betaalt wat"})
    if fouten:
        raise OngeldigeInvoer(fouten, "De kostenverdeling klopt niet.")
    return [(a.afdeling, a.eenmalig_cent, a.per_jaar_cent) for a in invoer.kostenverdeling]


async def besluit_opstellen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: BesluitNieuw
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    casus = toegang.casus
    reden = (invoer.noodmaatregel_reden or "").strip() or None
    if invoer.noodmaatregel and reden is None:
        raise _ongeldig("noodmaatregelReden", "verplicht", "een noodmaatregel vraagt een reden")
    if not invoer.noodmaatregel and not _in_maatwerk(casus):
        raise Conflict(
            f"De casus is in fase {casus.fase}; besluiten horen bij fase maatwerk en later. "
            "Stel het besluit eerder alleen op als noodmaatregel, met een reden.",
            code="fase-te-vroeg",
        )
    aandelen = await _kostenverdeling(ctx, casus, invoer)
    oud: Besluit | None = None
    if invoer.vervangt is not None:
        oud = await repository.besluit_vergrendeld(ctx.session, casus.id, invoer.vervangt)
        if oud is None or oud.status != BesluitStatus.vastgesteld:
            raise _ongeldig(
                "vervangt",
                "geen-vastgesteld-besluit",
                "alleen een vastgesteld besluit van deze casus kan vervangen worden",
            )
    grootste = max(aandelen, key=lambda a: (a[1] + a[2], a[0]))[0] if aandelen else None
    besluit = Besluit(
        casus_id=casus.id,
        omschrijving=invoer.omschrijving,
        motivering=invoer.motivering,
        kosten_eenmalig_cent=invoer.kosten_eenmalig_cent,
        kosten_per_jaar_cent=invoer.kosten_per_jaar_cent,
        betalende_afdeling_code=grootste,
        status=BesluitStatus.concept,
        vervangt_id=invoer.vervangt,
        noodmaatregel=invoer.noodmaatregel,
        noodmaatregel_reden=reden if invoer.noodmaatregel else None,
        opgesteld_door_id=ctx.actor.id,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(besluit)
    await ctx.session.flush()
    for afdeling, eenmalig, per_jaar in aandelen:
        ctx.session.add(
            Kostenaandeel(
                besluit_id=besluit.id,
                afdeling_code=afdeling,
                eenmalig_cent=eenmalig,
                per_jaar_cent=per_jaar,
            )
        )
    overgenomen: list[str] = []
    if oud is not None:
        # The departments' reacties on the replaced besluit stay in force on the redraft.
        for r in await repository.reacties(ctx.session, [oud.id]):
            ctx.session.add(
                Reactie(
                    besluit_id=besluit.id,
                    afdeling_code=r.afdeling_code,
                    reactie=r.reactie,
                    toelichting=r.toelichting,
                    door_id=r.door_id,
                    op=r.op,
                    gegeven_op_besluit_id=r.gegeven_op_besluit_id or oud.id,
                )
            )
            overgenomen.append(r.afdeling_code)
    await ctx.session.flush()
    await meldingen.melden(
        ctx,
        await meldingen.contactpersonen_op_casus(ctx, casus.id),
        MeldingSoort.reactie_gevraagd,
        casus.kenmerk,
        f"/casussen/{casus.kenmerk}#besluiten",
    )
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
            "kostenverdeling": wijziging(
                None,
                [{"afdeling": a, "eenmaligCent": e, "perJaarCent": j} for a, e, j in aandelen],
            ),
            **({"vervangt": wijziging(None, besluit.vervangt_id)} if besluit.vervangt_id else {}),
            **({"reactiesOvergenomen": wijziging(None, overgenomen)} if overgenomen else {}),
            **(
                {"noodmaatregel": wijziging(None, besluit.noodmaatregel_reden)}
                if besluit.noodmaatregel
                else {}
            ),
        },
    )
    return besluit


async def reageren(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: ReactieNieuw
) -> tuple[Reactie, bool]:
    """An afdeling's akkoord or bezwaar; returns the reactie and whether it is new."""
    toegang.eis_open()
    besluit = await _vergrendeld_of_404(ctx, toegang, besluit_id)
    deelname = await regie_repository.deelname(ctx.session, toegang.casus.id, invoer.afdeling)
    if deelname is None:
        raise _ongeldig("afdeling", "geen-deelname", "deze afdeling neemt niet deel aan de casus")
    policy.mag_reageren(ctx.actor, toegang.rechten, invoer.afdeling, deelname.contactpersoon_id)
    _eis_concept(besluit)
    toelichting = invoer.toelichting.strip()
    if invoer.reactie == ReactieOordeel.bezwaar and not toelichting:
        raise _ongeldig("toelichting", "verplicht", "een bezwaar vraagt een toelichting")
    bestaand = await repository.reactie(ctx.session, besluit.id, invoer.afdeling)
    velden: dict[str, Any] = {
        "reactie": invoer.reactie,
        "toelichting": toelichting,
        "door_id": ctx.actor.id,
        "op": ctx.nu,
        "gegeven_op_besluit_id": None,
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


async def overslaan(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: OverslagNieuw
) -> Overslag:
    """The regiehouder fixes the besluit without this afdeling's reactie, and says why."""
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    besluit = await _vergrendeld_of_404(ctx, toegang, besluit_id)
    _eis_concept(besluit)
    if await regie_repository.deelname(ctx.session, toegang.casus.id, invoer.afdeling) is None:
        raise _ongeldig("afdeling", "geen-deelname", "deze afdeling neemt niet deel aan de casus")
    if await repository.reactie(ctx.session, besluit.id, invoer.afdeling) is not None:
        raise Conflict(
            "Deze afdeling heeft al gereageerd; haar reactie blijft staan.", code="al-gereageerd"
        )
    if await repository.overslag(ctx.session, besluit.id, invoer.afdeling) is not None:
        raise Conflict("Deze afdeling is al overgeslagen.", code="al-overgeslagen")
    overslag = Overslag(
        besluit_id=besluit.id,
        afdeling_code=invoer.afdeling,
        reden=invoer.reden,
        door_id=ctx.actor.id,
        op=ctx.nu,
    )
    ctx.session.add(overslag)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "besluit.afdeling-overgeslagen",
        "besluit",
        besluit.id,
        {"afdeling": wijziging(None, invoer.afdeling), "reden": wijziging(None, invoer.reden)},
    )
    return overslag


async def vaststellen(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: VaststellenInvoer
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    casus = toegang.casus
    besluit = await _vergrendeld_of_404(ctx, toegang, besluit_id)
    _eis_concept(besluit)
    _eis_fase(casus, besluit)
    ontbreekt = await niet_gehoord(ctx, besluit)
    if ontbreekt:
        raise Conflict(
            "Niet elke deelnemende afdeling is gehoord: vraag haar reactie of sla haar over met "
            "een reden.",
            code="afdelingen-niet-gehoord",
            afdelingen=ontbreekt,
        )
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
        oud = await repository.besluit_vergrendeld(ctx.session, casus.id, besluit.vervangt_id)
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
        await _afwijkingen_volgen(ctx, oud, AfwijkingStatus.vervangen)
    await ctx.session.flush()
    return besluit


async def _afwijkingen_volgen(ctx: Werkcontext, besluit: Besluit, status: AfwijkingStatus) -> None:
    """The afwijkingen of a withdrawn or replaced besluit go out of force with it; their
    rugdekking decision is kept (rugdekking_oordeel), open verzoeken about them lapse."""
    afwijkingen = await repository.afwijkingen_van_besluit(ctx.session, besluit.id)
    await verzoeken_laten_vervallen(
        ctx, besluit.casus_id, [a.id for a in afwijkingen], f"besluit {status.value}"
    )
    for afwijking in afwijkingen:
        if afwijking.status in (AfwijkingStatus.ingetrokken, AfwijkingStatus.vervangen):
            continue
        oud = afwijking.status
        afwijking.status = status
        ctx.tijdlijn(
            besluit.casus_id,
            f"afwijking.{status.value}",
            "afwijking",
            afwijking.id,
            {"status": wijziging(oud, afwijking.status)},
        )


async def intrekken(
    ctx: Werkcontext, toegang: CasusToegang, besluit_id: uuid.UUID, invoer: IntrekkenInvoer
) -> Besluit:
    policy.mag_besluiten(toegang.rechten)
    toegang.eis_open()
    besluit = await _vergrendeld_of_404(ctx, toegang, besluit_id)
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
    await _afwijkingen_volgen(ctx, besluit, AfwijkingStatus.ingetrokken)
    await ctx.session.flush()
    return besluit


# --- afwijkingen -------------------------------------------------------------------------------


async def afwijking_voorstellen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: AfwijkingNieuw
) -> Afwijking:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    besluit = await repository.besluit_vergrendeld(ctx.session, casus.id, invoer.besluit)
    if besluit is None:
        raise _ongeldig("besluit", "onbekend-besluit", "onbekend besluit van deze casus")
    regel = await bestaande_regel(ctx, invoer.regel, "regel")
    _eis_concept(besluit)
    _eis_fase(casus, besluit)
    regelversie = await regelversie_op(ctx, regel)
    afwijking = Afwijking(
        casus_id=casus.id,
        besluit_id=besluit.id,
        regel_id=regel.id,
        regelversie_id=regelversie.id,
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
        status=AfwijkingStatus.voorgesteld,
        voorgesteld_door_id=ctx.actor.id,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(afwijking)
    await ctx.session.flush()
    if afwijking.beleidssignaal:
        await signaal_melden(ctx, casus.id, afwijking=afwijking.id)
    ctx.tijdlijn(
        casus.id,
        "afwijking.voorgesteld",
        "afwijking",
        afwijking.id,
        {
            "besluit": wijziging(None, besluit.id),
            "regel": wijziging(None, regel.titel),
            "regelversie": wijziging(None, regelversie.nummer),
            "grondslag": wijziging(None, afwijking.grondslag),
            "risico": wijziging(None, afwijking.risico),
            "financieelBelangCent": wijziging(None, afwijking.financieel_belang_cent),
        },
    )
    return afwijking


HEROVERWEGING = repository.HEROVERWEGING


async def verzoeken_laten_vervallen(
    ctx: Werkcontext, casus_id: int, afwijking_ids: list[uuid.UUID], reden: str
) -> None:
    """Open rugdekkingsverzoeken about afwijkingen that were decided otherwise or left force
    lapse: the addressee's access ends with them. Called under the besluit's row lock."""
    for verzoek in await repository.open_verzoeken(ctx.session, afwijking_ids):
        diff = pas_toe(
            verzoek,
            {
                "status": RugdekkingsverzoekStatus.vervallen,
                "gesloten_op": ctx.nu,
                "sluitingsreden": reden,
            },
        )
        ctx.tijdlijn(
            casus_id, "rugdekkingsverzoek.vervallen", "afwijking", verzoek.afwijking_id, diff
        )


async def rugdekking_geven(
    ctx: Werkcontext,
    toegang: CasusToegang,
    afwijking_id: uuid.UUID,
    invoer: RugdekkingNieuw,
    *,
    verzoek_id: uuid.UUID | None = None,
) -> Afwijking:
    """The one rugdekking decision, directly or as the answer to a rugdekkingsverzoek
    (`verzoek_id`, already marked beantwoord by the caller under the same lock)."""
    toegang.eis_open()
    casus = toegang.casus
    rij = await repository.afwijking(ctx.session, casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    besluit = await repository.besluit_vergrendeld(ctx.session, casus.id, rij.Afwijking.besluit_id)
    assert besluit is not None  # the foreign key keeps it
    await ctx.session.refresh(rij.Afwijking)
    afwijking: Afwijking = rij.Afwijking
    heroverweging = False
    if afwijking.status == AfwijkingStatus.afgewezen and afwijking.rugdekking_op is not None:
        # Reconsideration: only after a higher level granted it, about this afwijking.
        heroverweging = await repository.toegekende_escalatie(
            ctx.session, afwijking.id, HEROVERWEGING, afwijking.rugdekking_op
        )
    if afwijking.status != AfwijkingStatus.voorgesteld and not heroverweging:
        # No approval chains: the one decision stands.
        raise Conflict(
            f"Over deze afwijking is al beslist ({afwijking.status}); rugdekking is één besluit. "
            "Een weigering wordt heroverwogen na een toegekende escalatie over deze afwijking.",
            code="rugdekking-al-gegeven",
        )
    _eis_concept(besluit)
    _eis_fase(casus, besluit)
    policy.mag_rugdekking_geven(
        ctx.actor,
        casus,
        voorgesteld_door_id=afwijking.voorgesteld_door_id,
        bedrag_cent=afwijking.financieel_belang_cent,
        risico=afwijking.risico,
        regel=policy.Regelscope(regeling=rij.regeling, afdeling=rij.regel_afdeling),
        betrokkenen=await repository.betrokken_bij_besluit(ctx.session, besluit),
    )
    if heroverweging and ctx.actor.id == afwijking.rugdekking_door_id:
        raise NietToegestaan(
            "Een heroverweging komt van een ander dan wie de rugdekking weigerde.",
            code="heroverweging-door-ander",
        )
    if invoer.oordeel == RugdekkingOordeel.gedekt:
        toegekend = await repository.bestuur_toegekend(ctx.session, [afwijking])
        policy.dekken_oordeel(
            afwijking.grondslag == Grondslag.buiten_kader, afwijking.id in toegekend
        ).eis()
    velden: dict[str, Any] = {
        "status": AfwijkingStatus(invoer.oordeel),
        "rugdekking_oordeel": invoer.oordeel,
        "rugdekking_door_id": ctx.actor.id,
        "rugdekking_op": ctx.nu,
        "rugdekking_toelichting": invoer.toelichting,
        "mandaat_referentie": invoer.mandaat_referentie,
    }
    diff = pas_toe(afwijking, velden)
    if heroverweging:
        diff["heroverweging"] = wijziging(None, True)
    if verzoek_id is not None:
        diff["rugdekkingsverzoek"] = wijziging(None, verzoek_id)
    ctx.tijdlijn(casus.id, f"afwijking.{invoer.oordeel}", "afwijking", afwijking.id, diff)
    await verzoeken_laten_vervallen(ctx, casus.id, [afwijking.id], "rugdekking gegeven")
    await ctx.session.flush()
    return afwijking
