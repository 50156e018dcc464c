"""One home for how numbers, amounts, dates and words look on a page: "17,9 dagen",
"€ 369.530,00", "01-12-2026 14:05". Pages, charts and the tijdlijn all format through here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

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
    tekst = str(waarde or "")
    if tekst in LABELS:
        return LABELS[tekst]
    tekst = tekst.replace("_", " ").replace("-", " ")
    return tekst[:1].upper() + tekst[1:]


def euro(cent: int | None) -> str:
    if cent is None:
        return "-"
    teken = "-" if cent < 0 else ""
    euros, centen = divmod(abs(int(cent)), 100)
    return f"{teken}€ {euros:,}".replace(",", ".") + f",{centen:02d}"


def euro_invoer(cent: int | None) -> str:
    """An amount as it is typed in a form field: `18500,00`."""
    if cent is None:
        return ""
    euros, centen = divmod(int(cent), 100)
    return f"{euros},{centen:02d}"


def getal(waarde: float | int | None, decimalen: int = 1) -> str:
    """Dutch notation: thousands with a dot, decimals with a comma; whole numbers bare."""
    if waarde is None:
        return "-"
    if float(waarde).is_integer():
        return f"{int(waarde):,}".replace(",", ".")
    tekst = f"{float(waarde):,.{decimalen}f}"
    return tekst.replace(",", "X").replace(".", ",").replace("X", ".")


def dagen(waarde: float | int | None) -> str:
    if waarde is None:
        return "-"
    return f"{getal(waarde)} {'dag' if waarde == 1 else 'dagen'}"


MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def maand(tekst: str) -> str:
    """`2026-07` (a month as the database groups it) -> `jul 2026`."""
    jaar, _, nummer = str(tekst).partition("-")
    if not (jaar.isdigit() and nummer.isdigit() and 1 <= int(nummer) <= 12):
        return str(tekst)
    return f"{MAANDEN[int(nummer) - 1]} {jaar}"


def datum(waarde: dt.date | dt.datetime | None) -> str:
    if waarde is None:
        return "-"
    if isinstance(waarde, dt.datetime):
        waarde = waarde.astimezone(AMSTERDAM).date()
    return waarde.strftime("%d-%m-%Y")


def tijdstip(waarde: dt.datetime | None) -> str:
    if waarde is None:
        return "-"
    return waarde.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def grootte(n: int | None) -> str:
    """A file size as people read it: `840 bytes`, `12 kB`, `3,4 MB`."""
    if n is None:
        return "-"
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{getal(round(n / 1024))} kB"
    return f"{getal(n / (1024 * 1024), 1)} MB"


BESTANDSSOORTEN = {
    "application/pdf": "PDF",
    "image/png": "PNG-afbeelding",
    "image/jpeg": "JPEG-afbeelding",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "OpenDocument-tekst",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument-rekenblad",
    "text/plain; charset=utf-8": "tekst",
}


def bestandssoort(mediatype: str) -> str:
    return BESTANDSSOORTEN.get(mediatype, mediatype)
