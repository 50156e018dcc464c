"""The casus page shows the cost ledger (doormodderen against doorbraak, per afdeling), books a
cost through its form (euro input, history kept), and links the summary and the bestuur memo,
which the browser gets as HTML or, with ?formaat=pdf, as a PDF."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit, nieuwe_afwijking, ok
from tests.web.conftest import csrf_uit


async def test_costs_on_the_casus_page_and_the_documents_linked(web: Any, api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"], grondslag="buiten_kader")
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    assert "Kosten: doormodderen tegenover doorbraak" in pagina.text
    assert f'href="/casussen/{k}/samenvatting"' in pagina.text
    assert f'href="/casussen/{k}/bestuursmemo?formaat=pdf"' in pagina.text
    r = await karim.post(
        f"/casussen/{k}/kostenregels",
        data={
            "csrf": csrf_uit(pagina.text),
            "omschrijving": "Opvang na uitzetting",
            "soort": "dreigend",
            "ritme": "jaarlijks",
            "bedragCent": "36.500",
            "afdeling": "wonen",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200, r.text
    assert "Opvang na uitzetting" in r.text and "36.500,00" in r.text
    kosten = ok(await api("karim").get(f"/api/v1/casussen/{k}/kosten"))
    assert kosten["dreigendPerJaarCent"] == 3_650_000
    assert kosten["huidigPerJaarCent"] == 1_200_000  # the threat is not a current cost

    html = await karim.get(f"/casussen/{k}/samenvatting")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Casussamenvatting voor de doorbraaktafel" in html.text
    pdf = await karim.get(f"/casussen/{k}/bestuursmemo", params={"formaat": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
