"""What appending one read's logboek entry costs: the writer's transaction (BEGIN, lock, last
hash, INSERT, COMMIT) three ways, interleaved rounds in one process:
- `orm`: the rows as ORM objects and a flush, in an ORM session (as it was);
- `core`: one Core INSERT in the session (`logboek.service.toevoegen`, what mutations use);
- `asyncpg`: the same statements on the pooled asyncpg connection itself
  (`service.toevoegen_asyncpg`, the reads' group commit).

    .venv/bin/python bench/logboek_schrijven.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

It appends real, chained entries to that database's logboek (the chain stays valid: both ways
compute the same HMAC links), so point it at a test database. Printed: microseconds of wall
time and of process CPU per transaction of one entry, the median of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from doorbraak.config import Settings
from doorbraak.logboek import repository, service
from doorbraak.logboek.service import GENESIS, Logboekregel
from doorbraak.logboek.sleutels import Sleutelring, sleutelring
from doorbraak.models import LogboekRegel


async def orm_toevoegen(
    session: AsyncSession, regels: list[Logboekregel], sleutels: Sleutelring
) -> None:
    """The append as it was: ORM objects, then a flush."""
    sleutel = sleutels.huidige
    await repository.vergrendel_keten(session)
    vorige = await repository.laatste_hash(session) or GENESIS
    for rij in service.ketenrijen(regels, sleutel, vorige):
        session.add(LogboekRegel(**rij))
    await session.flush()


async def ronde(
    maker: async_sessionmaker[AsyncSession], soort: str, sleutels: Sleutelring, n: int
) -> tuple[float, float]:
    wand, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        regel = Logboekregel("GET /api/v1/casussen/{kenmerk}", "casus", str(i), "200")
        async with maker() as session:
            if soort == "asyncpg":
                ruw = await (await session.connection()).get_raw_connection()
                await service.toevoegen_asyncpg(ruw.driver_connection, [regel], sleutels)
                continue
            if soort == "orm":
                await orm_toevoegen(session, [regel], sleutels)
            else:
                await service.toevoegen(session, [regel], sleutels)
            await session.commit()
    return (time.perf_counter() - wand) / n * 1e6, (time.process_time() - cpu) / n * 1e6


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", required=True)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--rondes", type=int, default=7)
    args = p.parse_args()
    engine = create_async_engine(args.database_url, pool_size=1, max_overflow=0)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    sleutels = sleutelring(Settings(database_url=args.database_url))
    soorten = ["orm", "core", "asyncpg"]
    uit: dict[str, list[tuple[float, float]]] = {s: [] for s in soorten}
    for s in soorten:
        await ronde(maker, s, sleutels, 100)  # warm the statement caches
    for _ in range(args.rondes):
        for s in soorten:
            uit[s].append(await ronde(maker, s, sleutels, args.n))
    for s in soorten:
        wand = statistics.median(w for w, _ in uit[s])
        cpu = statistics.median(c for _, c in uit[s])
        print(f"{s:5s} {wand:7.1f} us wall  {cpu:7.1f} us CPU per transaction of one entry")
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
