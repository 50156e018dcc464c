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
