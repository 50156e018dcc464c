"""Server CPU per request of the app itself, without an HTTP client or server around it.

    .venv/bin/python bench/verzoek_cpu.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/perf_100k

Calls the app as ASGI directly (on uvloop, as `doorbraak serve` runs it) and measures the
process's CPU per request, in interleaved rounds so that the machine's load falls on every path
alike. The paths go from the framework's floor up to a casus read, so the difference between two
of them is what the step between them costs:

- an unknown path (404): the middleware, matching every route, a problem answer;
- `/api/v1/health`: the same plus one route and a `SELECT 1` on a pooled connection;
- `/api/v1/ik`: plus authentication (cached), the request's session and its logboek entry;
- the casus detail, the list and the tijdlijn: plus loading the casus under the visibility rule,
  its figures and deelnames, and building the answer.

The casus is the first one of karim (demo data and generated data sets both have him).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import asyncpg
import uvloop

PADEN = {
    "onbekend pad (404)": "/api/v1/bestaat-niet",
    "health": "/api/v1/health",
    "ik": "/api/v1/ik",
    "casus detail": "/api/v1/casussen/{kenmerk}",
    "casus lijst": "/api/v1/casussen",
    "tijdlijn": "/api/v1/casussen/{kenmerk}/tijdlijn",
}


async def verzoek(app: Any, staat: dict[str, Any], pad: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": pad,
        "raw_path": pad.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"authorization", b"Bearer demo-karim")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
        "state": dict(staat),
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(bericht: dict[str, Any]) -> None:
        if bericht["type"] == "http.response.start":
            status.append(bericht["status"])

    await app(scope, receive, send)
    return status[0]


async def meten(url: str, rondes: int, per_ronde: int) -> None:
    os.environ["DOORBRAAK_DATABASE_URL"] = url
    os.environ.setdefault("DOORBRAAK_AUTH_MODE", "dev")
    # Nothing in the background: no statistieken renewal, no de-identification warm-up thread
    # (its CPU would count in this process's clock).
    os.environ["DOORBRAAK_STATISTIEKEN_INTERVAL_SECONDEN"] = "0"
    os.environ["DOORBRAAK_DEIDENTIFICATIE_SOCKET"] = "/nonexistent/doorbraak-bench.sock"
    from doorbraak.app import create_app

    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    kenmerk = await conn.fetchval(
        "SELECT c.kenmerk FROM casussen c JOIN medewerkers m ON m.id = c.regiehouder_id "
        "WHERE m.naam LIKE 'Karim%' ORDER BY c.id LIMIT 1"
    )
    await conn.close()
    paden = {naam: pad.format(kenmerk=kenmerk) for naam, pad in PADEN.items()}
    app = create_app()
    uit: dict[str, list[float]] = {naam: [] for naam in paden}
    async with app.router.lifespan_context(app) as staat:
        staat = dict(staat or {})
        for naam, pad in paden.items():
            for _ in range(50):
                status = await verzoek(app, staat, pad)
            verwacht = 404 if "404" in naam else 200
            if status != verwacht:
                raise SystemExit(f"{naam}: {pad} answered {status}, expected {verwacht}")
        for _ in range(rondes):
            for naam, pad in paden.items():
                begin = time.process_time()
                for _ in range(per_ronde):
                    await verzoek(app, staat, pad)
                uit[naam].append((time.process_time() - begin) / per_ronde * 1e6)
    await app.state.engine.dispose()
    print(f"server CPU per request (us, median of {rondes} rounds of {per_ronde}), casus {kenmerk}")
    for naam, waarden in uit.items():
        print(f"  {naam:<22} {statistics.median(waarden):8.0f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--rondes", type=int, default=7)
    p.add_argument("--per-ronde", type=int, default=300)
    a = p.parse_args()
    uvloop.run(meten(a.database_url, a.rondes, a.per_ronde))


if __name__ == "__main__":
    main()
