"""The casus summary as one document: what the doorbraaktafel (or an overleg) needs on paper.

Read from the read modules of the other packages, so the summary shows exactly what the API
shows. Two rules of its own: the BSN is only ever masked, and staff are named only for a reader
on the casusteam (a leidinggevende of a participating afdeling or an auditor with a purpose reads
"een medewerker van <afdeling>"). The bestuur memo never carries the household's name or BSN.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doorbraak.afpellen import lezen as afpellen_lezen
from doorbraak.casussen import lezen as casussen_lezen
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict
from doorbraak.huishouden import lezen as huishouden_lezen
from doorbraak.huishouden.schemas import Eigenaar, HuishoudlidRef, PerspectiefplanUit
from doorbraak.kit import document
from doorbraak.kit.document import Formaat
from doorbraak.kit.pagination import PaginaVraag
from doorbraak.kosten import lezen as kosten_lezen
from doorbraak.kosten.lezen import Vergelijking
from doorbraak.maatwerk import lezen as maatwerk_lezen
from doorbraak.maatwerk.schemas import AfwijkingUit, BesluitUit
from doorbraak.models import Kostennulmeting, Kostenregel
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    EscalatieNiveau,
    EscalatieUitkomst,
    Grondslag,
    Kostenritme,
    Kostensoort,
)
from doorbraak.organisatie import lezen as organisatie_lezen
from doorbraak.organisatie.schemas import MedewerkerRef
from doorbraak.regie import lezen as regie_lezen
from doorbraak.regie.schemas import EscalatieUit
from doorbraak.werk.context import Werkcontext

SJABLONEN = Path(__file__).resolve().parent / "documenten"
ALLES = 100  # the read modules' page size; a casus has far fewer parts than this

FASEN = {
    "aangemeld": "aangemeld",
    "in_kaart": "in kaart",
    "perspectief": "perspectief",
    "afpellen": "afpellen",
    "maatwerk": "maatwerk",
    "uitvoering": "uitvoering",
    "evaluatie": "evaluatie",
    "afgesloten": "afgesloten",
}
GRONDSLAGEN = {
    Grondslag.awb_4_84: "Awb 4:84 (inherente afwijkingsbevoegdheid)",
    Grondslag.hardheidsclausule: "hardheidsclausule",
    Grondslag.wettelijke_ruimte: "wettelijke ruimte",
    Grondslag.buiten_kader: "buiten kader",
}
IN_KRACHT = (AfwijkingStatus.voorgesteld, AfwijkingStatus.gedekt, AfwijkingStatus.afgewezen)


class GeenAfwijkingBuitenKader(Conflict):
    code = "geen-afwijking-buiten-kader"

    def __init__(self) -> None:
        super().__init__(
            "Een bestuursmemo is er voor een besluit met een afwijking buiten kader; deze casus "
            "heeft er geen."
        )


@dataclass
class Lezer:
    """Who the document is made for, and so what it may name."""

    op_team: bool
    afdelingen: dict[str, str]

    def afdeling(self, code: str | None) -> str:
        if code is None:
            return ""
        return self.afdelingen.get(code, code)

    def huishoudlid(self, ref: HuishoudlidRef | None) -> str:
        """A household member by name or role on the team; off the team only that it was one."""
        if ref is None:
            return "het huishouden"
        return ref.naam_of_rol if self.op_team else "een huishoudlid"

    def eigenaar(self, e: Eigenaar) -> str:
        if e.soort == "huishoudlid":
            return self.huishoudlid(e.huishoudlid)
        if e.soort == "afdeling":
            return self.afdeling(e.afdeling)
        if e.soort == "huishouden":
            return "het huishouden"
        return e.naam  # an external organisation: its name, not a person

    def persoon(self, ref: MedewerkerRef | None) -> str:
        if ref is None:
            return ""
        if self.op_team:
            return ref.naam
        return f"een medewerker van {self.afdeling(ref.afdeling)}"


@dataclass
class Reactieregel:
    afdeling: str
    stand: str  # akkoord / bezwaar / overgeslagen / nog geen reactie
    door: str = ""
    op: dt.datetime | None = None
    toelichting: str = ""
    open: bool = False


@dataclass
class Besluitblok:
    besluit: BesluitUit
    status: str
    betaler: str
    kostenverdeling: list[tuple[str, int, int]]
    afwijkingen: list[dict[str, Any]] = field(default_factory=list)
    reacties: list[Reactieregel] = field(default_factory=list)


SOORTEN = {
    (Kostensoort.huidig, Kostenritme.jaarlijks): "huidig",
    (Kostensoort.huidig, Kostenritme.eenmalig): "huidig, eenmalig",
    (Kostensoort.dreigend, Kostenritme.jaarlijks): "dreigend (scenario)",
    (Kostensoort.dreigend, Kostenritme.eenmalig): "dreigend (scenario), eenmalig",
    (Kostensoort.gerealiseerd, Kostenritme.jaarlijks): "gerealiseerd",
    (Kostensoort.gerealiseerd, Kostenritme.eenmalig): "gerealiseerd, eenmalig",
}


def _kosten(
    v: Vergelijking,
    nulmeting: Kostennulmeting | None,
    regels: Sequence[Kostenregel],
    lezer: Lezer,
) -> dict[str, Any]:
    return {
        "doormodderen": v.doormodderen,
        "scenario": v.scenario,
        "doorbraak": v.doorbraak,
        "besparing": v.besparing,
        "dreigend_per_jaar_cent": v.dreigend_per_jaar_cent,
        "dreigend_eenmalig_cent": v.dreigend_eenmalig_cent,
        "nakosten_per_jaar_cent": v.nakosten_per_jaar_cent,
        "nakosten_peildatum": v.nakosten_peildatum,
        "nulmeting": nulmeting,
        "posten": [
            {
                "omschrijving": r.omschrijving + (f" ({r.moment})" if r.moment else ""),
                "soort_tekst": SOORTEN[(r.soort, r.ritme)],
                "betaler": lezer.afdeling(r.afdeling_code),
                "bedrag_cent": r.bedrag_cent,
                "jaarlijks": r.ritme == Kostenritme.jaarlijks,
                "peildatum": r.peildatum,
            }
            for r in sorted(regels, key=lambda r: (str(r.soort), r.omschrijving))
        ],
        "per_afdeling": [
            {**a, "naam": lezer.afdeling(a["afdeling"]) or "niet toegewezen"}
            for a in v.per_afdeling
        ],
    }


def _vraag() -> PaginaVraag:
    return PaginaVraag(limit=ALLES, cursor=None, adres="")


def _voorgesteld(besluiten: list[BesluitUit]) -> BesluitUit | None:
    """The besluit on the table: the newest concept, otherwise the newest vastgesteld one."""
    for status in (BesluitStatus.concept, BesluitStatus.vastgesteld):
        kandidaten = [b for b in besluiten if b.status == status]
        if kandidaten:
            return max(kandidaten, key=lambda b: (b.aangemaakt_op, str(b.id)))
    return None


def _afwijking(a: AfwijkingUit, lezer: Lezer) -> dict[str, Any]:
    return {
        "id": a.id,
        "regel": a.regel.titel,
        "regeling": f"{a.regel.regeling}, {a.regel.artikel}",
        "wat_de_regel_zegt": a.wat_de_regel_zegt,
        "wat_we_doen": a.wat_we_doen,
        "grondslag": GRONDSLAGEN.get(a.grondslag, str(a.grondslag)),
        "buiten_kader": a.grondslag == Grondslag.buiten_kader,
        "motivering": a.motivering,
        "waardentoets": a.waardentoets,
        "risico": str(a.risico),
        "financieel_belang_cent": a.financieel_belang_cent,
        "status": str(a.status),
        "beleidssignaal": a.beleidssignaal,
        "rugdekking": None
        if a.rugdekking is None
        else {
            "oordeel": str(a.rugdekking.oordeel),
            "door": lezer.persoon(a.rugdekking.door),
            "op": a.rugdekking.op,
            "mandaat": a.rugdekking.mandaat_referentie or "",
        },
    }


def _besluitblok(besluit: BesluitUit, afwijkingen: list[AfwijkingUit], lezer: Lezer) -> Besluitblok:
    reacties = [
        Reactieregel(
            afdeling=lezer.afdeling(r.afdeling),
            stand=str(r.reactie),
            door=lezer.persoon(r.door),
            op=r.op,
            toelichting=r.toelichting,
        )
        for r in besluit.reacties
    ]
    reacties += [
        Reactieregel(
            afdeling=lezer.afdeling(o.afdeling),
            stand="overgeslagen",
            door=lezer.persoon(o.door),
            op=o.op,
            toelichting=o.reden,
        )
        for o in besluit.overgeslagen
    ]
    reacties += [
        Reactieregel(afdeling=lezer.afdeling(code), stand="nog geen reactie", open=True)
        for code in besluit.niet_gehoord
    ]
    return Besluitblok(
        besluit=besluit,
        status=str(besluit.status),
        betaler=lezer.afdeling(besluit.betalende_afdeling),
        kostenverdeling=[
            (lezer.afdeling(k.afdeling), k.eenmalig_cent, k.per_jaar_cent)
            for k in besluit.kostenverdeling
        ],
        afwijkingen=[
            _afwijking(a, lezer)
            for a in afwijkingen
            if a.besluit == besluit.id and a.status in IN_KRACHT
        ],
        reacties=sorted(reacties, key=lambda r: (r.open, r.afdeling)),
    )


LEEFGEBIEDEN = {
    "financien": "Financiën",
    "wonen": "Wonen",
    "werk": "Werk",
    "onderwijs": "Onderwijs",
    "gezondheid": "Gezondheid",
    "zorg": "Zorg",
    "veiligheid": "Veiligheid",
    "justitie": "Justitie",
    "sociaal_netwerk": "Sociaal netwerk",
    "overig": "Overig",
}


def _plan(plan: PerspectiefplanUit, lezer: Lezer) -> dict[str, Any]:
    """The household's own plan, in its words: goals per leefgebied with who said them, the
    afspraken with their owner, the consent; members by name or role only for the team."""
    return {
        "doorbraakvraag": plan.doorbraakvraag,
        "leden": [lid.naam_of_rol for lid in plan.huishoudleden] if lezer.op_team else [],
        "aantal_leden": len(plan.huishoudleden),
        "doelen": [
            {
                "leefgebied": LEEFGEBIEDEN.get(str(d.leefgebied), str(d.leefgebied)),
                "tekst": d.tekst,
                "wie": lezer.huishoudlid(d.gezegd_door),
            }
            for d in sorted(plan.doelen, key=lambda d: (str(d.leefgebied), d.aangemaakt_op))
        ],
        "afspraken": [
            {"tekst": a.tekst, "eigenaar": lezer.eigenaar(a.eigenaar)} for a in plan.afspraken
        ],
        "instemming": None
        if plan.instemming is None
        else {
            "datum": plan.instemming.datum,
            "door": lezer.persoon(plan.instemming.vastgelegd_door),
        },
    }


async def _context(ctx: Werkcontext, toegang: CasusToegang) -> dict[str, Any]:
    v = _vraag()
    casus = await casussen_lezen.casus(ctx, toegang)
    afdelingen = {
        a.code: a.naam for a in (await organisatie_lezen.afdelingen(ctx, v, actief=None)).results
    }
    lezer = Lezer(op_team=toegang.rechten.is_teamlid, afdelingen=afdelingen)
    deelnames = (await regie_lezen.deelnames(ctx, toegang, v)).results
    besluiten = (await maatwerk_lezen.besluiten_lijst(ctx, toegang, v, status=None)).results
    afwijkingen = (
        await maatwerk_lezen.afwijkingen_lijst(ctx, toegang, v, besluit=None, status=None)
    ).results
    knelpunten = (await afpellen_lezen.knelpunten(ctx, toegang, v)).results
    kosten, nulmeting, regels = await kosten_lezen.vergelijking(ctx, toegang.casus.id)
    plan = await huishouden_lezen.perspectiefplan(ctx, toegang)
    partijen = await huishouden_lezen.partijdeelnames(ctx, toegang)
    voorgesteld = _voorgesteld(besluiten)
    standpunten = [
        {
            "afdeling": lezer.afdeling(d.afdeling),
            "contactpersoon": lezer.persoon(d.contactpersoon),
            "standpunt": d.standpunt,
        }
        for d in sorted(deelnames, key=lambda d: lezer.afdeling(d.afdeling))
    ] + [
        {
            # A party outside the municipality; its contact person only for the team (the
            # read module already leaves it out for anyone else).
            "afdeling": f"{p.partij.naam} (extern)",
            "contactpersoon": p.contactpersoon.naam if lezer.op_team and p.contactpersoon else "",
            "standpunt": p.standpunt,
        }
        for p in sorted(partijen, key=lambda p: p.partij.naam)
    ]
    return {
        "casus": casus,
        "lezer": lezer,
        "fase": FASEN.get(str(casus.fase), str(casus.fase)),
        "regiehouder": lezer.persoon(casus.regiehouder),
        "huishouden": casus.huishouden_naam if lezer.op_team else None,
        "standpunten": standpunten,
        "standpunt_paren": [standpunten[i : i + 2] for i in range(0, len(standpunten), 2)],
        "knelpunten": knelpunten,
        "plan": _plan(plan, lezer),
        "kosten": _kosten(kosten, nulmeting, regels, lezer),
        "besluit": None if voorgesteld is None else _besluitblok(voorgesteld, afwijkingen, lezer),
        "kop": casus.kenmerk,
        "gemaakt_op": document.datum(ctx.nu),
        "gemaakt_voor": ctx.actor.naam if lezer.op_team else "",
    }


async def samenvatting(
    ctx: Werkcontext, toegang: CasusToegang, formaat: Formaat
) -> tuple[bytes, int | None]:
    """The summary for the doorbraaktafel in the asked format; the generation is logged."""
    context = await _context(ctx, toegang)
    context |= {"titel": "Casussamenvatting voor de doorbraaktafel"}
    uit = await document.document(
        "samenvatting", formaat, "samenvatting.html", context, map_=SJABLONEN
    )
    ctx.logboek(f"samenvatting.{formaat.name}", "casus", toegang.casus.kenmerk, toegang.casus.id)
    return uit


UITKOMSTEN = {
    EscalatieUitkomst.toegekend: "toegekend",
    EscalatieUitkomst.afgewezen: "afgewezen",
    EscalatieUitkomst.toegekend_onder_voorwaarden: "toegekend onder voorwaarden",
}


def _bestuursbesluiten(
    escalaties: Sequence[EscalatieUit],
    besluit: BesluitUit,
    afwijkingen: set[uuid.UUID],
    lezer: Lezer,
) -> list[dict[str, Any]]:
    """The bestuur (or landelijk) escalaties about this besluit or its afwijkingen buiten kader,
    each with its outcome once recorded. A corrected outcome is shown as the correction that
    superseded it, with the reason, never as the old text."""
    uit = []
    for e in sorted(escalaties, key=lambda e: (e.aangevraagd_op, str(e.id))):
        if e.niveau not in (EscalatieNiveau.bestuur, EscalatieNiveau.landelijk):
            continue
        if e.vervangen_door is not None:
            continue
        if e.betreft.besluit != besluit.id and not afwijkingen & set(e.betreft.afwijkingen):
            continue
        u = e.uitkomst
        uit.append(
            {
                "niveau": str(e.niveau),
                "reden": e.reden,
                "aangevraagd_door": lezer.persoon(e.aangevraagd_door),
                "aangevraagd_op": e.aangevraagd_op,
                "correctiereden": e.correctiereden,
                "uitkomst": None
                if u is None
                else {
                    "soort": UITKOMSTEN.get(u.soort, "vastgelegd") if u.soort else "vastgelegd",
                    "voorwaarden": u.voorwaarden,
                    "referentie": u.referentie,
                    "toelichting": u.toelichting,
                    "door": lezer.persoon(u.door),
                    "op": u.op,
                },
            }
        )
    return uit


async def bestuursmemo(
    ctx: Werkcontext, toegang: CasusToegang, formaat: Formaat
) -> tuple[bytes, int | None]:
    """The memo for the bestuur about a besluit with afwijkingen buiten kader (409 without):
    what is asked, and once the bestuur decided, what it decided and where that is laid down."""
    context = await _context(ctx, toegang)
    blok: Besluitblok | None = context["besluit"]
    buiten_kader = [a for a in blok.afwijkingen if a["buiten_kader"]] if blok else []
    if blok is None or not buiten_kader:
        raise GeenAfwijkingBuitenKader()
    escalaties = (await regie_lezen.escalaties(ctx, toegang, _vraag())).results
    besluiten = _bestuursbesluiten(
        escalaties, blok.besluit, {a["id"] for a in buiten_kader}, context["lezer"]
    )
    context |= {
        "titel": "Bestuursmemo: afwijking buiten kader",
        "buiten_kader": buiten_kader,
        "bestuursbesluiten": besluiten,
        "beslist": [b for b in besluiten if b["uitkomst"] is not None],
        "huishouden": None,
    }
    uit = await document.document(
        "bestuursmemo", formaat, "bestuursmemo.html", context, map_=SJABLONEN
    )
    ctx.logboek(f"bestuursmemo.{formaat.name}", "casus", toegang.casus.kenmerk, toegang.casus.id)
    return uit
