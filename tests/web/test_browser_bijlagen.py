"""Browser (slow): karim uploads a PDF with the casus page's form in real Chromium, finds it in
the Bijlagen section and downloads it byte for byte; every page axe 0, no sideways scroll."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from doorbraak.demo import kleine_pdf
from tests.web.test_browser import _bezoeker, browser, server

__all__ = ["browser", "server"]
pytestmark = pytest.mark.slow

PDF = kleine_pdf(["Beschikking bijzondere bijstand", "Toegekend op 1 december 2026."])


async def test_upload_and_download_a_pdf(browser: Any, server: str, tmp_path: Path) -> None:
    async with httpx.AsyncClient(
        base_url=server, headers={"Authorization": "Bearer demo-karim"}
    ) as karim_api:
        r = await karim_api.post(
            "/api/v1/casussen",
            json={"titel": "Bijstand na brand", "situatie": "Alles kwijt.", "urgentie": "hoog"},
        )
        assert r.status_code == 201, r.text
        k = r.json()["kenmerk"]
    bestand = tmp_path / "beschikking.pdf"
    bestand.write_bytes(PDF)

    verslag: list[str] = []
    karim = await _bezoeker(browser, server, "karim", verslag)
    await karim.inloggen("Karim")
    await karim.ga(f"/casussen/{k}", "casus-bijlagen")
    actie = f"/casussen/{k}/bijlagen"
    form = await karim.open(actie)
    await form.get_by_label("Bestand", exact=False).set_input_files(str(bestand))
    await form.get_by_label("Omschrijving", exact=True).fill("Beschikking van de bijstand")
    async with karim.page.expect_navigation():
        await form.locator('button[type="submit"]').click()
    assert "gelukt=bijlagen" in karim.page.url
    assert await karim.page.locator('.gelukt[role="status"]').inner_text() == (
        "De bijlage is toegevoegd."
    )
    await karim.controleer()
    link = karim.page.locator("#bijlagen a", has_text="beschikking.pdf")
    async with karim.page.expect_download() as wachten:
        await link.click()
    download = await wachten.value
    assert download.suggested_filename == "beschikking.pdf"
    pad = Path(await download.path())
    assert await asyncio.to_thread(pad.read_bytes) == PDF
    # The casus page still shows, with the delete behind its confirmation.
    await karim.ga(f"/casussen/{k}#bijlagen")
    assert await karim.page.locator("#bijlagen summary", has_text="Verwijderen").count() == 1
    print(f"\nbrowser bijlagen {k}: {len(verslag)} page checks, all with 0 axe violations")
