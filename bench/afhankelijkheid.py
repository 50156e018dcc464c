"""What a synchronous FastAPI dependency costs: FastAPI runs a `def` dependency in the
threadpool (one hop to a worker thread and back per call), an `async def` one on the loop.

    .venv/bin/python bench/afhankelijkheid.py

Two routes on one app, each with three dependencies (a request of doorbraak had three `def`
dependencies: the request state, the work context and the page question), measured in
interleaved rounds in one process: CPU time (all threads) and wall time per request.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI

app = FastAPI()


def sync_a() -> int:
    return 1


def sync_b(a: Annotated[int, Depends(sync_a)]) -> int:
    return a + 1


def sync_c(b: Annotated[int, Depends(sync_b)]) -> int:
    return b + 1


async def async_a() -> int:
    return 1


async def async_b(a: Annotated[int, Depends(async_a)]) -> int:
    return a + 1


async def async_c(b: Annotated[int, Depends(async_b)]) -> int:
    return b + 1


@app.get("/sync")
async def met_sync(c: Annotated[int, Depends(sync_c)]) -> dict[str, int]:
    return {"c": c}


@app.get("/async")
async def met_async(c: Annotated[int, Depends(async_c)]) -> dict[str, int]:
    return {"c": c}


async def main() -> None:
    uit: dict[str, list[tuple[float, float]]] = {"/sync": [], "/async": []}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for _ in range(9):
            for pad in uit:
                for _ in range(200):
                    await c.get(pad)
                t0, w0 = time.process_time(), time.perf_counter()
                for _ in range(2000):
                    await c.get(pad)
                uit[pad].append(
                    (
                        (time.process_time() - t0) / 2000 * 1e6,
                        (time.perf_counter() - w0) / 2000 * 1e6,
                    )
                )
    for pad, rondes in uit.items():
        cpu = statistics.median(r[0] for r in rondes)
        wand = statistics.median(r[1] for r in rondes)
        print(
            f"{pad:7} CPU {cpu:6.0f} us/request  wall {wand:6.0f} us/request (median of 9 rounds)"
        )


if __name__ == "__main__":
    asyncio.run(main())
