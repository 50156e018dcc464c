"""The tijdlijn in Dutch sentences: what happened, to which part, with Dutch labels and values.

The stored tijdlijn keeps the event code (`stap.gewijzigd`), the column names and raw values
(ids, ISO timestamps, booleans): that is the audit record and what the API returns. A person
reads "Stap 'Dak repareren' gewijzigd" with "Status: open → afgerond". Ids become the names the
page already knows (medewerkers, besluiten, regels, stappen, ...); an id the page does not know
is never shown. A code this module has no sentence for still reads as Dutch words (object and
verb), so a new kind of event never shows its code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from doorbraak.web.opmaak import AMSTERDAM, euro, label

# What each object is called in a sentence.
OBJECTEN = {
    "casus": "Casus",
    "casusteam": "Casusteam",
    "regie": "Regie",
    "deelname": "Deelname",
    "escalatie": "Escalatie",
    "betrokkene": "Betrokkene",
    "stap": "Stap",
    "knelpunt": "Knelpunt",
    "besluit": "Besluit",
    "afwijking": "Afwijking",
    "leerpunt": "Leerpunt",
    "huishoudlid": "Huishoudlid",
    "doel": "Doel",
    "afspraak": "Afspraak",
    "partijdeelname": "Externe partij",
    "bijlage": "Bijlage",
}

# Sentences for the codes we know; {naam} is the part it is about (may be empty).
ZINNEN = {
    "casus.aangemeld": "Casus aangemeld",
    "casus.gewijzigd": "Casusgegevens gewijzigd",
    "casus.vooruit": "Naar de volgende fase",
    "casus.terug": "Terug naar een eerdere fase",
    "casus.afsluiten": "Casus afgesloten",
    "casus.heropenen": "Casus heropend",
    "casus.geanonimiseerd": "Casus geanonimiseerd (bewaartermijn verstreken)",
    "casusteam.toegevoegd": "{naam} aan het casusteam toegevoegd",
    "casusteam.verwijderd": "{naam} uit het casusteam gehaald",
    "regie.toegewezen": "Regie toegewezen",
    "regie.overgedragen": "Regie overgedragen",
    "deelname.toegevoegd": "Afdeling {naam} aan tafel",
    "deelname.gewijzigd": "Deelname van {naam} gewijzigd",
    "deelname.verwijderd": "Afdeling {naam} van tafel gehaald",
    "escalatie.aangevraagd": "Escalatie aangevraagd",
    "escalatie.afgehandeld": "Uitkomst van de escalatie vastgelegd",
    "escalatie.gecorrigeerd": "Uitkomst van de escalatie gecorrigeerd",
    "betrokkene.toegevoegd": "Betrokkene {naam} toegevoegd",
    "betrokkene.gewijzigd": "Betrokkene {naam} gewijzigd",
    "betrokkene.verwijderd": "Betrokkene {naam} verwijderd",
    "stap.toegevoegd": "Stap {naam} toegevoegd",
    "stap.gewijzigd": "Stap {naam} gewijzigd",
    "knelpunt.toegevoegd": "Knelpunt {naam} toegevoegd",
    "knelpunt.gewijzigd": "Knelpunt {naam} gewijzigd",
    "besluit.opgesteld": "Besluit {naam} opgesteld",
    "besluit.reactie": "Reactie op besluit {naam}",
    "besluit.reactie-gewijzigd": "Reactie op besluit {naam} gewijzigd",
    "besluit.overgeslagen": "Afdeling overgeslagen bij besluit {naam}",
    "besluit.vastgesteld": "Besluit {naam} vastgesteld",
    "besluit.vervangen": "Besluit {naam} vervangen door een nieuw besluit",
    "besluit.ingetrokken": "Besluit {naam} ingetrokken",
    "afwijking.voorgesteld": "Afwijking van {naam} voorgesteld",
    "afwijking.gedekt": "Rugdekking gegeven voor de afwijking van {naam}",
    "afwijking.afgewezen": "Rugdekking geweigerd voor de afwijking van {naam}",
    "afwijking.ingetrokken": "Afwijking van {naam} ingetrokken",
    "leerpunt.toegevoegd": "Leerpunt {naam} toegevoegd",
    "leerpunt.gewijzigd": "Leerpunt {naam} gewijzigd",
    "leerpunt.goedgekeurd": "Verhaal {naam} goedgekeurd en gedeeld",
    "leerpunt.ingetrokken": "Verhaal {naam} ingetrokken",
    "huishoudlid.toegevoegd": "Huishoudlid {naam} toegevoegd",
    "huishoudlid.gewijzigd": "Huishoudlid {naam} gewijzigd",
    "huishoudlid.verwijderd": "Huishoudlid {naam} verwijderd",
    "doel.toegevoegd": "Doel van het huishouden toegevoegd",
    "doel.gewijzigd": "Doel van het huishouden gewijzigd",
    "doel.verwijderd": "Doel van het huishouden verwijderd",
    "afspraak.toegevoegd": "Afspraak toegevoegd",
    "afspraak.gewijzigd": "Afspraak gewijzigd",
    "afspraak.verwijderd": "Afspraak verwijderd",
    "perspectiefplan.instemming": "Instemming van het huishouden met het perspectiefplan vastgelegd",
    "perspectiefplan.instemming-ingetrokken": "Instemming van het huishouden ingetrokken",
    "partijdeelname.toegevoegd": "Externe partij {naam} aan tafel",
    "partijdeelname.gewijzigd": "Externe partij {naam} gewijzigd",
    "partijdeelname.verwijderd": "Externe partij {naam} van tafel gehaald",
    "bijlage.toegevoegd": "Bijlage {naam} toegevoegd",
    "bijlage.gedownload": "Bijlage {naam} gedownload",
    "bijlage.verwijderd": "Bijlage {naam} verwijderd",
}

WERKWOORDEN = {
    "toegevoegd": "toegevoegd",
    "gewijzigd": "gewijzigd",
    "verwijderd": "verwijderd",
    "aangemaakt": "aangemaakt",
    "afgerond": "afgerond",
    "ingetrokken": "ingetrokken",
    "goedgekeurd": "goedgekeurd",
    "vastgesteld": "vastgesteld",
}

# Field labels, by the field's name in snake_case (camelCase keys are converted first).
VELDEN = {
    "titel": "Titel",
    "situatie": "Situatie",
    "urgentie": "Urgentie",
    "vertrouwelijkheid": "Vertrouwelijkheid",
    "huishouden_naam": "Naam huishouden",
    "perspectief": "Perspectief",
    "doorbraakvraag": "Doorbraakvraag",
    "instemming_datum": "Instemming op",
    "instemming_door": "Instemming vastgelegd door",
    "terugval": "Terugval",
    "naam_of_rol": "Naam of rol",
    "bestandsnaam": "Bestandsnaam",
    "mediatype": "Soort bestand",
    "grootte": "Grootte (bytes)",
    "sha256": "SHA-256",
    "geboortejaar": "Geboortejaar",
    "gezegd_door": "Gezegd door",
    "door_huishouden": "Eigenaar: het huishouden",
    "huishoudlid": "Huishoudlid",
    "partijdeelname": "Externe partij",
    "partij": "Externe partij",
    "nazorg_vanaf": "Nazorg vanaf",
    "nazorg_maanden": "Maanden na",
    "doorbraak": "Doorbraak",
    "besluit_uiterlijk_datum": "Besluit uiterlijk",
    "bsn": "BSN",
    "fase": "Fase",
    "afsluitreden": "Afsluitreden",
    "afgesloten_op": "Afgesloten op",
    "archiefactiedatum": "Archiefactiedatum",
    "medewerker": "Medewerker",
    "regiehouder": "Regiehouder",
    "regiehouder_naam": "Regiehouder",
    "reden": "Reden",
    "overdrachtsnotitie": "Overdrachtsnotitie",
    "afdeling": "Afdeling",
    "afdeling_code": "Afdeling",
    "contactpersoon": "Contactpersoon",
    "standpunt": "Standpunt",
    "niveau": "Niveau",
    "uitkomst": "Uitkomst",
    "uitkomst_soort": "Uitkomst",
    "voorwaarden": "Voorwaarden",
    "referentie": "Kenmerk",
    "organisatie": "Organisatie",
    "leefgebied": "Leefgebied",
    "kosten_per_jaar": "Kosten per jaar",
    "kosten_eenmalig": "Kosten eenmalig",
    "per_jaar": "Per jaar",
    "eenmalig": "Eenmalig",
    "financieel_belang": "Financieel belang",
    "toelichting": "Toelichting",
    "eigenaar": "Eigenaar",
    "deadline_datum": "Deadline",
    "status": "Status",
    "bevinding": "Bevinding",
    "soort": "Soort",
    "omschrijving": "Omschrijving",
    "regel": "Regel",
    "motivering": "Motivering",
    "betalende_afdeling": "Betalende afdeling",
    "kostenverdeling": "Kostenverdeling",
    "noodmaatregel": "Noodmaatregel",
    "noodmaatregel_reden": "Reden noodmaatregel",
    "vervangt": "Vervangt besluit",
    "reactie": "Reactie",
    "reacties_overgenomen": "Reacties overgenomen",
    "gegeven_op_besluit": "Gegeven op besluit",
    "afweging": "Afweging",
    "vastgesteld_op": "Vastgesteld op",
    "vastgesteld_door": "Vastgesteld door",
    "intrekkingsreden": "Reden van intrekken",
    "ingetrokken_op": "Ingetrokken op",
    "ingetrokken_door": "Ingetrokken door",
    "besluit": "Besluit",
    "afwijkingen": "Afwijkingen",
    "wat_de_regel_zegt": "Wat de regel zegt",
    "wat_we_doen": "Wat we doen",
    "grondslag": "Grondslag",
    "risico": "Risico",
    "beleidssignaal": "Beleidssignaal",
    "rugdekking_oordeel": "Oordeel",
    "rugdekking_toelichting": "Toelichting",
    "rugdekking_door": "Rugdekking door",
    "rugdekking_op": "Rugdekking op",
    "mandaat_referentie": "Mandaat",
    "afgehandeld_op": "Afgehandeld op",
    "afgehandeld_door": "Afgehandeld door",
    "tekst": "Tekst",
    "voor_wie": "Voor wie",
    "delen": "Delen als verhaal",
    "toestemming_huishouden": "Toestemming van het huishouden",
    "signaal_status": "Status beleidssignaal",
    "gedeeld_op": "Gedeeld op",
    "goedgekeurd_op": "Goedgekeurd op",
    "goedgekeurd_door": "Goedgekeurd door",
    "door": "Door",
    "op": "Op",
}
# Bookkeeping that says nothing to a reader.
WEGLATEN = {"id", "versie", "gewijzigd_op", "aangemaakt_op"}
# The field whose value names the part, for a part that no longer exists.
NAAMVELDEN = (
    "titel",
    "organisatie",
    "omschrijving",
    "medewerker",
    "tekst",
    "afdeling",
    "bestandsnaam",
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_TIJD = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEKST = 140


def snake(naam: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", naam).lower()


@dataclass
class Namen:
    """What the page knows by id: its text for a tijdlijn sentence."""

    medewerkers: Mapping[str, str] = field(default_factory=dict)
    afdelingen: Mapping[str, str] = field(default_factory=dict)
    # Every other part by its id: stappen, besluiten, regels, afwijkingen, ...
    onderdelen: Mapping[str, str] = field(default_factory=dict)

    def van_id(self, waarde: str) -> str | None:
        sleutel = waarde.lower()
        return self.medewerkers.get(sleutel) or self.onderdelen.get(sleutel)


@dataclass(frozen=True)
class Gebeurtenis:
    zin: str
    details: list[str]
    op: dt.datetime
    door: str | None
    toelichting: str | None


def _kort(tekst: str) -> str:
    tekst = " ".join(tekst.split())
    return tekst if len(tekst) <= MAX_TEKST else tekst[: MAX_TEKST - 1] + "…"


def waarde(veld: str, w: Any, namen: Namen) -> str:
    """One value as a reader sees it: no ids, no ISO timestamps, no True/False."""
    if w is None or w == "" or w == []:
        return "leeg"
    if w == "***":
        return "(afgeschermd)"
    if isinstance(w, bool):
        return "ja" if w else "nee"
    if isinstance(w, int | float) and (veld.endswith("_cent") or veld.endswith("cent")):
        return euro(int(w))
    if isinstance(w, list):
        return ", ".join(waarde(veld, x, namen) for x in w) or "leeg"
    if isinstance(w, dict):
        delen = [
            f"{veldlabel(k)} {waarde(snake(k), v, namen)}"
            for k, v in w.items()
            if v not in (None, "") and snake(k) not in WEGLATEN
        ]
        return "; ".join(delen) or "leeg"
    tekst = str(w)
    if _UUID.match(tekst):
        return namen.van_id(tekst) or "een onderdeel dat niet meer bestaat"
    if _TIJD.match(tekst):
        try:
            tijd = dt.datetime.fromisoformat(tekst)
        except ValueError:
            return _kort(tekst)
        if tijd.tzinfo is None:
            tijd = tijd.replace(tzinfo=dt.UTC)
        return tijd.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    if _DATUM.match(tekst):
        return dt.date.fromisoformat(tekst).strftime("%d-%m-%Y")
    if veld in ("afdeling", "afdeling_code", "betalende_afdeling") and tekst in namen.afdelingen:
        return namen.afdelingen[tekst]
    if re.fullmatch(r"[a-z][a-z0-9_-]*", tekst) and veld not in ("titel", "tekst"):
        return label(tekst)
    return _kort(tekst)


def veldlabel(naam: str) -> str:
    kaal = snake(naam)
    kaal = re.sub(r"_id$", "", kaal)
    kaal = re.sub(r"_cent$", "", kaal)
    if kaal in VELDEN:
        return VELDEN[kaal]
    woorden = kaal.replace("_", " ").replace(".", " ")
    return woorden[:1].upper() + woorden[1:]


def _naam_uit_wijzigingen(regel: Any) -> str:
    wijzigingen = regel.wijzigingen or {}
    for veld in NAAMVELDEN:
        w = wijzigingen.get(veld)
        if isinstance(w, dict):
            tekst = w.get("nieuw") if w.get("nieuw") is not None else w.get("oud")
            if isinstance(tekst, str) and tekst and not _UUID.match(tekst):
                return _kort(tekst)[:60]
    return ""


def _naam(regel: Any, namen: Namen, uit_andere: Mapping[str, str]) -> str:
    soort, object_id = regel.object_soort, str(regel.object_id)
    if soort == "deelname":
        return namen.afdelingen.get(object_id, label(object_id))
    if soort == "partijdeelname":
        return namen.onderdelen.get(object_id, label(object_id))
    bekend = namen.van_id(object_id) if _UUID.match(object_id) else None
    # A part that is gone is still named by what another row of the tijdlijn said about it.
    return bekend or _naam_uit_wijzigingen(regel) or uit_andere.get(object_id, "")


def _zin(regel: Any, naam: str) -> str:
    code = str(regel.actie)
    naam_tekst = f"‘{naam}’" if naam and regel.object_soort not in ("casusteam",) else naam
    if code in ZINNEN:
        zin = ZINNEN[code].format(naam=naam_tekst)
    else:
        soort, _, werkwoord = code.partition(".")
        onderwerp = OBJECTEN.get(soort) or label(soort)
        zin = f"{onderwerp} {naam_tekst} {WERKWOORDEN.get(werkwoord) or label(werkwoord).lower()}"
    return " ".join(zin.split())


def _detail(veld: str, w: Any, namen: Namen) -> str:
    sleutel = snake(veld)
    naam = veldlabel(veld)
    if isinstance(w, dict) and ("oud" in w or "nieuw" in w):
        oud, nieuw = w.get("oud"), w.get("nieuw")
        if oud is None:
            return f"{naam}: {waarde(sleutel, nieuw, namen)}"
        if nieuw is None:
            return f"{naam} was: {waarde(sleutel, oud, namen)}"
        return f"{naam}: {waarde(sleutel, oud, namen)} → {waarde(sleutel, nieuw, namen)}"
    return f"{naam}: {waarde(sleutel, w, namen)}"


def gebeurtenissen(regels: list[Any], namen: Namen) -> list[Gebeurtenis]:
    """The tijdlijn rows (TijdlijnRegelUit) as sentences, in the order given."""
    uit = []
    uit_andere: dict[str, str] = {}
    for regel in regels:
        gevonden = _naam_uit_wijzigingen(regel)
        if gevonden:
            uit_andere.setdefault(str(regel.object_id), gevonden)
    for regel in regels:
        naam = _naam(regel, namen, uit_andere)
        details = [
            _detail(veld, w, namen)
            for veld, w in (regel.wijzigingen or {}).items()
            if snake(veld) not in WEGLATEN
        ]
        uit.append(
            Gebeurtenis(
                zin=_zin(regel, naam),
                details=details,
                op=regel.op,
                door=regel.door.naam if regel.door else None,
                toelichting=regel.toelichting,
            )
        )
    return uit
