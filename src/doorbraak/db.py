"""Database: declarative Base with a naming convention, engine and session factories.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on, and every
transaction starts with BEGIN IMMEDIATE: requests that touch case data also write the logboek, and
a deferred transaction that later upgrades to a writer can fail with "database is locked" whatever
the busy timeout. Taking the write lock up front makes SQLite queue writers instead.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import CheckConstraint, DateTime, MetaData, String, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from doorbraak.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC instants on both databases (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        # Keyset cursors rebuild their values by this type (SQLAlchemy 2.1 answers `object`).
        return dt.datetime

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


E = TypeVar("E", bound=StrEnum)


class Keuze(TypeDecorator[E], Generic[E]):
    """A closed vocabulary (a StrEnum of models/enums.py) in a string column: the value is
    stored, the member comes back, and anything outside the vocabulary is refused before it
    reaches the database (which refuses it too: `keuzecontrole` below, migration 0009)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum
        self.length = length

    @property
    def python_type(self) -> type[E]:
        return self.enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(self.enum(value).value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum(value)


def keuzecontrole(kolom: str, enum: type[StrEnum]) -> CheckConstraint:
    """The database's own check that `kolom` holds a value of `enum` (named ck_<tabel>_<kolom>)."""
    waarden = ", ".join(f"'{e.value}'" for e in enum)
    return CheckConstraint(f"{kolom} IN ({waarden})", name=kolom)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(settings: Settings, *, lezer: bool = False, **overrides: Any) -> AsyncEngine:
    """`lezer=True`: an engine for long read-only snapshots (the export). On SQLite its
    transactions begin DEFERRED, so a long read holds no write lock and writers go on."""
    url = settings.database_url
    if is_sqlite(url):
        engine = create_async_engine(
            url,
            connect_args={"timeout": settings.sqlite_busy_timeout_ms / 1000},
            hide_parameters=True,
            **overrides,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms, lezer=lezer)
        return engine
    kwargs: dict[str, Any] = {
        "pool_size": settings.database_pool_size,
        "max_overflow": 0,
        "pool_timeout": settings.database_pool_timeout,
        # Pinged on checkout by `_configure_postgres` in one round trip instead (see there).
        "pool_pre_ping": False,
        # Error messages must never carry row values (names, case text) into a log line.
        "hide_parameters": True,
    }
    kwargs.update(overrides)
    engine = create_async_engine(url, **kwargs)
    _configure_postgres(engine, ping=not kwargs["pool_pre_ping"])
    return engine


def ping_bij_uitgifte(engine: AsyncEngine) -> None:
    """Check a pooled connection before a request uses it, in one round trip.

    A PostgreSQL restart breaks every pooled connection; without a check the first request on
    each would fail. SQLAlchemy's `pool_pre_ping` does that check for asyncpg with three round
    trips (BEGIN, `;` as a prepared statement, ROLLBACK), on every checkout, and a read checks
    out twice (its own transaction and the logboek's group commit): the profile of issue 19
    found it was 62 % of loading a casus. One simple-protocol `SELECT 1` answers the same question
    (is the server still there for this connection?) and, holding no prepared statement, is as
    safe behind pgbouncer in transaction mode. A broken connection raises DisconnectionError,
    which makes the pool replace it and check the new one out (the same recovery path as
    pre-ping); a connection made just now is not pinged."""

    @event.listens_for(engine.sync_engine, "connect")
    def _vers(_dbapi_connection: Any, record: Any) -> None:
        record.info["doorbraak_vers"] = True

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.pop("doorbraak_vers", False):
            return
        try:
            dbapi_connection.run_async(lambda verbinding: verbinding.execute("SELECT 1"))
        except Exception as fout:
            raise sa_exc.DisconnectionError(
                f"pooled connection is gone: {type(fout).__name__}"
            ) from fout


def _configure_postgres(engine: AsyncEngine, *, ping: bool = True) -> None:
    if ping:
        ping_bij_uitgifte(engine)

    @event.listens_for(engine.sync_engine, "handle_error")
    def _geen_verbinding(context: ExceptionContext) -> None:
        # No connection could be made at all (the server restarts, refuses connections to this
        # database, or has no slots left). SQLAlchemy reports that as a plain DBAPIError, which
        # the request boundary does not recognise; mark it as the lost connection it amounts
        # to, so the client gets 503 with Retry-After, never a 500. Connect failures are the
        # only errors raised without a connection besides a failed pre-ping (handled already).
        if context.connection is None and not context.is_pre_ping:
            context.is_disconnect = True


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int, *, lezer: bool = False) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if lezer else "BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
