"""kit/document.py: content negotiation, HTML with the print stylesheet, the PDF (WeasyPrint) read
back with pypdf, and the answer when WeasyPrint cannot load."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from doorbraak.kit import document
from doorbraak.kit.document import Formaat, FormaatNietAanvaardbaar, PdfNietBeschikbaar


@pytest.mark.parametrize(
    ("accept", "verwacht"),
    [
        (None, Formaat.html),
        ("", Formaat.html),
        ("*/*", Formaat.html),
        ("text/html", Formaat.html),
        ("application/pdf", Formaat.pdf),
        ("text/html;q=0.5, application/pdf", Formaat.pdf),
        ("application/pdf;q=0.4, text/*;q=0.9", Formaat.html),
        ("application/*", Formaat.pdf),
        ("application/pdf, */*;q=0.1", Formaat.pdf),
        ("text/html, application/pdf", Formaat.html),
    ],
)
def test_formaat_follows_the_accept_header(accept: str | None, verwacht: Formaat) -> None:
    assert document.formaat(accept) is verwacht


@pytest.mark.parametrize("accept", ["application/json", "image/png", "application/pdf;q=0"])
def test_formaat_refuses_what_it_cannot_make(accept: str) -> None:
    with pytest.raises(FormaatNietAanvaardbaar) as fout:
        document.formaat(accept)
    assert fout.value.status == 406
    assert fout.value.code == "formaat-niet-aanvaardbaar"


def _lang_document(tmp_path: Path, alineas: int) -> str:
    (tmp_path / "proef.html").write_text(
        '{% extends "basis.html" %}{% block inhoud %}'
        "{% for i in range(alineas) %}<h2>Kop {{ i }}</h2><p>{{ tekst }}</p>{% endfor %}"
        "{% endblock %}"
    )
    return document.html(
        "proef.html",
        {
            "titel": "Proefdocument",
            "kop": "2026-0001",
            "gemaakt_op": "1 december 2026",
            "tekst": "<script>alert(1)</script> " + "Een zin over de casus. " * 40,
            "alineas": alineas,
        },
        map_=tmp_path,
    )


def test_html_escapes_content_and_carries_the_print_stylesheet(tmp_path: Path) -> None:
    tekst = _lang_document(tmp_path, 1)
    assert "<script>alert(1)</script>" not in tekst
    assert "&lt;script&gt;" in tekst
    assert "@page" in tekst and "counter(pages)" in tekst
    assert "<nav" not in tekst and "<form" not in tekst


def test_pdf_is_rendered_with_the_right_number_of_pages(tmp_path: Path) -> None:
    kort = document.pdf_van(_lang_document(tmp_path, 1))
    lang = document.pdf_van(_lang_document(tmp_path, 30))
    for gemaakt in (kort, lang):
        assert gemaakt.inhoud.startswith(b"%PDF-")
        lezer = PdfReader(io.BytesIO(gemaakt.inhoud))
        assert len(lezer.pages) == gemaakt.paginas
    assert kort.paginas == 1
    assert lang.paginas > 3
    tekst = PdfReader(io.BytesIO(lang.inhoud)).pages[-1].extract_text()
    assert f"pagina {lang.paginas} van {lang.paginas}" in tekst
    assert "2026-0001" in tekst  # the running header on every page


async def test_without_weasyprint_the_pdf_is_a_clear_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes `import weasyprint` raise ImportError, as on a bare machine.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(PdfNietBeschikbaar) as fout:
        await document.document(
            "proef", Formaat.pdf, "basis.html", {"titel": "x", "gemaakt_op": "nu"}
        )
    assert fout.value.status == 503
    assert fout.value.code == "pdf-niet-beschikbaar"
    # HTML keeps working on that machine.
    inhoud, paginas = await document.document(
        "proef", Formaat.html, "basis.html", {"titel": "x", "gemaakt_op": "nu"}
    )
    assert inhoud.startswith(b"<!DOCTYPE html>") and paginas is None


def test_antwoord_names_the_file_and_is_never_cached() -> None:
    antwoord = document.antwoord(b"%PDF-1.7", Formaat.pdf, "samenvatting-2026-0001")
    assert antwoord.media_type == "application/pdf"
    assert (
        antwoord.headers["content-disposition"] == 'inline; filename="samenvatting-2026-0001.pdf"'
    )
    assert antwoord.headers["cache-control"] == "no-store"
