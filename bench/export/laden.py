"""Bulk-load N synthetic casussen with their parts into a dedicated PostgreSQL database with
COPY (asyncpg), for the export benchmark. Not the demo: no services, no tijdlijn per change,
just rows shaped like real ones (ids, foreign keys, enums, instants).

    python bench/export/laden.py --casussen 100000 \
        --url postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
AFDELINGEN = ["vastgoed", "sociaal-domein", "schuldhulp", "wonen", "werk-en-inkomen"]
FASEN = ["aangemeld", "in_kaart", "perspectief", "afpellen", "maatwerk", "uitvoering", "evaluatie"]
BATCH = 20_000


def _naam_ok(url: str) -> str:
    naam = url.rsplit("/", 1)[1]
    if not naam.startswith("doorbraak_export_"):
        sys.exit("the benchmark only uses databases named doorbraak_export_*")
    return naam


async def opnieuw_aanmaken(url: str) -> None:
    naam = _naam_ok(url)
    beheer = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        await beheer.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        await beheer.execute(f'CREATE DATABASE "{naam}"')
    finally:
        await beheer.close()
    env = {"DOORBRAAK_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://")}
    await asyncio.to_thread(
        subprocess.run,
        [str(ROOT / ".venv/bin/doorbraak"), "migrate"],
        check=True,
        env={**__import__("os").environ, **env},
        stdout=subprocess.DEVNULL,
    )


async def laden(url: str, n: int) -> dict[str, int]:
    rng = random.Random(8)
    conn = await asyncpg.connect(url)
    tellers: dict[str, int] = {}
    begin = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    try:
        nu = dt.datetime.now(dt.UTC)
        await conn.copy_records_to_table(
            "afdelingen",
            records=[(a, a.title(), True, nu, 1) for a in AFDELINGEN],
            columns=["code", "naam", "actief", "aangemaakt_op", "versie"],
        )
        medewerkers = [uuid.uuid4() for _ in range(200)]
        await conn.copy_records_to_table(
            "medewerkers",
            records=[
                (
                    m,
                    f"Medewerker {i}",
                    f"m{i}@bench.example",
                    AFDELINGEN[i % 5],
                    '["medewerker"]',
                    0,
                    None,
                    True,
                    None,
                    nu,
                    1,
                )
                for i, m in enumerate(medewerkers)
            ],
            columns=[
                "id",
                "naam",
                "email",
                "afdeling_code",
                "rollen",
                "mandaat_max_bedrag_cent",
                "mandaat_max_risico",
                "actief",
                "oidc_sub",
                "aangemaakt_op",
                "versie",
            ],
        )
        regels = [uuid.uuid4() for _ in range(50)]
        await conn.copy_records_to_table(
            "regels",
            records=[
                (r, f"Regel {i}", "Verordening", f"{i}.1", "verordening", None, None, True, nu, 1)
                for i, r in enumerate(regels)
            ],
            columns=[
                "id",
                "titel",
                "regeling",
                "artikel",
                "soort",
                "bron_url",
                "toelichting",
                "actief",
                "aangemaakt_op",
                "versie",
            ],
        )
        tabellen: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {
            "casussen": (
                [
                    "id",
                    "kenmerk",
                    "titel",
                    "situatie",
                    "huishouden_naam",
                    "urgentie",
                    "fase",
                    "vertrouwelijkheid",
                    "aanmelder_id",
                    "regiehouder_id",
                    "aangemeld_op",
                    "gewijzigd_op",
                    "versie",
                ],
                [],
            ),
            "fase_overgangen": (["id", "casus_id", "van", "naar", "door_id", "op"], []),
            "regievoeringen": (
                ["id", "casus_id", "medewerker_id", "van", "toegewezen_door_id", "versie"],
                [],
            ),
            "deelnames": (
                [
                    "id",
                    "casus_id",
                    "afdeling_code",
                    "contactpersoon_id",
                    "standpunt",
                    "aangemaakt_op",
                    "versie",
                ],
                [],
            ),
            "betrokkenen": (
                [
                    "id",
                    "casus_id",
                    "organisatie",
                    "leefgebied",
                    "kosten_per_jaar_cent",
                    "aangemaakt_op",
                    "versie",
                ],
                [],
            ),
            "stappen": (
                [
                    "id",
                    "casus_id",
                    "titel",
                    "fase",
                    "afdeling_code",
                    "eigenaar_id",
                    "status",
                    "aangemaakt_op",
                    "versie",
                ],
                [],
            ),
            "knelpunten": (
                [
                    "id",
                    "casus_id",
                    "soort",
                    "niveau",
                    "omschrijving",
                    "regel_id",
                    "status",
                    "aangemaakt_op",
                    "versie",
                ],
                [],
            ),
            "besluiten": (
                [
                    "id",
                    "casus_id",
                    "omschrijving",
                    "motivering",
                    "kosten_eenmalig_cent",
                    "kosten_per_jaar_cent",
                    "status",
                    "opgesteld_door_id",
                    "aangemaakt_op",
                    "versie",
                ],
                [],
            ),
            "leerpunten": (
                ["id", "casus_id", "soort", "tekst", "delen", "aangemaakt_op", "versie"],
                [],
            ),
        }

        async def spoelen(alles: bool = False) -> None:
            for naam, (kolommen, rijen) in tabellen.items():
                if rijen and (alles or len(rijen) >= BATCH):
                    await conn.copy_records_to_table(naam, records=rijen, columns=kolommen)
                    tellers[naam] = tellers.get(naam, 0) + len(rijen)
                    rijen.clear()

        for i in range(1, n + 1):
            op = begin + dt.timedelta(minutes=i)
            m = medewerkers[i % 200]
            tabellen["casussen"][1].append(
                (
                    i,
                    f"DB-B-{i:07d}",
                    "Casus",
                    "",
                    None,
                    "normaal",
                    FASEN[i % 7],
                    "zaakvertrouwelijk",
                    m,
                    m,
                    op,
                    op,
                    1,
                )
            )
            tabellen["fase_overgangen"][1].append((uuid.uuid4(), i, None, "aangemeld", m, op))
            tabellen["fase_overgangen"][1].append(
                (uuid.uuid4(), i, "aangemeld", "in_kaart", m, op + dt.timedelta(days=1))
            )
            tabellen["regievoeringen"][1].append((uuid.uuid4(), i, m, op, m, 1))
            tabellen["deelnames"][1].append((uuid.uuid4(), i, AFDELINGEN[i % 5], m, "", op, 1))
            for _ in range(2):
                tabellen["betrokkenen"][1].append(
                    (uuid.uuid4(), i, "Organisatie", "wonen", rng.randrange(0, 10_000_00), op, 1)
                )
            tabellen["stappen"][1].append(
                (uuid.uuid4(), i, "Stap", "uitvoering", AFDELINGEN[i % 5], m, "open", op, 1)
            )
            tabellen["knelpunten"][1].append(
                (uuid.uuid4(), i, "regel", "systeem", "Knelpunt", regels[i % 50], "open", op, 1)
            )
            tabellen["besluiten"][1].append(
                (uuid.uuid4(), i, "Besluit", "Motivering", 1000, 0, "concept", m, op, 1)
            )
            tabellen["leerpunten"][1].append((uuid.uuid4(), i, "succes", "Verhaal", True, op, 1))
            if i % BATCH == 0:
                await spoelen()
        await spoelen(alles=True)
        await conn.execute("SELECT setval(pg_get_serial_sequence('casussen', 'id'), $1)", max(n, 1))
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return tellers


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--casussen", type=int, required=True)
    p.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench")
    args = p.parse_args()
    begin = time.monotonic()
    await opnieuw_aanmaken(args.url)
    tellers = await laden(args.url, args.casussen)
    print(f"loaded {sum(tellers.values())} rows in {time.monotonic() - begin:.0f}s: {tellers}")


if __name__ == "__main__":
    asyncio.run(main())
