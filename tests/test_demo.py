"""The demo data load through the services and give the registers something to show."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.demo import ANDERE_CASUSSEN, casussen_laden
from tests.conftest import Api, omgeving_van
from tests.helpers import ok


async def test_demo_runs_the_leaking_home_to_opgelost(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    await casussen_laden(omgeving_van(db))
    gevonden = ok(await api("karim").get("/api/v1/casussen", params={"zoek": "Lekkende"}))
    lekkend = ok(await api("karim").get(f"/api/v1/casussen/{gevonden['results'][0]['kenmerk']}"))
    assert lekkend["titel"].startswith("Lekkende huurwoning")
    assert (lekkend["fase"], lekkend["afsluitreden"]) == ("afgesloten", "opgelost")
    assert lekkend["kostenDoorbraakCent"] == 1_850_000
    assert lekkend["kostenDoormodderenPerJaarCent"] == 2_750_000
    # The cost ledger: the nulmeting, the threat as a scenario, and what was measured afterwards
    # (woningcorporatie 1.000 and GGD 500 at the evaluation, school 0 after closing; schuldhulp
    # still at its estimate of 8.000).
    kosten = ok(await api("karim").get(f"/api/v1/casussen/{lekkend['kenmerk']}/kosten"))
    assert kosten["nulmeting"]["huidigPerJaarCent"] == 2_750_000
    assert kosten["nulmeting"]["dreigendPerJaarCent"] == 3_650_000
    assert kosten["nakostenPerJaarCent"] == 950_000
    assert kosten["doorbraak"]["eenJaarCent"] == 1_850_000 + 950_000
    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    per_fase = {x["fase"]: x["aantal"] for x in stats["casussenPerFase"]}
    assert sum(per_fase.values()) == 1 + len(ANDERE_CASUSSEN)
    assert all(per_fase[f] > 0 for f in per_fase), per_fase
    assert stats["doorlooptijdTotBesluit"]["aantal"] >= 5
    # Deviations in force only: the gedekte afwijkingen of the vastgestelde besluiten (the
    # buiten-kader one still waits for the bestuur and is not counted).
    assert ok(await api("fatima").get("/api/v1/afwijkingen"))["aantal"] >= 5
    assert len(ok(await api("sanne").get("/api/v1/verhalen"))["results"]) >= 3
