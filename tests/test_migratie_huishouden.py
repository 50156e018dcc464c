"""Migration `huishouden`: the free-text perspectief of a casus becomes the first doel of its
perspectiefplan; the downgrade writes the doelen back into `perspectief`. On the database of
the test run (SQLite, or PostgreSQL with DOORBRAAK_TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.test_migratie_integriteit import NU, _u, leeg  # noqa: F401  (the fixture)

VOOR = "leren"
TEKST = "Warm en droog voor de winter,\nde kinderen weer naar school."


def _naar(url: str, revisie: str, *, omlaag: bool = False) -> None:
    from alembic import command

    from doorbraak.cli import alembic_config

    if omlaag:
        command.downgrade(alembic_config(url), revisie)
    else:
        command.upgrade(alembic_config(url), revisie)


async def test_perspectief_moves_into_the_plan_and_back(leeg: str) -> None:  # noqa: F811
    await asyncio.to_thread(_naar, leeg, VOOR)
    engine = create_async_engine(leeg)
    mw = uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO afdelingen (code, naam, actief, aangemaakt_op, versie) "
                    "VALUES ('wonen', 'Wonen', true, :nu, 1)"
                ),
                {"nu": NU},
            )
            await conn.execute(
                text(
                    "INSERT INTO medewerkers (id, naam, email, afdeling_code, rollen, "
                    "mandaat_max_bedrag_cent, actief, aangemaakt_op, versie) VALUES "
                    "(:id, 'M', 'm@x.example', 'wonen', '[\"medewerker\"]', 0, true, :nu, 1)"
                ),
                {"id": _u(mw), "nu": NU},
            )
            for kenmerk, perspectief in (
                ("DB-2026-0001", TEKST),
                ("DB-2026-0002", None),
                ("DB-2026-0003", "   "),
            ):
                await conn.execute(
                    text(
                        "INSERT INTO casussen (kenmerk, titel, situatie, urgentie, fase, "
                        "vertrouwelijkheid, aanmelder_id, aangemeld_op, gewijzigd_op, versie, "
                        "perspectief) VALUES (:k, 't', 's', 'hoog', 'afpellen', "
                        "'vertrouwelijk', :mw, :nu, :nu, 1, :p)"
                    ),
                    {"k": kenmerk, "mw": _u(mw), "nu": NU, "p": perspectief},
                )
        await asyncio.to_thread(_naar, leeg, "huishouden")
        async with engine.connect() as conn:
            doelen = (
                await conn.execute(
                    text(
                        "SELECT c.kenmerk, d.leefgebied, d.tekst, d.gezegd_door_id FROM doelen d "
                        "JOIN casussen c ON c.id = d.casus_id"
                    )
                )
            ).all()
            kolommen = await conn.run_sync(
                lambda c: [
                    k["name"] for k in __import__("sqlalchemy").inspect(c).get_columns("casussen")
                ]
            )
        assert [tuple(d) for d in doelen] == [("DB-2026-0001", "overig", TEKST, None)]
        assert "perspectief" not in kolommen and "doorbraakvraag" in kolommen

        await asyncio.to_thread(_naar, leeg, VOOR, omlaag=True)
        async with engine.connect() as conn:
            terug = dict(
                (await conn.execute(text("SELECT kenmerk, perspectief FROM casussen"))).all()
            )
    finally:
        await engine.dispose()
    # The migrated text comes back unchanged; a blank one was no perspectief and comes back empty.
    assert terug == {"DB-2026-0001": TEKST, "DB-2026-0002": None, "DB-2026-0003": None}
