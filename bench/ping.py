"""What checking a pooled connection costs: SQLAlchemy's asyncpg `pool_pre_ping` (three round
trips) against doorbraak's one-round-trip check (`db.ping_bij_uitgifte`) and no check at all, in
one run, interleaved so the machine's load falls on all three alike.

    .venv/bin/python bench/ping.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Each checkout runs one `SELECT 1` (the smallest request); printed: microseconds of wall time and
of process CPU per checkout, the median of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from doorbraak.db import ping_bij_uitgifte


def maak(url: str, soort: str) -> AsyncEngine:
    engine = create_async_engine(
        url, pool_size=1, max_overflow=0, pool_pre_ping=soort == "sqlalchemy"
    )
    if soort == "doorbraak":
        ping_bij_uitgifte(engine)
    return engine


async def ronde(engine: AsyncEngine, n: int) -> tuple[float, float]:
    wand, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        async with engine.connect() as verbinding:
            await verbinding.execute(select(1))
    return (time.perf_counter() - wand) / n * 1e6, (time.process_time() - cpu) / n * 1e6


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", required=True)
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--rondes", type=int, default=7)
    args = p.parse_args()
    soorten = ["sqlalchemy", "doorbraak", "geen"]
    engines = {s: maak(args.database_url, s) for s in soorten}
    uit: dict[str, list[tuple[float, float]]] = {s: [] for s in soorten}
    for s in soorten:
        await ronde(engines[s], 200)  # connect and warm the statement caches
    for _ in range(args.rondes):
        for s in soorten:
            uit[s].append(await ronde(engines[s], args.n))
    for s in soorten:
        wand = statistics.median(w for w, _ in uit[s])
        cpu = statistics.median(c for _, c in uit[s])
        print(f"{s:10s} {wand:7.1f} us wall  {cpu:7.1f} us CPU per checkout + SELECT 1")
        await engines[s].dispose()


if __name__ == "__main__":
    asyncio.run(main())
