"""Every table in the web scrolls in its own box (`div.rol`), so no page scrolls sideways at
390 px. The browser suite measures the pages it visits; this covers every template, including
sections that only show for a casus in a certain state."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "doorbraak" / "web" / "templates"
JINJA = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
ROL = re.compile(r'<div class="rol"[^>]*>\s*$')


def test_every_table_sits_in_a_scroll_box() -> None:
    kaal: list[str] = []
    for pad in sorted(TEMPLATES.glob("*.html")):
        tekst = pad.read_text(encoding="utf-8")
        for m in re.finditer(r"<table[ >]", tekst):
            ervoor = JINJA.sub("", tekst[: m.start()])
            if not ROL.search(ervoor[-300:]):
                kaal.append(f"{pad.name}:{tekst.count(chr(10), 0, m.start()) + 1}")
    assert not kaal, f'tables outside a <div class="rol">: {kaal}'


def test_no_casus_section_sits_inside_another() -> None:
    """The casus page shows a part (tab) as the sections the part names: a section nested in
    another's `{% if toon(...) %}` would vanish from its own tab."""
    tekst = (TEMPLATES / "casus.html").read_text(encoding="utf-8")
    stapel: list[str] = []
    genest: list[str] = []
    for m in re.finditer(
        r"\{%-?\s*(if|elif|else|endif|for|endfor|call|endcall|macro|endmacro)\b(.*?)%\}",
        tekst,
        re.S,
    ):
        soort, rest = m.group(1), m.group(2)
        if soort in ("if", "for", "call", "macro"):
            sectie = re.match(r'\s*toon\("([a-z_]+)"\)', rest) if soort == "if" else None
            if sectie and any(s.startswith("toon:") for s in stapel):
                genest.append(
                    f"{sectie.group(1)} in {[s for s in stapel if s.startswith('toon:')]}"
                )
            stapel.append(f"toon:{sectie.group(1)}" if sectie else soort)
        elif soort.startswith("end"):
            stapel.pop()
    assert not stapel, f"unclosed blocks: {stapel}"
    assert not genest, f"sections nested in another section: {genest}"
