"""One table of how stored values read as words ("financien" -> "Financiën"), for every place
that shows them to a person: the web pages and the shared samenvatting."""

from __future__ import annotations

LABELS = {
    "in_kaart": "In kaart",
    "niet_opgelost": "Niet opgelost",
    "elders_belegd": "Elders belegd",
    "awb_4_84": "Awb art. 4:84",
    "wettelijke_ruimte": "Wettelijke ruimte",
    "buiten_kader": "Buiten kader (bestuur)",
    "beperkt_openbaar": "Beperkt openbaar",
    "zeer_geheim": "Zeer geheim",
    "financien": "Financiën",
    "in_behandeling": "In behandeling",
    "externe_partij": "Externe partij",
    "ggz": "GGZ",
    "uwv": "UWV",
    "svb": "SVB",
    "cak": "CAK",
    "sociaal_netwerk": "Sociaal netwerk",
}


def label(waarde: object) -> str:
    """The table's word, else the value with spaces for `_`/`-` and a capital first letter."""
    tekst = str(waarde or "")
    if tekst in LABELS:
        return LABELS[tekst]
    tekst = tekst.replace("_", " ").replace("-", " ")
    return tekst[:1].upper() + tekst[1:]
