"""The benchmark's floor (bench/baseline_app.py) answers the casus detail's row in the API's own
shape. It reads the casus table directly, so a migration that drops or renames a column breaks it
silently: every baseline request then answers 500, fast, and every ratio to it means nothing
(a benchmark run once measured a baseline of 7,149 errors that way)."""

from __future__ import annotations

import httpx

from tests.conftest import Api
from tests.helpers import ok


async def test_the_baseline_serves_a_casus_in_the_shape_of_the_api(api: Api, app: object) -> None:
    from bench import baseline_app

    casus = ok(await api("sanne").post("/api/v1/casussen", json={"titel": "Vloer"}), 201)
    detail = ok(await api("sanne").get(f"/api/v1/casussen/{casus['kenmerk']}"), 200)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=baseline_app.fastapi_app), base_url="http://b"
    ) as client:
        r = await client.get(f"/baseline/casussen/{casus['kenmerk']}")
        statisch = await client.get("/baseline/statisch")
        onbekend = await client.get("/baseline/casussen/DB-1999-0001")
    await baseline_app.engine.dispose()
    assert r.status_code == 200, r.text
    vloer = r.json()
    # Every field of the floor is a field of the API, with the same value where it is a column.
    assert set(vloer) <= set(detail), set(vloer) - set(detail)
    assert set(statisch.json()) == set(vloer)
    for veld in ("kenmerk", "titel", "fase", "urgentie", "versie", "besluitUiterlijkDatum"):
        assert vloer[veld] == detail[veld], veld
    assert onbekend.status_code == 404
