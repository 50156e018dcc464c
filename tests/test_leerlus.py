"""The learning loop: beleid answers signals, regels have versions, precedents for a new
afwijking, statistieken per period and afdeling in working days. Every figure is hand-counted
in the comments next to it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.kit.periode import Periode
from doorbraak.models import Afwijking, Beleidssignaal, Besluit, Casus, Deelname
from tests.conftest import Api
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_regel,
    ok,
    probleem,
    rugdekking,
)

Maker = async_sessionmaker[AsyncSession]
pytestmark = pytest.mark.usefixtures("deduce_gereed")


def _lp(k: str) -> str:
    return f"/api/v1/casussen/{k}/leerpunten"


async def _signalen(api: Api) -> dict[str, Any]:
    """A casus with a systeem-leerpunt and a flagged afwijking (two signals)."""
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    leerpunt = ok(
        await api("karim").post(
            _lp(k), json={"soort": "systeem", "tekst": "Eén offerte volstaat bij spoed."}
        ),
        201,
    )
    besluit = await nieuw_besluit(api("karim"), k)
    afwijking = await nieuwe_afwijking(
        api("karim"), k, besluit["id"], casus["regel"], beleidssignaal=True
    )
    return {**casus, "leerpunt": leerpunt, "afwijking": afwijking, "besluit": besluit}


async def _patch(api: Api, wie: str, id_: str, body: dict[str, Any]) -> Any:
    pad = f"/api/v1/beleidssignalen/{id_}"
    huidig = await api("fatima").get(pad)
    return await api(wie).patch(pad, json=body, headers={"If-Match": huidig.headers["ETag"]})


async def test_beleid_handles_a_signal_and_the_casusteam_sees_the_outcome(api: Api) -> None:
    c = await _signalen(api)
    k, lp_id = c["kenmerk"], c["leerpunt"]["id"]
    pad = f"/api/v1/beleidssignalen/{lp_id}"
    signaal = ok(await api("fatima").get(pad))
    assert signaal["signaalStatus"] == "nieuw" and signaal["bron"] == "leerpunt"
    assert signaal["toegestaneActies"]["behandelen"]["toegestaan"] is True
    lezer = ok(await api("peter").get(pad))
    assert lezer["toegestaneActies"]["behandelen"] == {
        "toegestaan": False,
        "code": "rol-ontbreekt",
        "reden": "Alleen beleid behandelt beleidssignalen.",
    }
    # Nobody but beleid writes it: not the regiehouder who raised it, not a leidinggevende.
    for wie in ("karim", "peter", "sanne", "bram"):
        probleem(await _patch(api, wie, lp_id, {"signaalStatus": "niet_aangepast"}), 403)
    # The casusteam no longer sets a status itself.
    probleem(
        await api("karim").post(
            _lp(k), json={"soort": "systeem", "tekst": "Nog een", "signaalStatus": "nieuw"}
        ),
        400,
    )
    probleem(await api("fatima").patch(pad, json={"signaalStatus": "in_behandeling"}), 428)
    # The rules of a decision.
    fout = probleem(await _patch(api, "fatima", lp_id, {"signaalStatus": "niet_aangepast"}), 400)
    assert fout["invalidParams"][0]["code"] == "reden-ontbreekt"
    fout = probleem(await _patch(api, "fatima", lp_id, {"signaalStatus": "regel_aangepast"}), 400)
    assert fout["invalidParams"][0]["code"] == "regelversie-ontbreekt"
    # Closing the casus freezes the casus, not beleid's signal.
    ok(
        await api("karim").post(
            f"/api/v1/casussen/{k}/fase-overgangen",
            json={"naar": "afgesloten", "afsluitreden": "elders_belegd", "toelichting": "Elders"},
        ),
        201,
    )
    reactie = "De regel blijft; we passen de werkinstructie voor spoed aan."
    behandeld = ok(
        await _patch(
            api, "fatima", lp_id, {"signaalStatus": "werkwijze_aangepast", "reactie": reactie}
        )
    )
    vandaag = ok(await api("fatima").get(pad))["beslotenOp"]
    assert behandeld["signaalStatus"] == "werkwijze_aangepast" and behandeld["reactie"] == reactie
    assert vandaag is not None and behandeld["versie"] == 2
    # The casusteam reads the outcome on its leerpunt and in its tijdlijn.
    leerpunt = ok(await api("karim").get(f"{_lp(k)}/{lp_id}"))
    assert leerpunt["signaalStatus"] == "werkwijze_aangepast"
    assert leerpunt["beleidssignaal"]["reactie"] == reactie
    tijdlijn = ok(await api("karim").get(f"/api/v1/casussen/{k}/tijdlijn"))["results"]
    assert any(t["actie"] == "beleidssignaal.behandeld" for t in tijdlijn)
    # A stale version is refused.
    probleem(
        await api("fatima").patch(
            pad, json={"signaalStatus": "in_behandeling"}, headers={"If-Match": '"1"'}
        ),
        412,
    )
    # Back to in_behandeling clears the decision date.
    terug = ok(await _patch(api, "fatima", lp_id, {"signaalStatus": "in_behandeling"}))
    assert terug["beslotenOp"] is None


async def test_signals_waiting_for_beleid_is_a_plain_read(api: Api, db: Maker) -> None:
    from doorbraak.leren import lezen
    from tests.conftest import omgeving_van

    c = await _signalen(api)
    ok(
        await _patch(
            api,
            "fatima",
            c["leerpunt"]["id"],
            {"signaalStatus": "niet_aangepast", "reactie": "Nee"},
        )
    )
    omg = omgeving_van(db)
    from tests.helpers import mid

    async with omg.als(uuid.UUID(mid("fatima")), "test") as ctx:
        wachtend = await lezen.signalen_wachtend_op_beleid(ctx)
        assert [s.id for s in wachtend] == [uuid.UUID(c["afwijking"]["id"])]
        assert await lezen.aantal_signalen_wachtend_op_beleid(ctx) == 1
    async with omg.als(uuid.UUID(mid("karim")), "test") as ctx:
        assert await lezen.signalen_wachtend_op_beleid(ctx) == []


async def _vastgesteld(api: Api, k: str, besluit: dict[str, Any], *afwijkingen: str) -> None:
    for a in afwijkingen:
        ok(await rugdekking(api("marieke"), k, a))
    await alle_akkoord(api, k, besluit["id"])
    ok(
        await api("karim").post(
            f"/api/v1/casussen/{k}/besluiten/{besluit['id']}/vaststellen", json={}
        )
    )


async def test_a_new_regel_version_handles_its_signals_and_splits_the_bends(
    api: Api, db: Maker
) -> None:
    c = await _signalen(api)
    k, regel = c["kenmerk"], c["regel"]
    await _vastgesteld(api, k, c["besluit"], c["afwijking"]["id"])
    [v1] = ok(await api("sanne").get(f"/api/v1/regels/{regel}/versies"))
    assert v1["nummer"] == 1 and v1["geldigTot"] is None and v1["afwijkingenInKracht"] == 1
    assert c["afwijking"]["regelversie"]["id"] == v1["id"]
    # Version 1 started today: version 2 must start later (409), by beleid only (403).
    nieuw = {"tekst": "Eén offerte bij spoed.", "reden": "Signalen uit casussen."}
    probleem(await api("fatima").post(f"/api/v1/regels/{regel}/versies", json=nieuw), 409)
    probleem(
        await api("karim").post(f"/api/v1/regels/{regel}/versies", json=nieuw), 403, "rol-ontbreekt"
    )
    # Backdate version 1 and the first afwijking, so that version 2 can start today.
    async with db() as s:
        from doorbraak.models import Regelversie

        await s.execute(
            update(Regelversie)
            .where(Regelversie.id == uuid.UUID(v1["id"]))
            .values(geldig_van=dt.date(2026, 1, 5))
        )
        await s.execute(
            update(Afwijking)
            .where(Afwijking.id == uuid.UUID(c["afwijking"]["id"]))
            .values(aangemaakt_op=dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC))
        )
        await s.commit()
    vreemd = await nieuwe_regel(api("bram"), titel="Wmo")
    probleem(
        await api("fatima").post(
            f"/api/v1/regels/{vreemd['id']}/versies",
            json={**nieuw, "signalen": [c["afwijking"]["id"]], "geldigVan": "2030-01-01"},
        ),
        400,
    )
    v2 = ok(
        await api("fatima").post(
            f"/api/v1/regels/{regel}/versies",
            json={**nieuw, "signalen": [c["afwijking"]["id"], c["leerpunt"]["id"]]},
        ),
        201,
    )
    assert v2["nummer"] == 2 and sorted(v2["signalen"]) == sorted(
        [c["afwijking"]["id"], c["leerpunt"]["id"]]
    )
    for id_ in (c["afwijking"]["id"], c["leerpunt"]["id"]):
        s = ok(await api("peter").get(f"/api/v1/beleidssignalen/{id_}"))
        assert s["signaalStatus"] == "regel_aangepast" and s["regelversie"]["id"] == v2["id"]
    # A signal about this regel may only point at a version of this regel.
    wmo = ok(
        await api("bram").post(
            f"/api/v1/regels/{vreemd['id']}/versies",
            json={**nieuw, "geldigVan": "2030-01-01"},
        ),
        201,
    )
    fout = probleem(
        await _patch(
            api,
            "fatima",
            c["afwijking"]["id"],
            {"signaalStatus": "regel_aangepast", "regelversie": wmo["id"]},
        ),
        400,
    )
    assert fout["invalidParams"][0]["code"] == "andere-regel"
    # The afwijking shows its outcome to the casusteam.
    afw = ok(await api("karim").get(f"/api/v1/casussen/{k}/afwijkingen/{c['afwijking']['id']}"))
    assert afw["signaal"]["status"] == "regel_aangepast"
    assert afw["signaal"]["regelversie"]["nummer"] == 2
    # A new afwijking today bends version 2; once vastgesteld, each version has one bend.
    tweede = await casus_in_maatwerk(api)
    besluit = await nieuw_besluit(api("karim"), tweede["kenmerk"])
    b = await nieuwe_afwijking(api("karim"), tweede["kenmerk"], besluit["id"], regel)
    assert b["regelversie"]["nummer"] == 2
    await _vastgesteld(api, tweede["kenmerk"], besluit, b["id"])
    versies = ok(await api("sanne").get(f"/api/v1/regels/{regel}/versies"))
    assert [(v["nummer"], v["afwijkingenInKracht"]) for v in versies] == [(1, 1), (2, 1)]
    assert versies[0]["geldigTot"] == versies[1]["geldigVan"]
    register = ok(await api("fatima").get("/api/v1/afwijkingen", params={"regel": regel}))
    assert [(x["regelversie"]["nummer"], x["aantal"]) for x in register["perRegelversie"]] == [
        (1, 1),
        (2, 1),
    ]


async def test_precedents_show_earlier_covered_afwijkingen_without_names(api: Api) -> None:
    a = await casus_in_maatwerk(api)
    k, regel = a["kenmerk"], a["regel"]
    besluit = await nieuw_besluit(api("karim"), k)
    oud = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel)
    met_naam = await nieuwe_afwijking(
        api("karim"),
        k,
        besluit["id"],
        regel,
        grondslag="hardheidsclausule",
        waardentoets={
            "legitimiteit": "Familie Demir kan niet wachten.",
            "rendement": "Het gezin blijft warm.",
            "betrokkenheid": "Vastgoed is gehoord.",
        },
    )
    geweigerd = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel)
    ok(await rugdekking(api("marieke"), k, oud["id"]))
    ok(await rugdekking(api("marieke"), k, met_naam["id"]))
    ok(await rugdekking(api("marieke"), k, geweigerd["id"], "afgewezen"))
    # Someone proposing on another casus sees them; outside that casus it is a 404.
    b = await casus_in_maatwerk(api)
    pad = f"/api/v1/casussen/{b['kenmerk']}/precedenten"
    r = await api("karim").get(pad, params={"regel": regel})
    p = ok(r)
    assert p["aantalGedekt"] == 2 and p["aantalGeweigerd"] == 1
    # Newest first: the one with the household's name was covered last.
    assert [x["id"] for x in p["results"]] == [met_naam["id"], oud["id"]]
    assert p["results"][0]["waardentoetsLegitimiteit"] is None
    assert p["results"][0]["waardentoetsRendement"] == "Het gezin blijft warm."
    assert p["results"][0]["grondslag"] == "hardheidsclausule"
    assert p["results"][1]["uitkomst"] == "gedekt" and p["results"][1]["risico"] == "midden"
    for geheim in (k, "Demir", "Marieke", "raamaannemer", "kou"):
        assert geheim not in r.text
    probleem(await api("fatima").get(pad, params={"regel": regel}), 404)
    probleem(await api("karim").get(pad, params={"regel": str(uuid.uuid4())}), 400)


# --- periods, working days, afdelingen ---------------------------------------------------------

AMS = dt.timezone(dt.timedelta(hours=2))  # CEST, April 2026


async def _backdate(db: Maker, kenmerk: str, aangemeld: dt.datetime, besluit: dt.datetime) -> None:
    async with db() as s:
        casus = (await s.scalars(select(Casus).where(Casus.kenmerk == kenmerk))).one()
        casus.aangemeld_op = aangemeld
        await s.execute(
            update(Besluit)
            .where(Besluit.casus_id == casus.id, Besluit.vastgesteld_op.is_not(None))
            .values(vastgesteld_op=besluit)
        )
        await s.execute(
            update(Afwijking).where(Afwijking.casus_id == casus.id).values(aangemaakt_op=aangemeld)
        )
        await s.execute(
            update(Beleidssignaal)
            .where(Beleidssignaal.casus_id == casus.id)
            .values(gemeld_op=aangemeld)
        )
        await s.commit()


async def _periodes(api: Api, db: Maker) -> dict[str, Any]:
    """Hand-counted, days in Europe/Amsterdam:
    - Pasen: aangemeld Thursday 2 April 2026, first besluit Tuesday 7 April. Good Friday and
      Easter Monday are holidays: 1 working day (5 calendar days). vastgoed and sociaal-domein
      take part; one flagged afwijking (a signal).
    - Koningsdag: aangemeld Friday 24 April, besluit Tuesday 28 April; Monday 27 is King's Day:
      1 working day. Only vastgoed takes part (its sociaal-domein deelname removed).
    - Maart: aangemeld Monday 2 March 09:00, besluit Tuesday 31 March at 22:30 UTC, which is
      already Wednesday 1 April 00:30 in Amsterdam: the besluit falls in April. Working days
      after 2 March up to 1 April: 22.
    So in April (2026-04-01..30): 3 first besluiten, working days 1, 1, 22: median 1, p90
    1 + 21 * 0.8 = 17.8. The period before is March 2026: 1 casus aangemeld (Maart).
    """
    uit: dict[str, Any] = {}
    for naam, aangemeld, besluitmoment in (
        ("pasen", dt.datetime(2026, 4, 2, 10, tzinfo=AMS), dt.datetime(2026, 4, 7, 15, tzinfo=AMS)),
        (
            "koningsdag",
            dt.datetime(2026, 4, 24, 10, tzinfo=AMS),
            dt.datetime(2026, 4, 28, 9, tzinfo=AMS),
        ),
        (
            "maart",
            dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),
        ),
    ):
        c = await casus_in_maatwerk(api)
        besluit = await nieuw_besluit(api("karim"), c["kenmerk"])
        afw = await nieuwe_afwijking(
            api("karim"), c["kenmerk"], besluit["id"], c["regel"], beleidssignaal=naam == "pasen"
        )
        await _vastgesteld(api, c["kenmerk"], besluit, afw["id"])
        await _backdate(db, c["kenmerk"], aangemeld, besluitmoment)
        uit[naam] = {**c, "afwijking": afw}
    async with db() as s:
        casus_id = await s.scalar(
            select(Casus.id).where(Casus.kenmerk == uit["koningsdag"]["kenmerk"])
        )
        await s.execute(
            delete(Deelname).where(
                Deelname.casus_id == casus_id, Deelname.afdeling_code == "sociaal-domein"
            )
        )
        await s.commit()
    return uit


async def test_statistieken_per_period_and_afdeling_in_working_days(api: Api, db: Maker) -> None:
    await _periodes(api, db)
    fatima = api("fatima")
    april = ok(
        await fatima.get("/api/v1/statistieken", params={"van": "2026-04-01", "tot": "2026-04-30"})
    )
    assert april["doorlooptijdTotBesluit"] == {
        "aantal": 3,
        "mediaanWerkdagen": 1.0,
        "p90Werkdagen": 17.8,
    }
    assert april["periode"] == {"van": "2026-04-01", "tot": "2026-04-30", "afdeling": None}
    assert april["vorigePeriode"] == {"van": "2026-03-01", "tot": "2026-03-31", "afdeling": None}
    # Aangemeld in April: Pasen and Koningsdag; in March: Maart.
    assert april["kerncijfers"]["casussenAangemeld"] == 2
    assert april["kerncijfersVorigePeriode"]["casussenAangemeld"] == 1
    # Besluiten vastgesteld in April: all three (Maart's at 00:30 on 1 April); none in March.
    assert april["kerncijfers"]["besluitenVastgesteld"] == 3
    assert april["kerncijfersVorigePeriode"]["besluitenVastgesteld"] == 0
    # Afwijkingen proposed in April, in force: Pasen and Koningsdag; Maart's in March.
    assert april["kerncijfers"]["afwijkingenInKracht"] == 2
    assert april["kerncijfersVorigePeriode"]["afwijkingenInKracht"] == 1
    assert april["kerncijfers"]["signalenGemeld"] == 1
    assert [
        (m["maand"], m["aantal"], m["mediaanWerkdagen"]) for m in april["doorlooptijdPerMaand"]
    ] == [("2026-04", 3, 1.0)]
    # Per afdeling: sociaal-domein takes part in Pasen and Maart, not in Koningsdag.
    sd = ok(
        await fatima.get(
            "/api/v1/statistieken",
            params={"van": "2026-04-01", "tot": "2026-04-30", "afdeling": "sociaal-domein"},
        )
    )
    assert sd["doorlooptijdTotBesluit"]["aantal"] == 2
    assert sd["kerncijfers"]["casussenAangemeld"] == 1
    assert sd["kerncijfers"]["afwijkingenInKracht"] == 1
    vg = ok(await fatima.get("/api/v1/statistieken", params={"afdeling": "vastgoed"}))
    assert vg["doorlooptijdTotBesluit"]["aantal"] == 3 and vg["vorigePeriode"] is None
    # The same filters on the register and the signals.
    reg = ok(
        await fatima.get(
            "/api/v1/afwijkingen",
            params={"van": "2026-04-01", "tot": "2026-04-30", "afdeling": "sociaal-domein"},
        )
    )
    assert reg["aantal"] == 1
    signalen = ok(
        await fatima.get(
            "/api/v1/beleidssignalen", params={"van": "2026-03-01", "tot": "2026-03-31"}
        )
    )
    assert signalen["results"] == []
    signalen = ok(
        await fatima.get(
            "/api/v1/beleidssignalen", params={"van": "2026-04-02", "tot": "2026-04-02"}
        )
    )
    assert len(signalen["results"]) == 1
    # Bad filters are refused, never an empty answer.
    fout = probleem(
        await fatima.get("/api/v1/statistieken", params={"van": "2026-04-30", "tot": "2026-04-01"}),
        400,
    )
    assert fout["invalidParams"][0]["code"] == "tot-voor-van"
    fout = probleem(
        await fatima.get("/api/v1/afwijkingen", params={"afdeling": "bestaat-niet"}), 400
    )
    assert fout["invalidParams"][0]["code"] == "onbekende-afdeling"


def test_the_previous_period() -> None:
    D = dt.date
    assert Periode(D(2026, 1, 1), D(2026, 12, 31)).vorige() == Periode(
        D(2025, 1, 1), D(2025, 12, 31)
    )
    assert Periode(D(2026, 3, 1), D(2026, 3, 31)).vorige() == Periode(D(2026, 2, 1), D(2026, 2, 28))
    assert Periode(D(2026, 1, 1), D(2026, 3, 31)).vorige() == Periode(
        D(2025, 10, 1), D(2025, 12, 31)
    )
    # Not whole months: the same number of days just before.
    assert Periode(D(2026, 4, 10), D(2026, 4, 19)).vorige() == Periode(
        D(2026, 3, 31), D(2026, 4, 9)
    )
    assert Periode(D(2026, 4, 10), None).vorige() is None


async def test_the_learning_report_counts_before_and_after_a_rule_change(
    api: Api, db: Maker, tmp_path: Any
) -> None:
    """Pasen's regel gets version 2 from 10 April 2026, and Koningsdag bends that regel too.
    Compared over 21 days each side (10 to 30 April): before (20 March - 9 April) Pasen's
    afwijking of 2 April, after (10 - 30 April) Koningsdag's of 24 April."""
    from doorbraak.models import Regelversie

    uit = await _periodes(api, db)
    regel = uit["pasen"]["regel"]
    async with db() as s:
        await s.execute(
            update(Afwijking)
            .where(Afwijking.id == uuid.UUID(uit["koningsdag"]["afwijking"]["id"]))
            .values(regel_id=uuid.UUID(regel))
        )
        await s.execute(
            update(Regelversie)
            .where(Regelversie.regel_id == uuid.UUID(regel))
            .values(geldig_van=dt.date(2026, 1, 1))
        )
        await s.commit()
    ok(
        await api("fatima").post(
            f"/api/v1/regels/{regel}/versies",
            json={
                "tekst": "Eén offerte bij spoed.",
                "reden": "Signaal uit de wijk.",
                "geldigVan": "2026-04-10",
                "signalen": [uit["pasen"]["afwijking"]["id"]],
            },
        ),
        201,
    )
    r = ok(
        await api("peter").get(
            "/api/v1/leerrapport", params={"van": "2026-04-01", "tot": "2026-04-30"}
        )
    )
    [wijziging] = r["regelwijzigingen"]
    assert wijziging["regelversie"]["nummer"] == 2 and wijziging["dagenVergeleken"] == 21
    assert (wijziging["afwijkingenErvoor"], wijziging["afwijkingenErna"]) == (1, 1)
    # Pasen's signal, raised 2 April, is now handled (regel_aangepast): decided on the day the
    # version took effect, Friday 10 April: Tuesday 7 to Friday 10, 4 working days (Good
    # Friday 3 and Easter Monday 6 April are holidays).
    assert r["signalenPerStatus"] == [
        {"bron": "afwijking", "signaalStatus": "regel_aangepast", "aantal": 1}
    ]
    assert r["signaalDoorlooptijd"] == {"aantal": 1, "mediaanWerkdagen": 4.0, "p90Werkdagen": 4.0}
    assert r["kerncijfers"]["signalenAfgehandeld"] == 1
    assert r["kerncijfers"]["besluitenVastgesteld"] == 3
    assert r["doorlooptijdTotBesluit"]["mediaanWerkdagen"] == 1.0
    # The top regel: Pasen's regel, bent by Pasen and Koningsdag in April.
    assert [(t["regel"]["id"], t["aantal"]) for t in r["topRegels"]] == [(regel, 2)]
    # Only the registers' readers.
    probleem(await api("karim").get("/api/v1/leerrapport"), 403)
    # The scheduled run writes HTML, PDF (when WeasyPrint can) and a CSV per table.
    from doorbraak.rapportage import leerrapport
    from tests.conftest import omgeving_van

    bestanden = await leerrapport.schrijf(
        omgeving_van(db), Periode(dt.date(2026, 4, 1), dt.date(2026, 4, 30)), tmp_path, pdf=False
    )
    namen = sorted(p.name for p in bestanden)
    assert "leerrapport-20260401-20260430.html" in namen
    assert "leerrapport-20260401-20260430-regelwijzigingen.csv" in namen
    regels = (tmp_path / "leerrapport-20260401-20260430-regelwijzigingen.csv").read_text()
    assert "2026-04-10" in regels and ",21,1,1" in regels
    html = (tmp_path / "leerrapport-20260401-20260430.html").read_text()
    for k in (u["kenmerk"] for u in uit.values()):
        assert k not in html
