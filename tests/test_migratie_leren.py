"""Migration `leren`: every regel gets version 1 and every afwijking links to it; the signals
written by the casusteam become beleid's beleidssignalen with their status mapped; downgrade
maps them back."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.test_migratie_integriteit import NU, _migreer, _oude_rijen, _u, leeg

__all__ = ["leeg"]

VOOR = "installatie"


def _terug(url: str, revisie: str) -> None:
    from alembic import command

    from doorbraak.cli import alembic_config

    command.downgrade(alembic_config(url), revisie)


async def test_the_migration_makes_versions_and_signals_of_beleid(leeg: str) -> None:
    await asyncio.to_thread(_migreer, leeg, VOOR)
    engine = create_async_engine(leeg)
    try:
        ids = await _oude_rijen(engine)
        leerpunt = uuid.uuid4()
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE afwijkingen SET beleidssignaal = true, signaal_status = 'verwerkt' "
                    "WHERE id = :id"
                ),
                {"id": _u(ids["a_geldend"])},
            )
            casus_id = (await conn.execute(text("SELECT id FROM casussen"))).scalar_one()
            await conn.execute(
                text(
                    "INSERT INTO leerpunten (id, casus_id, soort, tekst, delen, signaal_status, "
                    "aangemaakt_op, versie) VALUES (:id, :casus, 'systeem', 'Eén offerte', false, "
                    "'niet_overgenomen', :nu, 1)"
                ),
                {"id": _u(leerpunt), "casus": casus_id, "nu": NU},
            )
        await asyncio.to_thread(_migreer, leeg, "head")
        async with engine.connect() as conn:
            versies = (
                await conn.execute(text("SELECT id, regel_id, nummer, tekst FROM regelversies"))
            ).all()
            zonder = await conn.scalar(
                text("SELECT count(*) FROM afwijkingen WHERE regelversie_id IS NULL")
            )
            signalen = {
                uuid.UUID(str(r[0])): (str(r[1]), str(r[2]))
                for r in (
                    await conn.execute(text("SELECT id, bron, status FROM beleidssignalen"))
                ).all()
            }
        assert [(uuid.UUID(str(v[1])), v[2], v[3]) for v in versies] == [
            (ids["regel"], 1, "Offertes")
        ]
        assert zonder == 0
        assert signalen == {
            ids["a_geldend"]: ("afwijking", "werkwijze_aangepast"),
            leerpunt: ("leerpunt", "niet_aangepast"),
        }
        await asyncio.to_thread(_terug, leeg, VOOR)
        async with engine.connect() as conn:
            oud = {
                uuid.UUID(str(r[0])): r[1]
                for r in (
                    await conn.execute(
                        text(
                            "SELECT id, signaal_status FROM afwijkingen UNION ALL "
                            "SELECT id, signaal_status FROM leerpunten"
                        )
                    )
                ).all()
            }
        assert oud[ids["a_geldend"]] == "verwerkt" and oud[leerpunt] == "niet_overgenomen"
        assert oud[ids["a_vervangen"]] is None
    finally:
        await engine.dispose()
