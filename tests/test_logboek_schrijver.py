"""Reads append to the logboek by group commit: every read is logged before its response,
concurrent reads share transactions, and the chain still verifies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.config import get_settings
from doorbraak.logboek import repository as logboek_repository
from doorbraak.logboek.schrijver import Logboekschrijver
from doorbraak.logboek.service import Logboekregel, toevoegen
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import LogboekRegel
from tests.conftest import Api, postgres_only
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


async def test_an_over_long_actie_is_shortened_by_the_writer_and_the_entry_kept(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    """Both writers (a mutation's own transaction, the group commit of reads) shorten an actie
    longer than the column the same way every time, instead of losing the entry (PostgreSQL
    refuses the value)."""
    lengte = LogboekRegel.__table__.c.actie.type.length
    lang, ander = "GET /" + "a" * 295, "GET /" + "a" * 294 + "b"
    assert len(lang) == len(ander) == 300
    sleutels = sleutelring(get_settings())
    async with db() as session:
        await toevoegen(session, [Logboekregel(lang, "test", None, "ok")], sleutels)
        await session.commit()
    await Logboekschrijver(db, sleutels).schrijf(
        [Logboekregel(lang, "test", "1", "ok"), Logboekregel(ander, "test", "2", "ok")]
    )
    async with db() as session:
        rijen = (
            await session.execute(
                select(LogboekRegel.object_id, LogboekRegel.actie)
                .where(LogboekRegel.object_soort == "test")
                .order_by(LogboekRegel.id)
            )
        ).all()
    assert [r.object_id for r in rijen] == [None, "1", "2"]
    acties = [r.actie for r in rijen]
    assert all(len(a) == lengte for a in acties), [len(a) for a in acties]
    # The same actie shortens to the same value; a different one stays different.
    assert acties[0] == acties[1] != acties[2]
    assert acties[0].startswith("GET /aaaa") and "~" in acties[0]
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is True


@postgres_only
async def test_a_connection_lost_during_the_group_commit_answers_503_and_is_replaced(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reads' group commit runs on the asyncpg connection itself, past SQLAlchemy's error
    handling: a connection that dies there (here its server process ends itself inside the
    append) must answer as a lost database does, 503, never 500, and must not go back into
    the pool; the next read is logged on a new connection and the chain still closes."""
    karim = api("karim")
    kenmerk = (await nieuwe_casus(karim))["kenmerk"]
    monkeypatch.setattr(
        logboek_repository,
        "KETEN_LOCK_SQL",
        "SELECT pg_terminate_backend(pg_backend_pid()), $1::bigint",
    )
    weg = await karim.get(f"/api/v1/casussen/{kenmerk}")
    assert weg.status_code == 503, weg.text
    assert weg.headers["content-type"].startswith("application/problem+json")
    monkeypatch.undo()
    for _ in range(3):  # more reads than the one connection that was lost
        assert (await karim.get(f"/api/v1/casussen/{kenmerk}")).status_code == 200
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is True
