"""The statistieken snapshot as a job: the command and the app's periodic run renew it through
the unit of work of the system actor; requests serve it as stored, with its `berekendOp`."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import cli
from doorbraak.config import get_settings
from doorbraak.models import LogboekRegel, StatistiekenMomentopname
from doorbraak.rapportage import momentopnamen
from doorbraak.rapportage.lezen import AFWIJKINGEN, STATISTIEKEN
from doorbraak.werk.periodiek import Periodiek
from doorbraak.werk.systeem import Omgeving
from tests.conftest import Api, omgeving_van
from tests.helpers import nieuwe_casus, ok
from tests.test_queries import tel_sql

Maker = async_sessionmaker[AsyncSession]


async def _opnamen(db: Maker) -> dict[str, dt.datetime]:
    async with db() as session:
        rijen = (await session.execute(select(StatistiekenMomentopname))).scalars().all()
        return {r.naam: r.berekend_op for r in rijen}


async def _logboek(db: Maker, actie: str) -> list[LogboekRegel]:
    async with db() as session:
        stmt = select(LogboekRegel).where(LogboekRegel.actie == actie)
        return list((await session.execute(stmt)).scalars().all())


async def test_the_job_renews_and_requests_serve_the_snapshot_as_stored(
    app: Any, api: Api, db: Maker
) -> None:
    fatima, sanne = api("fatima"), api("sanne")
    await nieuwe_casus(sanne)
    assert await momentopnamen.vernieuwen(omgeving_van(db)) == [STATISTIEKEN, AFWIJKINGEN]
    op = (await _opnamen(db))[STATISTIEKEN]

    ok(await fatima.get("/api/v1/ik"))
    with tel_sql(app) as basis:
        ok(await fatima.get("/api/v1/ik"))
    await nieuwe_casus(sanne)
    with tel_sql(app) as teller:
        eerste = ok(await fatima.get("/api/v1/statistieken"))
    # One read of the snapshot, nothing computed in the request, however old it is.
    assert teller.aantal == basis.aantal + 1
    assert dt.datetime.fromisoformat(eerste["berekendOp"]) == op
    assert eerste["kerncijfers"]["casussenAangemeld"] == 1

    assert await momentopnamen.vernieuwen(omgeving_van(db)) == [STATISTIEKEN, AFWIJKINGEN]
    tweede = ok(await fatima.get("/api/v1/statistieken"))
    assert tweede["kerncijfers"]["casussenAangemeld"] == 2
    assert dt.datetime.fromisoformat(tweede["berekendOp"]) > op

    # Each run is one unit of work of the system actor: one logboek entry, no person.
    regels = await _logboek(db, "statistieken.vernieuwd")
    assert len(regels) == 2
    assert {(r.actor, r.oorsprong, r.object_soort) for r in regels} == {
        (None, "statistieken", "momentopname")
    }
    # Filtered figures are live: computed for the request, so computed now.
    gefilterd = ok(await fatima.get("/api/v1/statistieken", params={"afdeling": "wonen"}))
    assert dt.datetime.fromisoformat(gefilterd["berekendOp"]) > dt.datetime.fromisoformat(
        tweede["berekendOp"]
    )


async def test_before_the_first_snapshot_a_request_computes_it_once(api: Api, db: Maker) -> None:
    fatima = api("fatima")
    assert await _opnamen(db) == {}
    eerste = ok(await fatima.get("/api/v1/statistieken"))
    opnamen = await _opnamen(db)
    assert dt.datetime.fromisoformat(eerste["berekendOp"]) == opnamen[STATISTIEKEN]
    assert ok(await fatima.get("/api/v1/statistieken")) == eerste


async def test_the_periodic_run_renews_only_an_old_snapshot(db: Maker) -> None:
    omg = omgeving_van(db)
    assert await momentopnamen.vernieuwen(omg, ouder_dan=60) == [STATISTIEKEN, AFWIJKINGEN]
    voor = await _opnamen(db)
    # Young: nothing renewed, rolled back, no logboek entry.
    assert await momentopnamen.vernieuwen(omg, ouder_dan=60) == []
    assert await _opnamen(db) == voor
    assert len(await _logboek(db, "statistieken.vernieuwd")) == 1
    assert await momentopnamen.vernieuwen(omg, ouder_dan=0) == [STATISTIEKEN, AFWIJKINGEN]
    assert all(op > voor[naam] for naam, op in (await _opnamen(db)).items())


async def test_two_processes_at_once_renew_the_snapshot_once(db: Maker) -> None:
    """Several app processes wake at the same moment: the first renews it; the others find the
    lock taken (PostgreSQL) or, after the write lock (SQLite), a fresh snapshot."""
    uitkomsten = await asyncio.gather(
        *(momentopnamen.vernieuwen(omgeving_van(db), ouder_dan=60) for _ in range(3))
    )
    assert sorted(uitkomsten, key=len) == [[], [], [STATISTIEKEN, AFWIJKINGEN]]
    assert len(await _logboek(db, "statistieken.vernieuwd")) == 1
    # The command waits for the lock instead: both runs renew, one after the other.
    uitkomsten = await asyncio.gather(*(momentopnamen.vernieuwen(omgeving_van(db)) for _ in "ab"))
    assert uitkomsten == [[STATISTIEKEN, AFWIJKINGEN]] * 2
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(StatistiekenMomentopname)) == 2


async def test_the_app_renews_the_snapshot_in_the_background(db: Maker) -> None:
    settings = get_settings().model_copy(
        update={"statistieken_interval_seconden": 0.05, "statistieken_max_leeftijd_seconden": 0.2}
    )
    vernieuwer = momentopnamen.periodiek(
        Omgeving(settings=settings, engine=db.kw["bind"], maker=db)
    )
    vernieuwer.start()
    try:
        for _ in range(200):
            if len(await _logboek(db, "statistieken.vernieuwd")) >= 2:
                break
            await asyncio.sleep(0.05)
    finally:
        await vernieuwer.stop()
    assert len(await _logboek(db, "statistieken.vernieuwd")) >= 2
    assert set(await _opnamen(db)) == {STATISTIEKEN, AFWIJKINGEN}


async def test_switched_off_the_app_leaves_it_to_cron(db: Maker) -> None:
    settings = get_settings().model_copy(update={"statistieken_interval_seconden": 0.0})
    vernieuwer = momentopnamen.periodiek(
        Omgeving(settings=settings, engine=db.kw["bind"], maker=db)
    )
    vernieuwer.start()
    await asyncio.sleep(0.2)
    await vernieuwer.stop()
    assert not vernieuwer.actief
    assert await _opnamen(db) == {}


def test_the_command_renews_the_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["statistieken", "vernieuwen"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"statistieken vernieuwd: {STATISTIEKEN}, {AFWIJKINGEN}"
    )


async def test_a_failed_run_is_logged_by_its_kind_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []

    async def werk() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise ConnectionError("host 10.0.0.7 weg")

    taak = Periodiek("proef", 0.01, werk)
    taak.start()
    for _ in range(100):
        if len(runs) >= 2:
            break
        await asyncio.sleep(0.01)
    await taak.stop()
    assert len(runs) >= 2
    meldingen = [r.getMessage() for r in caplog.records if r.name == "doorbraak.werk"]
    assert meldingen[0] == "periodic job proef failed (ConnectionError); retried later"
    assert "10.0.0.7" not in caplog.text
