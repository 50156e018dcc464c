"""The casus page: everything about one casus, each form shown only when the actor's permission
set allows it, and every form's action as a typed handler that calls the service behind it.

Reads come from the read modules (`casussen/lezen.py`, `afpellen/lezen.py`, ...); regie and
maatwerk are read through their API functions until they have read modules of their own."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.afpellen import lezen as afpellen_lezen
from doorbraak.afpellen import service as afpellen
from doorbraak.afpellen.schemas import (
    BetrokkeneNieuw,
    BetrokkeneWijziging,
    KnelpuntNieuw,
    KnelpuntWijziging,
    StapAfronding,
    StapNieuw,
    StapWijziging,
)
from doorbraak.auth import policy
from doorbraak.bijlagen import lezen as bijlagen_lezen
from doorbraak.bijlagen import service as bijlagen
from doorbraak.bijlagen import soorten as bijlagesoorten
from doorbraak.casussen import lezen as casussen_lezen
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import CasusUit, CasusWijziging, FaseOvergangNieuw, TeamlidNieuw
from doorbraak.casussen.toegang import CasusToegang, casus_toegang
from doorbraak.errors import NietGevonden, OngeldigeInvoer, VersieConflict
from doorbraak.huishouden import lezen as huishouden_lezen
from doorbraak.huishouden import service as huishouden
from doorbraak.huishouden.schemas import (
    AfspraakNieuw,
    AfspraakWijziging,
    DoelNieuw,
    DoelWijziging,
    HuishoudlidNieuw,
    HuishoudlidWijziging,
    InstemmingNieuw,
    PartijdeelnameNieuw,
    PartijdeelnameWijziging,
)
from doorbraak.kit.bsn import bsns_in_tekst
from doorbraak.kit.document import download
from doorbraak.kit.labels import label
from doorbraak.kit.schema import ActieOordeel, Invoer
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.kosten import lezen as kosten_lezen
from doorbraak.kosten import service as kosten
from doorbraak.kosten.schemas import KostenregelNieuw
from doorbraak.leren import lezen as leren_lezen
from doorbraak.leren import service as leren
from doorbraak.leren.schemas import LeerpuntNieuw, LeerpuntWijziging
from doorbraak.maatwerk import lezen as maatwerk_lezen
from doorbraak.maatwerk import service as maatwerk
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    AfwijkingUit,
    BesluitNieuw,
    BesluitUit,
    IntrekkenInvoer,
    OverslagNieuw,
    ReactieNieuw,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.models.enums import (
    Afsluitreden,
    AfwijkingStatus,
    BesluitStatus,
    EscalatieNiveau,
    EscalatieUitkomst,
    Fase,
    Grondslag,
    KnelpuntNiveau,
    KnelpuntSoort,
    KnelpuntStatus,
    Kostenritme,
    Kostensoort,
    Leefgebied,
    LeerpuntSoort,
    LoketStatus,
    NazorgVanaf,
    ReactieOordeel,
    Risico,
    RugdekkingOordeel,
    StapSoort,
    StapStatus,
)
from doorbraak.notities import lezen as notities_lezen
from doorbraak.notities import service as notities
from doorbraak.notities.schemas import NotitieNieuw
from doorbraak.organisatie import lezen as organisatie_lezen
from doorbraak.organisatie.schemas import AfdelingUit, MedewerkerUit, RegelUit
from doorbraak.regie import lezen as regie_lezen
from doorbraak.regie import service as regie
from doorbraak.regie.schemas import (
    CorrectieNieuw,
    DeelnameNieuw,
    DeelnameUit,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieWijziging,
    RegieNieuw,
)
from doorbraak.rugdekking import lezen as rugdekking_lezen
from doorbraak.rugdekking import service as rugdekking
from doorbraak.rugdekking.schemas import RugdekkingsverzoekIntrekken, RugdekkingsverzoekNieuw
from doorbraak.web import formulieren
from doorbraak.web import tijdlijn as tijdlijn_zinnen
from doorbraak.web.formulieren import formulier_met_fout, veldnamen
from doorbraak.web.pagina import render
from doorbraak.web.paginas.casussen import nieuw_context
from doorbraak.web.paginas.gedeeld import (
    LIJST,
    VERZOEK_OORDELEN,
    Kenmerk,
    afdelingen,
    medewerkers,
    pagina_router,
    poging,
    vraag,
)
from doorbraak.web.sessie import Csrf, WebCtx
from doorbraak.werk.context import Werkcontext

router = pagina_router()


# --- the page ------------------------------------------------------------------------------------


async def casus_context(
    request: Request, ctx: Werkcontext, kenmerk: str, toegang: CasusToegang | None = None
) -> dict[str, Any]:
    if toegang is None:
        toegang = await casus_toegang(ctx, kenmerk)
    v = vraag(request)
    casus = await casussen_lezen.casus(ctx, toegang)
    besluiten = (await maatwerk_lezen.besluiten_lijst(ctx, toegang, v, status=None)).results
    afwijkingen = (
        await maatwerk_lezen.afwijkingen_lijst(ctx, toegang, v, besluit=None, status=None)
    ).results
    deelnames = (await regie_lezen.deelnames(ctx, toegang, v)).results
    tijdlijn = await casussen_lezen.tijdlijn(ctx, toegang, vraag(request, LIJST))
    regels = (await organisatie_lezen.regels(ctx, v, actief=True)).results
    kosten_overzicht = await kosten_lezen.overzicht(ctx, toegang)
    team = await casussen_lezen.team(ctx, toegang)
    regie_nu = await regie_lezen.regie(ctx, toegang)
    escalaties = (await regie_lezen.escalaties(ctx, toegang, v)).results
    betrokkenen = (await afpellen_lezen.betrokkenen(ctx, toegang, v)).results
    stappen = (await afpellen_lezen.stappen(ctx, toegang, v)).results
    knelpunten = (await afpellen_lezen.knelpunten(ctx, toegang, v)).results
    leerpunten = (await leren_lezen.leerpunten(ctx, toegang, v)).results
    alle_medewerkers = await medewerkers(ctx, request)
    alle_afdelingen = await afdelingen(ctx, request)
    plan = await huishouden_lezen.perspectiefplan(ctx, toegang)
    partijdeelnames = await huishouden_lezen.partijdeelnames(ctx, toegang)
    # None: this actor does not see the casus's documents (the section is left out).
    bijlage_acties = policy.bijlage_acties(toegang.casus, toegang.rechten)
    bijlagen_nu = (
        (await bijlagen_lezen.bijlagen(ctx, toegang, v)).results if bijlage_acties.zien else None
    )
    namen = tijdlijn_zinnen.Namen(
        medewerkers={
            **{str(m.id): m.naam for m in alle_medewerkers},
            **{str(lid.medewerker.id): lid.medewerker.naam for lid in team},
            **{str(r.medewerker.id): r.medewerker.naam for r in regie_nu.historie},
        },
        afdelingen={a.code: a.naam for a in alle_afdelingen},
        onderdelen={
            **{str(r.id): r.titel for r in regels},
            **{str(s.id): s.titel for s in stappen},
            **{str(b.id): b.organisatie for b in betrokkenen},
            **{str(k.id): k.omschrijving[:60] for k in knelpunten},
            **{str(b.id): b.omschrijving[:60] for b in besluiten},
            **{str(a.id): a.regel.titel for a in afwijkingen},
            **{str(lp.id): lp.tekst[:60] for lp in leerpunten},
            **{str(h.id): h.naam_of_rol for h in plan.huishoudleden},
            **{str(d.id): d.tekst[:60] for d in plan.doelen},
            **{str(a.id): a.tekst[:60] for a in plan.afspraken},
            **{d.partij.code: d.partij.naam for d in partijdeelnames},
            **{str(e.id): f"{label(e.niveau)}: {e.reden[:50]}" for e in escalaties},
            **{str(b.id): b.bestandsnaam for b in bijlagen_nu or []},
        },
    )
    rechten = toegang.rechten
    return {
        "casus": casus,
        "acties": casus.toegestane_acties,
        "rechten": toegang.rechten,
        "regie": regie_nu,
        "team": team,
        "deelnames": deelnames,
        "eigen_deelname": next(
            (d for d in deelnames if d.afdeling == ctx.actor.afdeling_code), None
        ),
        # The afdelingen this actor may react for: the policy's own rule, per deelname.
        "reactie_opties": [
            (d.afdeling, namen.afdelingen.get(d.afdeling, d.afdeling))
            for d in deelnames
            if policy.reactie_oordeel(
                ctx.actor,
                rechten,
                d.afdeling,
                d.contactpersoon.id if d.contactpersoon else None,
            ).toegestaan
        ],
        "escalaties": escalaties,
        "betrokkenen": betrokkenen,
        "kosten": kosten_overzicht,
        "post_opties": list(
            {
                str(r.post): (str(r.post), r.omschrijving) for r in kosten_overzicht.in_kracht
            }.values()
        ),
        "stappen": stappen,
        "knelpunten": knelpunten,
        "besluiten": besluiten,
        "afwijkingen": afwijkingen,
        "rugdekking": _rugdekking_oordelen(ctx, toegang, afwijkingen),
        "kandidaten": {
            a.id: [
                (str(k.medewerker.id), f"{k.medewerker.naam} ({k.medewerker.afdeling})")
                for k in await rugdekking_lezen.kandidaten(ctx, toegang, a.id)
            ]
            for a in afwijkingen
            if a.toegestane_acties.rugdekking_vragen.toegestaan
        },
        "verzoeken": {
            a.id: (
                await rugdekking_lezen.verzoeken(ctx, v, aan_ik=False, afwijking=a.id, status=None)
            ).results
            for a in afwijkingen
        },
        "besluit_namen": {str(b.id): b.omschrijving[:80] for b in besluiten},
        "afwijking_namen": {str(a.id): a.regel.titel for a in afwijkingen},
        "afwijking_opties_alle": [
            (str(a.id), f"{a.regel.titel}: {a.wat_we_doen[:60]}")
            for a in afwijkingen
            if a.status in (AfwijkingStatus.voorgesteld, AfwijkingStatus.afgewezen)
        ],
        "leerpunten": leerpunten,
        "notities": (await notities_lezen.notities(ctx, toegang, v)).results,
        "bijlagen": bijlagen_nu,
        "bijlage_toevoegen": bijlage_acties.toevoegen,
        "bijlage_max": bijlagen.leesbare_grootte(ctx.settings.bijlage_max_bytes),
        "bijlage_soorten": "Toegestaan: " + bijlagesoorten.TOEGESTAAN,
        "tijdlijn": tijdlijn_zinnen.gebeurtenissen(list(reversed(tijdlijn.results)), namen),
        "plan": plan,
        "partijdeelnames": partijdeelnames,
        "partij_opties": [
            (p.code, p.naam)
            for p in (
                await huishouden_lezen.partijen(ctx, vraag(request, 100), actief=True)
            ).results
        ],
        "deelnemende_partijen": [(d.partij.code, d.partij.naam) for d in partijdeelnames],
        "huishoudlid_opties": [(str(h.id), h.naam_of_rol) for h in plan.huishoudleden],
        "vandaag": lokale_datum(ctx.nu).isoformat(),
        "tijdlijn_meer": tijdlijn.next is not None,
        "regels": regels,
        "fasen": list(Fase),
        "fase_index": list(Fase).index(casus.fase),
        "keuzes": {
            "afsluitreden": list(Afsluitreden),
            "niveau_escalatie": list(EscalatieNiveau),
            "uitkomst": list(EscalatieUitkomst),
            "loketstatus": [LoketStatus.ingediend, LoketStatus.in_behandeling],
            "leefgebied": list(Leefgebied),
            "kostensoort": list(Kostensoort),
            "kostenritme": list(Kostenritme),
            "stapstatus": list(StapStatus),
            "stapsoort": list(StapSoort),
            "nazorgvanaf": list(NazorgVanaf),
            "knelpuntsoort": list(KnelpuntSoort),
            "knelpuntniveau": list(KnelpuntNiveau),
            "knelpuntstatus": list(KnelpuntStatus),
            "reactie": list(ReactieOordeel),
            "grondslag": list(Grondslag),
            "risico": list(Risico),
            "rugdekking": list(RugdekkingOordeel),
            "leerpuntsoort": list(LeerpuntSoort),
        },
        "regel_namen": {r.id: f"{r.titel} ({r.regeling})" for r in regels},
        "voorwaarde_links": VOORWAARDE_LINKS,
    } | _keuzelijsten(deelnames, besluiten, regels, alle_medewerkers, alle_afdelingen)


async def inzage_context(
    request: Request, ctx: Werkcontext, toegang: CasusToegang
) -> dict[str, Any]:
    """The casus page for the addressee of an open rugdekkingsverzoek: the parts the policy's
    rugdekking inzage allows (`policy.RUGDEKKING_INZAGE_DELEN`), read through the same read
    modules as the API's routes for them, and the verzoek to answer."""
    v = vraag(request, 100)
    delen = policy.RUGDEKKING_INZAGE_DELEN
    besluiten = (
        (await maatwerk_lezen.besluiten_lijst(ctx, toegang, v, status=None)).results
        if "besluiten" in delen
        else []
    )
    afwijkingen = (
        (await maatwerk_lezen.afwijkingen_lijst(ctx, toegang, v, besluit=None, status=None)).results
        if "afwijkingen" in delen
        else []
    )
    verzoek_id = uuid.UUID(str(toegang.rechten.rugdekkingsverzoek))
    verzoek = await rugdekking_lezen.verzoek(ctx, verzoek_id)
    return {
        "casus": await casussen_lezen.casus(ctx, toegang) if "casus" in delen else None,
        "besluiten": besluiten,
        "afwijkingen": afwijkingen,
        "verzoek": verzoek,
        "oordelen": VERZOEK_OORDELEN,
    }


# Where a phase condition is fixed: the section of the casus page, or the edit form's field.
VOORWAARDE_LINKS = {
    "regiehouder": "#regie",
    "deelname": "#deelnames",
    "doel": "#perspectiefplan",
    "doorbraak": "/bewerken#doorbraak",
    "knelpunt": "#knelpunten",
    "besluit-vastgesteld": "#besluiten",
    "rugdekking": "#afwijkingen",
    "stappen-afgerond": "#stappen",
    "leerpunt": "#leerpunten",
}


def _rugdekking_oordelen(
    ctx: Werkcontext, toegang: CasusToegang, afwijkingen: list[AfwijkingUit]
) -> dict[uuid.UUID, ActieOordeel]:
    """Per afwijking: may this actor give rugdekking (its permission set, the rule the service
    enforces: mandaat, scope, conflict of interest, reconsideration)."""
    return {a.id: a.toegestane_acties.rugdekking_geven for a in afwijkingen}


def _keuzelijsten(
    deelnames: list[DeelnameUit],
    besluiten: list[BesluitUit],
    regels: list[RegelUit],
    alle_medewerkers: list[MedewerkerUit],
    alle_afdelingen: list[AfdelingUit],
) -> dict[str, Any]:
    afdelingsnamen = {a.code: a.naam for a in alle_afdelingen}
    return {
        "afdelingsnamen": afdelingsnamen,
        "mw_opties": [
            (str(m.id), f"{m.naam} ({afdelingsnamen.get(m.afdeling, m.afdeling)})")
            for m in alle_medewerkers
        ],
        "regisseur_opties": [
            (str(m.id), f"{m.naam} ({afdelingsnamen.get(m.afdeling, m.afdeling)})")
            for m in alle_medewerkers
            if policy.kan_regie_voeren(m)
        ],
        "afdeling_opties": [(a.code, a.naam) for a in alle_afdelingen],
        "deelnemer_opties": [
            (d.afdeling, afdelingsnamen.get(d.afdeling, d.afdeling)) for d in deelnames
        ],
        "regel_opties": [(str(r.id), f"{r.titel} ({r.regeling})") for r in regels],
        "alle_besluit_opties": [(str(b.id), b.omschrijving[:80]) for b in besluiten],
        "besluit_opties": [
            (str(b.id), b.omschrijving[:80]) for b in besluiten if b.status == BesluitStatus.concept
        ],
        "vastgesteld_opties": [
            (str(b.id), b.omschrijving[:80])
            for b in besluiten
            if b.status == BesluitStatus.vastgesteld
        ],
    }


@dataclass(frozen=True)
class Gelukt:
    """The announcement after a successful action, in the section where it happened."""

    sectie: str
    tekst: str


# Filled by the routes below: action code -> its announcement. The code travels in the
# redirect's query string (never input, never personal data).
GELUKT: dict[str, Gelukt] = {
    "casus-bewerken": Gelukt("casus", "De casus is opgeslagen."),
    "casus-aangemeld": Gelukt("casus", "De casus is aangemeld."),
}


def terug(kenmerk: str, code: str) -> RedirectResponse:
    """Redirect after post: to the casus page, at the announcement of what just happened."""
    return RedirectResponse(f"/casussen/{kenmerk}?gelukt={code}#melding", status_code=303)


# The casus page in parts (tabs that are plain links, so they work without JavaScript): each
# part shows its sections; "Alles" (no part chosen) shows every section. A section this list
# does not name shows in every part.
DELEN = [
    ("overzicht", "Overzicht", ["fase", "casus", "regie", "notities", "bijlagen", "team"]),
    ("huishouden", "Huishouden", ["perspectiefplan", "partijen"]),
    ("afpellen", "Afpellen", ["deelnames", "betrokkenen", "kosten", "knelpunten", "stappen"]),
    ("maatwerk", "Maatwerk", ["besluiten", "afwijkingen", "kosten"]),
    ("leren", "Leren", ["leerpunten"]),
    ("tijdlijn", "Tijdlijn", ["tijdlijn"]),
]
SECTIES = [
    ("fase", "Fase"),
    ("casus", "Casus"),
    ("perspectiefplan", "Perspectiefplan"),
    ("regie", "Regie"),
    ("deelnames", "Deelnames"),
    ("partijen", "Externe partijen"),
    ("betrokkenen", "Betrokkenen"),
    ("kosten", "Kosten"),
    ("knelpunten", "Knelpunten"),
    ("besluiten", "Besluiten"),
    ("afwijkingen", "Afwijkingen"),
    ("stappen", "Stappen"),
    ("leerpunten", "Leerpunten"),
    ("notities", "Notities"),
    ("bijlagen", "Bijlagen"),
    ("team", "Team"),
    ("tijdlijn", "Tijdlijn"),
]
BEKEND = {s for _, _, secties in DELEN for s in secties}
# On the full page the tijdlijn shows its newest regels; the tijdlijn part shows them all.
KORT_TIJDLIJN = 15


def weergave(deel: str | None) -> dict[str, Any]:
    gekozen = next((d for d in DELEN if d[0] == deel), None)

    def toon(sectie: str) -> bool:
        return gekozen is None or sectie in gekozen[2] or sectie not in BEKEND

    return {
        "deel": gekozen[0] if gekozen else None,
        "delen": DELEN,
        "secties": SECTIES,
        "toon": toon,
        "kort_tijdlijn": KORT_TIJDLIJN,
    }


@router.get("/casussen/{kenmerk}", response_class=HTMLResponse)
async def casus_pagina(
    request: Request,
    ctx: WebCtx,
    kenmerk: Kenmerk,
    gelukt: Annotated[str | None, Query(max_length=60)] = None,
    deel: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    # The addressee of an open rugdekkingsverzoek reads this casus for that purpose (the
    # policy's rugdekking inzage, logged with the verzoek as doelbinding): only its parts.
    toegang = await casus_toegang(ctx, kenmerk, voor_rugdekking=True)
    if toegang.rechten.rugdekkingsverzoek is not None:
        return render(request, "casus_rugdekking.html", await inzage_context(request, ctx, toegang))
    context = await casus_context(request, ctx, kenmerk, toegang) | weergave(deel)
    melding = GELUKT.get(gelukt or "")
    if melding is not None:
        context["gelukt"] = Gelukt(
            melding.sectie, melding.tekst.format(fase=label(context["casus"].fase).lower())
        )
    return render(request, "casus.html", context)


# --- the forms: typed actions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Formulierdata:
    """What an action takes from its request besides its input: the ids in the path, the
    versie the form was shown with."""

    pad: Mapping[str, Any]
    versie: int | None

    @property
    def id(self) -> uuid.UUID:
        try:
            return uuid.UUID(str(self.pad["id"]))
        except ValueError as exc:
            raise NietGevonden("Dit onderdeel bestaat niet.") from exc

    @property
    def afdeling(self) -> str:
        return str(self.pad["afdeling"])

    @property
    def partij(self) -> str:
        return str(self.pad["partij"])


InvoerT = TypeVar("InvoerT", bound=Invoer)


@dataclass(frozen=True)
class Actie(Generic[InvoerT]):
    """A form on the casus page: its input model (the API's) and the service call behind it."""

    pad: str
    model: type[InvoerT]
    uitvoeren: Callable[[Werkcontext, CasusToegang, InvoerT, Formulierdata], Awaitable[object]]
    sectie: str
    gelukt: str
    # A final action asks for a ticked "bevestigd" box first (when this says so for the form).
    bevestigen: Callable[[Mapping[str, Any]], bool] | None = None


@dataclass(frozen=True)
class Knop:
    """A form without input (a button): removing something."""

    pad: str
    uitvoeren: Callable[[Werkcontext, CasusToegang, Formulierdata], Awaitable[object]]
    sectie: str
    gelukt: str
    bevestigen: Callable[[Mapping[str, Any]], bool] | None = None


def _versie(form: Mapping[str, Any]) -> int | None:
    waarde = form.get("versie")
    return int(waarde) if isinstance(waarde, str) and waarde.isdigit() else None


async def _fase(c: Werkcontext, t: CasusToegang, i: FaseOvergangNieuw, d: Formulierdata) -> None:
    await casussen.fase_wijzigen(c, t, i)


async def _regie(c: Werkcontext, t: CasusToegang, i: RegieNieuw, d: Formulierdata) -> None:
    await regie.regie_toewijzen(c, t, i)


async def _teamlid(c: Werkcontext, t: CasusToegang, i: TeamlidNieuw, d: Formulierdata) -> None:
    await casussen.teamlid_toevoegen(c, t, i.medewerker)


async def _teamlid_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await casussen.teamlid_verwijderen(c, t, d.id)


async def _deelname(c: Werkcontext, t: CasusToegang, i: DeelnameNieuw, d: Formulierdata) -> None:
    await regie.deelname_toevoegen(c, t, i)


async def _deelname_wijzigen(
    c: Werkcontext, t: CasusToegang, i: DeelnameWijziging, d: Formulierdata
) -> None:
    await regie.deelname_wijzigen(c, t, d.afdeling, i, d.versie)


async def _deelname_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await regie.deelname_verwijderen(c, t, d.afdeling, d.versie)


async def _escaleren(c: Werkcontext, t: CasusToegang, i: EscalatieNieuw, d: Formulierdata) -> None:
    await regie.escaleren(c, t, i)


async def _escalatie_afhandelen(
    c: Werkcontext, t: CasusToegang, i: EscalatieWijziging, d: Formulierdata
) -> None:
    await regie.escalatie_afhandelen(c, t, d.id, i, d.versie)


async def _kosten_boeken(
    c: Werkcontext, t: CasusToegang, i: KostenregelNieuw, d: Formulierdata
) -> None:
    await kosten.regel_toevoegen(c, t, i)


async def _betrokkene(
    c: Werkcontext, t: CasusToegang, i: BetrokkeneNieuw, d: Formulierdata
) -> None:
    await afpellen.betrokkene_toevoegen(c, t, i)


async def _betrokkene_wijzigen(
    c: Werkcontext, t: CasusToegang, i: BetrokkeneWijziging, d: Formulierdata
) -> None:
    await afpellen.betrokkene_wijzigen(c, t, d.id, i, d.versie)


async def _betrokkene_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await afpellen.betrokkene_verwijderen(c, t, d.id, d.versie)


async def _stap(c: Werkcontext, t: CasusToegang, i: StapNieuw, d: Formulierdata) -> None:
    await afpellen.stap_toevoegen(c, t, i)


async def _stap_wijzigen(
    c: Werkcontext, t: CasusToegang, i: StapWijziging, d: Formulierdata
) -> None:
    await afpellen.stap_wijzigen(c, t, d.id, i, d.versie)


async def _knelpunt(c: Werkcontext, t: CasusToegang, i: KnelpuntNieuw, d: Formulierdata) -> None:
    await afpellen.knelpunt_toevoegen(c, t, i)


async def _knelpunt_wijzigen(
    c: Werkcontext, t: CasusToegang, i: KnelpuntWijziging, d: Formulierdata
) -> None:
    await afpellen.knelpunt_wijzigen(c, t, d.id, i, d.versie)


async def _besluit(c: Werkcontext, t: CasusToegang, i: BesluitNieuw, d: Formulierdata) -> None:
    await maatwerk.besluit_opstellen(c, t, i)


async def _reactie(c: Werkcontext, t: CasusToegang, i: ReactieNieuw, d: Formulierdata) -> None:
    await maatwerk.reageren(c, t, d.id, i)


async def _vaststellen(
    c: Werkcontext, t: CasusToegang, i: VaststellenInvoer, d: Formulierdata
) -> None:
    await maatwerk.vaststellen(c, t, d.id, i)


async def _overslaan(c: Werkcontext, t: CasusToegang, i: OverslagNieuw, d: Formulierdata) -> None:
    await maatwerk.overslaan(c, t, d.id, i)


async def _corrigeren(c: Werkcontext, t: CasusToegang, i: CorrectieNieuw, d: Formulierdata) -> None:
    await regie.escalatie_corrigeren(c, t, d.id, i)


async def _intrekken(c: Werkcontext, t: CasusToegang, i: IntrekkenInvoer, d: Formulierdata) -> None:
    await maatwerk.intrekken(c, t, d.id, i)


async def _afwijking(c: Werkcontext, t: CasusToegang, i: AfwijkingNieuw, d: Formulierdata) -> None:
    await maatwerk.afwijking_voorstellen(c, t, i)


async def _rugdekking(
    c: Werkcontext, t: CasusToegang, i: RugdekkingNieuw, d: Formulierdata
) -> None:
    await maatwerk.rugdekking_geven(c, t, d.id, i)


async def _verzoek_sturen(
    c: Werkcontext, t: CasusToegang, i: RugdekkingsverzoekNieuw, d: Formulierdata
) -> None:
    if await maatwerk_lezen.kenmerk_van_afwijking(c, i.afwijking) != t.casus.kenmerk:
        raise NietGevonden("Deze afwijking bestaat niet.")
    await rugdekking.verzoek_sturen(c, i)


async def _verzoek_intrekken(
    c: Werkcontext, t: CasusToegang, i: RugdekkingsverzoekIntrekken, d: Formulierdata
) -> None:
    if (await rugdekking_lezen.verzoek(c, d.id)).kenmerk != t.casus.kenmerk:
        raise NietGevonden("Dit rugdekkingsverzoek bestaat niet.")
    await rugdekking.intrekken(c, d.id, i)


async def _leerpunt(c: Werkcontext, t: CasusToegang, i: LeerpuntNieuw, d: Formulierdata) -> None:
    await leren.leerpunt_toevoegen(c, t, i)


async def _leerpunt_wijzigen(
    c: Werkcontext, t: CasusToegang, i: LeerpuntWijziging, d: Formulierdata
) -> None:
    await leren.leerpunt_wijzigen(c, t, d.id, i, d.versie)


async def _verhaal_goedkeuren(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await leren.verhaal_goedkeuren(c, t, d.id, d.versie)


async def _notitie(c: Werkcontext, t: CasusToegang, i: NotitieNieuw, d: Formulierdata) -> None:
    await notities.notitie_plaatsen(c, t, i)


async def _notitie_gezien(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await notities.gezien(c, t, d.id)


async def _bijlage_toevoegen(
    c: Werkcontext, t: CasusToegang, form: Mapping[str, Any], d: Formulierdata
) -> None:
    await bijlagen.toevoegen(c, t, await bijlagen.uit_formulier(form, c.settings))


async def _bijlage_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await bijlagen.verwijderen(c, t, d.id, d.versie)


async def _verhaal_intrekken(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await leren.verhaal_intrekken(c, d.id)


async def _stap_afronden(
    c: Werkcontext, t: CasusToegang, i: StapAfronding, d: Formulierdata
) -> None:
    wijziging = StapWijziging.model_validate(i.model_dump(by_alias=True, exclude_unset=True))
    await afpellen.stap_wijzigen(c, t, d.id, wijziging, d.versie)


async def _huishoudlid(
    c: Werkcontext, t: CasusToegang, i: HuishoudlidNieuw, d: Formulierdata
) -> None:
    await huishouden.huishoudlid_toevoegen(c, t, i)


async def _huishoudlid_wijzigen(
    c: Werkcontext, t: CasusToegang, i: HuishoudlidWijziging, d: Formulierdata
) -> None:
    await huishouden.huishoudlid_wijzigen(c, t, d.id, i, d.versie)


async def _huishoudlid_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await huishouden.huishoudlid_verwijderen(c, t, d.id, d.versie)


async def _doel(c: Werkcontext, t: CasusToegang, i: DoelNieuw, d: Formulierdata) -> None:
    await huishouden.doel_toevoegen(c, t, i)


async def _doel_wijzigen(
    c: Werkcontext, t: CasusToegang, i: DoelWijziging, d: Formulierdata
) -> None:
    await huishouden.doel_wijzigen(c, t, d.id, i, d.versie)


async def _doel_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await huishouden.doel_verwijderen(c, t, d.id, d.versie)


async def _afspraak(c: Werkcontext, t: CasusToegang, i: AfspraakNieuw, d: Formulierdata) -> None:
    await huishouden.afspraak_toevoegen(c, t, i)


async def _afspraak_wijzigen(
    c: Werkcontext, t: CasusToegang, i: AfspraakWijziging, d: Formulierdata
) -> None:
    await huishouden.afspraak_wijzigen(c, t, d.id, i, d.versie)


async def _afspraak_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await huishouden.afspraak_verwijderen(c, t, d.id, d.versie)


async def _instemming(
    c: Werkcontext, t: CasusToegang, i: InstemmingNieuw, d: Formulierdata
) -> None:
    await huishouden.instemming_vastleggen(c, t, i)


async def _instemming_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await huishouden.instemming_intrekken(c, t)


async def _partijdeelname(
    c: Werkcontext, t: CasusToegang, i: PartijdeelnameNieuw, d: Formulierdata
) -> None:
    await huishouden.partijdeelname_toevoegen(c, t, i)


async def _partijdeelname_wijzigen(
    c: Werkcontext, t: CasusToegang, i: PartijdeelnameWijziging, d: Formulierdata
) -> None:
    await huishouden.partijdeelname_wijzigen(c, t, d.partij, i, d.versie)


async def _partijcontact_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    leeg = PartijdeelnameWijziging.model_validate({"contactpersoon": None})
    await huishouden.partijdeelname_wijzigen(c, t, d.partij, leeg, d.versie)


async def _partijdeelname_weg(c: Werkcontext, t: CasusToegang, d: Formulierdata) -> None:
    await huishouden.partijdeelname_verwijderen(c, t, d.partij, d.versie)


def altijd(form: Mapping[str, Any]) -> bool:
    return True


def bij_afsluiten(form: Mapping[str, Any]) -> bool:
    return form.get("naar") == Fase.afgesloten.value


ACTIES: list[Actie[Any]] = [
    Actie(
        "/fase",
        FaseOvergangNieuw,
        _fase,
        "fase",
        "De casus staat nu in de fase {fase}.",
        bevestigen=bij_afsluiten,
    ),
    Actie("/regie", RegieNieuw, _regie, "regie", "De regie is vastgelegd."),
    Actie("/team", TeamlidNieuw, _teamlid, "team", "Het teamlid is toegevoegd."),
    Actie("/deelnames", DeelnameNieuw, _deelname, "deelnames", "De afdeling is toegevoegd."),
    Actie(
        "/deelnames/{afdeling}/wijzigen",
        DeelnameWijziging,
        _deelname_wijzigen,
        "deelnames",
        "Het standpunt is opgeslagen.",
    ),
    Actie("/escalaties", EscalatieNieuw, _escaleren, "regie", "De escalatie is aangevraagd."),
    Actie(
        "/escalaties/{id}/afhandelen",
        EscalatieWijziging,
        _escalatie_afhandelen,
        "regie",
        "De uitkomst van de escalatie is vastgelegd.",
    ),
    Actie(
        "/escalaties/{id}/correcties",
        CorrectieNieuw,
        _corrigeren,
        "regie",
        "De correctie is vastgelegd.",
    ),
    Actie(
        "/betrokkenen", BetrokkeneNieuw, _betrokkene, "betrokkenen", "De betrokkene is toegevoegd."
    ),
    Actie(
        "/betrokkenen/{id}/wijzigen",
        BetrokkeneWijziging,
        _betrokkene_wijzigen,
        "betrokkenen",
        "De betrokkene is opgeslagen.",
    ),
    Actie("/kostenregels", KostenregelNieuw, _kosten_boeken, "kosten", "De kosten zijn geboekt."),
    Actie("/stappen", StapNieuw, _stap, "stappen", "De stap is toegevoegd."),
    Actie(
        "/stappen/{id}/wijzigen", StapWijziging, _stap_wijzigen, "stappen", "De stap is opgeslagen."
    ),
    # Completing a stap: for nazorg also on a closed casus, without reopening it.
    Actie(
        "/stappen/{id}/afronden",
        StapAfronding,
        _stap_afronden,
        "stappen",
        "De stap is bijgewerkt; de casus blijft zoals hij was.",
    ),
    Actie(
        "/huishoudleden",
        HuishoudlidNieuw,
        _huishoudlid,
        "perspectiefplan",
        "Het huishoudlid is toegevoegd.",
    ),
    Actie(
        "/huishoudleden/{id}/wijzigen",
        HuishoudlidWijziging,
        _huishoudlid_wijzigen,
        "perspectiefplan",
        "Het huishoudlid is opgeslagen.",
    ),
    Actie("/doelen", DoelNieuw, _doel, "perspectiefplan", "Het doel is toegevoegd."),
    Actie(
        "/doelen/{id}/wijzigen",
        DoelWijziging,
        _doel_wijzigen,
        "perspectiefplan",
        "Het doel is opgeslagen.",
    ),
    Actie("/afspraken", AfspraakNieuw, _afspraak, "perspectiefplan", "De afspraak is toegevoegd."),
    Actie(
        "/afspraken/{id}/wijzigen",
        AfspraakWijziging,
        _afspraak_wijzigen,
        "perspectiefplan",
        "De afspraak is opgeslagen.",
    ),
    Actie(
        "/perspectiefplan/instemming",
        InstemmingNieuw,
        _instemming,
        "perspectiefplan",
        "De instemming van het huishouden is vastgelegd.",
    ),
    Actie(
        "/partijdeelnames",
        PartijdeelnameNieuw,
        _partijdeelname,
        "partijen",
        "De externe partij is toegevoegd.",
    ),
    Actie(
        "/partijdeelnames/{partij}/wijzigen",
        PartijdeelnameWijziging,
        _partijdeelname_wijzigen,
        "partijen",
        "De externe partij is opgeslagen.",
    ),
    Actie("/knelpunten", KnelpuntNieuw, _knelpunt, "knelpunten", "Het knelpunt is toegevoegd."),
    Actie(
        "/knelpunten/{id}/wijzigen",
        KnelpuntWijziging,
        _knelpunt_wijzigen,
        "knelpunten",
        "Het knelpunt is opgeslagen.",
    ),
    Actie("/besluiten", BesluitNieuw, _besluit, "besluiten", "Het besluit is opgesteld."),
    Actie(
        "/besluiten/{id}/reacties", ReactieNieuw, _reactie, "besluiten", "De reactie is vastgelegd."
    ),
    Actie(
        "/besluiten/{id}/overslagen",
        OverslagNieuw,
        _overslaan,
        "besluiten",
        "De afdeling is overgeslagen.",
    ),
    Actie(
        "/besluiten/{id}/vaststellen",
        VaststellenInvoer,
        _vaststellen,
        "besluiten",
        "Het besluit is vastgesteld.",
        bevestigen=altijd,
    ),
    Actie(
        "/besluiten/{id}/intrekken",
        IntrekkenInvoer,
        _intrekken,
        "besluiten",
        "Het besluit is ingetrokken.",
        bevestigen=altijd,
    ),
    Actie(
        "/afwijkingen", AfwijkingNieuw, _afwijking, "afwijkingen", "De afwijking is voorgesteld."
    ),
    Actie(
        "/afwijkingen/{id}/rugdekking",
        RugdekkingNieuw,
        _rugdekking,
        "afwijkingen",
        "Uw oordeel over de rugdekking is vastgelegd.",
        bevestigen=altijd,
    ),
    Actie(
        "/rugdekkingsverzoeken",
        RugdekkingsverzoekNieuw,
        _verzoek_sturen,
        "afwijkingen",
        "Het rugdekkingsverzoek is verstuurd.",
    ),
    Actie(
        "/rugdekkingsverzoeken/{id}/intrekken",
        RugdekkingsverzoekIntrekken,
        _verzoek_intrekken,
        "afwijkingen",
        "Het rugdekkingsverzoek is ingetrokken.",
    ),
    Actie("/leerpunten", LeerpuntNieuw, _leerpunt, "leerpunten", "Het leerpunt is toegevoegd."),
    Actie(
        "/leerpunten/{id}/wijzigen",
        LeerpuntWijziging,
        _leerpunt_wijzigen,
        "leerpunten",
        "Het leerpunt is opgeslagen.",
    ),
    Actie("/notities", NotitieNieuw, _notitie, "notities", "Uw notitie is geplaatst."),
]
KNOPPEN: list[Knop] = [
    Knop(
        "/team/{id}/verwijderen",
        _teamlid_weg,
        "team",
        "Het teamlid is uit het team gehaald.",
        bevestigen=altijd,
    ),
    Knop(
        "/deelnames/{afdeling}/verwijderen",
        _deelname_weg,
        "deelnames",
        "De afdeling is van tafel gehaald.",
        bevestigen=altijd,
    ),
    Knop(
        "/betrokkenen/{id}/verwijderen",
        _betrokkene_weg,
        "betrokkenen",
        "De betrokkene is verwijderd.",
        bevestigen=altijd,
    ),
    Knop(
        "/huishoudleden/{id}/verwijderen",
        _huishoudlid_weg,
        "perspectiefplan",
        "Het huishoudlid is verwijderd.",
        bevestigen=altijd,
    ),
    Knop(
        "/doelen/{id}/verwijderen",
        _doel_weg,
        "perspectiefplan",
        "Het doel is verwijderd.",
        bevestigen=altijd,
    ),
    Knop(
        "/afspraken/{id}/verwijderen",
        _afspraak_weg,
        "perspectiefplan",
        "De afspraak is verwijderd.",
        bevestigen=altijd,
    ),
    Knop(
        "/perspectiefplan/instemming/intrekken",
        _instemming_weg,
        "perspectiefplan",
        "De instemming is ingetrokken.",
        bevestigen=altijd,
    ),
    Knop(
        "/partijdeelnames/{partij}/contact-wissen",
        _partijcontact_weg,
        "partijen",
        "De contactpersoon is gewist.",
        bevestigen=altijd,
    ),
    Knop(
        "/partijdeelnames/{partij}/verwijderen",
        _partijdeelname_weg,
        "partijen",
        "De externe partij is van tafel gehaald.",
        bevestigen=altijd,
    ),
    # Four-eyes on a shared verhaal, and its takedown (also on a closed casus).
    Knop(
        "/leerpunten/{id}/goedkeuren",
        _verhaal_goedkeuren,
        "leerpunten",
        "Het verhaal is goedgekeurd en gedeeld.",
    ),
    Knop(
        "/leerpunten/{id}/intrekken",
        _verhaal_intrekken,
        "leerpunten",
        "Het verhaal is ingetrokken.",
    ),
    Knop(
        "/notities/{id}/gezien",
        _notitie_gezien,
        "notities",
        "De notitie staat niet meer in uw inbox.",
    ),
    Knop(
        "/bijlagen/{id}/verwijderen",
        _bijlage_weg,
        "bijlagen",
        "De bijlage is verwijderd.",
        bevestigen=altijd,
    ),
]


def _code(pad: str) -> str:
    """`/stappen/{id}/wijzigen` -> `stappen-wijzigen`: the action's code in the redirect."""
    return "-".join(d for d in pad.strip("/").split("/") if not d.startswith("{"))


def _route(
    pad: str,
    sectie: str,
    model: type[Invoer] | None,
    uitvoeren: Callable[
        [Werkcontext, CasusToegang, Mapping[str, Any], Formulierdata], Awaitable[object]
    ],
    gelukt: str,
    bevestigen: Callable[[Mapping[str, Any]], bool] | None,
) -> None:
    code = _code(pad)
    GELUKT[code] = Gelukt(sectie, gelukt)

    async def handler(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
        form = await request.form()
        toegang = await casus_toegang(ctx, kenmerk, lezen=False)
        data = Formulierdata(pad=request.path_params, versie=_versie(form))

        async def doe() -> None:
            if bevestigen is not None and bevestigen(form):
                formulieren.eis_bevestiging(form)
            await uitvoeren(ctx, toegang, form, data)

        fout = await poging(request, ctx, doe)
        if fout is None:
            return terug(kenmerk, code)
        velden = (veldnamen(model) if model else set()) | {"bevestigd"}
        fm = formulier_met_fout(request.url.path, form, fout, velden)
        context = await casus_context(request, ctx, kenmerk) | weergave(None)
        context["fout_sectie"] = sectie
        return render(request, "casus.html", context, status=fout.status, formulier=fm)

    async def opnieuw(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
        """The address of a form's answer, opened again (a reload, a bookmark, after signing
        in): the casus page at the section of that form, never 405."""
        await casus_toegang(ctx, kenmerk)
        return RedirectResponse(f"/casussen/{kenmerk}#{sectie}", status_code=303)

    naam = "casus_" + pad.strip("/").replace("/", "_").replace("{", "").replace("}", "")
    handler.__name__ = naam
    opnieuw.__name__ = naam + "_opnieuw"
    router.add_api_route(
        "/casussen/{kenmerk}" + pad,
        handler,
        methods=["POST"],
        response_class=HTMLResponse,
        dependencies=[Csrf],
    )
    router.add_api_route(
        "/casussen/{kenmerk}" + pad, opnieuw, methods=["GET"], response_class=HTMLResponse
    )


def _met_invoer(actie: Actie[InvoerT]) -> None:
    async def uitvoeren(
        ctx: Werkcontext, toegang: CasusToegang, form: Mapping[str, Any], data: Formulierdata
    ) -> None:
        await actie.uitvoeren(ctx, toegang, formulieren.lees(actie.model, form), data)

    _route(actie.pad, actie.sectie, actie.model, uitvoeren, actie.gelukt, actie.bevestigen)


def _zonder_invoer(knop: Knop) -> None:
    async def uitvoeren(
        ctx: Werkcontext, toegang: CasusToegang, form: Mapping[str, Any], data: Formulierdata
    ) -> None:
        await knop.uitvoeren(ctx, toegang, data)

    _route(knop.pad, knop.sectie, None, uitvoeren, knop.gelukt, knop.bevestigen)


for _actie in ACTIES:
    _met_invoer(_actie)
for _knop in KNOPPEN:
    _zonder_invoer(_knop)
# The upload (multipart/form-data: the file and its omschrijving, checked by the service as
# the API's upload is).
_route("/bijlagen", "bijlagen", None, _bijlage_toevoegen, "De bijlage is toegevoegd.", None)


@router.get("/casussen/{kenmerk}/bijlagen/{id}/inhoud")
async def bijlage_downloaden(
    request: Request, ctx: WebCtx, kenmerk: Kenmerk, id: uuid.UUID
) -> Response:
    """A document of the casus as a download (the same rule and tijdlijn entry as the API)."""
    toegang = await casus_toegang(ctx, kenmerk)
    bijlage, inhoud = await bijlagen.downloaden(ctx, toegang, id)
    return download(inhoud, bijlage.mediatype, bijlage.bestandsnaam)


# --- Casus bewerken, with the versie: a conflict shows what changed and keeps the input --------

BEWERKBAAR = [
    ("titel", "Titel"),
    ("situatie", "Situatie"),
    ("urgentie", "Urgentie"),
    ("vertrouwelijkheid", "Vertrouwelijkheid"),
    ("huishoudenNaam", "Naam huishouden"),
    ("doorbraakvraag", "Doorbraakvraag"),
    ("doorbraak", "Doorbraak"),
    ("besluitUiterlijkDatum", "Besluit uiterlijk"),
]


def _huidig(casus: CasusUit) -> dict[str, str]:
    ruw = casus.model_dump(by_alias=True, mode="json")
    return {naam: "" if ruw.get(naam) is None else str(ruw[naam]) for naam, _ in BEWERKBAAR}


def _bewerk_context(casus: CasusUit) -> dict[str, Any]:
    return {
        "casus": casus,
        "huidig": _huidig(casus),
        "bewerkbaar": BEWERKBAAR,
        **nieuw_context(),
    }


@router.get("/casussen/{kenmerk}/bewerken", response_class=HTMLResponse)
async def casus_bewerken(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
    toegang = await casus_toegang(ctx, kenmerk)
    policy.mag_wijzigen(toegang.rechten).eis()
    casus = await casussen_lezen.casus(ctx, toegang)
    return render(request, "casus_bewerken.html", _bewerk_context(casus))


@router.post("/casussen/{kenmerk}/bewerken", response_class=HTMLResponse, dependencies=[Csrf])
async def casus_opslaan(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
    form = await request.form()
    toegang = await casus_toegang(ctx, kenmerk, lezen=False)
    # Only what this person changed is sent: a field they left alone never overwrites what
    # somebody else saved in the meantime.
    gewijzigd = {
        naam: form.get(naam)
        for naam, _ in BEWERKBAAR
        if form.get(naam) is not None and form.get(naam) != form.get(f"was.{naam}")
    }
    if form.get("bsn"):
        gewijzigd["bsn"] = form.get("bsn")

    async def doe() -> None:
        invoer = formulieren.lees(CasusWijziging, gewijzigd)
        await casussen.wijzigen(ctx, toegang, invoer, _versie(form))

    fout = await poging(request, ctx, doe)
    if fout is None:
        return terug(kenmerk, "casus-bewerken")
    toegang = await casus_toegang(ctx, kenmerk)
    casus = await casussen_lezen.casus(ctx, toegang)
    # What the person typed comes back in the form, except a BSN (never echoed into a page).
    waarden = {
        naam: "" if bsns_in_tekst(str(form.get(naam) or "")) else str(form.get(naam) or "")
        for naam, _ in BEWERKBAAR
    }
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(CasusWijziging))
    fm.waarden = {
        **_huidig(casus),
        **{k: str(v) for k, v in gewijzigd.items() if k != "bsn" and not bsns_in_tekst(str(v))},
    }
    if isinstance(fout, VersieConflict):
        nu = _huidig(casus)
        fm.extra["door_wie"] = await casussen_lezen.laatste_wijziging(ctx, toegang)
        fm.algemeen = [
            "Iemand anders heeft deze casus gewijzigd terwijl u bezig was. Hieronder ziet u wat "
            "er veranderde; uw eigen invoer staat nog in het formulier. Controleer het en sla "
            "opnieuw op."
        ]
        fm.extra["wijzigingen"] = [
            {
                "label": tekst,
                "was": str(form.get(f"was.{naam}") or ""),
                "nu": nu[naam],
                "uw": waarden[naam],
            }
            for naam, tekst in BEWERKBAAR
            if str(form.get(f"was.{naam}") or "") != nu[naam]
        ]
    return render(
        request,
        "casus_bewerken.html",
        _bewerk_context(casus),
        status=fout.status,
        formulier=fm,
    )


@router.get("/casussen/{kenmerk}/precedenten", response_class=HTMLResponse)
async def precedenten_pagina(
    request: Request,
    ctx: WebCtx,
    kenmerk: Kenmerk,
    regel: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """Earlier gedekte afwijkingen of a regel, for whoever proposes one on this casus. The
    casus is checked first: outside the casusteam this page is a 404 like every casus page."""
    toegang = await casus_toegang(ctx, kenmerk)
    try:
        regel_id = uuid.UUID(regel or "")
    except ValueError as exc:
        raise OngeldigeInvoer(
            [{"name": "regel", "code": "onbekende-regel", "reason": "kies een regel"}]
        ) from exc
    precedenten = await leren_lezen.precedenten(ctx, toegang, regel_id)
    return render(
        request,
        "precedenten.html",
        {"kenmerk": toegang.casus.kenmerk, "precedenten": precedenten},
    )
