"""Permission sets (`toegestaneActies`) equal what the endpoints do.

For every persona and every object kind of a seeded casus: read the set the API gives the
persona, then try each action; it must succeed (2xx) exactly when the set said it is allowed, and
when refused, answer with the status and code the set named. Someone who cannot see the casus
gets no set and 404 on every action.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models.enums import Rol
from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, ok, rugdekking
from tests.personas import PERSONAS, Persona, medewerker
from tests.test_rugdekkingsverzoeken import _als, _antwoord, _opzet, _stuur, houder_id

# A casusregisseur outside every casus: actions that name a medewerker name this one, so trying
# them never changes what the personas themselves may do.
DERDE = Persona("derde", "Derde Regisseur", "schuldhulp", (Rol.medewerker, Rol.casusregisseur))
DOEL = {"X-Doelbinding": "Controle van de toegestane acties"}

Poging = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


async def _wijzigen(client: httpx.AsyncClient, k: str) -> httpx.Response:
    r = await client.get(f"/api/v1/casussen/{k}", headers=DOEL)
    etag = r.headers.get("ETag", '"1"')
    return await client.patch(
        f"/api/v1/casussen/{k}",
        json={"situatie": "Het dak lekt nog steeds."},
        headers={"If-Match": etag, **DOEL},
    )


async def _team_beheren(client: httpx.AsyncClient, k: str) -> httpx.Response:
    r = await client.post(
        f"/api/v1/casussen/{k}/team", json={"medewerker": str(DERDE.id)}, headers=DOEL
    )
    if r.is_success:
        # Back as it was, by the same hand (the right covers removing too).
        weg = await client.delete(f"/api/v1/casussen/{k}/team/{DERDE.id}", headers=DOEL)
        assert weg.status_code == 204, weg.text
    return r


async def _fase_wijzigen(client: httpx.AsyncClient, k: str) -> httpx.Response:
    r = await client.post(
        f"/api/v1/casussen/{k}/fase-overgangen",
        json={"naar": "afpellen", "toelichting": "Nog een knelpunt uitzoeken."},
        headers=DOEL,
    )
    if r.is_success:
        ok(
            await client.post(f"/api/v1/casussen/{k}/fase-overgangen", json={"naar": "maatwerk"}),
            201,
        )
    return r


async def _regie_toewijzen(client: httpx.AsyncClient, k: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/casussen/{k}/regie",
        json={
            "medewerker": str(DERDE.id),
            "reden": "Overdracht",
            "overdrachtsnotitie": "Alles staat in de tijdlijn.",
        },
        headers=DOEL,
    )


# Last the one that changes who has regie (the set is read again before every action anyway).
CASUS_ACTIES: list[tuple[str, Poging]] = [
    ("wijzigen", _wijzigen),
    ("teamBeheren", _team_beheren),
    ("faseWijzigen", _fase_wijzigen),
    ("regieToewijzen", _regie_toewijzen),
]


async def _set(client: httpx.AsyncClient, k: str) -> dict[str, Any] | None:
    r = await client.get(f"/api/v1/casussen/{k}", headers=DOEL)
    if r.status_code == 404:
        return None
    acties: dict[str, Any] = ok(r)["toegestaneActies"]
    return acties


def _klopt(actie: str, oordeel: dict[str, Any] | None, antwoord: httpx.Response) -> str | None:
    """None when the answer is what the set said; otherwise what differs."""
    if oordeel is None:
        return (
            None if antwoord.status_code == 404 else f"{actie}: no set, yet {antwoord.status_code}"
        )
    if oordeel["toegestaan"]:
        return None if antwoord.is_success else f"{actie}: allowed, yet {antwoord.text}"
    if antwoord.is_success:
        return f"{actie}: refused ({oordeel['code']}), yet {antwoord.status_code}"
    if antwoord.status_code not in (403, 409):
        return f"{actie}: refused, answered {antwoord.status_code} {antwoord.text}"
    return None


@pytest.fixture
async def derde(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session:
        await medewerker(session, DERDE)
        await session.commit()


@pytest.mark.parametrize("persona", [p.sleutel for p in PERSONAS])
async def test_the_casus_set_equals_what_the_endpoints_allow(
    api: Api, derde: None, persona: str
) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    client = api(persona)
    verschillen: list[str] = []
    gezien: dict[str, bool] = {}
    for actie, poging in CASUS_ACTIES:
        acties = await _set(client, k)
        oordeel = None if acties is None else acties[actie]
        antwoord = await poging(client, k)
        if (fout := _klopt(actie, oordeel, antwoord)) is not None:
            verschillen.append(fout)
        if oordeel is not None:
            gezien[actie] = oordeel["toegestaan"]
            if not oordeel["toegestaan"]:
                assert antwoord.json()["code"] == oordeel["code"], (actie, antwoord.text)
    assert verschillen == []
    # The seeded case gives the regiehouder every right and outsiders none.
    if persona == "karim":
        assert all(gezien.values()) and len(gezien) == len(CASUS_ACTIES)
    if persona in ("eva", "fatima", "bram"):
        assert gezien == {}


async def test_a_closed_casus_says_why_it_refuses_changes(api: Api) -> None:
    karim = api("karim")
    k = (await casus_in_maatwerk(api))["kenmerk"]
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/fase-overgangen",
            json={"naar": "afgesloten", "afsluitreden": "ingetrokken", "toelichting": "Verhuisd."},
        ),
        201,
    )
    acties = ok(await karim.get(f"/api/v1/casussen/{k}"))["toegestaneActies"]
    assert acties["wijzigen"] == {
        "toegestaan": False,
        "code": "casus-gesloten",
        "reden": "De casus is afgesloten en alleen nog te lezen.",
    }
    assert acties["heropenen"]["toegestaan"] is True
    r = await _wijzigen(karim, k)
    assert (r.status_code, r.json()["code"]) == (409, "casus-gesloten")
    # Someone else on the team, without the right to reopen, is told so.
    sanne = ok(await api("sanne").get(f"/api/v1/casussen/{k}"))["toegestaneActies"]
    assert sanne["heropenen"]["toegestaan"] is False
    r = await api("sanne").post(
        f"/api/v1/casussen/{k}/fase-overgangen", json={"naar": "evaluatie", "toelichting": "x"}
    )
    assert r.status_code == 403


# --- the parts of a casus: stap, leerpunt, deelname ------------------------------------------


async def _onderdelen(api: Api) -> str:
    """The seeded casus with a stap, a leerpunt and a deelname without contactpersoon."""
    karim = api("karim")
    k = (await casus_in_maatwerk(api))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await karim.post(f"{basis}/stappen", json={"titel": "Offertes opvragen"}), 201)
    ok(
        await karim.post(f"{basis}/leerpunten", json={"soort": "succes", "tekst": "Snel gebeld"}),
        201,
    )
    ok(await karim.post(f"{basis}/deelnames", json={"afdeling": "schuldhulp"}), 201)
    return k


async def _patch(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> httpx.Response:
    r = await client.get(url, headers=DOEL)
    etag = r.headers.get("ETag", '"1"')
    return await client.patch(url, json=body, headers={"If-Match": etag, **DOEL})


async def _deelname_weg(
    client: httpx.AsyncClient, url: str, body: dict[str, Any]
) -> httpx.Response:
    r = await client.get(url, headers=DOEL)
    antwoord = await client.delete(url, headers={"If-Match": r.headers.get("ETag", '"1"'), **DOEL})
    return antwoord


OnderdeelPoging = Callable[[httpx.AsyncClient, str, dict[str, Any]], Awaitable[httpx.Response]]
# kind: (list path, path of the one part, [(action, try, body)])
ONDERDELEN: dict[
    str,
    tuple[str, Callable[[dict[str, Any]], str], list[tuple[str, OnderdeelPoging, dict[str, Any]]]],
] = {
    "stap": (
        "stappen",
        lambda s: f"stappen/{s['id']}",
        [("wijzigen", _patch, {"bevinding": "Twee offertes binnen."})],
    ),
    "leerpunt": (
        "leerpunten",
        lambda lp: f"leerpunten/{lp['id']}",
        [("wijzigen", _patch, {"voorWie": "Team inkoop"})],
    ),
    "deelname": (
        "deelnames",
        lambda d: f"deelnames/{d['afdeling']}",
        [
            ("wijzigen", _patch, {"standpunt": "Wij betalen mee."}),
            ("verwijderen", _deelname_weg, {}),
        ],
    ),
}


@pytest.mark.parametrize("persona", [p.sleutel for p in PERSONAS])
async def test_the_sets_of_stap_leerpunt_and_deelname_equal_what_the_endpoints_allow(
    api: Api, persona: str
) -> None:
    k = await _onderdelen(api)
    basis = f"/api/v1/casussen/{k}"
    client = api(persona)
    verschillen: list[str] = []
    getoetst = 0
    for soort, (lijst, pad, acties) in ONDERDELEN.items():
        r = await client.get(f"{basis}/{lijst}", headers=DOEL)
        onderdelen = None if r.status_code == 404 else ok(r)["results"]
        if soort == "deelname" and onderdelen is not None:
            onderdelen = [d for d in onderdelen if d["afdeling"] == "schuldhulp"]
        karim = ok(await api("karim").get(f"{basis}/{lijst}"))["results"]
        doel = next(o for o in karim if soort != "deelname" or o["afdeling"] == "schuldhulp")
        for actie, poging, body in acties:
            oordeel = None if onderdelen is None else onderdelen[0]["toegestaneActies"][actie]
            antwoord = await poging(client, f"{basis}/{pad(doel)}", body)
            if (fout := _klopt(f"{soort}.{actie}", oordeel, antwoord)) is not None:
                verschillen.append(fout)
            if oordeel is not None and not oordeel["toegestaan"]:
                assert antwoord.json()["code"] == oordeel["code"], (soort, actie, antwoord.text)
            getoetst += 1
    assert verschillen == []
    assert getoetst == 4


@pytest.mark.parametrize("persona", [p.sleutel for p in PERSONAS])
async def test_the_work_list_across_casussen_carries_the_stap_sets_of_the_casus_list(
    api: Api, persona: str
) -> None:
    """GET /stappen gives each stap the set the casus's own stap list gives it, for a closed
    casus (nothing to change) as for an open one."""
    k = await _onderdelen(api)
    karim = api("karim")
    gesloten = (await casus_in_maatwerk(api))["kenmerk"]
    ok(await karim.post(f"/api/v1/casussen/{gesloten}/stappen", json={"titel": "Bellen"}), 201)
    ok(
        await karim.post(
            f"/api/v1/casussen/{gesloten}/fase-overgangen",
            json={"naar": "afgesloten", "afsluitreden": "ingetrokken", "toelichting": "Verhuisd."},
        ),
        201,
    )
    client = api(persona)
    werklijst = ok(await client.get("/api/v1/stappen", params={"limit": 100}, headers=DOEL))
    per_casus: dict[str, Any] = {}
    for kenmerk in (k, gesloten):
        r = await client.get(f"/api/v1/casussen/{kenmerk}/stappen", headers=DOEL)
        for s in [] if r.status_code == 404 else ok(r)["results"]:
            per_casus[s["id"]] = s["toegestaneActies"]
    gezien = {s["id"]: s["toegestaneActies"] for s in werklijst["results"]}
    assert gezien == {i: per_casus.get(i) for i in gezien}
    assert all(a is not None for a in gezien.values())
    if persona == "lotte":
        # The auditor reads a casus for a stated purpose, but has no work list across them.
        assert gezien == {}
    else:
        assert gezien.keys() == per_casus.keys()
    if persona == "karim":
        assert len(gezien) == 2
        # One open casus, one closed: one stap to change, one not.
        assert sorted(a["wijzigen"]["toegestaan"] for a in gezien.values()) == [False, True]


async def _probeer_in_volgorde(
    client: httpx.AsyncClient,
    pad: str,
    pogingen: list[tuple[str, Callable[[], Awaitable[httpx.Response]]]],
) -> dict[str, Any]:
    """Each action in turn: read the object's set at `pad`, try the action, and hold the answer
    to what the set said (2xx exactly when allowed; a refusal with the set's code). Returns the
    sets seen, per action."""
    verschillen: list[str] = []
    gezien: dict[str, Any] = {}
    for actie, poging in pogingen:
        r = await client.get(pad)
        oordeel = None if r.status_code == 404 else ok(r)["toegestaneActies"][actie]
        antwoord = await poging()
        if (fout := _klopt(actie, oordeel, antwoord)) is not None:
            verschillen.append(fout)
        if oordeel is not None:
            gezien[actie] = oordeel
            if not oordeel["toegestaan"]:
                assert antwoord.json()["code"] == oordeel["code"], (actie, antwoord.text)
    assert verschillen == []
    return gezien


# --- a rugdekkingsverzoek about an afwijking buiten kader ---------------------------------------


async def _dekken(client: httpx.AsyncClient, verzoek: str) -> httpx.Response:
    return await _antwoord(client, verzoek, "gedekt")


async def _afwijzen(client: httpx.AsyncClient, verzoek: str) -> httpx.Response:
    return await _antwoord(client, verzoek, "afgewezen")


async def _verzoek_intrekken(client: httpx.AsyncClient, verzoek: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/rugdekkingsverzoeken/{verzoek}/intrekken", json={"reden": "Toch niet."}
    )


# Gedekt first (refused while the bestuur has not decided), then the answers that close it.
VERZOEK_ACTIES: list[tuple[str, Poging]] = [
    ("dekken", _dekken),
    ("beantwoorden", _afwijzen),
    ("intrekken", _verzoek_intrekken),
]


@pytest.mark.parametrize("wie", ["wim", "karim", "sanne", "peter", "joost"])
async def test_the_set_of_a_verzoek_buiten_kader_says_gedekt_waits_for_the_bestuur(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession], wie: str
) -> None:
    _, _, a, _ = await _opzet(
        api, db, grondslag="buiten_kader", risico="laag", financieelBelangCent=10_000
    )
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    pad = f"/api/v1/rugdekkingsverzoeken/{rv['id']}"
    async with _als(app, "wim") as wim:
        client = wim if wie == "wim" else api(wie)
        gezien = await _probeer_in_volgorde(
            client, pad, [(actie, partial(p, client, rv["id"])) for actie, p in VERZOEK_ACTIES]
        )
    if wie == "wim":
        # The addressee may answer, but not gedekt: that waits for the bestuur, with the reason.
        assert gezien["beantwoorden"]["toegestaan"] is True
        assert gezien["dekken"]["toegestaan"] is False
        assert gezien["dekken"]["code"] == "bestuur-escalatie-vereist"
        assert "bestuur" in gezien["dekken"]["reden"]
    if wie == "karim":
        assert gezien["dekken"]["code"] == "niet-geadresseerd"
        assert gezien["intrekken"]["toegestaan"] is True


async def test_after_the_bestuur_granted_it_the_set_allows_gedekt(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, _, a, _ = await _opzet(
        api, db, grondslag="buiten_kader", risico="laag", financieelBelangCent=10_000
    )
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    basis = f"/api/v1/casussen/{k}"
    e = ok(
        await api("karim").post(
            f"{basis}/escalaties",
            json={
                "niveau": "bestuur",
                "reden": "Buiten kader.",
                "betreft": {"afwijkingen": [a["id"]]},
            },
        ),
        201,
    )
    r = await api("peter").get(f"{basis}/escalaties/{e['id']}")
    ok(
        await api("peter").patch(
            f"{basis}/escalaties/{e['id']}",
            json={"uitkomst": {"soort": "toegekend", "referentie": "Collegebesluit 2026-12"}},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    async with _als(app, "wim") as wim:
        lijst = ok(await wim.get("/api/v1/rugdekkingsverzoeken", params={"aan": "ik"}))
        assert lijst["results"][0]["toegestaneActies"]["dekken"]["toegestaan"] is True
        assert ok(await _dekken(wim, rv["id"]))["oordeel"] == "gedekt"


# --- the afwijking's own set, buiten kader -----------------------------------------------------


async def _afwijking_dekken(client: httpx.AsyncClient, k: str, a: str) -> httpx.Response:
    return await rugdekking(client, k, a, "gedekt")


async def _afwijking_afwijzen(client: httpx.AsyncClient, k: str, a: str) -> httpx.Response:
    return await rugdekking(client, k, a, "afgewezen")


# Gedekt first (refused while the bestuur has not decided), then afgewezen, which closes it.
AFWIJKING_ACTIES: list[
    tuple[str, Callable[[httpx.AsyncClient, str, str], Awaitable[httpx.Response]]]
] = [
    ("dekken", _afwijking_dekken),
    ("rugdekkingGeven", _afwijking_afwijzen),
]


@pytest.mark.parametrize("wie", ["peter", "marieke", "karim", "sanne", "joost"])
async def test_the_set_of_an_afwijking_buiten_kader_says_gedekt_waits_for_the_bestuur(
    api: Api, db: async_sessionmaker[AsyncSession], wie: str
) -> None:
    """The casus page's rugdekking form follows `dekken`: a mandate holder who sees the casus
    is offered afgewezen only, and gedekt answers what the set said."""
    k, _, a, _ = await _opzet(
        api, db, grondslag="buiten_kader", risico="laag", financieelBelangCent=10_000
    )
    client = api(wie)
    pad = f"/api/v1/casussen/{k}/afwijkingen/{a['id']}"
    gezien = await _probeer_in_volgorde(
        client, pad, [(actie, partial(p, client, k, a["id"])) for actie, p in AFWIJKING_ACTIES]
    )
    if wie in ("peter", "marieke"):
        # Leidinggevenden with a mandaat that covers it may refuse it, not cover it: that
        # waits for the bestuur, and the set says so with the reason.
        assert gezien["rugdekkingGeven"]["toegestaan"] is True
        assert gezien["dekken"]["toegestaan"] is False
        assert gezien["dekken"]["code"] == "bestuur-escalatie-vereist"
        assert "bestuur" in gezien["dekken"]["reden"]
