"""Four-eyes and takedown of a verhaal through the web frontend."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, fase, ok
from tests.web.conftest import csrf_uit

pytestmark = pytest.mark.usefixtures("deduce_gereed")

VERHAAL = "Eén keukentafelgesprek met alle afdelingen brak de impasse binnen een week."


async def test_een_tweede_medewerker_keurt_goed_en_de_schrijver_trekt_in(
    web: Any, api: Api
) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    r = await karim.post(
        f"/casussen/{k}/leerpunten",
        data={
            "csrf": csrf_uit(pagina.text),
            "soort": "succes",
            "tekst": VERHAAL,
            "delen": "on",
            "toestemmingHuishouden": "on",
        },
    )
    assert r.status_code == 303, r.text
    pagina = await karim.get(f"/casussen/{k}")
    assert "wacht op goedkeuring" in pagina.text
    assert "Verhaal goedkeuren en delen" not in pagina.text  # not for the author
    assert VERHAAL not in (await karim.get("/verhalen")).text

    sanne = await web("sanne")
    pagina = await sanne.get(f"/casussen/{k}")
    assert "Verhaal goedkeuren en delen" in pagina.text
    [leerpunt] = ok(await api("sanne").get(f"/api/v1/casussen/{k}/leerpunten"))["results"]
    r = await sanne.post(
        f"/casussen/{k}/leerpunten/{leerpunt['id']}/goedkeuren",
        data={"csrf": csrf_uit(pagina.text), "versie": str(leerpunt["versie"])},
    )
    assert r.status_code == 303, r.text
    assert VERHAAL in (await sanne.get("/verhalen")).text

    # Closed, and still the author takes it down.
    ok(await fase(api("karim"), k, "afgesloten", afsluitreden="ingetrokken"), 201)
    pagina = await karim.get(f"/casussen/{k}")
    assert "Verhaal intrekken" in pagina.text
    r = await karim.post(
        f"/casussen/{k}/leerpunten/{leerpunt['id']}/intrekken",
        data={"csrf": csrf_uit(pagina.text)},
    )
    assert r.status_code == 303, r.text
    assert VERHAAL not in (await sanne.get("/verhalen")).text
    assert "verhaal ingetrokken" in (await karim.get(f"/casussen/{k}")).text
