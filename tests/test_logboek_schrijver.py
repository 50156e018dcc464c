"""Reads append to the logboek by group commit: every read is logged before its response,
concurrent reads share transactions, and the chain still verifies."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.routing import iter_route_contexts
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models import LogboekRegel
from tests.conftest import Api
from tests.helpers import nieuwe_casus, ok


async def test_concurrent_reads_are_all_logged_and_chained(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    karim = api("karim")
    kenmerk = (await nieuwe_casus(karim))["kenmerk"]
    async with db() as session:
        voor = await session.scalar(select(func.count()).select_from(LogboekRegel))
    antwoorden = await asyncio.gather(
        *[karim.get(f"/api/v1/casussen/{kenmerk}") for _ in range(20)]
    )
    assert all(r.status_code == 200 for r in antwoorden)
    async with db() as session:
        na = await session.scalar(
            select(func.count())
            .select_from(LogboekRegel)
            .where(LogboekRegel.actie == "GET /api/v1/casussen/{kenmerk}")
        )
        totaal = await session.scalar(select(func.count()).select_from(LogboekRegel))
    assert na == 20
    assert totaal == (voor or 0) + 20
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is True


def test_every_routes_action_fits_the_logboek(app: Any) -> None:
    """The logboek names a request by its method and route template; PostgreSQL refuses a
    longer value than the column allows (SQLite does not check), and that request's entry
    would be lost."""
    lengte = LogboekRegel.__table__.c.actie.type.length
    te_lang = [
        f"{methode} {r.path_format}"
        for r in iter_route_contexts(app.routes)
        for methode in (r.methods or ())
        if len(f"{methode} {r.path_format}") > lengte
    ]
    assert not te_lang, f"longer than logboek.actie ({lengte}): {te_lang}"
