"""The floor: a bare FastAPI app doing the casus detail's primary lookup and nothing else.

Same server (uvicorn, same worker count), same driver (asyncpg through SQLAlchemy async), same
pool settings, same row (a casus by its unique kenmerk) and the same JSON shape as
`GET /api/v1/casussen/{kenmerk}`; no authentication, no authorization, no logboek, no parts.
Every doorbraak endpoint is reported as a ratio to this one, measured in the same run.

    DOORBRAAK_DATABASE_URL=postgresql+asyncpg://... uvicorn bench.baseline_app:app --workers 2
"""

from __future__ import annotations

import os
import sys
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from doorbraak.db import ping_bij_uitgifte
from doorbraak.kit.waarneming import serverstapel
from doorbraak.models import Casus

engine = create_async_engine(
    os.environ["DOORBRAAK_DATABASE_URL"],
    pool_size=int(os.environ.get("DOORBRAAK_DATABASE_POOL_SIZE", "10")),
    max_overflow=0,
)
ping_bij_uitgifte(engine)  # the service's own connection check, so both pay the same
fastapi_app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
KOLOMMEN = [c for c in Casus.__table__.columns if c.key not in ("bsn_versleuteld",)]


def _iso(waarde: Any) -> Any:
    return waarde.isoformat() if hasattr(waarde, "isoformat") else waarde


# The harness's ceiling: the same server, framework and JSON shape without the database. When
# the baseline comes within 20 % of this, the load generator and the server loop (not the
# baseline's work) bound the baseline, and ratios to it say nothing (bench.py: "capped").
STATISCH = {
    "kenmerk": "DB-2026-000001",
    "titel": "Statisch",
    "situatie": "Geen database.",
    "huishoudenNaam": None,
    "urgentie": "normaal",
    "fase": "aanmelding",
    "vertrouwelijkheid": "normaal",
    "doorbraak": None,
    "bsn": None,
    "regiehouder": None,
    "aanmelder": {"id": "00000000-0000-0000-0000-000000000000", "naam": "", "afdeling": ""},
    "deelnames": [],
    "aangemeldOp": "2026-01-01T00:00:00+00:00",
    "afgeslotenOp": None,
    "afsluitreden": None,
    "besluitUiterlijkDatum": None,
    "kostenDoormodderenPerJaarCent": 0,
    "kostenDoorbraakCent": 0,
    "openEscalaties": 0,
    "volgendeFase": None,
    "gewijzigdOp": "2026-01-01T00:00:00+00:00",
    "versie": 1,
}


@fastapi_app.get("/baseline/statisch")
async def statisch() -> JSONResponse:
    return JSONResponse(STATISCH)


@fastapi_app.get("/baseline/casussen/{kenmerk}")
async def casus(kenmerk: str) -> JSONResponse:
    async with engine.connect() as conn:
        rij = (await conn.execute(select(*KOLOMMEN).where(Casus.kenmerk == kenmerk))).first()
    if rij is None:
        return JSONResponse({"status": 404}, status_code=404)
    c = rij._mapping
    return JSONResponse(
        {
            "kenmerk": c["kenmerk"],
            "titel": c["titel"],
            "situatie": c["situatie"],
            "huishoudenNaam": c["huishouden_naam"],
            "urgentie": c["urgentie"],
            "fase": c["fase"],
            "vertrouwelijkheid": c["vertrouwelijkheid"],
            "doorbraak": c["doorbraak"],
            "bsn": None,
            "regiehouder": None,
            "aanmelder": {"id": str(c["aanmelder_id"]), "naam": "", "afdeling": ""},
            "deelnames": [],
            "aangemeldOp": _iso(c["aangemeld_op"]),
            "afgeslotenOp": _iso(c["afgesloten_op"]),
            "afsluitreden": c["afsluitreden"],
            "besluitUiterlijkDatum": _iso(c["besluit_uiterlijk_datum"]),
            "kostenDoormodderenPerJaarCent": 0,
            "kostenDoorbraakCent": 0,
            "openEscalaties": 0,
            "volgendeFase": None,
            "gewijzigdOp": _iso(c["gewijzigd_op"]),
            "versie": c["versie"],
        }
    )


async def app(scope: Any, receive: Any, send: Any) -> None:
    """The FastAPI app, reporting at startup which HTTP implementation and loop serve it (the
    same report as doorbraak's workers: bench.py reads both from the servers' logs)."""
    if scope["type"] == "lifespan":
        stapel = serverstapel(receive)
        print(
            f"serverstapel pid={os.getpid()} http={stapel['http']} loop={stapel['loop']}",
            file=sys.stderr,
            flush=True,
        )
    await fastapi_app(scope, receive, send)
