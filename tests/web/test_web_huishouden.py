"""The casus page: the perspectiefplan, external parties and nazorg on a closed casus."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import fase, mid, nieuwe_casus, ok
from tests.web.conftest import csrf_uit


async def test_plan_and_party_forms_and_nazorg_after_closing(web: Any, api: Api) -> None:
    sanne, karim_api = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne))["kenmerk"]
    basis = f"/casussen/{k}"
    ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    ok(
        await api("bram").post(
            "/api/v1/externe-partijen",
            json={"code": "uwv", "naam": "UWV", "soort": "uwv"},
        ),
        201,
    )
    karim = await web("karim")
    csrf = csrf_uit((await karim.get(basis)).text)
    for pad, data in (
        ("/huishoudleden", {"naamOfRol": "Vader", "geboortejaar": "1980"}),
        ("/doelen", {"leefgebied": "werk", "tekst": "Weer aan het werk."}),
        ("/partijdeelnames", {"partij": "uwv", "contactpersoon.naam": "Klantmanager UWV"}),
        (
            "/afspraken",
            {"tekst": "UWV kijkt naar een re-integratietraject.", "externePartij": "uwv"},
        ),
        ("/perspectiefplan/instemming", {"datum": "2026-01-05"}),
        ("/stappen", {"titel": "Na een maand bellen", "soort": "nazorg", "status": "open"}),
    ):
        r = await karim.post(basis + pad, data={"csrf": csrf, **data})
        assert r.status_code == 303, (pad, r.status_code, r.text[:500])
    pagina = (await karim.get(basis)).text
    for tekst in ("Weer aan het werk.", "Klantmanager UWV", "re-integratietraject", "stemde in op"):
        assert tekst in pagina, tekst
    # Closed: the nazorg stap is completed through its own form, the casus stays closed.
    ok(await fase(karim_api, k, "afgesloten", afsluitreden="elders_belegd"), 201)
    stap = ok(await karim_api.get(f"/api/v1/casussen/{k}/stappen"))["results"][0]
    pagina = (await karim.get(basis)).text
    assert f"{basis}/stappen/{stap['id']}/afronden" in pagina
    assert f"{basis}/stappen/{stap['id']}/wijzigen" not in pagina
    r = await karim.post(
        f"{basis}/stappen/{stap['id']}/afronden",
        data={"csrf": csrf, "status": "afgerond", "bevinding": "Gaat goed.", "versie": "1"},
    )
    assert r.status_code == 303, r.text[:500]
    r = await karim.post(
        f"{basis}/stappen/{stap['id']}/wijzigen",
        data={"csrf": csrf, "titel": "Anders", "status": "afgerond", "versie": "2"},
    )
    assert r.status_code == 409
    detail = ok(await karim_api.get(f"/api/v1/casussen/{k}"))
    assert detail["fase"] == "afgesloten"
    assert (
        ok(await karim_api.get(f"/api/v1/casussen/{k}/stappen/{stap['id']}"))["status"]
        == "afgerond"
    )
    # peter (leidinggevende, not on this casus) does not see it at all.
    assert (await (await web("peter")).get(basis)).status_code == 404
