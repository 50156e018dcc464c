"""Test harness: a real database migrated by Alembic (SQLite, or PostgreSQL when
DOORBRAAK_TEST_DATABASE_URL is set), emptied between tests, and API clients per demo medewerker."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_TMP = Path(tempfile.mkdtemp(prefix="doorbraak-test-"))
TEST_URL = (
    os.environ.get("DOORBRAAK_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
)
os.environ["DOORBRAAK_DATABASE_URL"] = TEST_URL
os.environ.setdefault("DOORBRAAK_AUTH_MODE", "dev")
# A shared CI machine can be slow: tests that queue many SQLite writers assert that all of them get
# through, so they wait longer for the write lock than the production default of 5 s.
os.environ.setdefault("DOORBRAAK_SQLITE_BUSY_TIMEOUT_MS", "30000")
# Export runs started through the API write here, never into the working tree.
os.environ["DOORBRAAK_EXPORT_MAP"] = str(_TMP / "export")
# The logboek's checkpoints go here; the chain is keyed with a key of this run, not the public
# development key (which an attacker knows from the source code).
ANKERMAP = _TMP / "logboek-ankers"
os.environ["DOORBRAAK_LOGBOEK_ANKERMAP"] = str(ANKERMAP)
os.environ["DOORBRAAK_LOGBOEK_SLEUTEL"] = "test:" + base64.b64encode(os.urandom(32)).decode()

from doorbraak.app import create_app  # noqa: E402
from doorbraak.auth.cache import alles_legen  # noqa: E402
from doorbraak.config import get_settings  # noqa: E402
from doorbraak.db import Base, create_engine  # noqa: E402
from doorbraak.leren import anonimiteit  # noqa: E402
from doorbraak.werk.systeem import Omgeving  # noqa: E402
from tests.bsn_wachter import GEVONDEN, BsnLoghandler, BsnWachter  # noqa: E402
from tests.personas import organisatie as organisatie_laden  # noqa: E402

IS_POSTGRES = TEST_URL.startswith("postgresql")
postgres_only = pytest.mark.skipif(
    not IS_POSTGRES, reason="needs PostgreSQL (DOORBRAAK_TEST_DATABASE_URL)"
)


def _migreer() -> None:
    from alembic import command

    from doorbraak.cli import alembic_config

    command.upgrade(alembic_config(TEST_URL), "head")


@pytest.fixture(scope="session")
async def _schema() -> AsyncIterator[None]:
    get_settings.cache_clear()
    if IS_POSTGRES:
        engine = create_engine(get_settings())
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    import asyncio

    await asyncio.to_thread(_migreer)
    yield


@pytest.fixture(scope="session")
async def app(_schema: None) -> AsyncIterator[object]:
    application = create_app(get_settings())
    # Every response of the test run is scanned for the demo BSNs (tests/bsn_wachter.py).
    application.add_middleware(BsnWachter)
    yield application
    await application.state.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _deduce_opwarmen() -> None:
    """Dutch de-identification builds its lookup tables once (a minute or two): start that at
    the beginning of the test session, in its thread, as the app does at start-up."""
    anonimiteit.start_opwarmen()


@pytest.fixture
def deduce_gereed() -> None:
    """For tests that share a text: wait (here, never in a request) until deduce is ready."""
    assert anonimiteit.wacht_tot_gereed(timeout=900), f"deduce: {anonimiteit.status()}"


@pytest.fixture(scope="session")
def sessionmaker(app: object) -> async_sessionmaker[AsyncSession]:
    return app.state.sessionmaker  # type: ignore[attr-defined, no-any-return]


def omgeving_van(maker: async_sessionmaker[AsyncSession]) -> Omgeving:
    """The unit of work of commands and jobs (werk/systeem.py) on the test database."""
    return Omgeving(settings=get_settings(), engine=maker.kw["bind"], maker=maker)


async def leegmaken(maker: async_sessionmaker[AsyncSession]) -> None:
    # Emptied behind the app's back (plain SQL): what the workers' token caches hold is gone.
    alles_legen()
    tabellen = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with maker() as session:
        if IS_POSTGRES:
            # The logboek refuses deletion by trigger; tests reset it as the superuser may.
            await session.execute(text("SET session_replication_role = replica"))
            await session.execute(text(f"TRUNCATE {', '.join(tabellen)} RESTART IDENTITY CASCADE"))
            await session.execute(text("SET session_replication_role = DEFAULT"))
        else:
            async with zonder_logboektriggers(session):
                for tabel in tabellen:
                    await session.execute(text(f"DELETE FROM {tabel}"))
        await session.commit()


@contextlib.asynccontextmanager
async def zonder_logboektriggers(session: AsyncSession) -> AsyncIterator[None]:
    """SQLite: the logboek refuses UPDATE and DELETE by trigger; whoever holds the file can drop
    the triggers (as this does, for resetting between tests and for simulating tampering)."""
    triggers = (
        await session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'logboek'"
            )
        )
    ).all()
    for naam, _ in triggers:
        await session.execute(text(f"DROP TRIGGER {naam}"))
    yield
    for _, sql in triggers:
        await session.execute(text(sql))


@pytest.fixture(scope="session", autouse=True)
def _bsn_loghandler() -> Iterator[None]:
    """Every log line of the test run, DEBUG included, is scanned for the demo BSNs."""
    handler = BsnLoghandler(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    doorbraak_logger = logging.getLogger("doorbraak")
    vorig_niveau = doorbraak_logger.level
    root.addHandler(handler)
    doorbraak_logger.setLevel(logging.DEBUG)
    yield
    root.removeHandler(handler)
    doorbraak_logger.setLevel(vorig_niveau)


@pytest.fixture(autouse=True)
def _geen_bsn_gelekt() -> Iterator[None]:
    GEVONDEN.clear()
    yield
    gelekt = list(GEVONDEN)
    GEVONDEN.clear()
    assert not gelekt, f"a BSN left the system: {gelekt}"


@pytest.fixture(autouse=True)
async def db(
    sessionmaker: async_sessionmaker[AsyncSession], app: object
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await leegmaken(sessionmaker)
    # Anonymous requests of an earlier test are counted, not yet written: forget them too.
    app.state.anoniem.tellingen.clear()  # type: ignore[attr-defined]
    # Checkpoints of an earlier test's chain would report this fresh one as emptied.
    shutil.rmtree(ANKERMAP, ignore_errors=True)
    async with sessionmaker() as session:
        await organisatie_laden(session)
        await session.commit()
    yield sessionmaker


Api = Callable[[str | None], httpx.AsyncClient]


@pytest.fixture
async def api(app: object) -> AsyncIterator[Api]:
    """`api("karim")` is a client authenticated as that demo medewerker; `api(None)` is anonymous."""
    clients: list[httpx.AsyncClient] = []

    def maak(wie: str | None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer demo-{wie}"} if wie else {}
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
            headers=headers,
        )
        clients.append(client)
        return client

    yield maak
    for client in clients:
        await client.aclose()
