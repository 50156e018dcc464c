"""Machinery for the fault suites: fresh PostgreSQL databases and real server processes.

The suites never share the databases of the ordinary tests: every suite drops and creates its own
database (names start with `doorbraak_fault_`), migrates it and loads the demo with the CLI, and
starts `python -m doorbraak.cli serve` as a subprocess in its own process group on a free port in
8301-8399, so a `kill -9` hits exactly that server and teardown can always clean it up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx

PG_HOST = os.environ.get("DOORBRAAK_FAULT_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("DOORBRAAK_FAULT_PG_PORT", "5432"))
PG_USER = os.environ.get("DOORBRAAK_FAULT_PG_USER", "postgres")
PREFIX = "doorbraak_fault_"
POORTEN = range(8301, 8400)
ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
PROBLEM = "application/problem+json"

# Client-side failures that leave the outcome of a request unknown (the server died, or the
# connection broke): the request must be retried with the same Idempotency-Key.
Onbeslist = (httpx.TransportError,)


def token(wie: str) -> dict[str, str]:
    return {"Authorization": f"Bearer demo-{wie}"}


def database_url(naam: str) -> str:
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{naam}"


async def verbind(naam: str = "postgres") -> asyncpg.Connection:
    return await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=naam)


def sql_naam(naam: str) -> str:
    if not naam.startswith(PREFIX) or not naam.replace("_", "").isalnum():
        raise ValueError(f"the fault suites only touch databases named {PREFIX}*: {naam!r}")
    return f'"{naam}"'


async def database_weg(naam: str) -> None:
    conn = await verbind()
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {sql_naam(naam)} WITH (FORCE)")
    finally:
        await conn.close()


def ankermap(naam: str) -> Path:
    """The logboek checkpoints of database `naam`: a folder of its own, since a checkpoint
    anchors one database's chain and the suites run several databases side by side."""
    return ROOT / "var" / "fault-ankers" / naam


def omgeving(naam: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOORBRAAK_")}
    env.update(
        {
            "DOORBRAAK_DATABASE_URL": database_url(naam),
            "DOORBRAAK_LOGBOEK_ANKERMAP": str(ankermap(naam)),
            "DOORBRAAK_AUTH_MODE": "dev",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


async def cli(naam: str, *args: str) -> tuple[int, str]:
    """`python -m doorbraak.cli ARGS` against database `naam`: exit code and output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "doorbraak.cli",
        *args,
        cwd=ROOT,
        env=omgeving(naam),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, uit.decode(errors="replace")


async def verse_database(naam: str) -> None:
    """Drop and create `naam`, migrate it and load the demo data, as an operator would."""
    conn = await verbind()
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {sql_naam(naam)} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {sql_naam(naam)}")
    finally:
        await conn.close()
    # A new database starts a new chain: the checkpoints of the one it replaces go with it.
    shutil.rmtree(ankermap(naam), ignore_errors=True)
    rc, uit = await cli(naam, "migrate")
    assert rc == 0, f"doorbraak migrate failed ({rc}):\n{uit}"
    # The demo organisation (afdelingen, medewerkers, tokens) without the demo casussen, so
    # that every casus in the database is one the harness made and can account for.
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        ORGANISATIE_LADEN,
        cwd=ROOT,
        env=omgeving(naam),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit_b, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, uit_b.decode(errors="replace")


ORGANISATIE_LADEN = """
import asyncio
from doorbraak.config import get_settings
from doorbraak.db import create_engine, create_sessionmaker
from tests.personas import organisatie as organisatie_laden

async def main():
    engine = create_engine(get_settings())
    async with create_sessionmaker(engine)() as session:
        await organisatie_laden(session)
        await session.commit()
    await engine.dispose()

asyncio.run(main())
"""


async def logboek_verify(naam: str) -> tuple[int, str]:
    return await cli(naam, "logboek", "verify")


async def backends(naam: str) -> int:
    """Connections to database `naam` other than the asking one."""
    conn = await verbind()
    try:
        aantal = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            naam,
        )
        return int(aantal)
    finally:
        await conn.close()


async def wacht_tot_backends_weg(naam: str, binnen: float = 30.0) -> None:
    """After a SIGKILL every transaction of the dead server must be resolved (committed or
    rolled back by PostgreSQL) before the harness judges what happened."""
    grens = time.monotonic() + binnen
    while await backends(naam):
        if time.monotonic() > grens:
            raise AssertionError(f"connections of the killed server to {naam} did not go away")
        await asyncio.sleep(0.05)


# Widening the window between COMMIT and the answer: a deferred constraint trigger on `tijdlijn`
# (every write of the suites adds a tijdlijn row) sleeps inside COMMIT while the harness asks for
# it. A server killed during that sleep leaves a transaction that commits without its answer ever
# leaving the process: exactly the case an Idempotency-Key retry must replay, not run twice.
_VERTRAGING = """
CREATE TABLE doorbraak_fault_vertraging (ms integer NOT NULL, actie text);
INSERT INTO doorbraak_fault_vertraging VALUES (0, NULL);
CREATE FUNCTION doorbraak_fault_vertraag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep(ms / 1000.0) FROM doorbraak_fault_vertraging
        WHERE ms > 0 AND (actie IS NULL OR actie = NEW.actie);
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER doorbraak_fault_vertraag AFTER INSERT ON tijdlijn
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION doorbraak_fault_vertraag();
"""


async def commitvertraging_installeren(naam: str) -> None:
    conn = await verbind(naam)
    try:
        await conn.execute(_VERTRAGING)
        # A COMMIT must run to its end even when the client is gone (the PostgreSQL default).
        await conn.execute(
            f"ALTER DATABASE {sql_naam(naam)} SET client_connection_check_interval = 0"
        )
    finally:
        await conn.close()


async def commitvertraging(naam: str, ms: int, actie: str | None = None) -> None:
    """Writes that add a tijdlijn row (of kind `actie`, or any) sleep `ms` inside COMMIT."""
    conn = await verbind(naam)
    try:
        await conn.execute("UPDATE doorbraak_fault_vertraging SET ms = $1, actie = $2", ms, actie)
    finally:
        await conn.close()


async def wacht_op_slapende_commit(naam: str, binnen: float = 15.0) -> bool:
    """Until a transaction of `naam` sleeps inside its COMMIT (False after `binnen` seconds)."""
    grens = time.monotonic() + binnen
    conn = await verbind()
    try:
        while not await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'PgSleep'",
            naam,
        ):
            if time.monotonic() > grens:
                return False
            await asyncio.sleep(0.005)
        return True
    finally:
        await conn.close()


def _poort_vrij(poort: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", poort))
        except OSError:
            return False
    return True


_GEBRUIKT: set[int] = set()


def vrije_poort() -> int:
    kandidaten = [p for p in POORTEN if p not in _GEBRUIKT]
    random.shuffle(kandidaten)
    for poort in kandidaten:
        if _poort_vrij(poort):
            _GEBRUIKT.add(poort)
            return poort
    raise RuntimeError("no free port in 8301-8399")


def _open_log(pad: Path) -> IO[bytes]:
    return pad.open("ab")


class Server:
    """One `doorbraak serve` process (uvicorn, one worker) on its own port and process group."""

    def __init__(self, naam: str, logmap: Path, label: str) -> None:
        self.naam = naam
        self.label = label
        self.poort = vrije_poort()
        self.log = logmap / f"server-{label}.log"
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.poort}"

    async def start(self, binnen: float = 30.0) -> None:
        assert self.proc is None or self.proc.returncode is not None, "server still running"
        with _open_log(self.log) as log:
            log.write(f"\n--- start {self.starts + 1} on port {self.poort} ---\n".encode())
            log.flush()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "doorbraak.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.poort),
                "--graceful-timeout",
                "2",
                cwd=ROOT,
                env=omgeving(self.naam),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self.starts += 1
        await self.wacht_op_gezond(binnen)

    async def wacht_op_gezond(self, binnen: float = 30.0) -> None:
        grens = time.monotonic() + binnen
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
            while True:
                if self.proc is not None and self.proc.returncode is not None:
                    raise AssertionError(
                        f"server {self.label} exited with {self.proc.returncode}:\n{self.staart()}"
                    )
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{API}/health")).status_code == 200:
                        return
                if time.monotonic() > grens:
                    raise AssertionError(f"server {self.label} not healthy:\n{self.staart()}")
                await asyncio.sleep(0.1)

    def _signaal(self, sig: signal.Signals) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    async def kill9(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye; in-flight requests just lose their answer."""
        assert self.proc is not None
        self._signaal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self._signaal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=10)
        except TimeoutError:
            await self.kill9()

    def staart(self, regels: int = 60) -> str:
        try:
            tekst = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(tekst.splitlines()[-regels:])

    def interne_fouten(self) -> list[str]:
        """Log lines of unexpected errors (the 500 handler, or an exception escaping the app)."""
        try:
            tekst = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return []
        merk = ("unexpected error on", "Exception in ASGI application")
        return [r for r in tekst.splitlines() if any(m in r for m in merk)]


class Servers:
    """Starts servers for one test and kills every one of them afterwards, even on failure."""

    def __init__(self, logmap: Path) -> None:
        self.logmap = logmap
        self.alle: list[Server] = []

    async def start(self, naam: str, label: str) -> Server:
        for _ in range(3):  # another run may grab the chosen port between the check and the bind
            server = Server(naam, self.logmap, label)
            self.alle.append(server)
            try:
                await server.start()
                return server
            except AssertionError:
                await server.stop()
                if "address already in use" not in server.staart().lower():
                    raise
        raise AssertionError("could not start a server on a free port")

    async def stop_alle(self) -> None:
        for server in self.alle:
            with contextlib.suppress(Exception):
                await server.stop()
            server._signaal(signal.SIGKILL)
            _GEBRUIKT.discard(server.poort)


@contextlib.asynccontextmanager
async def servers(logmap: Path) -> AsyncIterator[Servers]:
    beheer = Servers(logmap)
    try:
        yield beheer
    finally:
        await beheer.stop_alle()


def is_probleem(r: httpx.Response) -> bool:
    return r.headers.get("content-type", "").startswith(PROBLEM)


def kenmerknummer(kenmerk: str) -> int:
    return int(kenmerk.rsplit("-", 1)[1])


async def alle_casussen(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every casus the client sees, following the keyset pagination's `next` links."""
    resultaten: list[dict[str, Any]] = []
    url: str | None = f"{API}/casussen?limit=100"
    while url:
        r = await client.get(url)
        assert r.status_code == 200, r.text
        pagina = r.json()
        resultaten.extend(pagina["results"])
        url = pagina.get("next")
    return resultaten


# Count lines of the suites: printed at once (visible with `pytest -s`) and repeated in pytest's
# terminal summary (see conftest.py), so CI output always shows them.
TELLINGEN: list[str] = []


def meld(regel: str) -> None:
    TELLINGEN.append(regel)
    print(regel, flush=True)
