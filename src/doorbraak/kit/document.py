"""Documents for paper: HTML from a Jinja template with a print stylesheet, and a PDF of it.

A domain package keeps its templates in its own folder and extends `basis.html` here (the print
stylesheet: A4, running header and page numbers, no navigation). The PDF is rendered from that same
HTML by WeasyPrint, imported only when a PDF is asked for: WeasyPrint needs the pango libraries of
the operating system (docs/installation.md), and a machine without them still serves everything
else, answering a PDF request with 503 `pdf-niet-beschikbaar`.

The reader chooses with `Accept: text/html` or `Accept: application/pdf` (`formaat`); the caller
writes the logboek entry of the generation, this module logs and counts it (no content, no names:
only the template, the format, the size and the time).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from doorbraak import metrics
from doorbraak.errors import DoorbraakError
from doorbraak.kit.werkdagen import lokale_datum

log = logging.getLogger("doorbraak.document")

BASIS = Path(__file__).resolve().parent / "documenten"


class Formaat(StrEnum):
    html = "text/html"
    pdf = "application/pdf"


class PdfNietBeschikbaar(DoorbraakError):
    status = 503
    code = "pdf-niet-beschikbaar"

    def __init__(self) -> None:
        super().__init__(
            "Deze installatie kan geen PDF maken (WeasyPrint of de pango-bibliotheken ontbreken); "
            "vraag het document op als text/html en druk het af vanuit de browser."
        )


class FormaatNietAanvaardbaar(DoorbraakError):
    status = 406
    code = "formaat-niet-aanvaardbaar"

    def __init__(self) -> None:
        super().__init__("Dit document bestaat als text/html of als application/pdf.")


def _mediatypen(accept: str) -> list[tuple[str, float]]:
    uit: list[tuple[str, float]] = []
    for deel in accept.split(","):
        soort, *parameters = (p.strip() for p in deel.split(";"))
        if not soort:
            continue
        q = 1.0
        for parameter in parameters:
            naam, _, waarde = parameter.partition("=")
            if naam.strip().lower() == "q":
                try:
                    q = float(waarde)
                except ValueError:
                    q = 0.0
        uit.append((soort.lower(), q))
    return uit


def formaat(accept: str | None) -> Formaat:
    """The format the reader asked for: the highest q among text/html and application/pdf
    (HTML on a tie, a missing header or `*/*`); 406 when the header allows neither."""
    if not accept or not accept.strip():
        return Formaat.html
    beste: tuple[float, int, Formaat] | None = None
    for soort, q in _mediatypen(accept):
        if q <= 0:
            continue
        for voorkeur, kandidaat in enumerate((Formaat.html, Formaat.pdf)):
            hoofd = kandidaat.value.split("/")[0]
            if soort in (kandidaat.value, f"{hoofd}/*", "*/*"):
                # An exact type beats a wildcard of the same q.
                score = (q + (0.0001 if soort == kandidaat.value else 0.0), -voorkeur, kandidaat)
                if beste is None or score[:2] > beste[:2]:
                    beste = score
    if beste is None:
        raise FormaatNietAanvaardbaar()
    return beste[2]


MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def datum(waarde: dt.date | dt.datetime | None) -> str:
    """`1 december 2026` (a moment as its date in Amsterdam); empty for None."""
    if waarde is None:
        return ""
    if isinstance(waarde, dt.datetime):
        waarde = lokale_datum(waarde)
    return f"{waarde.day} {MAANDEN[waarde.month - 1]} {waarde.year}"


def euro(cent: int | None) -> str:
    """`€ 36.500`, `€ 1.234,50` or `€ -9.500` (Dutch separators); a dash for None."""
    if cent is None:
        return "–"
    teken = "-" if cent < 0 else ""
    euros, centen = divmod(abs(cent), 100)
    heel = f"{euros:,}".replace(",", ".")
    return f"€ {teken}{heel}" + (f",{centen:02d}" if centen else "")


@functools.cache
def _omgeving(map_: Path | None) -> Environment:
    mappen = [FileSystemLoader(map_)] if map_ is not None else []
    omgeving = Environment(
        loader=ChoiceLoader([*mappen, FileSystemLoader(BASIS)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    omgeving.filters["datum"] = datum
    omgeving.filters["euro"] = euro
    return omgeving


def html(sjabloon: str, context: dict[str, Any], *, map_: Path | None = None) -> str:
    """Render `sjabloon` (from `map_`, then the base templates here) with `context`."""
    return _omgeving(map_).get_template(sjabloon).render(**context)


@dataclass(frozen=True)
class Pdf:
    inhoud: bytes
    paginas: int


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        # OSError: the Python package is there but pango/harfbuzz are not (cffi cannot load them).
        log.warning("PDF not available: %s", type(exc).__name__)
        raise PdfNietBeschikbaar() from None
    return weasyprint


def pdf_van(html_tekst: str) -> Pdf:
    """The PDF of a rendered document (blocking: CPU-bound, call it through `pdf`)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html_tekst, base_url=str(BASIS)).render()
    return Pdf(inhoud=document.write_pdf(), paginas=len(document.pages))


async def pdf(html_tekst: str) -> Pdf:
    """The PDF of a rendered document, made in a worker thread so the event loop keeps serving."""
    return await anyio.to_thread.run_sync(pdf_van, html_tekst)


async def document(
    soort: str,
    gewenst: Formaat,
    sjabloon: str,
    context: dict[str, Any],
    *,
    map_: Path | None = None,
) -> tuple[bytes, int | None]:
    """Render a document in the asked format: (bytes, page count for a PDF). Logged and counted
    by `soort` (a fixed name such as `samenvatting`, never content)."""
    begin = time.perf_counter()
    tekst = html(sjabloon, context, map_=map_)
    if gewenst is Formaat.pdf:
        gemaakt = await pdf(tekst)
        inhoud, paginas = gemaakt.inhoud, gemaakt.paginas
    else:
        inhoud, paginas = tekst.encode("utf-8"), None
    duur = time.perf_counter() - begin
    metrics.document_gemaakt(soort, gewenst.name, duur)
    log.info(
        "document %s as %s: %d bytes%s in %.0f ms",
        soort,
        gewenst.name,
        len(inhoud),
        f", {paginas} pages" if paginas is not None else "",
        duur * 1000,
    )
    return inhoud, paginas


def antwoord(inhoud: bytes, gewenst: Formaat, bestandsnaam: str) -> Response:
    """The HTTP answer for a rendered document. `bestandsnaam` has no extension and must carry no
    personal data (a kenmerk is fine)."""
    extensie = "pdf" if gewenst is Formaat.pdf else "html"
    media = "application/pdf" if gewenst is Formaat.pdf else "text/html; charset=utf-8"
    return Response(
        inhoud,
        media_type=media,
        headers={
            "Content-Disposition": f'inline; filename="{bestandsnaam}.{extensie}"',
            "Cache-Control": "no-store",
            "Vary": "Accept",
        },
    )


def download(inhoud: bytes, mediatype: str, bestandsnaam: str) -> Response:
    """A stored file as a download, never shown in the browser: `attachment` with the name
    (ASCII fallback and RFC 6266 `filename*`), the type as sniffed when it was stored;
    `X-Content-Type-Options: nosniff` comes from TransportMiddleware, as on every response."""
    veilig = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in bestandsnaam)
    return Response(
        inhoud,
        media_type=mediatype,
        headers={
            "Content-Disposition": f'attachment; filename="{veilig}"; '
            f"filename*=UTF-8''{quote(bestandsnaam, safe='')}",
            "Cache-Control": "no-store",
        },
    )
