"""The fase state machine of a casus, with its guards as one declarative table.

Forward moves go one fase at a time and need the conditions for leaving the current fase.
Moving back to any earlier fase needs a reason. Closing is possible from any fase with an
afsluitreden (`opgelost` only from evaluatie). Reopening returns a closed casus to uitvoering
or evaluatie. A refused move lists *all* unmet conditions at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from doorbraak.models.enums import FASE_VOLGORDE, Afsluitreden, Fase


@dataclass(frozen=True)
class Feiten:
    """What the guards look at, gathered for one casus in one query."""

    heeft_regiehouder: bool = False
    aantal_deelnames: int = 0
    aantal_doelen: int = 0
    heeft_doorbraak: bool = False
    aantal_knelpunten: int = 0
    aantal_vastgestelde_besluiten: int = 0
    ongedekte_afwijkingen: int = 0
    onafgeronde_stappen: int = 0
    aantal_leerpunten: int = 0


@dataclass(frozen=True)
class Voorwaarde:
    code: str
    omschrijving: str
    vervuld: Callable[[Feiten], bool]


VERLAATVOORWAARDEN: dict[Fase, tuple[Voorwaarde, ...]] = {
    Fase.aangemeld: (
        Voorwaarde("regiehouder", "De casus heeft een regiehouder.", lambda f: f.heeft_regiehouder),
    ),
    Fase.in_kaart: (
        Voorwaarde(
            "deelname", "Minstens één afdeling neemt deel.", lambda f: f.aantal_deelnames > 0
        ),
    ),
    Fase.perspectief: (
        Voorwaarde(
            "doel",
            "Het perspectiefplan heeft minstens één doel van het huishouden.",
            lambda f: f.aantal_doelen > 0,
        ),
    ),
    Fase.afpellen: (
        Voorwaarde("doorbraak", "De doorbraak is benoemd.", lambda f: f.heeft_doorbraak),
        Voorwaarde(
            "knelpunt", "Minstens één knelpunt is vastgelegd.", lambda f: f.aantal_knelpunten > 0
        ),
    ),
    Fase.maatwerk: (
        Voorwaarde(
            "besluit-vastgesteld",
            "Minstens één besluit is vastgesteld.",
            lambda f: f.aantal_vastgestelde_besluiten > 0,
        ),
        Voorwaarde(
            "rugdekking",
            "Geen afwijking van een vastgesteld besluit wacht nog op rugdekking.",
            lambda f: f.ongedekte_afwijkingen == 0,
        ),
    ),
    Fase.uitvoering: (
        Voorwaarde(
            "stappen-afgerond",
            "Alle stappen (behalve nazorg) zijn afgerond of vervallen.",
            lambda f: f.onafgeronde_stappen == 0,
        ),
    ),
    Fase.evaluatie: (
        Voorwaarde(
            "leerpunt", "Minstens één leerpunt is vastgelegd.", lambda f: f.aantal_leerpunten > 0
        ),
    ),
    Fase.afgesloten: (),
}

HEROPEN_NAAR = (Fase.uitvoering, Fase.evaluatie)


class Soort:
    VOORUIT = "vooruit"
    TERUG = "terug"
    AFSLUITEN = "afsluiten"
    HEROPENEN = "heropenen"


@dataclass(frozen=True)
class Weigering:
    """Why a move is not possible: a state conflict (409) or invalid input (400)."""

    code: str
    detail: str
    ongeldig_veld: str | None = None
    voorwaarden: tuple[Voorwaarde, ...] = ()


def open_voorwaarden(fase: Fase, feiten: Feiten) -> list[Voorwaarde]:
    return [v for v in VERLAATVOORWAARDEN[fase] if not v.vervuld(feiten)]


def volgende_fase(fase: Fase) -> Fase | None:
    if fase in (Fase.evaluatie, Fase.afgesloten):
        return None
    return FASE_VOLGORDE[FASE_VOLGORDE.index(fase) + 1]


def beoordeel(
    van: Fase,
    naar: Fase,
    feiten: Feiten,
    *,
    toelichting: str | None,
    afsluitreden: Afsluitreden | None,
) -> tuple[str, Weigering | None]:
    """Classify a requested move and say whether the casus may make it."""
    if van == Fase.afgesloten:
        if naar not in HEROPEN_NAAR:
            return Soort.HEROPENEN, Weigering(
                "casus-gesloten",
                "Een afgesloten casus kan alleen heropend worden naar uitvoering of evaluatie.",
            )
        if not toelichting:
            return Soort.HEROPENEN, Weigering(
                "toelichting-verplicht", "Heropenen vraagt een reden.", ongeldig_veld="toelichting"
            )
        return Soort.HEROPENEN, None

    if naar == Fase.afgesloten:
        if afsluitreden is None:
            return Soort.AFSLUITEN, Weigering(
                "afsluitreden-verplicht",
                "Afsluiten vraagt een afsluitreden.",
                ongeldig_veld="afsluitreden",
            )
        if afsluitreden == Afsluitreden.opgelost:
            if van != Fase.evaluatie:
                return Soort.AFSLUITEN, Weigering(
                    "opgelost-alleen-na-evaluatie",
                    "Afsluiten als opgelost kan alleen vanuit de fase evaluatie.",
                )
            onvervuld = open_voorwaarden(van, feiten)
            if onvervuld:
                return Soort.AFSLUITEN, Weigering(
                    "fase-voorwaarden",
                    "De casus voldoet nog niet aan alle voorwaarden.",
                    voorwaarden=tuple(onvervuld),
                )
        return Soort.AFSLUITEN, None

    if afsluitreden is not None:
        return Soort.VOORUIT, Weigering(
            "afsluitreden-alleen-bij-afsluiten",
            "Een afsluitreden hoort alleen bij afsluiten.",
            ongeldig_veld="afsluitreden",
        )
    stap = FASE_VOLGORDE.index(naar) - FASE_VOLGORDE.index(van)
    if stap == 0:
        return Soort.VOORUIT, Weigering("zelfde-fase", f"De casus is al in fase {van}.")
    if stap < 0:
        if not toelichting:
            return Soort.TERUG, Weigering(
                "toelichting-verplicht",
                "Teruggaan naar een eerdere fase vraagt een reden.",
                ongeldig_veld="toelichting",
            )
        return Soort.TERUG, None
    if stap > 1:
        return Soort.VOORUIT, Weigering(
            "fase-overslaan",
            f"Vooruit gaat één fase tegelijk; de volgende fase is {FASE_VOLGORDE[FASE_VOLGORDE.index(van) + 1]}.",
        )
    onvervuld = open_voorwaarden(van, feiten)
    if onvervuld:
        return Soort.VOORUIT, Weigering(
            "fase-voorwaarden",
            "De casus voldoet nog niet aan alle voorwaarden om deze fase te verlaten.",
            voorwaarden=tuple(onvervuld),
        )
    return Soort.VOORUIT, None
