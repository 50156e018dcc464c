"""Registers and statistieken, checked against a hand-counted fixture."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models import Afwijking, Besluit, Casus, FaseOvergang
from tests.conftest import Api
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_casus,
    nieuwe_regel,
    ok,
    probleem,
    rugdekking,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


async def _zet_tijden(
    db: async_sessionmaker[AsyncSession], kenmerk: str, fasedagen: list[float], besluitdag: float
) -> None:
    """Backdate a casus: aangemeld at T0, its fase moves after the given days (in order), its
    vastgestelde besluiten on `besluitdag`."""
    async with db() as s:
        casus = (await s.scalars(select(Casus).where(Casus.kenmerk == kenmerk))).one()
        casus.aangemeld_op = T0
        overgangen = (
            await s.scalars(
                select(FaseOvergang)
                .where(FaseOvergang.casus_id == casus.id)
                .order_by(FaseOvergang.op, FaseOvergang.id)
            )
        ).all()
        assert len(overgangen) == len(fasedagen)
        for overgang, dagen in zip(overgangen, fasedagen, strict=True):
            overgang.op = T0 + dt.timedelta(days=dagen)
        await s.execute(
            update(Besluit)
            .where(Besluit.casus_id == casus.id, Besluit.vastgesteld_op.is_not(None))
            .values(vastgesteld_op=T0 + dt.timedelta(days=besluitdag))
        )
        await s.commit()


async def _fixture(api: Api, db: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Hand-counted:
    - casus A: afwijkingen R1/awb_4_84 (gedekt, March) and R2/hardheidsclausule (gedekt, January);
      besluit vastgesteld on day 10; EUR 18,500 one-off.
    - casus B: afwijking R1/awb_4_84 (gedekt, March); a withdrawn besluit whose R2 afwijking is
      ingetrokken (not counted); besluit vastgesteld on day 20; EUR 5,000 + EUR 1,000 a year.
    - casus C: only aangemeld.
    So: 3 afwijkingen; R1 2, R2 1; awb_4_84 2, hardheidsclausule 1; 2026-01 1, 2026-03 2.
    """
    karim = api("karim")
    a = await casus_in_maatwerk(api)
    b = await casus_in_maatwerk(api)
    r1 = a["regel"]
    r2 = (await nieuwe_regel(api("bram"), titel="Wmo maatwerkvoorziening", soort="verordening"))[
        "id"
    ]
    besluit_a = await nieuw_besluit(karim, a["kenmerk"])
    a1 = await nieuwe_afwijking(karim, a["kenmerk"], besluit_a["id"], r1)
    a2 = await nieuwe_afwijking(
        karim, a["kenmerk"], besluit_a["id"], r2, grondslag="hardheidsclausule", risico="laag"
    )
    besluit_b0 = await nieuw_besluit(karim, b["kenmerk"])
    await nieuwe_afwijking(karim, b["kenmerk"], besluit_b0["id"], r2)
    ok(
        await karim.post(
            f"/api/v1/casussen/{b['kenmerk']}/besluiten/{besluit_b0['id']}/intrekken",
            json={"reden": "Andere aanpak."},
        )
    )
    besluit_b = await nieuw_besluit(
        karim, b["kenmerk"], kostenEenmaligCent=500_000, kostenPerJaarCent=100_000
    )
    b1 = await nieuwe_afwijking(karim, b["kenmerk"], besluit_b["id"], r1)
    for k, afw in ((a["kenmerk"], a1), (a["kenmerk"], a2), (b["kenmerk"], b1)):
        ok(await rugdekking(api("marieke"), k, afw["id"]))
    for k, besluit in ((a["kenmerk"], besluit_a), (b["kenmerk"], besluit_b)):
        await alle_akkoord(api, k, besluit["id"])
        ok(await karim.post(f"/api/v1/casussen/{k}/besluiten/{besluit['id']}/vaststellen", json={}))
    c = await nieuwe_casus(api("sanne"))
    # Fase moves: aangemeld, in_kaart, perspectief, afpellen, maatwerk.
    await _zet_tijden(db, a["kenmerk"], [0, 1, 3, 6, 10], 10)
    await _zet_tijden(db, b["kenmerk"], [0, 2, 5, 9, 14], 20)
    async with db() as s:
        await s.execute(
            update(Afwijking)
            .where(Afwijking.id == uuid.UUID(a2["id"]))
            .values(aangemaakt_op=dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC))
        )
        await s.execute(
            update(Afwijking)
            .where(Afwijking.id.in_([uuid.UUID(a1["id"]), uuid.UUID(b1["id"])]))
            .values(aangemaakt_op=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
        )
        await s.commit()
    return {"a": a, "b": b, "c": c, "r1": r1, "r2": r2}


async def test_afwijkingen_register_counts(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    f = await _fixture(api, db)
    r = await api("fatima").get("/api/v1/afwijkingen")
    register = ok(r)
    assert register["aantal"] == 3
    assert [(x["regel"]["id"], x["aantal"]) for x in register["perRegel"]] == [
        (f["r1"], 2),
        (f["r2"], 1),
    ]
    assert {x["grondslag"]: x["aantal"] for x in register["perGrondslag"]} == {
        "awb_4_84": 2,
        "hardheidsclausule": 1,
    }
    assert register["perMaand"] == [
        {"maand": "2026-01", "aantal": 1},
        {"maand": "2026-03", "aantal": 2},
    ]
    assert len(register["results"]) == 3 and register["next"] is None
    assert {e["status"] for e in register["results"]} == {"gedekt"}
    # No case content, no names.
    for geheim in (f["a"]["kenmerk"], f["b"]["kenmerk"], "Demir", "Marieke", "raamaannemer"):
        assert geheim not in r.text
    assert "watWeDoen" not in register["results"][0]
    # Filters: grondslag, regel, period; paging keeps the counts.
    awb = ok(await api("peter").get("/api/v1/afwijkingen", params={"grondslag": "awb_4_84"}))
    assert awb["aantal"] == 2 and len(awb["results"]) == 2
    r2 = ok(await api("fatima").get("/api/v1/afwijkingen", params={"regel": f["r2"]}))
    assert r2["aantal"] == 1
    maart = ok(
        await api("fatima").get(
            "/api/v1/afwijkingen", params={"gemeldVanaf": "2026-02-01", "gemeldTot": "2026-03-31"}
        )
    )
    assert maart["aantal"] == 2 and maart["perMaand"] == [{"maand": "2026-03", "aantal": 2}]
    eerste = ok(await api("fatima").get("/api/v1/afwijkingen", params={"limit": 2}))
    assert len(eerste["results"]) == 2 and eerste["aantal"] == 3
    tweede = ok(await api("fatima").get(eerste["next"]))
    assert len(tweede["results"]) == 1 and tweede["next"] is None
    # The catalogue shows the same counts.
    regels = {
        r["id"]: r["aantalAfwijkingen"]
        for r in ok(await api("sanne").get("/api/v1/regels"))["results"]
    }
    assert regels[f["r1"]] == 2 and regels[f["r2"]] == 1
    assert sum(regels.values()) == 3  # casus B's own copy of the inkoop rule was never bent


async def test_statistieken(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    await _fixture(api, db)
    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    per_fase = {x["fase"]: x["aantal"] for x in stats["casussenPerFase"]}
    assert per_fase["maatwerk"] == 2 and per_fase["aangemeld"] == 1
    assert sum(per_fase.values()) == 3 and len(per_fase) == 8
    # Lead time to the first vastgesteld besluit, in working days from Monday 2 March 2026:
    # day 10 is Thursday 12 March (8 working days), day 20 Sunday 22 March (14).
    assert stats["doorlooptijdTotBesluit"] == {
        "aantal": 2,
        "mediaanWerkdagen": 11.0,
        "p90Werkdagen": 13.4,
    }
    per_fase_tijd = {x["fase"]: x for x in stats["tijdPerFase"]}
    # aangemeld: Mon->Tue 1, Mon->Wed 2; afpellen: Sun 8 -> Thu 12 March 4, Wed 11 -> Mon 16 3.
    assert per_fase_tijd["aangemeld"] == {
        "fase": "aangemeld",
        "aantal": 2,
        "mediaanWerkdagen": 1.5,
        "p90Werkdagen": 1.9,
    }
    assert per_fase_tijd["afpellen"]["mediaanWerkdagen"] == 3.5
    # perspectief: Thu 5 -> Sun 8 March is 1 working day, Sat 7 -> Wed 11 is 3.
    assert per_fase_tijd["perspectief"]["mediaanWerkdagen"] == 2.0
    assert "maatwerk" not in per_fase_tijd  # nobody left maatwerk yet
    # Two casussen with a EUR 12,000 betrokkene each; besluiten EUR 18,500 and EUR 5,000 + 1,000.
    assert stats["kostenDoormodderenPerJaarCent"] == 2_400_000
    assert stats["kostenDoorbraakCent"] == 1_850_000 + 600_000
    assert [(x["regel"]["titel"], x["aantal"]) for x in stats["topRegels"]] == [
        ("Drie offertes bij inkoop", 2),
        ("Wmo maatwerkvoorziening", 1),
    ]
    assert stats["knelpuntSoorten"] == [{"soort": "regel", "aantal": 2}]
    # Both besluiten are paid by vastgoed alone.
    assert stats["kostenPerAfdeling"] == [
        {"afdeling": "vastgoed", "eenmaligCent": 1_850_000 + 500_000, "perJaarCent": 100_000}
    ]
    assert stats["rugdekkingGeweigerd"] == 0 and stats["noodmaatregelen"] == 0


async def test_registers_are_for_beleid_and_leidinggevenden_only(api: Api) -> None:
    for pad in ("/api/v1/afwijkingen", "/api/v1/statistieken", "/api/v1/beleidssignalen"):
        for wie in ("fatima", "peter", "marieke"):
            ok(await api(wie).get(pad))
        for wie in ("sanne", "karim", "lotte", "bram"):
            probleem(await api(wie).get(pad), 403, "rol-ontbreekt")
        probleem(await api(None).get(pad), 401)
    for wie in ("sanne", "fatima", "lotte", "bram"):
        ok(await api(wie).get("/api/v1/verhalen"))
