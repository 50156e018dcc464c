"""The web never puts a BSN in a URL and never echoes a typed BSN back into a page."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import nieuwe_casus
from tests.web.conftest import csrf_uit

# Valid by the 11-proef; not a demo BSN, so the test's own URL does not trip the BSN guard.
BSN = "246813581"


async def test_de_zoekbalk_zoekt_niet_op_een_bsn_in_de_url_en_toont_het_niet(web: Any) -> None:
    karim = await web("karim")
    r = await karim.get("/casussen", params={"zoek": "246 813 581"})
    assert r.status_code == 200
    assert "Zoek op BSN" in r.text and "er is niet op gezocht" in r.text
    assert "246 813 581" not in r.text and BSN not in r.text


async def test_zoeken_op_bsn_gaat_met_post_en_het_bsn_komt_niet_terug(web: Any, api: Api) -> None:
    casus = await nieuwe_casus(api("karim"), titel="Woning met BSN", bsn=BSN)
    await nieuwe_casus(api("karim"), titel="Andere woning")
    karim = await web("karim")
    pagina = await karim.get("/casussen")
    assert 'action="/casussen/_zoek"' in pagina.text
    r = await karim.post("/casussen/_zoek", data={"csrf": csrf_uit(pagina.text), "bsn": BSN})
    assert r.status_code == 200
    assert casus["kenmerk"] in r.text and "Andere woning" not in r.text
    assert BSN not in r.text
    fout = await karim.post(
        "/casussen/_zoek", data={"csrf": csrf_uit(pagina.text), "bsn": "246813582"}
    )
    assert fout.status_code == 400 and "11-proef" in fout.text and "246813582" not in fout.text
    # Without the CSRF token the search is refused like every other POST.
    assert (await karim.post("/casussen/_zoek", data={"bsn": BSN})).status_code == 403


async def test_een_mislukt_formulier_toont_een_getypt_bsn_niet_terug(web: Any) -> None:
    karim = await web("karim")
    pagina = await karim.get("/casussen/nieuw")
    r = await karim.post(
        "/casussen/nieuw",
        data={
            "csrf": csrf_uit(pagina.text),
            "titel": "Woning 246.813.581",
            "situatie": "Het dak lekt al weken.",
            "urgentie": "hoog",
            "bsn": "246813582",
        },
    )
    assert r.status_code == 400
    assert "246.813.581" not in r.text and "246813582" not in r.text
    assert "Het dak lekt al weken." in r.text
    assert "BSN" in r.text  # the reason next to the titel field
