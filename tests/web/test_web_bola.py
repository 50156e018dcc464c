"""Every web route on a casus, for everyone outside its casusteam: the API's 404, never a page.

The routes are taken from the app itself, so a new web route on a casus cannot escape."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.routing import iter_route_contexts

from doorbraak.casussen.toegang import NIET_ZICHTBAAR
from tests.conftest import Api
from tests.helpers import mid, nieuwe_casus, ok
from tests.web.conftest import csrf_uit

BUITENSTAANDERS = ("joost", "fatima", "lotte", "bram")


def web_casusroutes(app: Any) -> list[tuple[str, str]]:
    routes = []
    for route in iter_route_contexts(app.routes):
        pad = route.path_format
        if pad and pad.startswith("/casussen/{kenmerk}"):
            routes.extend((m, pad) for m in sorted(route.methods or ()) if m != "HEAD")
    return routes


async def test_elke_webroute_op_een_casus_is_404_voor_buitenstaanders(
    app: Any, api: Api, web: Any
) -> None:
    karim = api("karim")
    casus = await nieuwe_casus(karim)
    kenmerk = casus["kenmerk"]
    ok(
        await karim.post(f"/api/v1/casussen/{kenmerk}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    routes = web_casusroutes(app)
    assert len(routes) >= 25
    for wie in BUITENSTAANDERS:
        client = await web(wie)
        csrf = csrf_uit((await client.get("/verhalen")).text)
        for methode, pad in routes:
            url = (
                pad.replace("{kenmerk}", kenmerk)
                .replace("{id}", str(uuid.uuid4()))
                .replace("{afdeling}", "sociaal-domein")
                .replace("{partij}", "ggz-noord")
            )
            if methode == "GET":
                r = await client.get(url)
            else:
                r = await client.post(url, data={"csrf": csrf, "titel": "x"})
            assert r.status_code == 404, f"{wie} {methode} {pad}: {r.status_code}"
            assert NIET_ZICHTBAAR in r.text, f"{wie} {methode} {pad}"
    # The casusteam does see it.
    eigen = await web("karim")
    r = await eigen.get(f"/casussen/{kenmerk}")
    assert r.status_code == 200 and re.search(re.escape(casus["titel"]), r.text)


async def test_beheer_en_logboek_alleen_voor_hun_rol(web: Any) -> None:
    """The web's beheer and logboek routes (taken from the app): 403 for every other role,
    the page for the one that may; a GET on a form's address leads back to its list."""
    toegestaan = {"/beheer": {"bram"}, "/logboek": {"lotte"}}
    for wie in ("karim", "marieke", "fatima", "lotte", "bram"):
        client = await web(wie)
        csrf = csrf_uit((await client.get("/verhalen")).text)
        for pad, wie_mag in toegestaan.items():
            subs = ["", "/afdelingen", "/medewerkers", "/regels", "/api-tokens"]
            for sub in subs if pad == "/beheer" else [""]:
                r = await client.get(pad + sub)
                verwacht = 200 if wie in wie_mag else 403
                assert r.status_code == verwacht, f"{wie} GET {pad}{sub}: {r.status_code}"
        for sub in ("afdelingen", "medewerkers", "regels", "api-tokens"):
            r = await client.post(f"/beheer/{sub}/nieuw", data={"csrf": csrf, "naam": "x"})
            if wie == "bram":
                assert r.status_code == 400, f"{wie} POST {sub}: {r.status_code}"
            else:
                assert r.status_code == 403, f"{wie} POST {sub}: {r.status_code}"
            r = await client.get(f"/beheer/{sub}/nieuw")
            assert r.status_code == (303 if wie == "bram" else 403), f"{wie} GET {sub}/nieuw"
