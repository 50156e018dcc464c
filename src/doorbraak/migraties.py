"""Where the Alembic migrations are, and which revision is head.

The migrations are not inside the Python package: in a source checkout they sit next to `src/`,
in the container image in the working directory (`/app/migrations`). An installed (non-editable)
package therefore finds them by setting, else next to the source tree, else in the working
directory, in that order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from doorbraak.config import Settings, get_settings

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where it is used, not here: the app imports this module for its
# readiness check, and every worker would pay Alembic's import (about a tenth of its cold
# start) before its first request.

BRONBOOM = Path(__file__).resolve().parents[2]


def migratiemap(settings: Settings | None = None, bronboom: Path = BRONBOOM) -> Path:
    settings = settings or get_settings()
    kandidaten = (
        [settings.migrations_dir]
        if settings.migrations_dir
        else [bronboom / "migrations", Path.cwd() / "migrations"]
    )
    for map_ in kandidaten:
        if (map_ / "env.py").is_file():
            return map_.resolve()
    raise FileNotFoundError(
        "Alembic migrations not found (looked in "
        + ", ".join(str(k) for k in kandidaten)
        + "); set DOORBRAAK_MIGRATIONS_DIR"
    )


def alembic_config(url: str | None = None, settings: Settings | None = None) -> Config:
    from alembic.config import Config

    map_ = migratiemap(settings)
    ini = map_.parent / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(map_))
    config.attributes["configure_logger"] = False
    if url:
        config.attributes["url"] = url
    return config


@lru_cache
def head(map_: Path) -> str:
    """The head revision of the migrations in `map_` (read from the files once per process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(map_))
    revisie = ScriptDirectory.from_config(config).get_current_head()
    if revisie is None:
        raise RuntimeError(f"no Alembic head in {map_}")
    return revisie


async def huidige_revisie(conn: AsyncConnection) -> str | None:
    """The revision the database is at, None when it was never migrated."""
    try:
        revisie = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except (sa_exc.ProgrammingError, sa_exc.OperationalError):
        # No alembic_version table: this database was never migrated.
        return None
    return str(revisie) if revisie is not None else None


_ROLNAAM = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_rol_rechten(connection: Connection, rol: str) -> None:
    """PostgreSQL: what the app's own login role may do, granted after every migration.

    The migrations run as the owner of the tables; the app connects as a role that owns none,
    so it cannot disable the logboek's trigger or drop anything. It reads and writes the tables,
    and on the logboek it may only add and read: no UPDATE, DELETE or TRUNCATE. The database's
    identity (`installatie`) it may only read."""
    if not _ROLNAAM.match(rol):
        raise ValueError("DOORBRAAK_DATABASE_APP_ROL: a lower-case PostgreSQL role name")
    eigenaar = connection.scalar(text("SELECT current_user"))
    if eigenaar == rol:
        raise ValueError(
            "DOORBRAAK_DATABASE_APP_ROL is the role that runs the migrations (the tables' "
            "owner): give the app a role of its own (docs/installation.md)"
        )
    schema = connection.scalar(text("SELECT current_schema()"))
    for sql in (
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{rol}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{rol}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{rol}"',
    ):
        connection.execute(text(sql))
    # Only the tables this revision has (a downgrade can leave fewer).
    for tabel, rechten in (
        ("logboek", "UPDATE, DELETE, TRUNCATE"),
        ("installatie", "INSERT, UPDATE, DELETE, TRUNCATE"),
        ("alembic_version", "INSERT, UPDATE, DELETE, TRUNCATE"),
    ):
        if connection.scalar(text("SELECT to_regclass(:t)"), {"t": tabel}) is not None:
            connection.execute(text(f'REVOKE {rechten} ON {tabel} FROM "{rol}"'))
