"""The learning loop in the web: beleid handles signals on the registers page, records a new
regel version, the casusteam reads the outcome on its casus, precedents for a new afwijking, the
dashboard's trend table and the learning report (HTML, PDF, CSV)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit, nieuwe_afwijking, ok
from tests.web.conftest import csrf_uit

pytestmark = pytest.mark.usefixtures("deduce_gereed")


async def _signaal(api: Api) -> dict[str, Any]:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    afw = await nieuwe_afwijking(
        api("karim"), k, besluit["id"], casus["regel"], beleidssignaal=True
    )
    return {**casus, "afwijking": afw}


async def test_beleid_handles_a_signal_in_the_web(api: Api, web: Any) -> None:
    c = await _signaal(api)
    id_ = c["afwijking"]["id"]
    fatima = await web("fatima")
    pagina = await fatima.get("/registers")
    assert pagina.status_code == 200
    assert "Signaal behandelen" in pagina.text and f'id="s-{id_}"' in pagina.text
    assert "Nieuw" in pagina.text
    # A leidinggevende reads the signals but gets no form; posting anyway is refused.
    peter = await web("peter")
    lezer = await peter.get("/registers")
    assert lezer.status_code == 200 and "Signaal behandelen" not in lezer.text
    geweigerd = await peter.post(
        f"/beleidssignalen/{id_}/behandelen",
        data={"csrf": csrf_uit(lezer.text), "signaalStatus": "in_behandeling", "versie": "1"},
    )
    assert geweigerd.status_code == 403
    # Without a reason 'niet aangepast' is shown again with the error.
    fout = await fatima.post(
        f"/beleidssignalen/{id_}/behandelen",
        data={"csrf": csrf_uit(pagina.text), "signaalStatus": "niet_aangepast", "versie": "1"},
    )
    assert fout.status_code == 400 and "waarom" in fout.text
    r = await fatima.post(
        f"/beleidssignalen/{id_}/behandelen",
        data={
            "csrf": csrf_uit(pagina.text),
            "signaalStatus": "niet_aangepast",
            "reactie": "De regel blijft; de hardheidsclausule volstaat.",
            "versie": "1",
        },
    )
    assert r.status_code == 303, r.text
    signaal = ok(await api("fatima").get(f"/api/v1/beleidssignalen/{id_}"))
    assert signaal["signaalStatus"] == "niet_aangepast"
    # The casusteam reads the outcome on the casus page.
    karim = await web("karim")
    casus = await karim.get(f"/casussen/{c['kenmerk']}")
    assert "Wat beleid met dit signaal deed" in casus.text
    assert "de hardheidsclausule volstaat" in casus.text
    assert 'name="signaalStatus"' not in casus.text


async def test_beleid_records_a_regel_version_in_the_web(api: Api, web: Any) -> None:
    c = await _signaal(api)
    fatima = await web("fatima")
    pagina = await fatima.get(f"/regels/{c['regel']}")
    assert pagina.status_code == 200 and "Nieuwe versie vastleggen" in pagina.text
    r = await fatima.post(
        f"/regels/{c['regel']}/versies",
        data={
            "csrf": csrf_uit(pagina.text),
            "tekst": "Eén offerte bij spoed.",
            "reden": "Signalen uit de wijk.",
            "geldigVan": "2030-01-01",
            "signalen": c["afwijking"]["id"],
        },
    )
    assert r.status_code == 303, r.text
    na = await fatima.get(f"/regels/{c['regel']}")
    assert "Signalen uit de wijk." in na.text and "01-01-2030" in na.text
    signaal = ok(await api("fatima").get(f"/api/v1/beleidssignalen/{c['afwijking']['id']}"))
    assert signaal["signaalStatus"] == "regel_aangepast"
    # Someone else reads the versions but gets no form.
    sanne = await web("sanne")
    lezer = await sanne.get(f"/regels/{c['regel']}")
    assert lezer.status_code == 200 and "Nieuwe versie vastleggen" not in lezer.text


async def test_precedents_and_the_dashboard_and_the_report(api: Api, web: Any) -> None:
    c = await _signaal(api)
    karim = await web("karim")
    casus = await karim.get(f"/casussen/{c['kenmerk']}")
    assert "Precedenten tonen" in casus.text
    p = await karim.get(f"/casussen/{c['kenmerk']}/precedenten", params={"regel": c["regel"]})
    assert p.status_code == 200 and "0 keer gedekt" in p.text
    fatima = await web("fatima")
    dashboard = await fatima.get("/dashboard")
    assert dashboard.status_code == 200 and "Mediaan (werkdagen)" in dashboard.text
    periode = await fatima.get("/dashboard", params={"van": "2026-01-01", "tot": "2026-12-31"})
    assert "Deze periode tegenover de vorige" in periode.text
    rapport = await fatima.get("/leerrapport", params={"van": "2026-01-01", "tot": "2026-12-31"})
    assert rapport.status_code == 200 and rapport.headers["content-type"].startswith("text/html")
    assert "Kerncijfers" in rapport.text and c["kenmerk"] not in rapport.text
    tabellen = await fatima.get("/leerrapport.zip")
    assert tabellen.status_code == 200
    namen = zipfile.ZipFile(io.BytesIO(tabellen.content)).namelist()
    assert "kerncijfers.csv" in namen and "regelwijzigingen.csv" in namen
    pdf = await fatima.get("/leerrapport.pdf")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")
    # Not for a medewerker without a register role.
    sanne = await web("sanne")
    assert (await sanne.get("/leerrapport")).status_code == 403
