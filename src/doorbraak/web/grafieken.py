"""Charts as server-side SVG: no script, no external library, readable without colour.

Each chart is `role="img"` with a title and a description; the page shows the same numbers in a
table next to it (the text alternative). Colours are attributes, not inline styles (the CSP
allows no inline styles), and meet a 3:1 contrast against the white background.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from doorbraak.web.opmaak import getal

BALK = "#1f5f8b"
BALK_2 = "#8a4b08"
TEKST = "#1b1b1b"
LIJN = "#6b6b6b"


def _getal(waarde: float) -> str:
    return getal(waarde)


def _regels(tekst: str, breedte: int) -> list[str]:
    """A label in lines of at most `breedte` characters, split between words."""
    regels: list[str] = []
    for woord in tekst.split():
        if regels and len(regels[-1]) + 1 + len(woord) <= breedte:
            regels[-1] += " " + woord
        else:
            regels.append(woord)
    return regels or [""]


def staafdiagram(
    ident: str,
    titel: str,
    beschrijving: str,
    rijen: Sequence[tuple[str, float]],
    *,
    eenheid: str = "",
    kleuren: Sequence[str] | None = None,
    opmaak: Callable[[float], str] = getal,
) -> Markup:
    """Horizontal bars, each under its own label (a long label is never cut off), the value at
    the end of the bar. The drawing is narrow (400 units), so its 15-unit text stays about 13 px
    on a phone and 17 px on a desktop."""
    breedte, regel = 400, 17
    rijen_tekst = [_regels(label, 48) for label, _ in rijen]
    hoogtes = [len(t) * regel + 26 for t in rijen_tekst]
    hoogte = max(1, sum(hoogtes)) + 6
    grootste = max((w for _, w in rijen), default=0) or 1
    ruimte = breedte - 110
    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {breedte} {hoogte}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(titel)}</title>',
        f'<desc id="{ident}-d">{escape(beschrijving)}</desc>',
    ]
    y = 4
    for i, ((_, waarde), tekst) in enumerate(zip(rijen, rijen_tekst, strict=True)):
        lengte = max(0.0, waarde / grootste * ruimte)
        kleur = kleuren[i % len(kleuren)] if kleuren else BALK
        for j, stuk in enumerate(tekst):
            delen.append(
                f'<text x="0" y="{y + (j + 1) * regel - 3}" fill="{TEKST}" '
                f'font-size="15">{escape(stuk)}</text>'
            )
        balk_y = y + len(tekst) * regel + 2
        delen.append(
            f'<rect x="0" y="{balk_y}" width="{lengte:.1f}" height="18" fill="{kleur}"/>'
            f'<text x="{lengte + 6:.1f}" y="{balk_y + 14}" fill="{TEKST}" '
            f'font-size="15">{escape(opmaak(waarde))}{escape(eenheid)}</text>'
        )
        y += hoogtes[i]
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
    breedte, hoogte, links, onder, boven = 400, 220, 44, 34, 24
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
        f'<text x="{links - 6}" y="{boven + hoog}" text-anchor="end" fill="{TEKST}" '
        f'font-size="14">0</text>',
    ]
    coords = [xy(i, w) for i, (_, w) in enumerate(punten)]
    if len(coords) > 1:
        pad = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        delen.append(f'<polyline points="{pad}" fill="none" stroke="{BALK}" stroke-width="2"/>')
    for (label, waarde), (x, y) in zip(punten, coords, strict=True):
        delen.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BALK}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{TEKST}" '
            f'font-size="14">{escape(_getal(waarde))}{escape(eenheid)}</text>'
            f'<text x="{x:.1f}" y="{hoogte - 14}" text-anchor="middle" fill="{TEKST}" '
            f'font-size="14">{escape(label)}</text>'
        )
    delen.append("</svg>")
    return Markup("".join(delen))
