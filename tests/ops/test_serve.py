"""The documented production start, exercised as an operator runs it (docs/installation.md).

`doorbraak migrate`, `doorbraak demo` and `doorbraak serve --workers N` are the installed console
script, on a fresh PostgreSQL database of their own (`doorbraak_ops_*`), on a free port in
8601-8699. A request held inside its transaction (the test holds the logboek's advisory lock) is
in flight when the server gets SIGTERM: it must complete with 200, and the server exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from doorbraak.logboek.repository import KETEN_LOCK

pytestmark = pytest.mark.slow

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# Overridable so that a run beside others uses databases and ports of its own.
PREFIX = os.environ.get("DOORBRAAK_OPS_PREFIX", "doorbraak_ops_")
_VAN, _TOT = (int(p) for p in os.environ.get("DOORBRAAK_OPS_POORTEN", "8601-8699").split("-"))
POORTEN = range(_VAN, _TOT + 1)
DOORBRAAK = str(Path(sys.executable).with_name("doorbraak"))
ROOT = Path(__file__).resolve().parents[2]
KARIM = {"Authorization": "Bearer demo-karim"}
METRICS_TOKEN = "ops-suite-metrics-token"


_GEBRUIKT: set[int] = set()


def _vrije_poort() -> int:
    for poort in POORTEN:
        if poort in _GEBRUIKT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
        _GEBRUIKT.add(poort)
        return poort
    raise RuntimeError(f"no free port in {POORTEN}")


def app_rol(naam: str) -> str:
    """The app's own login role of that database: it owns nothing (docs/installation.md)."""
    return f"{naam}_app"


def _omgeving(naam: str, eigenaar: bool = False) -> dict[str, str]:
    """The app's environment: connected as the app role; `eigenaar`: as the tables' owner, for
    `doorbraak migrate`, which then grants the app role its rights."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOORBRAAK_", "PROMETHEUS_"))}
    gebruiker = PG["user"] if eigenaar else app_rol(naam)
    env.update(
        DOORBRAAK_DATABASE_URL=f"postgresql+asyncpg://{gebruiker}@{PG['host']}:{PG['port']}/{naam}",
        DOORBRAAK_DATABASE_APP_ROL=app_rol(naam),
        DOORBRAAK_LOGBOEK_ANKERMAP=str(Path(tempfile.gettempdir()) / f"{naam}-ankers"),
        DOORBRAAK_AUTH_MODE="dev",
        DOORBRAAK_METRICS_TOKEN=METRICS_TOKEN,
        PYTHONUNBUFFERED="1",
    )
    return env


async def _cli(naam: str, *args: str, eigenaar: bool = False) -> str:
    proc = await asyncio.create_subprocess_exec(
        DOORBRAAK,
        *args,
        cwd=ROOT,
        env=_omgeving(naam, eigenaar),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, f"doorbraak {' '.join(args)}: {proc.returncode}\n{uit.decode()}"
    return uit.decode()


@contextlib.asynccontextmanager
async def database(naam: str) -> AsyncIterator[str]:
    assert naam.startswith(PREFIX) and naam.replace("_", "").isalnum()
    conn = await asyncpg.connect(database="postgres", **PG)  # type: ignore[arg-type]
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        await conn.execute(f'DROP ROLE IF EXISTS "{app_rol(naam)}"')
        await conn.execute(f'CREATE ROLE "{app_rol(naam)}" LOGIN')
        await conn.execute(f'CREATE DATABASE "{naam}"')
    finally:
        await conn.close()
    # As docs/installation.md says: migrate as its own step, as the owner, granting the app role
    # its rights; then (here) the demo data, and everything after it, as the app role.
    await _cli(naam, "migrate", eigenaar=True)
    await _cli(naam, "demo")
    try:
        yield naam
    finally:
        conn = await asyncpg.connect(database="postgres", **PG)  # type: ignore[arg-type]
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
            await conn.execute(f'DROP ROLE IF EXISTS "{app_rol(naam)}"')
        finally:
            await conn.close()
        shutil.rmtree(Path(tempfile.gettempdir()) / f"{naam}-ankers", ignore_errors=True)


class Server:
    def __init__(self, naam: str, log: Path, *extra: str) -> None:
        self.naam = naam
        self.log = log
        self.extra = extra
        self.poort = _vrije_poort()
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.poort}"

    async def start(self, *args: str) -> None:
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                DOORBRAAK,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.poort),
                *args,
                cwd=ROOT,
                env=_omgeving(self.naam),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        grens = time.monotonic() + 60
        async with httpx.AsyncClient(base_url=self.url, timeout=2) as c:
            while True:
                assert self.proc.returncode is None, f"server exited:\n{self.tekst()}"
                with contextlib.suppress(httpx.TransportError):
                    if (await c.get("/api/v1/health/gereed")).status_code == 200:
                        return
                assert time.monotonic() < grens, f"server not ready:\n{self.tekst()}"
                await asyncio.sleep(0.1)

    def tekst(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def json_regels(self) -> list[dict[str, Any]]:
        regels = []
        for regel in self.tekst().splitlines():
            if regel.startswith("doorbraak luistert"):  # the one line on stdout, for a human
                continue
            regels.append(json.loads(regel))  # every other line must be one JSON object
        return regels

    async def sigterm(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    async def afsluiten(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            await self.proc.wait()


@contextlib.asynccontextmanager
async def server(naam: str, log: Path, *args: str) -> AsyncIterator[Server]:
    s = Server(naam, log)
    try:
        await s.start(*args)
        yield s
    finally:
        await s.afsluiten()


def _som(tekst: str, naam: str, **labels: str) -> float:
    return sum(
        s.value
        for f in text_string_to_metric_families(tekst)
        for s in f.samples
        if s.name == naam and all(s.labels.get(k) == v for k, v in labels.items())
    )


async def _promtool(tekst: str) -> str:
    """`promtool check metrics` (Debian package prometheus) on a scrape: its lint finds nothing."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: apt-get install prometheus (.ci/run does)")
    proc = await asyncio.create_subprocess_exec(
        promtool,
        "check",
        "metrics",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit, _ = await asyncio.wait_for(proc.communicate(tekst.encode()), timeout=60)
    assert proc.returncode == 0 and not uit.strip(), uit.decode()
    return promtool


async def test_documented_production_start_serves_with_two_workers(tmp_path: Path) -> None:
    async with database(f"{PREFIX}productie") as naam:
        metrics_poort = _vrije_poort()
        async with server(
            naam, tmp_path / "server.log", "--workers", "2", "--metrics-port", str(metrics_poort)
        ) as s:
            async with httpx.AsyncClient(base_url=s.url, headers=KARIM, timeout=30) as c:
                antwoorden = await asyncio.gather(*(c.get("/api/v1/casussen") for _ in range(40)))
                assert {r.status_code for r in antwoorden} == {200}
                assert antwoorden[0].json()["results"], "the demo casus is visible to karim"
                r = await c.get("/api/v1/health", headers={"X-Request-ID": "ops-suite-1"})
                assert r.status_code == 200 and r.headers["X-Request-ID"] == "ops-suite-1"
                assert "server" not in r.headers  # no product banner
                # Both workers report; any one of them answers for the whole server.
                met_token = await c.get(
                    "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
                )
                assert met_token.status_code == 200
                assert (await c.get("/metrics")).status_code == 401
            async with httpx.AsyncClient(timeout=10) as c:
                poort = (await c.get(f"http://127.0.0.1:{metrics_poort}/metrics")).text
            for tekst in (poort, met_token.text):
                assert (
                    _som(
                        tekst,
                        "doorbraak_http_requests_total",
                        route="/api/v1/casussen",
                        status="200",
                    )
                    == 40
                )
                assert (
                    _som(
                        tekst,
                        "doorbraak_http_request_duration_seconds_count",
                        route="/api/v1/casussen",
                    )
                    == 40
                )
            # pool_size 10 per worker, summed over the two live workers.
            assert _som(poort, "doorbraak_db_pool_size") == 20
            # A Prometheus tool nobody here wrote reads both scrapes without a complaint.
            for tekst in (poort, met_token.text):
                await _promtool(tekst)
            print(f"promtool check metrics: 0 problems in {len(poort.splitlines())} lines")
            await s.sigterm()
            assert s.proc is not None
            assert await asyncio.wait_for(s.proc.wait(), timeout=30) == 0, s.tekst()

        regels = s.json_regels()
        # Every worker reports the production HTTP stack it really runs (uvicorn[standard]).
        stapels = [r["message"] for r in regels if r["logger"] == "doorbraak.serverstapel"]
        assert len(stapels) == 2, s.tekst()
        assert all(m.endswith("http=httptools loop=uvloop") for m in stapels), stapels
        toegang = [r for r in regels if r["logger"] == "doorbraak.toegang"]
        assert sum(r["route"] == "/api/v1/casussen" and r["status"] == 200 for r in toegang) == 40
        # Signed checkpoints of the logboek: at start and at the SIGTERM, in the folder and the log.
        assert any(r["message"].startswith("logboek-checkpoint ") for r in regels)
        assert list((Path(tempfile.gettempdir()) / f"{naam}-ankers").glob("checkpoint-*.json"))
        # What the server connected as owns nothing and may not change the logboek.
        app = await asyncpg.connect(database=naam, **{**PG, "user": app_rol(naam)})  # type: ignore[arg-type]
        try:
            assert await app.fetchval("SELECT count(*) FROM logboek") > 0
            for sql in ("DELETE FROM logboek", "ALTER TABLE logboek DISABLE TRIGGER ALL"):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await app.execute(sql)
        finally:
            await app.close()
        assert [r["request_id"] for r in toegang if r["route"] == "/api/v1/health"] == [
            "ops-suite-1"
        ]
        assert not [r for r in regels if r["level"] in ("error", "critical")], s.tekst()
        # The demo household and its BSNs never reach the log.
        from doorbraak.demo import DEMO_BSNS

        assert not any(b in s.tekst() for b in DEMO_BSNS) and "Demir" not in s.tekst()


async def _wacht_op_lock(conn: asyncpg.Connection, naam: str) -> None:
    grens = time.monotonic() + 20
    while not await conn.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'advisory'",
        naam,
    ):
        assert time.monotonic() < grens, "the request never reached the logboek lock"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_lets_the_request_in_flight_complete(tmp_path: Path, workers: int) -> None:
    async with (
        database(f"{PREFIX}sigterm_{workers}") as naam,
        server(
            naam, tmp_path / "server.log", "--workers", str(workers), "--graceful-timeout", "20"
        ) as s,
    ):
        assert s.proc is not None
        # Every request appends to the logboek under this advisory lock: holding it keeps one
        # request in flight, inside its transaction, for as long as the test wants.
        houder = await asyncpg.connect(database=naam, **PG)  # type: ignore[arg-type]
        try:
            await houder.execute("SELECT pg_advisory_lock($1)", KETEN_LOCK)
            async with httpx.AsyncClient(base_url=s.url, headers=KARIM, timeout=60) as c:
                verzoek = asyncio.create_task(c.get("/api/v1/casussen"))
                await _wacht_op_lock(houder, naam)
                await s.sigterm()
                await asyncio.sleep(1.5)
                assert not verzoek.done() and s.proc.returncode is None, "stopped too soon"
                # While it drains, the server takes no new work.
                # (refused with one worker; with several the supervisor still holds the socket,
                # so the connection waits in the backlog unanswered until the client gives up).
                async with httpx.AsyncClient(timeout=2) as nieuw:
                    with pytest.raises(httpx.TransportError):
                        await nieuw.get(f"{s.url}/api/v1/health")
                await houder.execute("SELECT pg_advisory_unlock($1)", KETEN_LOCK)
                antwoord = await asyncio.wait_for(verzoek, timeout=20)
            assert antwoord.status_code == 200, antwoord.text
            assert antwoord.json()["results"]
        finally:
            await houder.close()
        assert await asyncio.wait_for(s.proc.wait(), timeout=30) == 0, s.tekst()
        # The request's logboek entry was committed, and the chain still closes.
        assert "keten sluit" in await _cli(naam, "logboek", "verify")


async def test_installed_package_finds_its_migrations_like_the_image(tmp_path: Path) -> None:
    """The image installs the package non-editable and keeps the migrations in its working
    directory (/app): the same layout here, on SQLite (the single-host installation)."""
    bron = _map(tmp_path / "bron")
    for deel in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / deel, bron / deel)
    shutil.copytree(ROOT / "src", bron / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    site = tmp_path / "site"
    pip = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--target",
        str(site),
        str(bron),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit, _ = await asyncio.wait_for(pip.communicate(), timeout=300)
    assert pip.returncode == 0, uit.decode()
    app = _map(tmp_path / "app")
    shutil.copy(ROOT / "alembic.ini", app / "alembic.ini")
    shutil.copytree(ROOT / "migrations", app / "migrations")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOORBRAAK_", "PROMETHEUS_"))}
    env.update(
        PYTHONPATH=str(site),
        DOORBRAAK_DATABASE_URL=f"sqlite+aiosqlite:///{app / 'var' / 'doorbraak.db'}",
        DOORBRAAK_AUTH_MODE="dev",
    )

    async def python(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=app,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        uit, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
        assert proc.returncode == 0, uit.decode()
        return uit.decode()

    waar = await python("-c", "import doorbraak; print(doorbraak.__file__)")
    assert waar.strip().startswith(str(site)), waar
    assert "gemigreerd naar head" in await python("-m", "doorbraak.cli", "migrate")
    assert "logboek in orde" in await python("-m", "doorbraak.cli", "logboek", "verify")
    # Readiness compares the database with the head of the migrations it found: 200 here.
    poort = _vrije_poort()
    with (tmp_path / "server.log").open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "doorbraak.cli",
            "serve",
            "--port",
            str(poort),
            cwd=app,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        grens = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=2) as c:
            while True:
                assert proc.returncode is None, (tmp_path / "server.log").read_text()
                with contextlib.suppress(httpx.TransportError):
                    r = await c.get(f"http://127.0.0.1:{poort}/api/v1/health/gereed")
                    if r.status_code == 200:
                        break
                assert time.monotonic() < grens, (tmp_path / "server.log").read_text()
                await asyncio.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
    finally:
        if proc.returncode is None:
            os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()


def _map(pad: Path) -> Path:
    pad.mkdir(parents=True, exist_ok=True)
    return pad


def _kinderen(pid: int) -> dict[int, tuple[float, str]]:
    """The supervisor's child processes: pid -> (RSS in MB, command line)."""
    uit = subprocess.run(
        ["ps", "-ww", "--ppid", str(pid), "-o", "pid=,rss=,args="], capture_output=True, text=True
    ).stdout
    kinderen = {}
    for regel in uit.splitlines():
        p, rss, args = regel.split(None, 2)
        if "resource_tracker" not in args:
            kinderen[int(p)] = (int(rss) / 1024, args)
    return kinderen


def _bestaat(pad: str) -> bool:
    return os.path.exists(pad)


async def _deidentificatie_gereed(c: httpx.AsyncClient, grens_s: float = 300) -> None:
    grens = time.monotonic() + grens_s
    while (await c.get("/api/v1/health/gereed")).json()["deidentificatie"] != "gereed":
        assert time.monotonic() < grens, "the de-identification process never became ready"
        await asyncio.sleep(0.5)


async def test_workers_share_one_deidentification_process(tmp_path: Path) -> None:
    """deduce (about 1.1 GB) is loaded once, in a process beside the workers, which ask it over a
    private Unix socket: a name in a shared verhaal is refused through it, and after the process
    is killed the check answers 503 until the supervisor has started it again."""
    module = "doorbraak.leren.deidentificatie"
    verhaal = {
        "soort": "succes",
        "tekst": "Het dak is dicht dankzij buurman Gerrit Hofstede, die de ladder bracht.",
        "delen": True,
    }
    async with (
        database(f"{PREFIX}deidentificatie") as naam,
        server(naam, tmp_path / "server.log", "--workers", "2") as s,
    ):
        assert s.proc is not None
        async with httpx.AsyncClient(base_url=s.url, headers=KARIM, timeout=30) as c:
            await _deidentificatie_gereed(c)
            k = (await c.get("/api/v1/casussen")).json()["results"][0]["kenmerk"]
            pad = f"/api/v1/casussen/{k}/leerpunten"
            r = await c.post(pad, json=verhaal)
            assert r.status_code == 400, r.text
            assert [p["code"] for p in r.json()["invalidParams"]] == ["bevat-naam"]

            kinderen = _kinderen(s.proc.pid)
            gedeeld = [p for p, (_, args) in kinderen.items() if module in args]
            workers = [mb for mb, args in kinderen.values() if module not in args]
            assert len(gedeeld) == 1 and len(workers) == 2, kinderen
            # The workers hold no deduce of their own (it alone is over a gigabyte).
            assert max(workers) < 400 and kinderen[gedeeld[0]][0] > 400, kinderen
            print(
                f"RSS: workers {' / '.join(f'{mb:.0f}' for mb in workers)} MB, "
                f"de-identification process {kinderen[gedeeld[0]][0]:.0f} MB"
            )
            # Its socket lies in a directory only this user may enter.
            sock = next(args.split()[-1] for _, args in kinderen.values() if module in args)
            assert stat.S_IMODE(os.stat(os.path.dirname(sock)).st_mode) == 0o700
            assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600

            os.kill(gedeeld[0], signal.SIGKILL)
            r = await c.post(pad, json=verhaal)
            assert r.status_code == 503, r.text
            assert r.json()["code"] == "deidentificatie-niet-gereed"
            assert r.headers["Retry-After"] == "30"
            assert (await c.get("/api/v1/health/gereed")).status_code == 200

            await _deidentificatie_gereed(c)
            nieuw = [p for p, (_, args) in _kinderen(s.proc.pid).items() if module in args]
            assert len(nieuw) == 1 and nieuw != gedeeld
            r = await c.post(pad, json=verhaal)
            assert r.status_code == 400, r.text
            assert [p["code"] for p in r.json()["invalidParams"]] == ["bevat-naam"]

        await s.sigterm()
        assert await asyncio.wait_for(s.proc.wait(), timeout=30) == 0, s.tekst()
        # The supervisor stopped the process and removed its directory.
        assert not _bestaat(f"/proc/{nieuw[0]}") and not _bestaat(os.path.dirname(sock))
        regels = s.json_regels()
        assert any("restarting" in r["message"] for r in regels if r["level"] == "error")
        assert "Hofstede" not in s.tekst()
