"""The per-worker token cache (auth/cache.py): a lookup saved, and revocation within the bound."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, inspect, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from doorbraak.app import create_app
from doorbraak.auth import beheer
from doorbraak.auth.cache import Authcache
from doorbraak.config import get_settings
from doorbraak.db import utcnow
from doorbraak.models import ApiToken, Medewerker
from tests.conftest import Api, omgeving_van
from tests.helpers import mid, nieuwe_casus, ok, probleem

TTL = 2.0


@pytest.fixture
async def app_met_cache() -> AsyncIterator[Any]:
    application = create_app(get_settings().model_copy(update={"auth_cache_seconden": TTL}))
    yield application
    await application.state.engine.dispose()


def client(app: Any, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


async def buiten_de_app_om(db: async_sessionmaker[AsyncSession], stmt: Any) -> None:
    """A change as another worker, host or the CLI makes it: a Core statement on a connection,
    which this process's ORM does not see, so only the time bound of the cache applies."""
    async with db() as session:
        conn = await session.connection()
        await conn.execute(stmt)
        await session.commit()


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    gezien: list[str] = []

    def _voor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        gezien.append(statement)

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", _voor)
    try:
        yield gezien
    finally:
        event.remove(app.state.engine.sync_engine, "before_cursor_execute", _voor)


async def test_a_seen_token_is_not_looked_up_again(app_met_cache: Any) -> None:
    async with client(app_met_cache, "demo-karim") as karim:
        with statements(app_met_cache) as koud:
            koud_ik = ok(await karim.get("/api/v1/ik"))
        with statements(app_met_cache) as warm:
            warm_ik = ok(await karim.get("/api/v1/ik"))
    assert warm_ik == koud_ik
    assert len([s for s in koud if "api_tokens" in s]) == 1
    assert not [s for s in warm if "api_tokens" in s]
    assert len(warm) < len(koud)


async def test_a_token_revoked_elsewhere_is_refused_within_the_bound(
    app_met_cache: Any, db: async_sessionmaker[AsyncSession]
) -> None:
    omg = omgeving_van(db)
    token_id, geheim = await beheer.token_aanmaken(omg, "eva@gemeente.example", "script", None)
    async with client(app_met_cache, geheim) as eva:
        voor_de_eerste = time.monotonic()  # the entry's stamp is later
        ok(await eva.get("/api/v1/ik"))
        tabel = ApiToken.__table__
        await buiten_de_app_om(
            db, tabel.update().where(tabel.c.id == token_id).values(ingetrokken_op=utcnow())
        )
        ingetrokken = time.monotonic()
        antwoord = await eva.get("/api/v1/ik")
        if time.monotonic() - voor_de_eerste < TTL:
            # Within the bound the worker still trusts what it looked up a moment ago ...
            ok(antwoord)
        # ... and never longer than the bound after the revocation.
        await asyncio.sleep(max(0.0, TTL - (time.monotonic() - ingetrokken)) + 0.05)
        body = probleem(await eva.get("/api/v1/ik"), 401)
    assert "ingetrokken" in body["detail"]


async def test_a_change_in_this_process_is_honoured_at_once(
    app_met_cache: Any, db: async_sessionmaker[AsyncSession]
) -> None:
    omg = omgeving_van(db)
    token_id, geheim = await beheer.token_aanmaken(omg, "eva@gemeente.example", "script", None)
    async with client(app_met_cache, geheim) as eva, client(app_met_cache, "demo-joost") as joost:
        ok(await eva.get("/api/v1/ik"))
        ok(await joost.get("/api/v1/ik"))
        # The CLI's revocation, run in this process: the ORM flush empties the cache.
        assert await beheer.token_intrekken(omg, token_id)
        probleem(await eva.get("/api/v1/ik"), 401)
        # An ORM UPDATE as well.
        async with db() as session:
            await session.execute(
                update(Medewerker)
                .where(Medewerker.id == uuid.UUID(mid("joost")))
                .values(actief=False)
            )
            await session.commit()
        probleem(await joost.get("/api/v1/ik"), 401)


async def test_expiry_is_checked_on_every_request_cached_or_not(
    db: async_sessionmaker[AsyncSession],
) -> None:
    application = create_app(get_settings().model_copy(update={"auth_cache_seconden": 60}))
    omg = omgeving_van(db)
    verloopt = utcnow() + dt.timedelta(seconds=3)
    _id, geheim = await beheer.token_aanmaken(omg, "eva@gemeente.example", "kort", verloopt)
    try:
        async with client(application, geheim) as eva:
            ok(await eva.get("/api/v1/ik"))
            await asyncio.sleep(max(0.0, (verloopt - utcnow()).total_seconds()) + 0.05)
            probleem(await eva.get("/api/v1/ik"), 401)  # far within the cache's 60 s
    finally:
        await application.state.engine.dispose()


async def test_a_cached_medewerker_is_a_fresh_instance_per_request(app_met_cache: Any) -> None:
    """Two requests never share the actor's ORM instance (each is in its own session)."""
    async with client(app_met_cache, "demo-karim") as karim:
        ok(await karim.get("/api/v1/ik"))
        antwoorden = await asyncio.gather(*(karim.get("/api/v1/ik") for _ in range(5)))
    assert {r.status_code for r in antwoorden} == {200}
    assert len({r.json()["id"] for r in antwoorden}) == 1


def test_an_entry_seen_before_a_local_change_is_not_stored() -> None:
    tijd = [100.0]
    cache = Authcache(5, klok=lambda: tijd[0])
    m = Medewerker(
        naam="X", email="x@gemeente.example", afdeling_code="wonen", rollen=[], actief=True
    )
    begin = cache.begin()
    cache.leeg()  # a flush in this process while the lookup ran
    cache.bewaar("sleutel", begin, m)
    assert cache.zoek("sleutel") is None
    begin = cache.begin()
    cache.bewaar("sleutel", begin, m)
    assert cache.zoek("sleutel") is not None
    tijd[0] += 5  # the TTL counts from before the query
    assert cache.zoek("sleutel") is None


def test_a_cached_medewerker_enters_its_session_loaded_and_unchanged() -> None:
    """As if the query had loaded it: in the identity map, nothing to flush, and its lists its
    own, so that one request changing them does not change what the next one gets."""
    cache = Authcache(5)
    m = Medewerker(
        id=uuid.uuid4(),
        naam="X",
        email="x@gemeente.example",
        afdeling_code="wonen",
        rollen=["medewerker"],
        mandaat_afdelingen=["wonen"],
        mandaat_regelingen=[],
        actief=True,
    )
    cache.bewaar("sleutel", cache.begin(), m)
    gevonden = cache.zoek("sleutel")
    assert gevonden is not None
    session = Session()
    eerste = gevonden.medewerker(session)
    assert eerste in session and session.identity_map.get(inspect(eerste).key) is eerste
    assert not session.new and not session.dirty and not session.is_modified(eerste)
    assert (eerste.id, eerste.naam, eerste.rollen) == (m.id, "X", ["medewerker"])
    eerste.rollen.append("beheerder")
    eerste.mandaat_afdelingen.append("sociaal-domein")
    tweede = gevonden.medewerker(Session())
    assert tweede.rollen == ["medewerker"] and tweede.mandaat_afdelingen == ["wonen"]


def test_zero_turns_the_cache_off() -> None:
    cache = Authcache(0)
    m = Medewerker(naam="X", email="x@gemeente.example", afdeling_code="wonen", rollen=[])
    cache.bewaar("sleutel", cache.begin(), m)
    assert cache.zoek("sleutel") is None


async def test_a_role_taken_away_takes_the_casus_out_of_sight_at_once(api: Api) -> None:
    """Both caches on the casus read path (the token's medewerker, and the casus query built
    per actor from its columns) follow a change of role in the same request sequence."""
    sanne, marieke, bram = api("sanne"), api("marieke"), api("bram")
    kenmerk = (await nieuwe_casus(sanne))["kenmerk"]
    ok(
        await sanne.post(f"/api/v1/casussen/{kenmerk}/deelnames", json={"afdeling": "vastgoed"}),
        201,
    )
    ok(await marieke.get(f"/api/v1/casussen/{kenmerk}"))  # leidinggevende of a deelnemer
    pad = f"/api/v1/medewerkers/{mid('marieke')}"
    versie = (await bram.get(pad)).headers["ETag"]
    ok(await bram.patch(pad, json={"rollen": ["medewerker"]}, headers={"If-Match": versie}))
    probleem(await marieke.get(f"/api/v1/casussen/{kenmerk}"), 404)
