"""Completeness and robustness at the edges (issue 15, section 6 and dev mode of section 5):
failed mutations in the logboek, anonymous requests that cannot grow the database, crafted
pagination cursors, forwarding headers in development mode, the dev picker."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.demo import MEDEWERKERS, medewerker_id
from doorbraak.models import LogboekRegel, Medewerker, WebSessie
from tests.conftest import Api
from tests.helpers import mid, ok, probleem
from tests.web.conftest import BASIS, csrf_uit

Maker = async_sessionmaker[AsyncSession]


async def _regels(maker: Maker, **filter_: Any) -> list[LogboekRegel]:
    async with maker() as session:
        stmt = select(LogboekRegel).order_by(LogboekRegel.id)
        for k, v in filter_.items():
            stmt = stmt.where(getattr(LogboekRegel, k) == v)
        return list((await session.scalars(stmt)).all())


async def _aantal(maker: Maker, model: Any) -> int:
    async with maker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# --- failed mutations leave their logboek entry -----------------------------------------------


async def test_failed_mutations_are_logged_with_their_result(api: Api, db: Maker, app: Any) -> None:
    bram = api("bram")
    pad = "/api/v1/afdelingen"
    probleem(await bram.post(pad, json={"code": "Geen Code", "naam": ""}), 400)
    probleem(await bram.post(pad, json={"code": "vastgoed", "naam": "Vastgoed"}), 409)
    probleem(
        await bram.patch(f"{pad}/vastgoed", json={"naam": "X"}, headers={"If-Match": '"999"'}), 412
    )
    probleem(await bram.patch(f"{pad}/vastgoed", json={"naam": "X"}), 428)
    sleutel = {"Idempotency-Key": "afdeling-test-1"}
    ok(await bram.post(pad, json={"code": "test-een", "naam": "Een"}, headers=sleutel), 201)
    probleem(await bram.post(pad, json={"code": "test-twee", "naam": "Twee"}, headers=sleutel), 422)
    probleem(await bram.post(pad, content=b"code=x", headers={"Content-Type": "text/plain"}), 415)

    van_bram = [(r.actie, r.resultaat) for r in await _regels(db, actor=mid("bram"))]
    assert van_bram == [
        ("POST /api/v1/afdelingen", "fout-400"),
        ("POST /api/v1/afdelingen", "fout-409"),
        ("PATCH /api/v1/afdelingen/{code}", "fout-412"),
        ("PATCH /api/v1/afdelingen/{code}", "fout-428"),
        ("POST /api/v1/afdelingen", "succes-201"),
        ("POST /api/v1/afdelingen", "fout-422"),
    ]
    # The 415 is answered before anything reads the body or the token: it is counted with the
    # requests of nobody known yet, under its route.
    await app.state.anoniem.legen()
    anoniem = [(r.actie, r.resultaat, r.aantal) for r in await _regels(db, object_soort="anoniem")]
    assert anoniem == [("POST /api/v1/afdelingen", "fout-415", 1)]


# --- anonymous requests cannot grow the database ---------------------------------------------


async def test_anonymous_requests_create_no_session_and_a_bounded_logboek(
    db: Maker, app: Any, api: Api
) -> None:
    sessies, regels = await _aantal(db, WebSessie), await _aantal(db, LogboekRegel)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS) as anoniem:
        for _ in range(200):
            assert (await anoniem.get("/inloggen")).status_code == 200
        for i in range(50):
            probleem(await api(None).get(f"/api/v1/casussen/DB-2026-{i:04d}"), 401)
            r = await api(None).get("/api/v1/ik", headers={"Authorization": f"Bearer nep-{i}"})
            probleem(r, 401)
    assert await _aantal(db, WebSessie) == sessies
    assert await _aantal(db, LogboekRegel) == regels
    await app.state.anoniem.legen()
    nieuw = await _regels(db, object_soort="anoniem")
    assert sorted((r.actie, r.resultaat, r.aantal) for r in nieuw) == [
        ("GET /api/v1/casussen/{kenmerk}", "geweigerd-401", 50),
        ("GET /api/v1/ik", "geweigerd-401", 50),
        ("GET /inloggen", "succes-200", 200),
    ]


async def test_many_origins_are_capped_in_the_count(app: Any, db: Maker) -> None:
    from doorbraak.logboek.anoniem import MAX_OORSPRONGEN, OVERIG

    teller = app.state.anoniem
    for i in range(MAX_OORSPRONGEN + 400):
        teller.tel("GET /api/v1/ik", "geweigerd-401", f"198.51.100.{i}")
    assert await teller.legen() == MAX_OORSPRONGEN + 1
    overig = await _regels(db, oorsprong=OVERIG)
    assert [r.aantal for r in overig] == [400]


async def test_sign_in_with_the_sealed_cookie_and_a_forged_one(app: Any, db: Maker) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS) as c:
        pagina = await c.get("/inloggen?terug=/casussen")
        csrf = csrf_uit(pagina.text)
        # A CSRF token without its cookie, or with a tampered cookie, is refused.
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASIS
        ) as ander:
            r = await ander.post(
                "/inloggen/demo", data={"csrf": csrf, "medewerker": str(medewerker_id("karim"))}
            )
            assert r.status_code == 403
            ander.cookies.set("doorbraak_aanmelding", "A" * 80, path="/inloggen")
            r = await ander.post(
                "/inloggen/demo", data={"csrf": csrf, "medewerker": str(medewerker_id("karim"))}
            )
            assert r.status_code == 403
        r = await c.post(
            "/inloggen/demo", data={"csrf": csrf, "medewerker": str(medewerker_id("karim"))}
        )
        assert r.status_code == 303 and r.headers["location"] == "/casussen"
    assert await _aantal(db, WebSessie) == 1


# --- the dev picker ---------------------------------------------------------------------------


async def test_dev_picker_lists_demo_medewerkers_only_and_preselects_nobody(
    app: Any, api: Api, db: Maker
) -> None:
    nieuw = ok(
        await api("bram").post(
            "/api/v1/medewerkers",
            json={
                "naam": "Echte Collega",
                "email": "echt@gemeente.example",
                "afdeling": "wonen",
                "rollen": ["medewerker"],
            },
        ),
        201,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS) as c:
        pagina = await c.get("/inloggen")
        assert "Echte Collega" not in pagina.text
        keuzes = re.findall(r'name="medewerker" value="([^"]+)"', pagina.text)
        assert set(keuzes) == {str(medewerker_id(m.sleutel)) for m in MEDEWERKERS}
        assert "checked" not in pagina.text
        r = await c.post(
            "/inloggen/demo", data={"csrf": csrf_uit(pagina.text), "medewerker": nieuw["id"]}
        )
        assert r.status_code == 401
    async with db() as session:
        assert await session.get(Medewerker, medewerker_id("karim")) is not None


# --- development mode behind a reverse proxy --------------------------------------------------


async def test_dev_mode_refuses_requests_with_forwarding_headers(api: Api) -> None:
    for header in (
        {"X-Forwarded-For": "203.0.113.5"},
        {"Forwarded": "for=203.0.113.5"},
        {"X-Real-IP": "203.0.113.5"},
        {"X-Forwarded-Host": "doorbraak.example"},
    ):
        probleem(
            await api("bram").get("/api/v1/ik", headers=header), 403, "ontwikkelmodus-achter-proxy"
        )
    ok(await api("bram").get("/api/v1/ik"))


# --- crafted pagination cursors ---------------------------------------------------------------


def _cursor(waarde: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(waarde).encode()).decode().rstrip("=")


LIJSTEN = (
    ("karim", "/api/v1/casussen"),
    ("lotte", "/api/v1/logboek"),
    ("bram", "/api/v1/medewerkers"),
    ("bram", "/api/v1/afdelingen"),
    ("karim", "/api/v1/regels"),
)


async def test_crafted_cursors_answer_400(api: Api) -> None:
    assert _cursor([True]) == "W3RydWVd"
    for cursor in (
        "W3RydWVd",
        _cursor([2**63]),
        _cursor([-(2**63) - 1]),
        _cursor([2**63, "00000000-0000-0000-0000-000000000000"]),
        _cursor(["\x00", "00000000-0000-0000-0000-000000000000"]),
        _cursor([1.5]),
        _cursor([None]),
        _cursor([[1]]),
        _cursor([{"a": 1}]),
        _cursor("[" * 200),
        _cursor(["2026-01-01T00:00:00", 1]),
        "AAAA",
        "_-_-",
    ):
        for wie, pad in LIJSTEN:
            body = probleem(await api(wie).get(pad, params={"cursor": cursor}), 400)
            assert body["invalidParams"][0]["name"] == "cursor", (pad, cursor, body)


async def test_a_real_next_cursor_still_works(api: Api) -> None:
    eerste = ok(await api("bram").get("/api/v1/medewerkers", params={"limit": 2}))
    assert eerste["next"]
    ok(await api("bram").get(eerste["next"]))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kinderen: (
        st.lists(kinderen, max_size=4) | st.dictionaries(st.text(max_size=5), kinderen, max_size=3)
    ),
    max_leaves=8,
)
SCALAIR = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=40),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)


async def test_fuzzed_cursors_never_fail_the_server(api: Api) -> None:
    """Any cursor is a page (200) or a 400 problem, never a 500 or a dropped connection."""
    loop = asyncio.get_running_loop()

    def vraag(wie: str, pad: str, cursor: str) -> int:
        async def een() -> int:
            return (await api(wie).get(pad, params={"cursor": cursor})).status_code

        return asyncio.run_coroutine_threadsafe(een(), loop).result(timeout=30)

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(
        lijst=st.sampled_from(LIJSTEN),
        inhoud=st.one_of(
            st.lists(SCALAIR, min_size=1, max_size=3).map(_cursor),
            JSON.map(_cursor),
            st.from_regex(r"^[A-Za-z0-9_-]{1,60}$", fullmatch=True),
        ),
    )
    def geval(lijst: tuple[str, str], inhoud: str) -> None:
        status = vraag(lijst[0], lijst[1], inhoud)
        assert status in (200, 400), (lijst, inhoud, status)

    await asyncio.to_thread(geval)


# --- one request id per request, on a real server ---------------------------------------------


async def test_the_request_after_a_413_on_a_chunked_body_has_its_own_id() -> None:
    """uvicorn starts the next request of a connection from inside the previous one's task when
    that one answered before reading its body (a 413): the new request must not log with the
    previous request's (client-chosen) id."""
    import logging

    import uvicorn

    from doorbraak.app import create_app
    from doorbraak.config import Settings
    from doorbraak.logs import JsonFormatter
    from tests.conftest import TEST_URL

    app = create_app(Settings(database_url=TEST_URL, max_body_bytes=1000))

    async def stuk() -> None:
        raise RuntimeError("kapot")

    app.add_api_route("/api/v1/stuk", stuk, include_in_schema=False)
    regels: list[dict[str, Any]] = []

    class Vanger(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            regels.append(json.loads(JsonFormatter().format(record)))

    vanger = Vanger(level=logging.ERROR)
    logging.getLogger("uvicorn.error").addHandler(vanger)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    )
    taak = asyncio.create_task(server.serve())
    try:
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.05)
        poort = server.servers[0].sockets[0].getsockname()[1]
        lezer, schrijver = await asyncio.open_connection("127.0.0.1", poort)
        stuk_lichaam = b"x" * 2000
        schrijver.write(
            b"POST /api/v1/afdelingen HTTP/1.1\r\nHost: t\r\nX-Request-ID: vorige-id-413\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + f"{len(stuk_lichaam):x}\r\n".encode()
            + stuk_lichaam
            + b"\r\n0\r\n\r\n"
            + b"GET /api/v1/stuk HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        await schrijver.drain()
        antwoord = await asyncio.wait_for(lezer.read(), timeout=10)
        schrijver.close()
        assert b"HTTP/1.1 413" in antwoord and b"HTTP/1.1 500" in antwoord, antwoord[:300]
        ids = re.findall(rb"x-request-id: ([^\r]+)", antwoord)
        assert ids[0] == b"vorige-id-413" and ids[1] != b"vorige-id-413"
        fouten = [r for r in regels if r.get("exception") == "RuntimeError"]
        assert fouten, regels
        assert all(r.get("request_id") == ids[1].decode() for r in fouten), fouten
    finally:
        logging.getLogger("uvicorn.error").removeHandler(vanger)
        server.should_exit = True
        await taak
        await app.state.engine.dispose()


def test_serve_bounds_the_connections_a_worker_holds() -> None:
    from doorbraak import cli

    args = cli.parser().parse_args(["serve"])
    assert cli.verbindingslimieten(args) == {
        "timeout_keep_alive": 5,
        "limit_concurrency": 1000,
        "h11_max_incomplete_event_size": 16 * 1024,
    }
    args = cli.parser().parse_args(
        ["serve", "--timeout-keep-alive", "2", "--limit-concurrency", "50"]
    )
    assert cli.verbindingslimieten(args)["timeout_keep_alive"] == 2
    assert cli.verbindingslimieten(args)["limit_concurrency"] == 50


# --- slowly sent headers: the header clock of the protocols `serve` runs ---------------------


async def _klein(scope: Any, receive: Any, send: Any) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("naam", ["httptools", "h11"])
async def test_the_header_clock_closes_a_stalled_head(naam: str) -> None:
    """Both implementations (httptools in production, h11 where it cannot be installed) close a
    connection whose head is not complete in time; a complete head is served. The real server
    with 300 stalled connections: tests/ops/test_kop_timeout.py."""
    import time

    import uvicorn

    from doorbraak.kit.verbindingen import H11MetKopklok, HttpToolsMetKopklok
    from tests.ops.test_serve import _vrije_poort

    basis = {"httptools": HttpToolsMetKopklok, "h11": H11MetKopklok}[naam]

    class Snel(basis):  # type: ignore[valid-type, misc]
        def _kopklok_init(self) -> None:
            super()._kopklok_init()
            self.kop_timeout = 0.5

    config = uvicorn.Config(
        _klein, host="127.0.0.1", port=_vrije_poort(), http=Snel, lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    taak = asyncio.create_task(server.serve())
    try:
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.05)
        poort = server.servers[0].sockets[0].getsockname()[1]

        async def stuur(*delen: bytes, wacht: float = 0) -> tuple[bytes, float]:
            lezer, schrijver = await asyncio.open_connection("127.0.0.1", poort)
            begin = time.monotonic()
            for deel in delen:
                schrijver.write(deel)
                await schrijver.drain()
                await asyncio.sleep(wacht)
            try:
                return await asyncio.wait_for(lezer.read(), timeout=6), time.monotonic() - begin
            finally:
                schrijver.close()

        antwoord, duur = await stuur(b"GET /a HTT")
        assert antwoord.startswith(b"HTTP/1.1 408 ") and 0.4 <= duur < 5, (antwoord, duur)
        antwoord, duur = await stuur()
        assert antwoord == b"" and duur < 5
        # A kept-alive connection idle longer than the header timeout, then half a head.
        lezer, schrijver = await asyncio.open_connection("127.0.0.1", poort)
        schrijver.write(b"GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
        await schrijver.drain()
        assert (await asyncio.wait_for(lezer.readuntil(b"ok"), timeout=3)).startswith(
            b"HTTP/1.1 200"
        )
        await asyncio.sleep(0.8)
        schrijver.write(b"GET /a HTTP/1.1\r\nHo")
        await schrijver.drain()
        begin = time.monotonic()
        antwoord = await asyncio.wait_for(lezer.read(), timeout=6)
        schrijver.close()
        assert antwoord.startswith(b"HTTP/1.1 408 ") and time.monotonic() - begin < 5
        # A complete head, sent in pieces within the timeout: served.
        antwoord, _ = await stuur(
            b"GET /a HTTP/1.1\r\n", b"Host: t\r\n", b"Connection: close\r\n\r\n", wacht=0.1
        )
        assert antwoord.startswith(b"HTTP/1.1 200 ") and antwoord.endswith(b"ok"), antwoord
    finally:
        server.should_exit = True
        await taak
