"""The casus summary and the bestuur memo: content, need-to-know, formats, the logboek.

Set DOORBRAAK_TEST_PDF_MAP to a folder to keep the rendered PDFs for a look (pdftoppm -png)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.demo import DEMO_BSNS
from doorbraak.models import LogboekRegel
from tests.conftest import Api
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    nieuw_besluit,
    nieuwe_afwijking,
    ok,
    probleem,
)

PDF = {"Accept": "application/pdf"}
HTML = {"Accept": "text/html"}


def _bewaar(naam: str, inhoud: bytes) -> None:
    map_ = os.environ.get("DOORBRAAK_TEST_PDF_MAP")
    if map_:
        Path(map_).mkdir(parents=True, exist_ok=True)
        (Path(map_) / naam).write_bytes(inhoud)


def _tekst(pdf: bytes) -> tuple[int, str]:
    lezer = PdfReader(io.BytesIO(pdf))
    return len(lezer.pages), "\n".join(p.extract_text() for p in lezer.pages)


async def _casus_aan_tafel(api: Api, grondslag: str = "awb_4_84") -> dict[str, Any]:
    karim = api("karim")
    casus = await casus_in_maatwerk(api, bsn=DEMO_BSNS[0])
    k = casus["kenmerk"]
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/kostenregels",
            json={
                "omschrijving": "Maatschappelijke opvang na uitzetting",
                "soort": "dreigend",
                "afdeling": "wonen",
                "bedragCent": 3_650_000,
            },
        ),
        201,
    )
    besluit = await nieuw_besluit(karim, k, kostenPerJaarCent=60_000)
    await nieuwe_afwijking(karim, k, besluit["id"], casus["regel"], grondslag=grondslag)
    await alle_akkoord(api, k, besluit["id"], "vastgoed")  # sociaal-domein has not reacted yet
    return {"kenmerk": k, "besluit": besluit["id"]}


async def test_summary_for_the_team_names_staff_and_masks_the_bsn(api: Api) -> None:
    k = (await _casus_aan_tafel(api))["kenmerk"]
    r = await api("karim").get(f"/api/v1/casussen/{k}/samenvatting", headers=HTML)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store"
    tekst = r.text
    for verwacht in (
        "Casussamenvatting voor de doorbraaktafel",
        "Familie Demir",
        "*****2333",
        "Karim El Amrani",  # the regiehouder
        "Joost Bakker",  # contactpersoon and the one who reacted for vastgoed
        "Eerst een rapport en een duurzaam plan.",  # the standpunten
        "Deze week dicht: het gezin zit in de kou.",
        "Warm en droog voor de winter.",  # perspectief
        "Het dak.",  # doorbraak
        "Inkoop vraagt drie offertes.",  # knelpunt
        "Dak deze week repareren",  # the proposed besluit
        "Schoolverzuim en zorgkosten stoppen.",  # its waardentoets
        "nog geen reactie",  # sociaal-domein
        "akkoord",
        "€ 36.500",  # the dreigend cost, shown as a scenario
        "€ 12.000",  # doormodderen 1 jaar (the Woningcorporatie)
        "€ 36.000",  # doormodderen 3 jaar
    ):
        assert verwacht in tekst, verwacht
    assert DEMO_BSNS[0] not in tekst
    assert "<form" not in tekst and "<nav" not in tekst


async def test_summary_for_a_reader_off_the_team_names_nobody(api: Api) -> None:
    k = (await _casus_aan_tafel(api))["kenmerk"]
    # peter leads a participating afdeling: he sees the casus, but is not on its casusteam.
    r = await api("peter").get(f"/api/v1/casussen/{k}/samenvatting", headers=PDF)
    assert r.status_code == 200, r.text
    _, tekst = _tekst(r.content)
    html = (await api("peter").get(f"/api/v1/casussen/{k}/samenvatting")).text
    for gezien in (tekst, html):
        for naam in ("Karim El Amrani", "Joost Bakker", "Sanne de Vries", "Familie Demir"):
            assert naam not in gezien, naam
        assert DEMO_BSNS[0] not in gezien
        assert "een medewerker van Vastgoed" in gezien
        assert "Het dak." in gezien


async def test_summary_pdf_is_a_real_document_and_every_generation_is_logged(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = (await _casus_aan_tafel(api))["kenmerk"]
    r = await api("karim").get(f"/api/v1/casussen/{k}/samenvatting", headers=PDF)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'inline; filename="samenvatting-{k}.pdf"'
    assert r.content.startswith(b"%PDF-") and len(r.content) > 10_000
    _bewaar("samenvatting.pdf", r.content)
    paginas, tekst = _tekst(r.content)
    # Three A4 pages for this casus (looked at as PNG: no empty or cut-off page).
    assert paginas == 3
    assert f"pagina {paginas} van {paginas}" in tekst
    assert "Karim El Amrani" in tekst and DEMO_BSNS[0] not in tekst and "*****2333" in tekst
    async with db() as session:
        acties = (
            await session.scalars(
                select(LogboekRegel.actie).where(LogboekRegel.actie.like("samenvatting.%"))
            )
        ).all()
    assert sorted(acties) == ["samenvatting.pdf"]


async def test_formats_and_a_machine_without_pdf(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    k = (await _casus_aan_tafel(api))["kenmerk"]
    url = f"/api/v1/casussen/{k}/samenvatting"
    karim = api("karim")
    probleem(
        await karim.get(url, headers={"Accept": "application/json"}),
        406,
        "formaat-niet-aanvaardbaar",
    )
    assert (
        (await karim.get(url, headers={"Accept": "*/*"}))
        .headers["content-type"]
        .startswith("text/html")
    )
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    probleem(await karim.get(url, headers=PDF), 503, "pdf-niet-beschikbaar")
    assert (await karim.get(url, headers=HTML)).status_code == 200
    probleem(await api("eva").get(url), 404)


async def test_bestuursmemo_only_for_buiten_kader_and_without_the_household(api: Api) -> None:
    gewoon = (await _casus_aan_tafel(api))["kenmerk"]
    probleem(
        await api("karim").get(f"/api/v1/casussen/{gewoon}/bestuursmemo"),
        409,
        "geen-afwijking-buiten-kader",
    )
    k = (await _casus_aan_tafel(api, grondslag="buiten_kader"))["kenmerk"]
    r = await api("karim").get(f"/api/v1/casussen/{k}/bestuursmemo", headers=PDF)
    assert r.status_code == 200, r.text
    _bewaar("bestuursmemo.pdf", r.content)
    paginas, tekst = _tekst(r.content)
    assert paginas >= 1 and f"pagina 1 van {paginas}" in tekst
    assert "buiten kader" in tekst
    assert "Familie Demir" not in tekst and "*****2333" not in tekst
    assert DEMO_BSNS[0] not in tekst


async def test_bestuursmemo_says_what_the_bestuur_decided_and_shows_the_standpunten(
    api: Api,
) -> None:
    casus = await _casus_aan_tafel(api, grondslag="buiten_kader")
    k = casus["kenmerk"]
    pad = f"/api/v1/casussen/{k}"
    karim = api("karim")
    r = await karim.get(f"{pad}/deelnames/vastgoed")
    ok(
        await karim.patch(
            f"{pad}/deelnames/vastgoed",
            json={"standpunt": "Eerst een bouwkundig rapport."},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    afwijking = ok(await karim.get(f"{pad}/afwijkingen"))["results"][0]["id"]
    html = (await karim.get(f"{pad}/bestuursmemo", headers=HTML)).text
    assert "Gevraagd besluit" in html and "Nog niet voorgelegd" in html
    assert "Eerst een bouwkundig rapport." in html  # the standpunten, not only the reacties
    e = ok(
        await karim.post(
            f"{pad}/escalaties",
            json={
                "niveau": "bestuur",
                "reden": "Buiten kader.",
                "betreft": {"afwijkingen": [afwijking]},
            },
        ),
        201,
    )
    html = (await karim.get(f"{pad}/bestuursmemo", headers=HTML)).text
    assert "Voorgelegd aan het bestuur" in html and "nog geen uitkomst" in html
    r = await api("peter").get(f"{pad}/escalaties/{e['id']}")
    ok(
        await api("peter").patch(
            f"{pad}/escalaties/{e['id']}",
            json={
                "uitkomst": {
                    "soort": "toegekend_onder_voorwaarden",
                    "voorwaarden": "Evaluatie na een half jaar.",
                    "referentie": "Collegebesluit 2026-214",
                }
            },
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    r = await karim.get(f"{pad}/bestuursmemo", headers=PDF)
    assert r.status_code == 200, r.text
    _bewaar("bestuursmemo-beslist.pdf", r.content)
    _, tekst = _tekst(r.content)
    assert "Besluit van het bestuur" in tekst and "Gevraagd besluit" not in tekst
    assert "Toegekend onder voorwaarden" in tekst and "Collegebesluit 2026-214" in tekst
    assert "Evaluatie na een half jaar." in tekst
    # Against the threat (opvang, EUR 36,500 a year): scenario 48,500 / 145,500 minus doorbraak
    # 31,100 / 56,300, apart from the besparing against current costs.
    assert "Besparing als de dreiging uitkomt (scenario)" in tekst
    assert "€ 17.400" in tekst and "€ 89.200" in tekst
    assert "Peter Visser" in tekst  # the reader is on the team: who recorded it is named


async def test_summary_carries_the_households_plan_and_the_parties_at_the_table(
    api: Api,
) -> None:
    """The perspectiefplan in the household's words, the doorbraakvraag and an external party's
    standpunt; members and the party's contact person by name only for the casusteam."""
    karim = api("karim")
    k = (await _casus_aan_tafel(api))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(
        await api("bram").post(
            "/api/v1/externe-partijen",
            json={
                "code": "woningcorporatie-de-sleutel",
                "naam": "De Sleutel",
                "soort": "woningcorporatie",
            },
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/partijdeelnames",
            json={
                "partij": "woningcorporatie-de-sleutel",
                "standpunt": "Geen ontruiming zolang de regeling loopt.",
                "contactpersoon": {"naam": "Wijkconsulent Jansen"},
            },
        ),
        201,
    )
    moeder = ok(await karim.post(f"{basis}/huishoudleden", json={"naamOfRol": "Moeder Ayse"}), 201)
    ok(
        await karim.post(
            f"{basis}/doelen",
            json={
                "leefgebied": "wonen",
                "tekst": "Droog wonen voor de winter.",
                "gezegdDoor": moeder["id"],
            },
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/afspraken",
            json={"tekst": "De huur gaat per incasso.", "huishoudlid": moeder["id"]},
        ),
        201,
    )
    team = (await karim.get(f"{basis}/samenvatting", headers=HTML)).text
    for verwacht in (
        "Perspectiefplan van het huishouden",
        "Droog wonen voor de winter.",
        "Moeder Ayse",
        "De huur gaat per incasso.",
        "De Sleutel (extern)",
        "Geen ontruiming zolang de regeling loopt.",
        "Wijkconsulent Jansen",
        "nog niet ingestemd",
    ):
        assert verwacht in team, verwacht
    buiten = (await api("peter").get(f"{basis}/samenvatting", headers=HTML)).text
    assert "Droog wonen voor de winter." in buiten and "een huishoudlid" in buiten
    for naam in ("Moeder Ayse", "Wijkconsulent Jansen"):
        assert naam not in buiten, naam
