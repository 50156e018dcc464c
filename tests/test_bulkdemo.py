"""`doorbraak demo --casussen N`: the generated data set is consistent with the app."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import bulkdemo
from doorbraak.config import get_settings
from doorbraak.logboek.service import bereken_mac
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import Casus, KenmerkTeller, TijdlijnRegel
from tests.conftest import Api
from tests.helpers import nieuwe_casus, ok


def test_fast_hash_is_the_chain_hash() -> None:
    for waarden in (
        {
            "tijdstempel": dt.datetime(2024, 5, 1, 12, 30, 1, 250, tzinfo=dt.UTC),
            "actor": "0b0e6a5e-1b1c-4c53-9a8e-1f9d1f0b9a10",
            "actie": 'POST /api/v1/casussen/{kenmerk}/"x"\\',
            "object_soort": "casussen",
            "object_id": "DB-2024-0001",
            "casus_id": 17,
            "resultaat": "succes-201",
            "oorsprong": "127.0.0.1",
            "doelbinding": "Inzage wegens klacht: é ü €",
            "request_id": "abc",
        },
        {
            "tijdstempel": dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
            "actor": None,
            "actie": "GET /api/v1/ik",
            "object_soort": "ik",
            "object_id": None,
            "casus_id": None,
            "resultaat": "succes-200",
            "oorsprong": None,
            "doelbinding": None,
            "request_id": None,
        },
    ):
        sleutel = sleutelring(get_settings()).huidige
        for aantal in (None, 3):
            gegeven = {**waarden, "aantal": aantal}
            snel = bulkdemo.snelle_hash(sleutel, "f" * 64, gegeven)
            assert snel == bereken_mac(sleutel, "f" * 64, gegeven)


async def test_generated_casussen_work_with_the_app(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    assert await bulkdemo.laden(get_settings(), 40, seed=3) == 0
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Casus)) == 40
        fasen = set((await session.scalars(select(Casus.fase))).all())
        assert len(fasen) >= 3
        assert await session.scalar(select(func.count()).select_from(TijdlijnRegel)) > 40 * 5
        jaar = dt.datetime.now(dt.UTC).year
        teller = await session.get(KenmerkTeller, jaar)
        regiehouder = await session.scalar(
            select(Casus.regiehouder_id).where(Casus.regiehouder_id.is_not(None)).limit(1)
        )
    # The hash chain computed by the generator verifies.
    assert ok(await api("lotte").get("/api/v1/logboek/verificatie"))["geldig"] is True
    # The kenmerk sequence continues after the generated casussen.
    nieuw = await nieuwe_casus(api("karim"))
    verwacht = (teller.laatste if teller else 0) + 1
    assert nieuw["kenmerk"] == f"DB-{jaar}-{verwacht:04d}"
    # The generated organisation works: a generated casus reads through the API.
    async with db() as session:
        kenmerk = await session.scalar(
            select(Casus.kenmerk).where(Casus.regiehouder_id == regiehouder).limit(1)
        )
    assert regiehouder is not None and kenmerk is not None
    doel = {"X-Doelbinding": "Controle van de gegenereerde dataset"}
    casus = ok(await api("lotte").get(f"/api/v1/casussen/{kenmerk}", headers=doel))
    assert casus["regiehouder"]["id"] == str(regiehouder)
    tijdlijn = ok(await api("lotte").get(f"/api/v1/casussen/{kenmerk}/tijdlijn", headers=doel))
    assert tijdlijn["results"]


def test_a_casus_row_follows_the_model_and_fills_what_it_does_not_name() -> None:
    kolommen = list(Casus.__table__.columns.keys())
    waarden = {"id": 7, "kenmerk": "DB-2026-0007", "titel": "Dak", "urgentie": "hoog"}
    waarden |= {"aanmelder_id": "m", "aangemeld_op": "t", "gewijzigd_op": "t"}
    rij = dict(zip(kolommen, bulkdemo.casusrij(**waarden), strict=True))
    assert {k: rij[k] for k in waarden} == waarden
    # Not named: the model's default (situatie, fase, versie), else NULL (the BSN columns).
    assert (rij["situatie"], rij["fase"], rij["versie"]) == ("", "aangemeld", 1)
    assert rij["bsn_versleuteld"] is None and rij["regiehouder_id"] is None
    with pytest.raises(RuntimeError, match="geen kolommen"):
        bulkdemo.casusrij(**waarden, prioriteit=1)
    zonder_titel = {k: v for k, v in waarden.items() if k != "titel"}
    with pytest.raises(RuntimeError, match="titel heeft een waarde nodig"):
        bulkdemo.casusrij(**zonder_titel)
