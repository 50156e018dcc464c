"""Casussen: aanmelden, lezen, wijzigen, lijsten met filters en paging, zichtbaarheid, BSN."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from doorbraak.demo import DEMO_BSNS
from doorbraak.models import LogboekRegel
from tests.conftest import Api
from tests.helpers import mid, nieuwe_casus, ok, probleem


async def test_aanmelden_assigns_kenmerk_and_records_tijdlijn(api: Api) -> None:
    client = api("sanne")
    r = await client.post(
        "/api/v1/casussen", json={"titel": "Lekkende huurwoning", "urgentie": "hoog"}
    )
    casus = ok(r, 201)
    assert casus["kenmerk"].startswith("DB-") and casus["kenmerk"].endswith("-0001")
    assert casus["fase"] == "aangemeld"
    assert casus["aanmelder"]["naam"] == "Sanne de Vries"
    assert casus["regiehouder"] is None
    assert casus["besluitUiterlijkDatum"] is not None
    assert casus["volgendeFase"] == {
        "fase": "in_kaart",
        "openVoorwaarden": [
            {"code": "regiehouder", "omschrijving": "De casus heeft een regiehouder."}
        ],
    }
    assert r.headers["ETag"] == '"1"'
    assert r.headers["Location"] == f"/api/v1/casussen/{casus['kenmerk']}"
    tijdlijn = ok(await client.get(f"/api/v1/casussen/{casus['kenmerk']}/tijdlijn"))["results"]
    assert [t["actie"] for t in tijdlijn] == ["casus.aangemeld"]
    assert tijdlijn[0]["door"]["naam"] == "Sanne de Vries"
    assert tijdlijn[0]["wijzigingen"]["titel"] == {"oud": None, "nieuw": "Lekkende huurwoning"}


async def test_only_staff_who_may_register_can_create(api: Api) -> None:
    for wie in ("fatima", "lotte", "bram"):
        probleem(await api(wie).post("/api/v1/casussen", json={"titel": "x"}), 403, "rol-ontbreekt")


async def test_server_owned_fields_are_refused(api: Api) -> None:
    r = await api("sanne").post(
        "/api/v1/casussen", json={"titel": "x", "kenmerk": "DB-2026-9999", "fase": "maatwerk"}
    )
    body = probleem(r, 400)
    assert {p["name"] for p in body["invalidParams"]} == {"kenmerk", "fase"}


async def test_bsn_is_masked_checked_and_shown_only_on_request_with_a_logboek_entry(
    api: Api, db: object
) -> None:
    client = api("sanne")
    probleem(await client.post("/api/v1/casussen", json={"titel": "x", "bsn": "123456789"}), 400)
    casus = await nieuwe_casus(client, bsn=DEMO_BSNS[0])
    assert casus["bsn"] == "*****2333"
    assert DEMO_BSNS[0] not in str(casus)
    url = f"/api/v1/casussen/{casus['kenmerk']}"
    vol = ok(await client.get(url, params={"toonBsn": "true"}))
    assert vol["bsn"] == DEMO_BSNS[0]
    async with db() as session:  # type: ignore[operator]
        inzage = await session.scalar(
            select(func.count()).select_from(LogboekRegel).where(LogboekRegel.actie == "bsn.inzien")
        )
    assert inzage == 1
    tijdlijn = ok(await client.get(f"{url}/tijdlijn"))
    assert DEMO_BSNS[0] not in str(tijdlijn)


async def test_search_by_bsn_goes_in_the_body(api: Api) -> None:
    client = api("sanne")
    a = await nieuwe_casus(client, bsn=DEMO_BSNS[0])
    await nieuwe_casus(client, bsn=DEMO_BSNS[1])
    gevonden = ok(await client.post("/api/v1/casussen/_zoek", json={"bsn": DEMO_BSNS[0]}))
    assert [c["kenmerk"] for c in gevonden["results"]] == [a["kenmerk"]]
    # Someone outside the casusteam finds nothing, not even that it exists.
    assert (
        ok(await api("joost").post("/api/v1/casussen/_zoek", json={"bsn": DEMO_BSNS[0]}))["results"]
        == []
    )


async def test_casus_is_invisible_outside_the_casusteam(api: Api) -> None:
    casus = await nieuwe_casus(api("sanne"))
    url = f"/api/v1/casussen/{casus['kenmerk']}"
    for wie in ("joost", "marieke", "fatima", "bram", "lotte"):
        probleem(await api(wie).get(url), 404, "niet-gevonden")
        assert ok(await api(wie).get("/api/v1/casussen"))["results"] == []
    # Same answer as for a kenmerk that does not exist.
    probleem(await api("sanne").get("/api/v1/casussen/DB-2020-0001"), 404, "niet-gevonden")


async def test_patch_needs_if_match_and_refuses_stale_versions(api: Api) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client)
    url = f"/api/v1/casussen/{casus['kenmerk']}"
    probleem(await client.patch(url, json={"titel": "Nieuw"}), 428, "if-match-ontbreekt")
    r = await client.patch(
        url,
        json={"titel": "Nieuw"},
        headers={"If-Match": '"1"', "X-Audit-Toelichting": "titel verduidelijkt"},
    )
    assert ok(r)["titel"] == "Nieuw"
    assert r.headers["ETag"] == '"2"'
    probleem(
        await client.patch(url, json={"titel": "Ander"}, headers={"If-Match": '"1"'}),
        412,
        "versie-conflict",
    )
    laatste = ok(await client.get(f"{url}/tijdlijn"))["results"][-1]
    assert laatste["actie"] == "casus.gewijzigd"
    assert laatste["wijzigingen"] == {"titel": {"oud": "Lekkende huurwoning", "nieuw": "Nieuw"}}
    assert laatste["toelichting"] == "titel verduidelijkt"


async def test_patch_refuses_clearing_required_fields(api: Api) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client)
    r = await client.patch(
        f"/api/v1/casussen/{casus['kenmerk']}", json={"titel": None}, headers={"If-Match": '"1"'}
    )
    probleem(r, 400)


async def test_list_pages_with_a_cursor_in_a_stable_order(api: Api) -> None:
    client = api("sanne")
    kenmerken = [(await nieuwe_casus(client, titel=f"Casus {i}"))["kenmerk"] for i in range(25)]
    gezien: list[str] = []
    url: str | None = "/api/v1/casussen?limit=10"
    paginas = 0
    while url:
        pagina = ok(await client.get(url))
        gezien += [c["kenmerk"] for c in pagina["results"]]
        url = pagina["next"]
        paginas += 1
    assert paginas == 3
    assert gezien == list(reversed(kenmerken))


async def test_list_filters(api: Api) -> None:
    client = api("sanne")
    hoog = await nieuwe_casus(client, titel="Schimmel in de badkamer", urgentie="hoog")
    laag = await nieuwe_casus(client, titel="Schulden en werk", urgentie="laag")

    async def kenmerken(**params: str) -> list[str]:
        return [
            c["kenmerk"] for c in ok(await client.get("/api/v1/casussen", params=params))["results"]
        ]

    assert await kenmerken(urgentie="hoog") == [hoog["kenmerk"]]
    assert await kenmerken(zoek="schimmel") == [hoog["kenmerk"]]
    assert await kenmerken(zoek="100%") == []
    assert await kenmerken(fase="aangemeld") == [laag["kenmerk"], hoog["kenmerk"]]
    assert await kenmerken(fase="maatwerk") == []
    assert await kenmerken(open="true") == [laag["kenmerk"], hoog["kenmerk"]]
    assert await kenmerken(open="false") == []
    assert await kenmerken(aangemeldVanaf="2000-01-01") == [laag["kenmerk"], hoog["kenmerk"]]
    assert await kenmerken(aangemeldTot="2000-01-01") == []
    ok(
        await client.post(
            f"/api/v1/casussen/{hoog['kenmerk']}/deelnames", json={"afdeling": "vastgoed"}
        ),
        201,
    )
    assert await kenmerken(afdeling="vastgoed") == [hoog["kenmerk"]]
    ok(
        await client.post(
            f"/api/v1/casussen/{laag['kenmerk']}/regie", json={"medewerker": mid("karim")}
        ),
        201,
    )
    assert await kenmerken(regiehouder=mid("karim")) == [laag["kenmerk"]]
    probleem(await client.get("/api/v1/casussen", params={"fase": "onbekend"}), 400)


async def test_twenty_concurrent_creates_get_consecutive_kenmerken(api: Api) -> None:
    client = api("sanne")
    antwoorden = await asyncio.gather(
        *[client.post("/api/v1/casussen", json={"titel": f"Gelijktijdig {i}"}) for i in range(20)]
    )
    assert [r.status_code for r in antwoorden] == [201] * 20
    nummers = sorted(int(r.json()["kenmerk"].rsplit("-", 1)[1]) for r in antwoorden)
    assert nummers == list(range(1, 21)), "no gap, no duplicate"
