"""Migration `kosten`: every betrokkene's yearly cost becomes the first entry of its post in the
ledger, a casus past in_kaart gets its nulmeting, and down writes the ledger's current value back
to the betrokkene's column."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import IS_POSTGRES
from tests.test_migratie_integriteit import NU, _migreer, _u, leeg

__all__ = ["leeg"]

VOOR = "leren"


def _terug(url: str, revisie: str) -> None:
    from alembic import command

    from doorbraak.cli import alembic_config

    command.downgrade(alembic_config(url), revisie)


async def test_betrokkene_costs_move_into_the_ledger_and_back(leeg: str) -> None:
    await asyncio.to_thread(_migreer, leeg, VOOR)
    engine = create_async_engine(leeg)
    mw, b1, b2, b3 = (uuid.uuid4() for _ in range(4))
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
            for kenmerk, fase in (("DB-2026-0001", "maatwerk"), ("DB-2026-0002", "in_kaart")):
                await conn.execute(
                    text(
                        "INSERT INTO casussen (kenmerk, titel, situatie, urgentie, fase, "
                        "vertrouwelijkheid, aanmelder_id, aangemeld_op, gewijzigd_op, versie) "
                        "VALUES (:k, 't', 's', 'hoog', :fase, 'vertrouwelijk', :mw, :nu, :nu, 1)"
                    ),
                    {"k": kenmerk, "fase": fase, "mw": _u(mw), "nu": NU},
                )
            ids = dict(
                (await conn.execute(text("SELECT kenmerk, id FROM casussen"))).tuples().all()
            )
            for b, kenmerk, bedrag in (
                (b1, "DB-2026-0001", 1_200_000),
                (b2, "DB-2026-0001", 450_000),
                (b3, "DB-2026-0002", 300_000),
            ):
                await conn.execute(
                    text(
                        "INSERT INTO betrokkenen (id, casus_id, organisatie, leefgebied, "
                        "kosten_per_jaar_cent, aangemaakt_op, versie) VALUES "
                        "(:id, :casus, 'Org', 'wonen', :bedrag, :nu, 1)"
                    ),
                    {"id": _u(b), "casus": ids[kenmerk], "bedrag": bedrag, "nu": NU},
                )
        await engine.dispose()
        await asyncio.to_thread(_migreer, leeg, "kosten")
        engine = create_async_engine(leeg)
        async with engine.begin() as conn:
            regels = (
                await conn.execute(
                    text(
                        "SELECT casus_id, soort, ritme, bedrag_cent, tot FROM kostenregels "
                        "ORDER BY bedrag_cent"
                    )
                )
            ).all()
            assert [(r.soort, r.ritme, r.bedrag_cent, r.tot) for r in regels] == [
                ("huidig", "jaarlijks", 300_000, None),
                ("huidig", "jaarlijks", 450_000, None),
                ("huidig", "jaarlijks", 1_200_000, None),
            ]
            metingen = (
                await conn.execute(
                    text("SELECT casus_id, huidig_per_jaar_cent FROM kosten_nulmetingen")
                )
            ).all()
            # Only the casus past in_kaart has a nulmeting.
            assert [tuple(m) for m in metingen] == [(ids["DB-2026-0001"], 1_650_000)]
            # A later value in the ledger, then down: the column holds the ledger's value.
            await conn.execute(
                text("UPDATE kostenregels SET tot = :nu WHERE bedrag_cent = 450000"),
                {"nu": NU},
            )
            await conn.execute(
                text(
                    "INSERT INTO kostenregels (casus_id, post, omschrijving, soort, ritme, "
                    "bedrag_cent, peildatum, op) VALUES (:casus, :post, 'Org', 'huidig', "
                    "'jaarlijks', 9900, :dag, :nu)"
                ),
                {
                    "casus": ids["DB-2026-0001"],
                    "post": _u(b2),
                    "dag": dt.date(2026, 11, 2) if IS_POSTGRES else "2026-11-02",
                    "nu": NU,
                },
            )
        await engine.dispose()
        await asyncio.to_thread(_terug, leeg, VOOR)
        engine = create_async_engine(leeg)
        async with engine.begin() as conn:
            kolom = dict(
                (await conn.execute(text("SELECT id, kosten_per_jaar_cent FROM betrokkenen")))
                .tuples()
                .all()
            )
            assert sorted(kolom.values()) == [9900, 300_000, 1_200_000]
            tabellen = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = "
                        "'kostenregels'"
                    )
                    if IS_POSTGRES
                    else text("SELECT count(*) FROM sqlite_master WHERE name = 'kostenregels'")
                )
            ).scalar_one()
            assert tabellen == 0
    finally:
        await engine.dispose()
