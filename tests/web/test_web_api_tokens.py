"""The beheer page for API tokens (issue 18): list, make one (shown once, in the answer to the
form only), revoke with a confirmation; the API's service behind every form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from doorbraak.db import utcnow
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.web.formulieren import BEVESTIGING
from tests.conftest import Api
from tests.helpers import mid, ok
from tests.web.conftest import csrf_uit

TOKEN = re.compile(r">(dbk_[A-Za-z0-9_-]+)</textarea>")


async def test_the_beheerder_makes_a_token_sees_it_once_and_revokes_it(api: Api, web: Any) -> None:
    bram = await web("bram")
    start = await bram.get("/beheer")
    assert 'href="/beheer/api-tokens"' in start.text
    pagina = await bram.get("/beheer/api-tokens")
    assert pagina.status_code == 200 and "Token maken" in pagina.text
    csrf = csrf_uit(pagina.text)
    # A missing name: the form again with its error, nothing made.
    r = await bram.post("/beheer/api-tokens/nieuw", data={"csrf": csrf, "medewerker": mid("eva")})
    assert r.status_code == 400 and "Dit is nog niet gelukt" in r.text and not TOKEN.search(r.text)
    dag = lokale_datum(utcnow()) + dt.timedelta(days=30)
    r = await bram.post(
        "/beheer/api-tokens/nieuw",
        data={
            "csrf": csrf,
            "medewerker": mid("eva"),
            "naam": "Script rapportage",
            "verlooptOp": dag.isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    gevonden = TOKEN.search(r.text)
    assert gevonden, "the new token is on the page"
    token = gevonden.group(1)
    assert "Kopieer het nu: het wordt niet opnieuw getoond." in r.text
    assert r.headers["cache-control"] == "no-store"
    # It works, as Eva, until 00:00 that day in Amsterdam.
    client = api(None)
    client.headers["Authorization"] = f"Bearer {token}"
    assert ok(await client.get("/api/v1/ik"))["naam"] == "Eva Mulder"
    tokens = ok(await api("bram").get("/api/v1/api-tokens", params={"limit": 100}))["results"]
    gemaakt = next(t for t in tokens if t["naam"] == "Script rapportage")
    verloopt = dt.datetime.fromisoformat(gemaakt["verlooptOp"])
    assert lokale_datum(verloopt) == dag and verloopt.astimezone(dt.UTC).hour in (22, 23)
    # Never again: the list shows the token's name and state, not the token.
    lijst = await bram.get("/beheer/api-tokens")
    assert "Script rapportage" in lijst.text and token not in lijst.text
    # Revoking is a final action: without the box ticked nothing happens.
    intrekken = f"/beheer/api-tokens/{gemaakt['id']}/intrekken"
    assert f'action="{intrekken}#' in lijst.text
    r = await bram.post(intrekken, data={"csrf": csrf})
    assert r.status_code == 400 and BEVESTIGING in r.text
    assert ok(await client.get("/api/v1/ik"))["naam"] == "Eva Mulder"
    r = await bram.post(intrekken, data={"csrf": csrf, "bevestigd": "on"})
    assert r.status_code == 303
    assert r.headers["location"] == "/beheer/api-tokens?gelukt=ingetrokken#melding"
    na = await bram.get(r.headers["location"])
    assert "Het token is ingetrokken" in na.text
    assert (await client.get("/api/v1/ik")).status_code == 401
    # Again: the API's conflict, said on the page.
    r = await bram.post(intrekken, data={"csrf": csrf, "bevestigd": "on"})
    assert r.status_code == 409 and "al ingetrokken" in r.text


async def test_only_the_beheerder_has_the_token_page(web: Any) -> None:
    for wie in ("karim", "marieke", "lotte", "fatima"):
        client = await web(wie)
        csrf = csrf_uit((await client.get("/verhalen")).text)
        assert (await client.get("/beheer/api-tokens")).status_code == 403
        r = await client.post(
            "/beheer/api-tokens/nieuw",
            data={"csrf": csrf, "medewerker": mid(wie), "naam": "Eigen script"},
        )
        assert r.status_code == 403 and not TOKEN.search(r.text)
