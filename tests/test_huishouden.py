"""The household's perspectiefplan, external parties, nazorg after closing and terugval."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.huishouden import lezen as huishouden_lezen
from doorbraak.kit.werkdagen import plus_maanden
from doorbraak.models import Casus, FaseOvergang, Partijdeelname
from doorbraak.retentie import service as retentie
from doorbraak.werk import context
from tests.conftest import Api, omgeving_van
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    fase,
    lokaal_vandaag,
    mid,
    nieuw_besluit,
    nieuw_doel,
    nieuwe_casus,
    ok,
    probleem,
)

SLEUTEL = "woningcorporatie-de-sleutel"
CONTACT = {"naam": "Wijkconsulent Bos", "telefoon": "010 123 4567", "email": "bos@sleutel.example"}
TOEKOMST = dt.date(2100, 1, 1)


async def _partij(api: Api, code: str = SLEUTEL, soort: str = "woningcorporatie") -> None:
    ok(
        await api("bram").post(
            "/api/v1/externe-partijen", json={"code": code, "naam": "De Sleutel", "soort": soort}
        ),
        201,
    )


async def test_consent_just_after_midnight_in_amsterdam_is_dated_today(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 23:30 UTC on 1 December it is 2 December in Amsterdam: consent of that day is not in
    the future, the day after is."""
    monkeypatch.setattr(context, "utcnow", lambda: dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC))
    karim = api("karim")
    k = (await casus_in_maatwerk(api))["kenmerk"]
    pad = f"/api/v1/casussen/{k}/perspectiefplan/instemming"
    body = probleem(await karim.post(pad, json={"datum": "2026-12-03"}), 400)
    assert body["invalidParams"][0]["code"] == "in-de-toekomst"
    plan = ok(await karim.post(pad, json={"datum": "2026-12-02"}), 201)
    assert plan["instemming"]["datum"] == "2026-12-02"


async def _etag(client: Any, pad: str) -> dict[str, str]:
    r = await client.get(pad)
    assert r.status_code == 200, r.text
    return {"If-Match": r.headers["ETag"]}


# --- the perspectiefplan ----------------------------------------------------------------------


async def test_plan_members_goals_afspraken_and_consent(api: Api) -> None:
    karim = api("karim")
    k = (await casus_in_maatwerk(api))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    await _partij(api)
    ok(await karim.post(f"{basis}/partijdeelnames", json={"partij": SLEUTEL}), 201)
    moeder = ok(
        await karim.post(
            f"{basis}/huishoudleden", json={"naamOfRol": "Moeder", "geboortejaar": 1988}
        ),
        201,
    )
    # No BSN in a member (there is no field for it, and free text refuses one).
    probleem(await karim.post(f"{basis}/huishoudleden", json={"naamOfRol": "x", "bsn": "1"}), 400)
    doel = ok(
        await karim.post(
            f"{basis}/doelen",
            json={
                "leefgebied": "gezondheid",
                "tekst": "Niet meer hoesten.",
                "gezegdDoor": moeder["id"],
            },
        ),
        201,
    )
    assert doel["gezegdDoor"] == {"id": moeder["id"], "naamOfRol": "Moeder"}
    # Owners: the household, a member, an external party in the casus, an afdeling; exactly one.
    eigenaren = []
    for eigenaar in (
        {"huishouden": True},
        {"huishoudlid": moeder["id"]},
        {"externePartij": SLEUTEL},
        {"afdeling": "vastgoed"},
    ):
        a = ok(await karim.post(f"{basis}/afspraken", json={"tekst": "Afspraak", **eigenaar}), 201)
        eigenaren.append((a["eigenaar"]["soort"], a["eigenaar"]["naam"]))
    assert eigenaren == [
        ("huishouden", "het huishouden"),
        ("huishoudlid", "Moeder"),
        ("externe_partij", "De Sleutel"),
        ("afdeling", "vastgoed"),
    ]
    probleem(await karim.post(f"{basis}/afspraken", json={"tekst": "Niemand"}), 400)
    body = probleem(
        await karim.post(
            f"{basis}/afspraken", json={"tekst": "Twee", "huishouden": True, "afdeling": "vastgoed"}
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "een-eigenaar"
    body = probleem(
        await karim.post(f"{basis}/afspraken", json={"tekst": "x", "externePartij": "ggz-noord"}),
        400,
    )
    assert body["invalidParams"][0]["code"] == "partij-neemt-niet-deel"
    # Changing the owner replaces it.
    eerste = ok(await karim.get(f"{basis}/perspectiefplan"))["afspraken"][0]
    gewijzigd = ok(
        await karim.patch(
            f"{basis}/afspraken/{eerste['id']}",
            json={"huishoudlid": moeder["id"]},
            headers={"If-Match": f'"{eerste["versie"]}"'},
        )
    )
    assert gewijzigd["eigenaar"]["soort"] == "huishoudlid"
    # A member who owns something stays.
    probleem(
        await karim.delete(
            f"{basis}/huishoudleden/{moeder['id']}", headers={"If-Match": f'"{moeder["versie"]}"'}
        ),
        409,
        "huishoudlid-in-gebruik",
    )

    # Consent: a date, recorded by whom; not in the future.
    vandaag = lokaal_vandaag().isoformat()
    morgen = (lokaal_vandaag() + dt.timedelta(days=2)).isoformat()
    probleem(await karim.post(f"{basis}/perspectiefplan/instemming", json={"datum": morgen}), 400)
    plan = ok(await karim.post(f"{basis}/perspectiefplan/instemming", json={"datum": vandaag}), 201)
    assert plan["instemming"]["datum"] == vandaag
    assert plan["instemming"]["vastgelegdDoor"]["id"] == mid("karim")
    assert plan["toegestaneActies"]["instemmingVastleggen"]["toegestaan"] is True
    assert [d["tekst"] for d in plan["doelen"]] == [
        "Warm en droog voor de winter.",
        "Niet meer hoesten.",
    ]
    # The last doel of a plan with consent stays; the first of two may go.
    ok_doel = plan["doelen"][0]
    r = await karim.delete(
        f"{basis}/doelen/{ok_doel['id']}", headers={"If-Match": f'"{ok_doel["versie"]}"'}
    )
    assert r.status_code == 204, r.text
    probleem(
        await karim.delete(f"{basis}/doelen/{doel['id']}", headers={"If-Match": '"1"'}),
        409,
        "plan-heeft-instemming",
    )
    assert (await karim.delete(f"{basis}/perspectiefplan/instemming")).status_code == 204
    assert ok(await karim.get(f"{basis}/perspectiefplan"))["instemming"] is None
    tijdlijn = ok(await karim.get(f"{basis}/tijdlijn", params={"limit": 100}))["results"]
    acties = {t["actie"] for t in tijdlijn}
    assert {"huishoudlid.toegevoegd", "doel.toegevoegd", "afspraak.toegevoegd"} <= acties
    assert {"perspectiefplan.instemming", "perspectiefplan.instemming-ingetrokken"} <= acties


async def test_consent_needs_a_goal_and_the_perspectief_guard_asks_for_one(api: Api) -> None:
    sanne, karim = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim")}), 201)
    ok(await karim.post(f"{basis}/deelnames", json={"afdeling": "vastgoed"}), 201)
    ok(await fase(karim, k, "in_kaart"), 201)
    ok(await fase(karim, k, "perspectief"), 201)
    plan = ok(await karim.get(f"{basis}/perspectiefplan"))
    assert plan["toegestaneActies"]["instemmingVastleggen"]["code"] == "plan-zonder-doelen"
    probleem(
        await karim.post(
            f"{basis}/perspectiefplan/instemming", json={"datum": lokaal_vandaag().isoformat()}
        ),
        409,
        "plan-zonder-doelen",
    )
    body = probleem(await fase(karim, k, "afpellen"), 409, "fase-voorwaarden")
    assert [v["code"] for v in body["voorwaarden"]] == ["doel"]
    casus = ok(await karim.get(basis))
    assert casus["volgendeFase"]["openVoorwaarden"][0]["code"] == "doel"
    await nieuw_doel(karim, k, "Een dak dat niet lekt.")
    ok(await fase(karim, k, "afpellen"), 201)


# --- external parties -----------------------------------------------------------------------


async def test_catalogue_is_kept_by_the_beheerder(api: Api) -> None:
    probleem(
        await api("karim").post(
            "/api/v1/externe-partijen", json={"code": "uwv", "naam": "UWV", "soort": "uwv"}
        ),
        403,
        "rol-ontbreekt",
    )
    await _partij(api, "uwv", "uwv")
    probleem(
        await api("bram").post(
            "/api/v1/externe-partijen", json={"code": "uwv", "naam": "UWV", "soort": "uwv"}
        ),
        409,
        "bestaat-al",
    )
    probleem(
        await api("bram").post(
            "/api/v1/externe-partijen", json={"code": "x-y", "naam": "X", "soort": "bank"}
        ),
        400,
    )
    pad = "/api/v1/externe-partijen/uwv"
    ok(await api("bram").patch(pad, json={"actief": False}, headers=await _etag(api("bram"), pad)))
    lijst = ok(await api("sanne").get("/api/v1/externe-partijen", params={"actief": "false"}))
    assert [p["code"] for p in lijst["results"]] == ["uwv"]
    # An inactive party does not join a casus.
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    body = probleem(
        await api("sanne").post(f"/api/v1/casussen/{k}/partijdeelnames", json={"partij": "uwv"}),
        400,
    )
    assert body["invalidParams"][0]["code"] == "onbekende-partij"


async def test_contact_person_is_for_the_casusteam_only_and_not_in_the_tijdlijn(
    api: Api,
) -> None:
    karim = api("karim")
    k = (await casus_in_maatwerk(api))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    await _partij(api)
    deelname = ok(
        await karim.post(
            f"{basis}/partijdeelnames",
            json={
                "partij": SLEUTEL,
                "standpunt": "Ontruiming opschorten.",
                "contactpersoon": CONTACT,
            },
        ),
        201,
    )
    assert deelname["contactpersoon"] == CONTACT
    stap = ok(
        await karim.post(
            f"{basis}/stappen", json={"titel": "Schimmel weg", "externePartij": SLEUTEL}
        ),
        201,
    )
    assert stap["uitvoerder"] == {
        "soort": "externe_partij",
        "huishoudlid": None,
        "externePartij": SLEUTEL,
        "afdeling": None,
        "naam": "De Sleutel",
    }
    lijst = ok(await karim.get(f"{basis}/partijdeelnames"))["results"]
    assert [t["titel"] for t in lijst[0]["toezeggingen"]] == ["Schimmel weg"]
    # peter, leidinggevende of a participating afdeling but not on the team, sees the party and
    # its standpunt, not the contact person; neither does an auditor with a purpose.
    peter = ok(await api("peter").get(f"{basis}/partijdeelnames/{SLEUTEL}"))
    assert peter["standpunt"] == "Ontruiming opschorten." and peter["contactpersoon"] is None
    lotte = ok(
        await api("lotte").get(
            f"{basis}/partijdeelnames", headers={"X-Doelbinding": "Onderzoek klacht 2026-17"}
        )
    )
    assert lotte["results"][0]["contactpersoon"] is None
    tijdlijn = await karim.get(f"{basis}/tijdlijn", params={"limit": 100})
    for geheim in (CONTACT["naam"], CONTACT["telefoon"], CONTACT["email"]):
        assert geheim not in tijdlijn.text
    # With a commitment the party stays; without, it can go.
    pad = f"{basis}/partijdeelnames/{SLEUTEL}"
    probleem(
        await karim.delete(pad, headers=await _etag(karim, pad)),
        409,
        "partijdeelname-heeft-toezeggingen",
    )
    gewist = ok(
        await karim.patch(pad, json={"contactpersoon": None}, headers=await _etag(karim, pad))
    )
    assert gewist["contactpersoon"] is None
    probleem(
        await karim.post(f"{basis}/partijdeelnames", json={"partij": SLEUTEL}), 409, "bestaat-al"
    )


# --- nazorg ----------------------------------------------------------------------------------


async def _in_uitvoering(api: Api) -> str:
    karim = api("karim")
    k: str = (await casus_in_maatwerk(api))["kenmerk"]
    besluit = await nieuw_besluit(karim, k)
    await alle_akkoord(api, k, besluit["id"])
    ok(await karim.post(f"/api/v1/casussen/{k}/besluiten/{besluit['id']}/vaststellen", json={}))
    ok(await fase(karim, k, "uitvoering"), 201)
    return k


async def test_nazorg_does_not_block_uitvoering_and_is_completed_after_closing(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    karim, sanne = api("karim"), api("sanne")
    k = await _in_uitvoering(api)
    basis = f"/api/v1/casussen/{k}"
    casus = ok(await karim.get(basis))
    vandaag = lokaal_vandaag()
    na_vaststellen = ok(
        await karim.post(
            f"{basis}/stappen",
            json={
                "titel": "Evaluatie 3 maanden na vaststellen",
                "soort": "nazorg",
                "nazorgVanaf": "vaststellen",
                "nazorgMaanden": 3,
                "eigenaar": mid("sanne"),
            },
        ),
        201,
    )
    assert na_vaststellen["deadlineDatum"] == plus_maanden(vandaag, 3).isoformat()
    na_afsluiten = ok(
        await karim.post(
            f"{basis}/stappen",
            json={
                "titel": "Na 6 maanden bellen",
                "soort": "nazorg",
                "nazorgVanaf": "afsluiten",
                "nazorgMaanden": 6,
            },
        ),
        201,
    )
    assert na_afsluiten["deadlineDatum"] is None  # known when the casus closes
    bellen = ok(
        await karim.post(
            f"{basis}/stappen",
            json={
                "titel": "Gezin bellen",
                "soort": "nazorg",
                "eigenaar": mid("sanne"),
                "deadlineDatum": vandaag.isoformat(),
            },
        ),
        201,
    )
    probleem(await karim.post(f"{basis}/stappen", json={"titel": "x", "nazorgMaanden": 3}), 400)
    # Three open nazorg moments and no other stap: uitvoering may be left.
    ok(await fase(karim, k, "evaluatie"), 201)
    ok(
        await karim.post(f"{basis}/leerpunten", json={"soort": "succes", "tekst": "Snel gedaan."}),
        201,
    )
    ok(await fase(karim, k, "afgesloten", afsluitreden="opgelost"), 201)
    assert casus["fase"] == "uitvoering"
    stap = ok(await karim.get(f"{basis}/stappen/{na_afsluiten['id']}"))
    assert stap["deadlineDatum"] == plus_maanden(vandaag, 6).isoformat()
    assert stap["toegestaneActies"]["afronden"]["toegestaan"] is True
    assert stap["toegestaneActies"]["wijzigen"]["code"] == "casus-gesloten"

    # Due today on a closed casus: in sanne's nazorg work list (the read function and the API).
    due = ok(await sanne.get("/api/v1/nazorgmomenten", params={"alleenEigen": "true"}))
    assert [(m["titel"], m["casusAfgesloten"]) for m in due] == [("Gezin bellen", True)]
    async with omgeving_van(db).als(uuid.UUID(mid("sanne")), "test.nazorg", droog=True) as ctx:
        later = await huishouden_lezen.nazorg_te_doen(ctx, tot=plus_maanden(vandaag, 7))
    assert [m.titel for m in later] == [
        "Gezin bellen",
        "Evaluatie 3 maanden na vaststellen",
        "Na 6 maanden bellen",
    ]
    # Nobody outside the team sees it.
    assert ok(await api("fatima").get("/api/v1/nazorgmomenten")) == []
    # The inbox of the team brings it to them; not to anyone off the team.
    inbox = ok(await sanne.get("/api/v1/inbox", params={"soort": "nazorg"}))["results"]
    assert [(i["kenmerk"], i["objectId"], i["teLaat"]) for i in inbox] == [(k, bellen["id"], False)]
    assert ok(await api("fatima").get("/api/v1/inbox", params={"soort": "nazorg"}))["results"] == []

    # Completing nazorg on the closed casus: allowed, without reopening.
    pad = f"{basis}/stappen/{bellen['id']}"
    klaar = ok(
        await sanne.patch(
            pad,
            json={"status": "afgerond", "bevinding": "Het gaat goed."},
            headers={"If-Match": f'"{bellen["versie"]}"'},
        )
    )
    assert klaar["status"] == "afgerond"
    assert ok(await karim.get(basis))["fase"] == "afgesloten"
    # Every other write on the closed casus stays refused.
    probleem(
        await sanne.patch(
            pad, json={"titel": "Anders"}, headers={"If-Match": f'"{klaar["versie"]}"'}
        ),
        409,
        "casus-gesloten",
    )
    probleem(
        await karim.post(
            f"{basis}/stappen", json={"titel": "3 maanden na afsluiten bellen", "soort": "nazorg"}
        ),
        409,
        "casus-gesloten",
    )
    probleem(
        await karim.post(f"{basis}/doelen", json={"leefgebied": "wonen", "tekst": "x"}),
        409,
        "casus-gesloten",
    )
    tijdlijn = ok(await karim.get(f"{basis}/tijdlijn", params={"limit": 100}))["results"]
    afgerond = [
        t for t in tijdlijn if t["objectId"] == bellen["id"] and t["actie"] == "stap.gewijzigd"
    ]
    assert afgerond[-1]["wijzigingen"]["status"] == {"oud": "open", "nieuw": "afgerond"}


async def test_retention_waits_until_nazorg_is_done(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    sanne, karim = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim")}), 201)
    ok(
        await karim.post(
            f"{basis}/huishoudleden", json={"naamOfRol": "Vader", "geboortejaar": 1980}
        ),
        201,
    )
    await _partij(api)
    ok(
        await karim.post(
            f"{basis}/partijdeelnames", json={"partij": SLEUTEL, "contactpersoon": CONTACT}
        ),
        201,
    )
    stap = ok(
        await karim.post(f"{basis}/stappen", json={"titel": "Nabellen", "soort": "nazorg"}), 201
    )
    ok(await fase(karim, k, "afgesloten", afsluitreden="elders_belegd"), 201)
    uitkomst = await retentie.draai(omgeving_van(db), droog=False, peildatum=TOEKOMST)
    assert uitkomst.geanonimiseerd == []
    ok(
        await karim.patch(
            f"{basis}/stappen/{stap['id']}",
            json={"status": "afgerond"},
            headers={"If-Match": f'"{stap["versie"]}"'},
        )
    )
    uitkomst = await retentie.draai(omgeving_van(db), droog=False, peildatum=TOEKOMST)
    assert [kenmerk for kenmerk, _ in uitkomst.geanonimiseerd] == [k]
    async with db() as session:
        deelname = await session.scalar(select(Partijdeelname))
        assert deelname is not None
        assert (deelname.contact_naam, deelname.contact_telefoon, deelname.contact_email) == (
            None,
            None,
            None,
        )
    plan = ok(await karim.get(f"{basis}/perspectiefplan"))
    assert plan["huishoudleden"][0]["naamOfRol"] == "(geanonimiseerd)"
    assert plan["huishoudleden"][0]["geboortejaar"] is None


# --- terugval ----------------------------------------------------------------------------------

DAG0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


async def _zet_dagen(db: async_sessionmaker[AsyncSession], kenmerk: str, dagen: list[int]) -> None:
    """Put the casus's fase-overgangen (in order) on these days after DAG0."""
    async with db() as s:
        casus = await s.scalar(select(Casus).where(Casus.kenmerk == kenmerk))
        assert casus is not None
        await s.execute(update(Casus).where(Casus.id == casus.id).values(aangemeld_op=DAG0))
        overgangen = (
            await s.scalars(
                select(FaseOvergang)
                .where(FaseOvergang.casus_id == casus.id)
                .order_by(FaseOvergang.op, FaseOvergang.id)
            )
        ).all()
        assert len(overgangen) == len(dagen), kenmerk
        for o, dag in zip(overgangen, dagen, strict=True):
            await s.execute(
                update(FaseOvergang)
                .where(FaseOvergang.id == o.id)
                .values(op=DAG0 + dt.timedelta(days=dag))
            )
        await s.commit()


async def _gesloten(api: Api) -> str:
    sanne, karim = api("sanne"), api("karim")
    k: str = (await nieuwe_casus(sanne))["kenmerk"]
    ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    ok(await fase(karim, k, "afgesloten", afsluitreden="elders_belegd"), 201)
    return k


async def test_terugval_is_counted_apart_in_the_statistieken(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    karim = api("karim")
    # A: closed on day 10, fell back on day 40, closed again on day 50.
    a = await _gesloten(api)
    ok(await fase(karim, a, "uitvoering", toelichting="Weer huurachterstand", terugval=True), 201)
    ok(await fase(karim, a, "afgesloten", afsluitreden="elders_belegd"), 201)
    # B: closed on day 20, reopened by mistake (no terugval) on day 21, open.
    b = await _gesloten(api)
    ok(await fase(karim, b, "uitvoering", toelichting="Te vroeg gesloten"), 201)
    # C: closed on day 4, fell back on day 30, open.
    c = await _gesloten(api)
    ok(await fase(karim, c, "evaluatie", toelichting="Terug bij af", terugval=True), 201)
    # D: open, never closed.
    await nieuwe_casus(api("sanne"))
    await _zet_dagen(db, a, [0, 10, 40, 50])
    await _zet_dagen(db, b, [0, 20, 21])
    await _zet_dagen(db, c, [0, 4, 30])
    # A terugval is a reopening only.
    body = probleem(await fase(karim, b, "evaluatie", terugval=True), 400)
    assert body["invalidParams"][0]["name"] == "terugval"
    overgangen = ok(await karim.get(f"/api/v1/casussen/{a}/fase-overgangen"))["results"]
    assert [o["terugval"] for o in overgangen] == [False, False, True, False]

    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    # By hand: two terugval reopenings (A, C) in two casussen; C is open because of it.
    assert stats["terugvallen"] == {"heropeningen": 2, "casussen": 2, "open": 1}
    # Open: B, C and D; without the terugval: B and D.
    assert stats["openCasussen"] == 3 and stats["openZonderTerugval"] == 2
    per_fase = {x["fase"]: x for x in stats["tijdPerFase"]}
    # aangemeld: the stays of A, B and C. afgesloten: only B's one day; A's 30 and C's 26 days
    # closed before the terugval are no lead time; A's second uitvoering neither.
    assert per_fase["aangemeld"]["aantal"] == 3
    assert per_fase["afgesloten"]["aantal"] == 1
    assert "uitvoering" not in per_fase
    per_fase_nu = {x["fase"]: x["aantal"] for x in stats["casussenPerFase"]}
    assert (per_fase_nu["afgesloten"], per_fase_nu["uitvoering"], per_fase_nu["evaluatie"]) == (
        1,
        1,
        1,
    )
