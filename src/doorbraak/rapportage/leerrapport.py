"""The learning report as documents: HTML and PDF (kit/document.py, the print stylesheet and
WeasyPrint) and the CSV of its tables. One list of tables feeds all three, so the PDF, the web
page and the spreadsheet always show the same figures.

`doorbraak leerrapport` writes the files for a scheduled run (the system actor: the report holds
counts only, no casus and no name)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread

from doorbraak.kit import document
from doorbraak.kit.periode import Periode
from doorbraak.rapportage.schemas import Doorlooptijd, Kerncijfers, Leerrapport
from doorbraak.werk.systeem import Omgeving

DOCUMENTEN = Path(__file__).resolve().parent / "documenten"

LABELS = {
    "nieuw": "Nieuw",
    "in_behandeling": "In behandeling",
    "regel_aangepast": "Regel aangepast",
    "werkwijze_aangepast": "Werkwijze aangepast",
    "niet_aangepast": "Niet aangepast (met reden)",
    "leerpunt": "Systeem-leerpunt",
    "afwijking": "Afwijking",
    "in_kaart": "In kaart",
}


def label(waarde: object) -> str:
    tekst = str(waarde or "")
    return LABELS.get(tekst) or (tekst[:1].upper() + tekst[1:]).replace("_", " ")


def euro(cent: int) -> str:
    euros, centen = divmod(abs(int(cent)), 100)
    return ("-" if cent < 0 else "") + f"€ {euros:,}".replace(",", ".") + f",{centen:02d}"


def datum(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "-"


def getal(waarde: float | None) -> str:
    if waarde is None:
        return "-"
    return f"{waarde:g}".replace(".", ",")


@dataclass(frozen=True)
class Tabel:
    """One table of the report: `naam` is its CSV file, `rijen` hold the raw values (for the
    CSV), `weergave` the same values formatted for people (for HTML and PDF)."""

    naam: str
    titel: str
    kolommen: list[str]
    rijen: list[list[Any]]
    weergave: list[list[str]]
    getallen: frozenset[int] = frozenset()
    toelichting: str = ""
    # Columns left out on paper (too wide; shown as notes under the table instead).
    verborgen: frozenset[int] = frozenset()
    noten: tuple[str, ...] = ()

    @property
    def zichtbare_kolommen(self) -> list[str]:
        return [k for i, k in enumerate(self.kolommen) if i not in self.verborgen]

    @property
    def zichtbare_rijen(self) -> list[list[tuple[str, bool]]]:
        """Each visible cell with whether it is a number (right-aligned)."""
        return [
            [(v, i in self.getallen) for i, v in enumerate(rij) if i not in self.verborgen]
            for rij in self.weergave
        ]


def _periode_tekst(p: Any) -> str:
    if p is None:
        return "-"
    tekst = f"{datum(p.van)} t/m {datum(p.tot)}" if p.van or p.tot else "alles"
    return tekst + (f", afdeling {p.afdeling}" if p.afdeling else "")


def _kerncijfers(r: Leerrapport) -> Tabel:
    nu, voor = r.kerncijfers, r.kerncijfers_vorige_periode
    regels: list[tuple[str, str, bool]] = [
        ("Casussen aangemeld", "casussen_aangemeld", False),
        ("Besluiten vastgesteld (in kracht)", "besluiten_vastgesteld", False),
        (
            "Doorlooptijd aanmelding tot eerste besluit, mediaan (werkdagen)",
            "doorlooptijd_tot_besluit_mediaan_werkdagen",
            False,
        ),
        ("Afwijkingen in kracht", "afwijkingen_in_kracht", False),
        ("Rugdekking geweigerd", "rugdekking_geweigerd", False),
        ("Beleidssignalen gemeld", "signalen_gemeld", False),
        ("Beleidssignalen afgehandeld door beleid", "signalen_afgehandeld", False),
        ("Kosten doormodderen per jaar", "kosten_doormodderen_per_jaar_cent", True),
        ("Kosten doorbraak (vastgestelde besluiten)", "kosten_doorbraak_cent", True),
    ]

    def waarde(k: Kerncijfers | None, veld: str) -> Any:
        return None if k is None else getattr(k, veld)

    def toon(v: Any, bedrag: bool) -> str:
        if v is None:
            return "-"
        return euro(v) if bedrag else getal(v)

    return Tabel(
        "kerncijfers",
        "Kerncijfers: deze periode tegenover de vorige",
        ["Kerncijfer", "Deze periode", "Vorige periode"],
        [[t, waarde(nu, v), waarde(voor, v)] for t, v, _ in regels],
        [[t, toon(waarde(nu, v), b), toon(waarde(voor, v), b)] for t, v, b in regels],
        frozenset({1, 2}),
        f"Deze periode: {_periode_tekst(r.periode)}; vorige periode: "
        f"{_periode_tekst(r.vorige_periode)}. Bedragen in de CSV in centen.",
    )


def _doorloop(naam: str, titel: str, sp: Doorlooptijd) -> list[Any]:
    return [titel, sp.aantal, sp.mediaan_werkdagen, sp.p90_werkdagen]


def tabellen(r: Leerrapport) -> list[Tabel]:
    uit = [_kerncijfers(r)]
    uit.append(
        Tabel(
            "signalen",
            "Beleidssignalen gemeld in de periode, naar bron en waar beleid nu staat",
            ["Bron", "Status", "Aantal"],
            [[s.bron.value, s.signaal_status.value, s.aantal] for s in r.signalen_per_status],
            [
                [label(s.bron), label(s.signaal_status), str(s.aantal)]
                for s in r.signalen_per_status
            ],
            frozenset({2}),
        )
    )
    doorlopen = [
        _doorloop(
            "besluit", "Aanmelding tot eerste vastgesteld besluit", r.doorlooptijd_tot_besluit
        ),
        _doorloop(
            "signaal", "Melding van een signaal tot het besluit van beleid", r.signaal_doorlooptijd
        ),
    ] + [
        [f"In fase {label(f.fase)}", f.aantal, f.mediaan_werkdagen, f.p90_werkdagen]
        for f in r.tijd_per_fase
    ]
    uit.append(
        Tabel(
            "doorlooptijden",
            "Doorlooptijden in werkdagen",
            ["Wat", "Aantal", "Mediaan (werkdagen)", "90% binnen (werkdagen)"],
            doorlopen,
            [[d[0], getal(d[1]), getal(d[2]), getal(d[3])] for d in doorlopen],
            frozenset({1, 2, 3}),
            "Werkdagen: maandag tot en met vrijdag zonder Nederlandse feestdagen, gerekend in de "
            "kalenderdagen van Europe/Amsterdam.",
        )
    )
    uit.append(
        Tabel(
            "doorlooptijd_per_maand",
            "Doorlooptijd tot het eerste besluit per maand (trend)",
            ["Maand", "Casussen", "Mediaan (werkdagen)", "90% binnen (werkdagen)"],
            [
                [m.maand, m.aantal, m.mediaan_werkdagen, m.p90_werkdagen]
                for m in r.doorlooptijd_per_maand
            ],
            [
                [m.maand, str(m.aantal), getal(m.mediaan_werkdagen), getal(m.p90_werkdagen)]
                for m in r.doorlooptijd_per_maand
            ],
            frozenset({1, 2, 3}),
        )
    )
    uit.append(
        Tabel(
            "regelwijzigingen",
            "Gewijzigde regels en de afwijkingen ervoor en erna",
            [
                "Regel",
                "Regeling",
                "Versie",
                "Geldig vanaf",
                "Reden",
                "Dagen vergeleken",
                "Afwijkingen ervoor",
                "Afwijkingen erna",
            ],
            [
                [
                    w.regel.titel,
                    w.regel.regeling,
                    w.regelversie.nummer,
                    w.regelversie.geldig_van,
                    w.reden or "",
                    w.dagen_vergeleken,
                    w.afwijkingen_ervoor,
                    w.afwijkingen_erna,
                ]
                for w in r.regelwijzigingen
            ],
            [
                [
                    w.regel.titel,
                    w.regel.regeling,
                    str(w.regelversie.nummer),
                    datum(w.regelversie.geldig_van),
                    w.reden or "-",
                    str(w.dagen_vergeleken),
                    str(w.afwijkingen_ervoor),
                    str(w.afwijkingen_erna),
                ]
                for w in r.regelwijzigingen
            ],
            frozenset({2, 5, 6, 7}),
            "Afwijkingen in kracht (gedekt, van een vastgesteld besluit), voorgesteld in even lange "
            "perioden voor en na de dag waarop de nieuwe versie ging gelden.",
            verborgen=frozenset({1, 4}),
            noten=tuple(
                f"{w.regel.titel} ({w.regel.regeling}), versie {w.regelversie.nummer}: "
                f"{w.reden or 'geen reden vastgelegd'}"
                for w in r.regelwijzigingen
            ),
        )
    )
    uit.append(
        Tabel(
            "regels",
            "Regels waarvan het vaakst is afgeweken",
            ["Regel", "Regeling", "Artikel", "Afwijkingen in kracht"],
            [[t.regel.titel, t.regel.regeling, t.regel.artikel, t.aantal] for t in r.top_regels],
            [
                [t.regel.titel, t.regel.regeling, t.regel.artikel, str(t.aantal)]
                for t in r.top_regels
            ],
            frozenset({3}),
        )
    )
    uit.append(
        Tabel(
            "knelpunten",
            "Knelpunten die het vaakst werden gemeld",
            ["Soort", "Niveau", "Gemeld", "Opgelost"],
            [[k.soort.value, k.niveau.value, k.aantal, k.opgelost] for k in r.top_knelpunten],
            [
                [label(k.soort), label(k.niveau), str(k.aantal), str(k.opgelost)]
                for k in r.top_knelpunten
            ],
            frozenset({2, 3}),
        )
    )
    k = r.kerncijfers
    kosten: list[list[Any]] = [
        ["Doormodderen (betrokkenen)", None, k.kosten_doormodderen_per_jaar_cent],
        [
            "Doorbraak (vastgestelde besluiten, eenmalig plus per jaar)",
            k.kosten_doorbraak_cent,
            None,
        ],
    ]
    kosten += [
        [f"Aandeel {a.afdeling}", a.eenmalig_cent, a.per_jaar_cent] for a in r.kosten_per_afdeling
    ]
    uit.append(
        Tabel(
            "kosten",
            "Doormodderen tegenover doorbraak, en wie de doorbraak betaalt",
            ["Wat", "Eenmalig", "Per jaar"],
            kosten,
            [
                ["Doormodderen (betrokkenen)", "-", euro(k.kosten_doormodderen_per_jaar_cent)],
                [
                    "Doorbraak (vastgestelde besluiten, eenmalig plus per jaar)",
                    euro(k.kosten_doorbraak_cent),
                    "-",
                ],
            ]
            + [
                [f"Aandeel {a.afdeling}", euro(a.eenmalig_cent), euro(a.per_jaar_cent)]
                for a in r.kosten_per_afdeling
            ],
            frozenset({1, 2}),
            "Bedragen in de CSV in centen.",
        )
    )
    return uit


def bestandsnaam(r: Leerrapport) -> str:
    p = r.periode
    deel = [f"{p.van:%Y%m%d}" if p.van else "begin", f"{p.tot:%Y%m%d}" if p.tot else "nu"]
    if p.afdeling:
        deel.append(p.afdeling)
    return "leerrapport-" + "-".join(deel)


def csv_bestanden(r: Leerrapport) -> dict[str, bytes]:
    """One CSV per table (UTF-8, comma, header row; dates ISO, amounts in cents)."""
    uit = {}
    for t in tabellen(r):
        buf = io.StringIO()
        schrijver = csv.writer(buf, lineterminator="\r\n")
        schrijver.writerow(t.kolommen)
        for rij in t.rijen:
            schrijver.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in rij]
            )
        uit[f"{t.naam}.csv"] = buf.getvalue().encode("utf-8")
    return uit


def csv_zip(r: Leerrapport) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for naam, inhoud in csv_bestanden(r).items():
            z.writestr(naam, inhoud)
    return buf.getvalue()


def _context(r: Leerrapport) -> dict[str, Any]:
    return {
        "titel": "Leerrapport",
        "kop": "Leerrapport " + _periode_tekst(r.periode),
        "ondertitel": f"Periode {_periode_tekst(r.periode)}, vergeleken met "
        f"{_periode_tekst(r.vorige_periode)}. Tellingen en beleidsfeiten: geen casusinhoud, "
        "geen namen.",
        "gemaakt_op": r.opgesteld_op.strftime("%d-%m-%Y %H:%M UTC"),
        "tabellen": tabellen(r),
    }


async def maak(r: Leerrapport, formaat: document.Formaat) -> tuple[bytes, int | None]:
    """The report as HTML or PDF (503 `pdf-niet-beschikbaar` without WeasyPrint)."""
    return await document.document(
        "leerrapport", formaat, "leerrapport.html", _context(r), map_=DOCUMENTEN
    )


def standaardperiode(vandaag: dt.date) -> Periode:
    """A scheduled run in January reports on the year that just ended; later in the year on
    the year so far."""
    jaar = vandaag.year - 1 if vandaag.month == 1 else vandaag.year
    return Periode.jaar(jaar)


async def schrijf(omg: Omgeving, periode: Periode, naar: Path, *, pdf: bool = True) -> list[Path]:
    """Draw up the report as the system actor (one unit of work, logged like every job) and
    write `<naam>.html`, `<naam>.pdf` and `<naam>-<tabel>.csv` into `naar`. The files are
    written next to their final name and renamed, so a reader never sees half a file."""
    from doorbraak.errors import OngeldigeInvoer
    from doorbraak.rapportage import lezen

    if periode.van is not None and periode.tot is not None and periode.tot < periode.van:
        raise OngeldigeInvoer(
            [{"name": "tot", "code": "tot-voor-van", "reason": "tot ligt voor van"}]
        )
    async with omg.als(None, "leerrapport.opgesteld", oorsprong="leerrapport") as ctx:
        rapport = await lezen.leerrapport_opstellen(ctx, periode)
    naam = bestandsnaam(rapport)
    bestanden: dict[str, bytes] = {}
    inhoud, _ = await maak(rapport, document.Formaat.html)
    bestanden[f"{naam}.html"] = inhoud
    if pdf:
        inhoud, _ = await maak(rapport, document.Formaat.pdf)
        bestanden[f"{naam}.pdf"] = inhoud
    for tabel, csv_inhoud in csv_bestanden(rapport).items():
        bestanden[f"{naam}-{tabel}"] = csv_inhoud
    return await anyio.to_thread.run_sync(_wegschrijven, naar, bestanden)


def _wegschrijven(naar: Path, bestanden: dict[str, bytes]) -> list[Path]:
    naar.mkdir(parents=True, exist_ok=True)
    geschreven = []
    for bestand, data in bestanden.items():
        doel = naar / bestand
        tijdelijk = naar / f".{bestand}.deel"
        tijdelijk.write_bytes(data)
        tijdelijk.replace(doel)
        geschreven.append(doel)
    return geschreven
