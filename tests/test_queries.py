"""Query discipline: the number of SQL statements of every list and detail endpoint is pinned,
and the same for 2 and for 12 items (no N+1).

Counts are relative to `GET /ik` (authentication plus the request's logboek entry: the same for
every request, and different per database: PostgreSQL takes an advisory lock, SQLite begins with
BEGIN IMMEDIATE). Every GET route must have a row here, or the first test fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import event

from doorbraak.auth.cache import alles_legen
from tests.conftest import IS_POSTGRES, Api
from tests.helpers import mid, nieuwe_casus, ok

# Shared verhalen pass the Dutch de-identification (deduce, warmed up once per session).
pytestmark = pytest.mark.usefixtures("deduce_gereed")


@dataclass
class Teller:
    aantal: int = 0
    statements: list[str] | None = None


@contextmanager
def tel_sql(app: Any) -> Iterator[Teller]:
    """Counts the statements the app's engine sends while the block runs."""
    teller = Teller(statements=[])
    engine = app.state.engine.sync_engine

    def _voor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):
            # SQLite's BEGIN IMMEDIATE (db.py) is sent as a statement, PostgreSQL's BEGIN is
            # not: neither is a query. Not counted, so both databases count alike, and a
            # request whose token came from the cache (no query of its own) is no exception.
            return
        teller.aantal += 1
        assert teller.statements is not None
        teller.statements.append(statement.split("\n")[0][:120])

    event.listen(engine, "before_cursor_execute", _voor)
    try:
        yield teller
    finally:
        event.remove(engine, "before_cursor_execute", _voor)


@dataclass
class Data:
    kenmerk: str
    ids: dict[str, str]


async def vul(api: Api, n: int) -> Data:
    """n of everything: casussen, afdelingen, medewerkers, regels, and on one casus n parts of
    every kind (deelnames, team, escalaties, betrokkenen, stappen, knelpunten, besluiten with a
    reactie, afwijkingen, leerpunten)."""
    bram, sanne, karim = api("bram"), api("sanne"), api("karim")
    regels = []
    for i in range(n):
        ok(await bram.post("/api/v1/afdelingen", json={"code": f"afd-{i}", "naam": f"A {i}"}), 201)
        ok(
            await bram.post(
                "/api/v1/medewerkers",
                json={
                    "naam": f"Medewerker {i}",
                    "email": f"m{i}@gemeente.example",
                    "afdeling": "wonen",
                    "rollen": ["medewerker"],
                },
            ),
            201,
        )
        regels.append(
            ok(
                await bram.post(
                    "/api/v1/regels",
                    json={
                        "titel": f"Regel {i}",
                        "regeling": "R",
                        "artikel": str(i),
                        "soort": "wet",
                    },
                ),
                201,
            )
        )
    kenmerken = []
    for _ in range(n):
        k = (await nieuwe_casus(sanne))["kenmerk"]
        ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
        kenmerken.append(k)
    k = kenmerken[0]
    b = f"/api/v1/casussen/{k}"
    medewerkers = ok(await bram.get("/api/v1/medewerkers?limit=100"))["results"]
    ok(
        await karim.post(
            f"{b}/deelnames", json={"afdeling": "sociaal-domein", "contactpersoon": mid("karim")}
        ),
        201,
    )
    ids: dict[str, str] = {"regel": regels[0]["id"]}
    ok(
        await bram.post(
            "/api/v1/externe-partijen", json={"code": "uwv", "naam": "UWV", "soort": "uwv"}
        ),
        201,
    )
    ok(await karim.post(f"{b}/partijdeelnames", json={"partij": "uwv"}), 201)
    for i in range(n):
        ids["huishoudlid"] = ok(
            await karim.post(f"{b}/huishoudleden", json={"naamOfRol": f"Lid {i}"}), 201
        )["id"]
        ids["doel"] = ok(
            await karim.post(
                f"{b}/doelen",
                json={"leefgebied": "wonen", "tekst": "d", "gezegdDoor": ids["huishoudlid"]},
            ),
            201,
        )["id"]
        ids["afspraak"] = ok(
            await karim.post(
                f"{b}/afspraken",
                json={
                    "tekst": "a",
                    "externePartij": "uwv" if i % 2 else None,
                    "huishoudlid": None if i % 2 else ids["huishoudlid"],
                },
            ),
            201,
        )["id"]
        ok(
            await karim.post(
                f"{b}/stappen",
                json={
                    "titel": f"N {i}",
                    "soort": "nazorg",
                    "eigenaar": mid("karim"),
                    "deadlineDatum": "2026-01-01",
                    "externePartij": None,
                },
            ),
            201,
        )
        ok(await karim.post(f"{b}/deelnames", json={"afdeling": f"afd-{i}"}), 201)
        m = next(x for x in medewerkers if x["naam"] == f"Medewerker {i}")
        ok(await karim.post(f"{b}/team", json={"medewerker": m["id"]}), 201)
        ids["escalatie"] = ok(
            await karim.post(f"{b}/escalaties", json={"niveau": "team", "reden": "r"}), 201
        )["id"]
        ids["betrokkene"] = ok(
            await karim.post(
                f"{b}/betrokkenen",
                json={"organisatie": "O", "leefgebied": "wonen", "kostenPerJaarCent": 5},
            ),
            201,
        )["id"]
        ids["stap"] = ok(
            await karim.post(f"{b}/stappen", json={"titel": f"S {i}", "eigenaar": mid("karim")}),
            201,
        )["id"]
        ids["knelpunt"] = ok(
            await karim.post(
                f"{b}/knelpunten",
                json={
                    "soort": "regel",
                    "niveau": "systeem",
                    "omschrijving": "K",
                    "regel": regels[i]["id"],
                },
            ),
            201,
        )["id"]
        besluit = ok(
            await karim.post(
                f"{b}/besluiten",
                json={
                    "omschrijving": "B",
                    "motivering": "M",
                    "noodmaatregel": True,
                    "noodmaatregelReden": "Nu",
                },
            ),
            201,
        )["id"]
        ids["besluit"] = besluit
        ok(
            await karim.post(
                f"{b}/besluiten/{besluit}/reacties",
                json={"afdeling": "sociaal-domein", "reactie": "akkoord"},
            ),
            201,
        )
        ids["afwijking"] = ok(
            await karim.post(
                f"{b}/afwijkingen",
                json={
                    "besluit": besluit,
                    "regel": regels[i]["id"],
                    "watDeRegelZegt": "R",
                    "watWeDoen": "W",
                    "grondslag": "buiten_kader",
                    "motivering": "M",
                    "waardentoets": {
                        "legitimiteit": "L",
                        "rendement": "R",
                        "betrokkenheid": "B",
                    },
                    "risico": "laag",
                    "financieelBelangCent": 100,
                    "beleidssignaal": True,
                },
            ),
            201,
        )["id"]
        ids["rugdekkingsverzoek"] = ok(
            await karim.post(
                "/api/v1/rugdekkingsverzoeken",
                json={"afwijking": ids["afwijking"], "aan": mid("marieke")},
            ),
            201,
        )["id"]
        ids["leerpunt"] = ok(
            await karim.post(f"{b}/leerpunten", json={"soort": "systeem", "tekst": "T"}), 201
        )["id"]
        ok(await karim.post(f"{b}/notities", json={"tekst": f"Notitie {i} voor @sanne"}), 201)
        ids["bijlage"] = ok(
            await karim.post(
                f"{b}/bijlagen", files={"bestand": (f"b{i}.txt", b"Verslag\n", "text/plain")}
            ),
            201,
        )["id"]
        ok(
            await karim.post(
                f"{b}/leerpunten",
                json={
                    "soort": "succes",
                    "tekst": "Goed",
                    "delen": True,
                    "toestemmingHuishouden": True,
                },
            ),
            201,
        )
    for _ in range(n):
        verzoek = await bram.post(
            "/api/v1/rechtenverzoeken",
            json={"medewerker": mid("karim"), "rollen": ["auditor"], "toelichting": "Audit."},
        )
        ids["rechtenverzoek"] = ok(verzoek, 201)["id"]
    for _ in range(n):
        run = await bram.post("/api/v1/exports", json={"modus": "volledig"})
        assert run.status_code == 202, run.text
        ids["export"] = run.json()["id"]
    return Data(k, ids)


# route -> (persona, path from the data, statements beyond GET /ik)
Pad = Callable[[Data], str]
B: Pad = lambda d: f"/api/v1/casussen/{d.kenmerk}"  # noqa: E731
ROUTES: dict[str, tuple[str, Pad, int]] = {
    "/ik": ("karim", lambda d: "/api/v1/ik", 0),
    "/afdelingen": ("bram", lambda d: "/api/v1/afdelingen?limit=100", 1),
    "/afdelingen/{code}": ("bram", lambda d: "/api/v1/afdelingen/afd-1", 1),
    "/medewerkers": ("bram", lambda d: "/api/v1/medewerkers?limit=100", 1),
    "/medewerkers/{id}": ("bram", lambda d: f"/api/v1/medewerkers/{mid('karim')}", 1),
    "/regels": ("bram", lambda d: "/api/v1/regels?limit=100", 1),
    "/regels/{id}": ("bram", lambda d: f"/api/v1/regels/{d.ids['regel']}", 1),
    "/casussen": ("karim", lambda d: "/api/v1/casussen?limit=100", 1),
    "/casussen/{kenmerk}": ("karim", B, 3),
    "/casussen/{kenmerk}/fase-overgangen": ("karim", lambda d: f"{B(d)}/fase-overgangen", 2),
    "/casussen/{kenmerk}/tijdlijn": ("karim", lambda d: f"{B(d)}/tijdlijn?limit=100", 2),
    "/casussen/{kenmerk}/team": ("karim", lambda d: f"{B(d)}/team", 2),
    "/casussen/{kenmerk}/regie": ("karim", lambda d: f"{B(d)}/regie", 3),
    "/casussen/{kenmerk}/deelnames": ("karim", lambda d: f"{B(d)}/deelnames?limit=100", 3),
    "/casussen/{kenmerk}/deelnames/{afdelingCode}": (
        "karim",
        lambda d: f"{B(d)}/deelnames/afd-1",
        2,
    ),
    # Escalaties, what they concern (afwijkingen), their corrections, the people.
    "/casussen/{kenmerk}/escalaties": ("karim", lambda d: f"{B(d)}/escalaties?limit=100", 5),
    "/casussen/{kenmerk}/escalaties/{id}": (
        "karim",
        lambda d: f"{B(d)}/escalaties/{d.ids['escalatie']}",
        5,
    ),
    "/casussen/{kenmerk}/betrokkenen": ("karim", lambda d: f"{B(d)}/betrokkenen?limit=100", 2),
    "/casussen/{kenmerk}/betrokkenen/{id}": (
        "karim",
        lambda d: f"{B(d)}/betrokkenen/{d.ids['betrokkene']}",
        2,
    ),
    # The ledger in force, the nulmeting, the besluiten and their cost shares, the people.
    "/casussen/{kenmerk}/kosten": ("karim", lambda d: f"{B(d)}/kosten", 6),
    "/casussen/{kenmerk}/kostenregels": ("karim", lambda d: f"{B(d)}/kostenregels?limit=100", 3),
    # Everything the summary shows, read through the same read modules as the API.
    # Every part of the casus through its read module, the perspectiefplan and the parties
    # included, and the logboek entry of the generation.
    "/casussen/{kenmerk}/samenvatting": ("karim", lambda d: f"{B(d)}/samenvatting", 31),
    # The summary's reads plus the escalaties the bestuur decided (their afwijkingen,
    # corrections, people and who may handle them: regie/lezen.escalaties_uit).
    "/casussen/{kenmerk}/bestuursmemo": ("karim", lambda d: f"{B(d)}/bestuursmemo", 35),
    "/stappen": ("karim", lambda d: "/api/v1/stappen?limit=100", 2),
    "/casussen/{kenmerk}/stappen": ("karim", lambda d: f"{B(d)}/stappen?limit=100", 3),
    "/casussen/{kenmerk}/stappen/{id}": ("karim", lambda d: f"{B(d)}/stappen/{d.ids['stap']}", 3),
    "/casussen/{kenmerk}/knelpunten": ("karim", lambda d: f"{B(d)}/knelpunten?limit=100", 2),
    "/casussen/{kenmerk}/knelpunten/{id}": (
        "karim",
        lambda d: f"{B(d)}/knelpunten/{d.ids['knelpunt']}",
        2,
    ),
    # Besluiten, reacties, overslagen, cost shares, participating afdelingen, the people.
    "/casussen/{kenmerk}/besluiten": ("karim", lambda d: f"{B(d)}/besluiten?limit=100", 7),
    "/casussen/{kenmerk}/besluiten/{id}": (
        "karim",
        lambda d: f"{B(d)}/besluiten/{d.ids['besluit']}",
        7,
    ),
    # Afwijkingen, people, and for the permission set their besluiten, the casus's regie and
    # the open rugdekkingsverzoeken; beleid's outcome of the flagged ones (one query); the
    # bestuur's grants of the buiten_kader ones among them (`dekken`; none without one).
    "/casussen/{kenmerk}/afwijkingen": ("karim", lambda d: f"{B(d)}/afwijkingen?limit=100", 8),
    "/casussen/{kenmerk}/afwijkingen/{id}": (
        "karim",
        lambda d: f"{B(d)}/afwijkingen/{d.ids['afwijking']}",
        8,
    ),
    # The mandate holders, the besluit's involved people and any reconsideration.
    "/casussen/{kenmerk}/afwijkingen/{id}/kandidaten": (
        "karim",
        lambda d: f"{B(d)}/afwijkingen/{d.ids['afwijking']}/kandidaten",
        5,
    ),
    # The inbox of a mandate holder: the verzoeken with casus, afwijking and regel, the people,
    # and (the seeded afwijkingen are buiten_kader) which of them the bestuur granted, one query.
    "/rugdekkingsverzoeken": (
        "marieke",
        lambda d: "/api/v1/rugdekkingsverzoeken?aan=ik&limit=100",
        3,
    ),
    "/rugdekkingsverzoeken/{id}": (
        "marieke",
        lambda d: f"/api/v1/rugdekkingsverzoeken/{d.ids['rugdekkingsverzoek']}",
        6,
    ),
    "/casussen/{kenmerk}/leerpunten": ("karim", lambda d: f"{B(d)}/leerpunten?limit=100", 3),
    "/casussen/{kenmerk}/leerpunten/{id}": (
        "karim",
        lambda d: f"{B(d)}/leerpunten/{d.ids['leerpunt']}",
        3,
    ),
    "/verhalen": ("karim", lambda d: "/api/v1/verhalen?limit=100", 1),
    # The plan: members, doelen, afspraken, the parties and members the afspraken name.
    "/casussen/{kenmerk}/perspectiefplan": ("karim", lambda d: f"{B(d)}/perspectiefplan", 6),
    "/casussen/{kenmerk}/huishoudleden/{id}": (
        "karim",
        lambda d: f"{B(d)}/huishoudleden/{d.ids['huishoudlid']}",
        2,
    ),
    "/casussen/{kenmerk}/doelen/{id}": ("karim", lambda d: f"{B(d)}/doelen/{d.ids['doel']}", 3),
    "/casussen/{kenmerk}/afspraken/{id}": (
        "karim",
        lambda d: f"{B(d)}/afspraken/{d.ids['afspraak']}",
        3,
    ),
    "/casussen/{kenmerk}/partijdeelnames": ("karim", lambda d: f"{B(d)}/partijdeelnames", 3),
    "/casussen/{kenmerk}/partijdeelnames/{partijCode}": (
        "karim",
        lambda d: f"{B(d)}/partijdeelnames/uwv",
        4,
    ),
    "/externe-partijen": ("karim", lambda d: "/api/v1/externe-partijen?limit=100", 1),
    "/externe-partijen/{code}": ("karim", lambda d: "/api/v1/externe-partijen/uwv", 1),
    "/nazorgmomenten": ("karim", lambda d: "/api/v1/nazorgmomenten", 2),
    # One query per source that applies to a leidinggevende with a mandaat (not beleid's), the
    # nazorg moments with their owners, the verzoeken addressed to him with their people.
    "/inbox": ("peter", lambda d: "/api/v1/inbox?limit=100", 11),
    "/inbox/telling": ("peter", lambda d: "/api/v1/inbox/telling", 11),
    "/ik/meldingvoorkeur": ("karim", lambda d: "/api/v1/ik/meldingvoorkeur", 1),
    # The casus, its notes, their vermeldingen and the people: one query each.
    "/casussen/{kenmerk}/notities": ("karim", lambda d: f"{B(d)}/notities?limit=100", 4),
    # The casus, its bijlagen (without their content), the people who added them.
    "/casussen/{kenmerk}/bijlagen": ("karim", lambda d: f"{B(d)}/bijlagen?limit=100", 3),
    "/casussen/{kenmerk}/bijlagen/{id}": (
        "karim",
        lambda d: f"{B(d)}/bijlagen/{d.ids['bijlage']}",
        3,
    ),
    # The casus, the bijlage, its content, and the tijdlijn entry of the download.
    "/casussen/{kenmerk}/bijlagen/{id}/inhoud": (
        "karim",
        lambda d: f"{B(d)}/bijlagen/{d.ids['bijlage']}/inhoud",
        4,
    ),
    "/beleidssignalen": ("fatima", lambda d: "/api/v1/beleidssignalen?limit=100", 1),
    "/beleidssignalen/{id}": (
        "fatima",
        lambda d: f"/api/v1/beleidssignalen/{d.ids['afwijking']}",
        1,
    ),
    "/casussen/{kenmerk}/precedenten": (
        "karim",
        lambda d: f"{B(d)}/precedenten?regel={d.ids['regel']}",
        4,
    ),
    # The regel, its versions with their counts, the signals behind them.
    "/regels/{id}/versies": ("karim", lambda d: f"/api/v1/regels/{d.ids['regel']}/versies", 3),
    # Counts per table of the report for this year and the year before (no regel changed).
    "/leerrapport": ("fatima", lambda d: "/api/v1/leerrapport", 25),
    # First call: read the snapshot, five totals (with refused rugdekking), store them; the page.
    "/afwijkingen": ("fatima", lambda d: "/api/v1/afwijkingen?limit=100", 8),
    # First call: read the snapshot, compute (9, the 9 key figures, 3 for the terugvallen and
    # the cost ledger's 2), store it.
    "/statistieken": ("fatima", lambda d: "/api/v1/statistieken", 25),
    "/logboek": ("lotte", lambda d: "/api/v1/logboek?limit=100", 1),
    # The chain in one batch, and the database identity its checkpoints must name.
    "/logboek/verificatie": ("lotte", lambda d: "/api/v1/logboek/verificatie", 3),
    "/exports": ("bram", lambda d: "/api/v1/exports?limit=100", 1),
    "/exports/{id}": ("bram", lambda d: f"/api/v1/exports/{d.ids['export']}", 1),
    "/rechtenverzoeken": ("bram", lambda d: "/api/v1/rechtenverzoeken?limit=100", 1),
    # The tokens with their medewerker's name: one query.
    "/api-tokens": ("bram", lambda d: "/api/v1/api-tokens?limit=100", 1),
    "/rechtenverzoeken/{id}": (
        "bram",
        lambda d: f"/api/v1/rechtenverzoeken/{d.ids['rechtenverzoek']}",
        1,
    ),
}
# Not data endpoints: the OpenAPI document and the health checks touch no case data.
ZONDER_DATA = {"/openapi.json", "/health", "/health/gereed"}


def test_every_get_route_has_a_pinned_count(app: Any) -> None:
    routes = {
        r.path_format.removeprefix("/api/v1")
        for r in iter_route_contexts(app.routes)
        # The API only; the web pages and /metrics are not part of it.
        if "GET" in (r.methods or ()) and r.path_format.startswith("/api/v1/")
    }
    ontbreekt = sorted(routes - set(ROUTES) - ZONDER_DATA)
    assert not ontbreekt, f"pin the statement count of these routes in ROUTES: {ontbreekt}"
    assert not set(ROUTES) - routes, "ROUTES has rows for routes that no longer exist"


async def _tellingen(app: Any, api: Api, data: Data) -> dict[str, int]:
    clients: dict[str, httpx.AsyncClient] = {}
    uit: dict[str, int] = {}
    for route, (wie, pad, _extra) in ROUTES.items():
        client = clients.setdefault(wie, api(wie))
        # Authentication comes from the worker's token cache (auth/cache.py) once the token
        # was seen: counted warm, as in production, for the baseline and every route alike.
        # Emptied first, so the warm-up stores a fresh entry: an entry left by an earlier
        # route could expire (5 s) between the warm-up and the counted request on a slow
        # machine, and add the token's query to that route's count.
        alles_legen()
        ok(await client.get("/api/v1/ik"))
        with tel_sql(app) as teller:
            r = await client.get(pad(data))
        assert r.status_code == 200, f"{route}: {r.status_code} {r.text}"
        uit[route] = teller.aantal
    return uit


@pytest.mark.parametrize("n", [2, 12])
async def test_statement_counts_are_pinned(app: Any, api: Api, n: int) -> None:
    data = await vul(api, n)
    tellingen = await _tellingen(app, api, data)
    basis = tellingen["/ik"]
    verwacht = {route: basis + extra for route, (_w, _p, extra) in ROUTES.items()}
    if IS_POSTGRES:
        # The advisory try-lock: one recompute of a snapshot at a time.
        verwacht["/statistieken"] += 1
        verwacht["/afwijkingen"] += 1
    assert tellingen == verwacht


async def test_statistieken_are_served_from_the_snapshot(app: Any, api: Api) -> None:
    """At national scale the statistieken take seconds: the second request within the allowed
    age reads the stored snapshot (one statement) and gets the same answer."""
    fatima = api("fatima")
    ok(await fatima.get("/api/v1/ik"))  # the token cache warm, for both counts
    with tel_sql(app) as basis:
        ok(await fatima.get("/api/v1/ik"))
    eerste = ok(await fatima.get("/api/v1/statistieken"))
    await nieuwe_casus(api("sanne"))
    with tel_sql(app) as teller:
        tweede = ok(await fatima.get("/api/v1/statistieken"))
    assert teller.aantal == basis.aantal + 1
    assert tweede == eerste  # the snapshot, not yet the new casus
