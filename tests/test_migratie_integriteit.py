"""Migration 0009_integ corrects the rows written under the old rules: afwijkingen of withdrawn
or replaced besluiten go out of force with them (their rugdekking decision kept apart), and the
one paying afdeling of a besluit becomes its cost split."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import IS_POSTGRES, TEST_URL

VOOR = "0009_arch"


@pytest.fixture
async def leeg(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of its own (never the shared test database)."""
    if not IS_POSTGRES:
        yield f"sqlite+aiosqlite:///{tmp_path / 'migratie.db'}"
        return
    basis, naam = TEST_URL.rsplit("/", 1)
    eigen = f"{naam}_migratie"
    beheer = create_async_engine(f"{basis}/postgres", isolation_level="AUTOCOMMIT")
    async with beheer.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{eigen}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{eigen}"'))
    try:
        yield f"{basis}/{eigen}"
    finally:
        async with beheer.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{eigen}" WITH (FORCE)'))
        await beheer.dispose()


def _migreer(url: str, revisie: str) -> None:
    from alembic import command

    from doorbraak.cli import alembic_config

    command.upgrade(alembic_config(url), revisie)


_NU = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
NU = _NU if IS_POSTGRES else _NU.isoformat()


def _u(waarde: uuid.UUID) -> str:
    """A uuid as the Uuid column stores it: 32 hex digits on SQLite, the uuid type on PostgreSQL."""
    return str(waarde) if IS_POSTGRES else waarde.hex


async def _oude_rijen(engine: AsyncEngine) -> dict[str, uuid.UUID]:
    ids = {n: uuid.uuid4() for n in ("mw", "regel", "ingetrokken", "vervangen", "geldend")}
    ids |= {f"a_{n}": uuid.uuid4() for n in ("ingetrokken", "vervangen", "geldend", "afgewezen")}
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO afdelingen (code, naam, actief, aangemaakt_op, versie) "
                "VALUES ('vastgoed', 'Vastgoed', true, :nu, 1)"
            ),
            {"nu": NU},
        )
        await conn.execute(
            text(
                "INSERT INTO medewerkers (id, naam, email, afdeling_code, rollen, "
                "mandaat_max_bedrag_cent, actief, aangemaakt_op, versie) VALUES "
                "(:id, 'M', 'm@x.example', 'vastgoed', '[\"medewerker\"]', 0, true, :nu, 1)"
            ),
            {"id": _u(ids["mw"]), "nu": NU},
        )
        await conn.execute(
            text(
                "INSERT INTO casussen (kenmerk, titel, situatie, urgentie, fase, "
                "vertrouwelijkheid, aanmelder_id, aangemeld_op, gewijzigd_op, versie) VALUES "
                "('DB-2026-0001', 't', 's', 'hoog', 'maatwerk', 'vertrouwelijk', :mw, :nu, :nu, 1)"
            ),
            {"mw": _u(ids["mw"]), "nu": NU},
        )
        casus_id = (await conn.execute(text("SELECT id FROM casussen"))).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO regels (id, titel, regeling, artikel, soort, actief, aangemaakt_op, "
                "versie) VALUES (:id, 'Offertes', 'Inkoop', '3', 'wet', true, :nu, 1)"
            ),
            {"id": _u(ids["regel"]), "nu": NU},
        )
        for besluit, status in (
            ("ingetrokken", "ingetrokken"),
            ("vervangen", "vervangen"),
            ("geldend", "vastgesteld"),
        ):
            await conn.execute(
                text(
                    "INSERT INTO besluiten (id, casus_id, omschrijving, motivering, "
                    "kosten_eenmalig_cent, kosten_per_jaar_cent, betalende_afdeling_code, status, "
                    "opgesteld_door_id, aangemaakt_op, versie) VALUES "
                    "(:id, :casus, 'o', 'm', 1000, 50, 'vastgoed', :status, :mw, :nu, 1)"
                ),
                {
                    "id": _u(ids[besluit]),
                    "casus": casus_id,
                    "status": status,
                    "mw": _u(ids["mw"]),
                    "nu": NU,
                },
            )
        for afwijking, besluit, status in (
            ("a_ingetrokken", "ingetrokken", "gedekt"),
            ("a_vervangen", "vervangen", "gedekt"),
            ("a_geldend", "geldend", "gedekt"),
            ("a_afgewezen", "ingetrokken", "afgewezen"),
        ):
            await conn.execute(
                text(
                    "INSERT INTO afwijkingen (id, casus_id, besluit_id, regel_id, "
                    "wat_de_regel_zegt, wat_we_doen, grondslag, motivering, "
                    "waardentoets_legitimiteit, waardentoets_rendement, "
                    "waardentoets_betrokkenheid, risico, financieel_belang_cent, beleidssignaal, "
                    "status, voorgesteld_door_id, aangemaakt_op, rugdekking_door_id, "
                    "rugdekking_op, versie) VALUES (:id, :casus, :besluit, :regel, 'a', 'b', "
                    "'awb_4_84', 'c', 'd', 'e', 'f', 'laag', 0, false, :status, :mw, :nu, :mw, "
                    ":nu, 2)"
                ),
                {
                    "id": _u(ids[afwijking]),
                    "casus": casus_id,
                    "besluit": _u(ids[besluit]),
                    "regel": _u(ids["regel"]),
                    "status": status,
                    "mw": _u(ids["mw"]),
                    "nu": NU,
                },
            )
    return ids


async def test_the_migration_corrects_rows_of_the_old_rules(leeg: str) -> None:
    await asyncio.to_thread(_migreer, leeg, VOOR)
    engine = create_async_engine(leeg)
    try:
        ids = await _oude_rijen(engine)
        await asyncio.to_thread(_migreer, leeg, "head")
        async with engine.connect() as conn:
            rijen = (
                await conn.execute(text("SELECT id, status, rugdekking_oordeel FROM afwijkingen"))
            ).all()
            per = {uuid.UUID(str(r[0])): (str(r[1]), r[2] and str(r[2])) for r in rijen}
            aandelen = (
                await conn.execute(
                    text("SELECT afdeling_code, eenmalig_cent, per_jaar_cent FROM kostenaandelen")
                )
            ).all()
    finally:
        await engine.dispose()
    assert per[ids["a_ingetrokken"]] == ("ingetrokken", "gedekt")
    assert per[ids["a_vervangen"]] == ("vervangen", "gedekt")
    assert per[ids["a_geldend"]] == ("gedekt", "gedekt")
    assert per[ids["a_afgewezen"]] == ("ingetrokken", "afgewezen")
    assert sorted(tuple(a) for a in aandelen) == [("vastgoed", 1000, 50)] * 3
