"""Reliability: no lost updates, idempotent POSTs, database faults answered as 503, never 500."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import text, update

from doorbraak.app import create_app
from doorbraak.config import get_settings
from doorbraak.models import IdempotentieSleutel
from tests.conftest import Api, postgres_only
from tests.helpers import mid, nieuwe_casus, ok, probleem


async def test_twenty_concurrent_patches_with_one_etag_give_one_200_and_nineteen_412(
    api: Api,
) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client)
    url = f"/api/v1/casussen/{casus['kenmerk']}"
    antwoorden = await asyncio.gather(
        *[
            client.patch(url, json={"titel": f"Titel {i}"}, headers={"If-Match": '"1"'})
            for i in range(20)
        ]
    )
    statussen = sorted(r.status_code for r in antwoorden)
    assert statussen == [200] + [412] * 19, statussen
    winnaar = next(r for r in antwoorden if r.status_code == 200).json()
    detail = ok(await client.get(url))
    assert detail["titel"] == winnaar["titel"] and detail["versie"] == 2
    wijzigingen = [
        t
        for t in ok(await client.get(f"{url}/tijdlijn"))["results"]
        if t["actie"] == "casus.gewijzigd"
    ]
    assert len(wijzigingen) == 1


async def test_repeated_post_with_the_same_key_replays_the_first_response(api: Api) -> None:
    client = api("sanne")
    invoer = {"titel": "Eenmalig", "urgentie": "hoog"}
    eerste = await client.post("/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "k-1"})
    tweede = await client.post("/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "k-1"})
    assert eerste.status_code == tweede.status_code == 201
    assert tweede.json() == eerste.json()
    assert tweede.headers["Idempotent-Replayed"] == "true"
    assert tweede.headers["ETag"] == eerste.headers["ETag"]
    assert tweede.headers["Location"] == eerste.headers["Location"]
    assert len(ok(await client.get("/api/v1/casussen"))["results"]) == 1
    # Same key, other body: refused.
    anders = await client.post(
        "/api/v1/casussen", json={"titel": "Anders"}, headers={"Idempotency-Key": "k-1"}
    )
    probleem(anders, 422, "idempotency-key-hergebruikt")
    # Keys belong to the caller: another medewerker's identical key is a different request.
    ander = await api("karim").post(
        "/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "k-1"}
    )
    assert ander.status_code == 201 and ander.json()["kenmerk"] != eerste.json()["kenmerk"]
    probleem(
        await client.post(
            "/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "met spatie"}
        ),
        400,
    )
    # The query string is part of the request too: same key and body, other query -> 422.
    zoek = {"Idempotency-Key": "zoek-1"}
    ok(await client.post("/api/v1/casussen/_zoek?limit=5", json={"bsn": "111222333"}, headers=zoek))
    probleem(
        await client.post(
            "/api/v1/casussen/_zoek?limit=6", json={"bsn": "111222333"}, headers=zoek
        ),
        422,
        "idempotency-key-hergebruikt",
    )


async def test_a_failed_request_does_not_use_up_its_key(api: Api) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client)
    url = f"/api/v1/casussen/{casus['kenmerk']}/fase-overgangen"
    sleutel = {"Idempotency-Key": "fase-1"}
    probleem(
        await client.post(url, json={"naar": "in_kaart"}, headers=sleutel), 409, "fase-voorwaarden"
    )
    ok(
        await client.post(
            f"/api/v1/casussen/{casus['kenmerk']}/regie", json={"medewerker": mid("karim")}
        ),
        201,
    )
    probleem(await client.post(url, json={"naar": "in_kaart"}, headers=sleutel), 403)
    assert (
        await api("karim").post(url, json={"naar": "in_kaart"}, headers=sleutel)
    ).status_code == 201


async def test_expired_keys_run_again(api: Api, db: object) -> None:
    client = api("sanne")
    invoer = {"titel": "Na een dag opnieuw"}
    ok(await client.post("/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "oud"}), 201)
    async with db() as session:  # type: ignore[operator]
        await session.execute(
            update(IdempotentieSleutel).values(verloopt_op=IdempotentieSleutel.aangemaakt_op)
        )
        await session.commit()
    tweede = await client.post("/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "oud"})
    assert tweede.status_code == 201 and "Idempotent-Replayed" not in tweede.headers
    assert len(ok(await client.get("/api/v1/casussen"))["results"]) == 2


async def test_concurrent_requests_with_one_key_create_one_casus(api: Api) -> None:
    client = api("sanne")
    invoer = {"titel": "Dubbel geklikt"}
    antwoorden = await asyncio.gather(
        *[
            client.post("/api/v1/casussen", json=invoer, headers={"Idempotency-Key": "dubbel"})
            for _ in range(5)
        ]
    )
    statussen = [r.status_code for r in antwoorden]
    assert set(statussen) <= {201, 409}, [r.text for r in antwoorden]
    assert 201 in statussen
    for r in antwoorden:
        if r.status_code == 409:
            assert r.json()["code"] == "verzoek-loopt-nog" and r.headers["Retry-After"]
    kenmerken = {r.json()["kenmerk"] for r in antwoorden if r.status_code == 201}
    assert len(kenmerken) == 1
    assert len(ok(await client.get("/api/v1/casussen"))["results"]) == 1


@postgres_only
async def test_pool_exhaustion_answers_503_within_seconds() -> None:
    settings = get_settings().model_copy(
        update={"database_pool_size": 1, "database_pool_timeout": 1.0}
    )
    app = create_app(settings)
    engine = app.state.engine
    try:
        async with engine.connect() as bezet:
            await bezet.execute(text("SELECT 1"))
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://t",
                headers={"Authorization": "Bearer demo-sanne"},
            ) as client:
                begin = time.monotonic()
                r = await client.get("/api/v1/casussen")
                duur = time.monotonic() - begin
        probleem(r, 503, "overbelast")
        assert r.headers["Retry-After"]
        assert duur < 3.0, duur
    finally:
        await engine.dispose()


@postgres_only
async def test_lost_connections_are_recovered_without_restarting_the_app(
    api: Api, db: object
) -> None:
    client = api("sanne")
    await nieuwe_casus(client)
    ok(await client.get("/api/v1/casussen"))
    async with db() as session:  # type: ignore[operator]
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        await session.commit()
    # The check on checkout (db.ping_bij_uitgifte) notices the dead connections and replaces them.
    for _ in range(5):
        ok(await client.get("/api/v1/casussen"))


@postgres_only
async def test_the_checkout_check_keeps_a_live_connection_and_replaces_a_dead_one() -> None:
    # A check that failed on a live connection would still "work", by reconnecting on every
    # checkout (tens of milliseconds each): count the connections the pool really opens.
    from sqlalchemy import event

    from doorbraak.db import create_engine

    engine = create_engine(get_settings(), pool_size=1)
    geopend: list[int] = []
    event.listen(engine.sync_engine, "connect", lambda *_: geopend.append(1))
    try:
        pids = set()
        for _ in range(20):
            async with engine.connect() as verbinding:
                pids.add((await verbinding.execute(text("SELECT pg_backend_pid()"))).scalar())
        assert len(geopend) == 1 and len(pids) == 1, (len(geopend), pids)
        async with engine.connect() as verbinding:
            await verbinding.execute(text("SELECT 1"))
            dood = (await verbinding.execute(text("SELECT pg_backend_pid()"))).scalar()
        beheer = create_engine(get_settings(), pool_size=1)
        async with beheer.begin() as verbinding:
            await verbinding.execute(text("SELECT pg_terminate_backend(:p)"), {"p": dood})
        await beheer.dispose()
        await asyncio.sleep(0.2)
        async with engine.connect() as verbinding:  # no error: replaced on checkout
            nieuw = (await verbinding.execute(text("SELECT pg_backend_pid()"))).scalar()
        assert nieuw != dood and len(geopend) == 2
    finally:
        await engine.dispose()


@postgres_only
async def test_a_database_that_refuses_connections_answers_503_not_500() -> None:
    # Connecting fails outright (here: the database does not exist; in production: PostgreSQL
    # restarting, or refusing connections): a 503 with Retry-After, like a lost connection.
    url = get_settings().database_url.rsplit("/", 1)[0] + "/doorbraak_fault_bestaat_niet"
    app = create_app(get_settings().model_copy(update={"database_url": url}))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://t",
            headers={"Authorization": "Bearer demo-sanne"},
        ) as client:
            r = await client.get("/api/v1/casussen")
            probleem(r, 503, "overbelast")
            assert r.headers["Retry-After"]
            gezond = await client.get("/api/v1/health")
            assert gezond.status_code == 503 and gezond.headers["Retry-After"]
    finally:
        await app.state.engine.dispose()
