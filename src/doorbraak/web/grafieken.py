"""Charts as server-side SVG: no script, no external library, readable without colour.

Each chart is `role="img"` with a title and a description; the page shows the same numbers in a
table next to it (the text alternative). Colours are attributes, not inline styles (the CSP
allows no inline styles), and meet a 3:1 contrast against the white background.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

BALK = "#1f5f8b"
BALK_2 = "#8a4b08"
TEKST = "#1b1b1b"
LIJN = "#6b6b6b"


def _getal(waarde: float) -> str:
    if float(waarde).is_integer():
        return f"{int(waarde):,}".replace(",", ".")
    return f"{waarde:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def staafdiagram(
    ident: str,
    titel: str,
    beschrijving: str,
    rijen: Sequence[tuple[str, float]],
    *,
    eenheid: str = "",
    kleuren: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars, one row per label, the value printed at the end of each bar."""
    breedte, label_breedte, rij_hoogte = 640, 230, 30
    hoogte = max(1, len(rijen)) * rij_hoogte + 10
    grootste = max((w for _, w in rijen), default=0) or 1
    ruimte = breedte - label_breedte - 90
    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {breedte} {hoogte}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(titel)}</title>',
        f'<desc id="{ident}-d">{escape(beschrijving)}</desc>',
    ]
    for i, (label, waarde) in enumerate(rijen):
        y = 5 + i * rij_hoogte
        lengte = max(0.0, waarde / grootste * ruimte)
        kleur = kleuren[i % len(kleuren)] if kleuren else BALK
        kort = label if len(label) <= 28 else label[:27] + "…"
        delen.append(
            f'<text x="{label_breedte - 8}" y="{y + 19}" text-anchor="end" fill="{TEKST}" '
            f'font-size="13">{escape(kort)}</text>'
            f'<rect x="{label_breedte}" y="{y + 4}" width="{lengte:.1f}" height="{rij_hoogte - 10}" '
            f'fill="{kleur}"/>'
            f'<text x="{label_breedte + lengte + 6:.1f}" y="{y + 19}" fill="{TEKST}" '
            f'font-size="13">{escape(_getal(waarde))}{escape(eenheid)}</text>'
        )
    delen.append("</svg>")
    return Markup("".join(delen))


def lijndiagram(
    ident: str,
    titel: str,
    beschrijving: str,
    punten: Sequence[tuple[str, float]],
    *,
    eenheid: str = "",
) -> Markup:
    """Values over time (months on the x axis), each point labelled with its value."""
    breedte, hoogte, links, onder, boven = 640, 240, 50, 40, 20
    grootste = max((w for _, w in punten), default=0) or 1
    stap = (breedte - links - 30) / max(1, len(punten) - 1)
    hoog = hoogte - onder - boven

    def xy(i: int, waarde: float) -> tuple[float, float]:
        x = links + (i * stap if len(punten) > 1 else (breedte - links) / 2)
        return x, boven + hoog - waarde / grootste * hoog

    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {breedte} {hoogte}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(titel)}</title>',
        f'<desc id="{ident}-d">{escape(beschrijving)}</desc>',
        f'<line x1="{links}" y1="{boven + hoog}" x2="{breedte - 10}" y2="{boven + hoog}" '
        f'stroke="{LIJN}"/>',
        f'<line x1="{links}" y1="{boven}" x2="{links}" y2="{boven + hoog}" stroke="{LIJN}"/>',
        f'<text x="{links - 6}" y="{boven + 4}" text-anchor="end" fill="{TEKST}" '
        f'font-size="12">{escape(_getal(grootste))}</text>',
        f'<text x="{links - 6}" y="{boven + hoog}" text-anchor="end" fill="{TEKST}" '
        f'font-size="12">0</text>',
    ]
    coords = [xy(i, w) for i, (_, w) in enumerate(punten)]
    if len(coords) > 1:
        pad = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        delen.append(f'<polyline points="{pad}" fill="none" stroke="{BALK}" stroke-width="2"/>')
    for (label, waarde), (x, y) in zip(punten, coords, strict=True):
        delen.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BALK}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{TEKST}" '
            f'font-size="12">{escape(_getal(waarde))}{escape(eenheid)}</text>'
            f'<text x="{x:.1f}" y="{hoogte - 14}" text-anchor="middle" fill="{TEKST}" '
            f'font-size="12">{escape(label)}</text>'
        )
    delen.append("</svg>")
    return Markup("".join(delen))
