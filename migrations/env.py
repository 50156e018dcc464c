"""Alembic environment: async engine, same URL as the app, runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

import doorbraak.models  # noqa: F401  (registers every table on Base.metadata)
from doorbraak.config import Settings, get_settings
from doorbraak.db import Base, create_engine
from doorbraak.migraties import app_rol_rechten

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    explicit = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return str(explicit) if explicit else get_settings().database_url


def _configure(connection: Connection | None = None, **kwargs: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode copies a table and drops the original; with foreign keys on, SQLite would
        # refuse to drop a table that others refer to. The pragma only works outside a
        # transaction (SQLite's own procedure for altering tables); the keys are checked after.
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        rol = config.attributes.get("app_rol") or get_settings().database_app_rol
        if rol and connection.dialect.name == "postgresql":
            # New tables of this migration get the app role's rights in the same transaction.
            app_rol_rechten(connection, rol)
    if sqlite:
        fouten = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.commit()
        _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")
        if fouten:
            raise RuntimeError(f"foreign keys broken by the migration: {fouten[:5]}")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    """A pragma on the driver connection itself, outside any transaction."""
    driver = connection.connection.dbapi_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(pragma)
    finally:
        cursor.close()


async def run_online() -> None:
    engine = create_engine(Settings(database_url=_url()))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
