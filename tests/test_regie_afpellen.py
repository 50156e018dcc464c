"""Regie across departments and peeling the case apart: the leaking home up to maatwerk."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
from sqlalchemy import exc as sa_exc

from doorbraak.db import utcnow
from doorbraak.models import Regievoering
from tests.conftest import Api, postgres_only
from tests.helpers import fase, lokaal_vandaag, mid, nieuw_doel, nieuwe_casus, ok, probleem
from tests.personas import medewerker_id


async def _casus_met_regie(api: Api) -> str:
    casus = await nieuwe_casus(api("sanne"))
    k: str = casus["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    return k


async def test_leaking_home_walks_to_maatwerk(api: Api) -> None:
    sanne, karim, eva, marieke = api("sanne"), api("karim"), api("eva"), api("marieke")
    k = (await nieuwe_casus(sanne, titel="Lekkende huurwoning, gezin in de kou"))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"

    # Regie: the first regiehouder, by the aanmelder while nobody holds regie.
    regie = ok(
        await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim"), "reden": "urgent"}),
        201,
    )
    assert regie["huidige"]["medewerker"]["naam"] == "Karim El Amrani"
    assert regie["huidige"]["toegewezenDoor"]["naam"] == "Sanne de Vries"
    ok(await fase(karim, k, "in_kaart"), 201)

    # In kaart: deelnames with standpunten, betrokkenen with yearly costs.
    vg = ok(
        await karim.post(
            f"{basis}/deelnames",
            json={
                "afdeling": "vastgoed",
                "contactpersoon": mid("joost"),
                "standpunt": "Eerst een rapport en een duurzaam plan.",
            },
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/deelnames",
            json={
                "afdeling": "sociaal-domein",
                "contactpersoon": mid("sanne"),
                "standpunt": "Deze week dicht: gezin in de kou.",
            },
        ),
        201,
    )
    assert vg["contactpersoon"]["naam"] == "Joost Bakker"
    probleem(
        await karim.post(f"{basis}/deelnames", json={"afdeling": "vastgoed"}), 409, "bestaat-al"
    )
    probleem(await karim.post(f"{basis}/deelnames", json={"afdeling": "bestaat-niet"}), 400)
    for organisatie, leefgebied, kosten in (
        ("Woningcorporatie", "wonen", 1_800_000),
        ("GGD", "gezondheid", 2_600_000),
        ("Schuldhulpverlening", "financien", 1_400_000),
    ):
        ok(
            await karim.post(
                f"{basis}/betrokkenen",
                json={
                    "organisatie": organisatie,
                    "leefgebied": leefgebied,
                    "kostenPerJaarCent": kosten,
                },
            ),
            201,
        )
    detail = ok(await karim.get(basis))
    assert detail["kostenDoormodderenPerJaarCent"] == 5_800_000
    assert [d["afdeling"] for d in detail["deelnames"]] == ["vastgoed", "sociaal-domein"]

    # Joost is now on the casusteam through his deelname; a leidinggevende of vastgoed sees it too.
    ok(await api("joost").get(basis))
    ok(await marieke.get(basis))
    team = ok(await karim.get(f"{basis}/team"))["results"]
    rollen = {t["medewerker"]["naam"]: t["rollen"] for t in team}
    assert rollen["Karim El Amrani"] == ["regiehouder"]
    assert sorted(rollen["Sanne de Vries"]) == ["aanmelder", "contactpersoon"]
    assert rollen["Joost Bakker"] == ["contactpersoon"]

    ok(await fase(karim, k, "perspectief"), 201)
    await nieuw_doel(karim, k, "Warm en droog voor de winter, kinderen weer naar school.")
    ok(await fase(karim, k, "afpellen"), 201)

    # Afpellen: a refused move lists all unmet conditions at once.
    body = probleem(await fase(karim, k, "maatwerk"), 409, "fase-voorwaarden")
    assert {v["code"] for v in body["voorwaarden"]} == {"doorbraak", "knelpunt"}
    versie = ok(await karim.get(basis))["versie"]
    ok(
        await karim.patch(
            basis, json={"doorbraak": "Het dak."}, headers={"If-Match": f'"{versie}"'}
        )
    )
    ok(
        await karim.post(
            f"{basis}/knelpunten",
            json={
                "soort": "regel",
                "niveau": "systeem",
                "omschrijving": "Inkoopregel vraagt drie offertes.",
                "afdeling": "vastgoed",
            },
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/knelpunten",
            json={
                "soort": "samenwerking",
                "niveau": "professional",
                "omschrijving": "Geen gedeeld budget.",
            },
        ),
        201,
    )
    stap = ok(
        await karim.post(
            f"{basis}/stappen",
            json={
                "titel": "Dak laten inspecteren",
                "afdeling": "vastgoed",
                "eigenaar": mid("joost"),
                "deadlineDatum": "2026-01-05",
            },
        ),
        201,
    )
    assert stap["fase"] == "afpellen" and stap["teLaat"] is True

    # An escalatie shows on the casus while open.
    esc = ok(
        await karim.post(
            f"{basis}/escalaties", json={"niveau": "management", "reden": "Geen gedeeld budget."}
        ),
        201,
    )
    assert ok(await karim.get(basis))["openEscalaties"] == 1
    probleem(
        await karim.patch(
            f"{basis}/escalaties/{esc['id']}",
            json={"uitkomst": {"soort": "toegekend"}},
            headers={"If-Match": '"1"'},
        ),
        403,
    )
    afgehandeld = ok(
        await marieke.patch(
            f"{basis}/escalaties/{esc['id']}",
            json={
                "uitkomst": {"soort": "toegekend", "toelichting": "Budget uit het maatwerkfonds."}
            },
            headers={"If-Match": '"1"'},
        )
    )
    assert (
        afgehandeld["afgehandeldDoor"]["naam"] == "Marieke Jansen" and afgehandeld["afgehandeldOp"]
    )
    assert ok(await karim.get(basis))["openEscalaties"] == 0

    # A handover in one step: the old period ends, the new one starts, with reason and note.
    probleem(await karim.post(f"{basis}/regie", json={"medewerker": mid("eva")}), 400)
    ok(
        await karim.post(
            f"{basis}/regie",
            json={
                "medewerker": mid("eva"),
                "reden": "Schulden staan centraal",
                "overdrachtsnotitie": "Dak is geregeld.",
            },
        ),
        201,
    )
    regie = ok(await eva.get(f"{basis}/regie"))
    assert regie["huidige"]["medewerker"]["naam"] == "Eva Mulder"
    assert [(v["medewerker"]["naam"], v["tot"] is None) for v in regie["historie"]] == [
        ("Eva Mulder", True),
        ("Karim El Amrani", False),
    ]
    # Karim handed over: he is no longer on the team, so he may no longer move the fase.
    probleem(await fase(karim, k, "maatwerk"), 404)
    ok(await fase(eva, k, "maatwerk"), 201)
    body = probleem(await fase(eva, k, "uitvoering"), 409, "fase-voorwaarden")
    assert [v["code"] for v in body["voorwaarden"]] == ["besluit-vastgesteld"]

    acties = [t["actie"] for t in ok(await eva.get(f"{basis}/tijdlijn?limit=100"))["results"]]
    for verwacht in (
        "casus.aangemeld",
        "regie.toegewezen",
        "deelname.toegevoegd",
        "betrokkene.toegevoegd",
        "casus.gewijzigd",
        "knelpunt.toegevoegd",
        "stap.toegevoegd",
        "escalatie.aangevraagd",
        "escalatie.afgehandeld",
        "regie.overgedragen",
        "casus.vooruit",
    ):
        assert verwacht in acties


async def test_only_a_casusregisseur_holds_regie(api: Api) -> None:
    casus = await nieuwe_casus(api("sanne"))
    r = await api("sanne").post(
        f"/api/v1/casussen/{casus['kenmerk']}/regie", json={"medewerker": mid("joost")}
    )
    body = probleem(r, 400)
    assert body["invalidParams"][0]["code"] == "geen-casusregisseur"
    r = await api("sanne").post(
        f"/api/v1/casussen/{casus['kenmerk']}/regie", json={"medewerker": str(uuid.uuid4())}
    )
    probleem(r, 400)


async def test_regie_to_the_current_regiehouder_is_a_conflict(api: Api) -> None:
    k = await _casus_met_regie(api)
    r = await api("karim").post(
        f"/api/v1/casussen/{k}/regie",
        json={"medewerker": mid("karim"), "reden": "x", "overdrachtsnotitie": "y"},
    )
    probleem(r, 409, "al-regiehouder")


async def test_the_database_allows_one_open_regievoering(api: Api, db: object) -> None:
    k = await _casus_met_regie(api)
    casus_id = int(k.rsplit("-", 1)[1])  # first casus of a clean database has id 1
    async with db() as session:  # type: ignore[operator]
        session.add(
            Regievoering(
                casus_id=casus_id,
                medewerker_id=medewerker_id("eva"),
                toegewezen_door_id=medewerker_id("karim"),
                van=utcnow(),
            )
        )
        with pytest.raises(sa_exc.IntegrityError):
            await session.commit()


@postgres_only
async def test_concurrent_handovers_have_one_winner_and_one_clear_409(api: Api) -> None:
    for _ in range(5):
        k = await _casus_met_regie(api)
        karim = api("karim")
        antwoorden = await asyncio.gather(
            *[
                karim.post(
                    f"/api/v1/casussen/{k}/regie",
                    json={
                        "medewerker": mid(wie),
                        "reden": "overdracht",
                        "overdrachtsnotitie": "zie dossier",
                    },
                )
                for wie in ("eva", "peter")
            ]
        )
        statussen = sorted(r.status_code for r in antwoorden)
        assert statussen in ([201, 409], [201, 404]), [r.text for r in antwoorden]
        verliezer = next(r for r in antwoorden if r.status_code != 201)
        if verliezer.status_code == 409:
            assert verliezer.json()["code"] == "regie-conflict"
        regie = ok(await api("sanne").get(f"/api/v1/casussen/{k}/regie"))
        assert len([v for v in regie["historie"] if v["tot"] is None]) == 1
        assert len(regie["historie"]) == 2


async def test_removing_a_deelname_keeps_its_history(api: Api) -> None:
    k = await _casus_met_regie(api)
    karim = api("karim")
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/deelnames",
            json={"afdeling": "wonen", "standpunt": "Urgentie geven"},
        ),
        201,
    )
    url = f"/api/v1/casussen/{k}/deelnames/wonen"
    probleem(await karim.delete(url), 428)
    gewijzigd = ok(
        await karim.patch(url, json={"standpunt": "Urgentie afwijzen"}, headers={"If-Match": '"1"'})
    )
    assert gewijzigd["versie"] == 2
    probleem(await karim.delete(url, headers={"If-Match": '"1"'}), 412)
    assert (await karim.delete(url, headers={"If-Match": '"2"'})).status_code == 204
    probleem(await karim.get(url), 404)
    regels = ok(await karim.get(f"/api/v1/casussen/{k}/tijdlijn"))["results"]
    verwijderd = [r for r in regels if r["actie"] == "deelname.verwijderd"]
    assert verwijderd[0]["wijzigingen"]["standpunt"] == {"oud": "Urgentie afwijzen", "nieuw": None}


async def test_kosten_doormodderen_follow_the_betrokkenen(api: Api) -> None:
    k = await _casus_met_regie(api)
    karim = api("karim")
    basis = f"/api/v1/casussen/{k}"
    a = ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "GGD", "leefgebied": "zorg", "kostenPerJaarCent": 1000},
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "UWV", "leefgebied": "werk", "kostenPerJaarCent": 250},
        ),
        201,
    )
    assert ok(await karim.get(basis))["kostenDoormodderenPerJaarCent"] == 1250
    ok(
        await karim.patch(
            f"{basis}/betrokkenen/{a['id']}",
            json={"kostenPerJaarCent": 5000},
            headers={"If-Match": '"1"'},
        )
    )
    assert ok(await karim.get(basis))["kostenDoormodderenPerJaarCent"] == 5250
    assert (
        await karim.delete(f"{basis}/betrokkenen/{a['id']}", headers={"If-Match": '"2"'})
    ).status_code == 204
    assert ok(await karim.get(basis))["kostenDoormodderenPerJaarCent"] == 250
    probleem(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "X", "leefgebied": "zorg", "kostenPerJaarCent": -1},
        ),
        400,
    )


async def test_stappen_work_list_flags_overdue_steps(api: Api) -> None:
    k = await _casus_met_regie(api)
    karim = api("karim")
    basis = f"/api/v1/casussen/{k}"
    gisteren = (lokaal_vandaag() - dt.timedelta(days=1)).isoformat()
    morgen = (lokaal_vandaag() + dt.timedelta(days=1)).isoformat()
    laat = ok(
        await karim.post(
            f"{basis}/stappen",
            json={"titel": "Offerte", "eigenaar": mid("karim"), "deadlineDatum": gisteren},
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/stappen",
            json={"titel": "Bellen", "eigenaar": mid("karim"), "deadlineDatum": morgen},
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/stappen",
            json={"titel": "Iemand anders", "eigenaar": mid("sanne"), "deadlineDatum": gisteren},
        ),
        201,
    )
    werk = ok(
        await karim.get("/api/v1/stappen", params={"eigenaar": mid("karim"), "teLaat": "true"})
    )["results"]
    assert [(s["titel"], s["kenmerk"], s["teLaat"]) for s in werk] == [("Offerte", k, True)]
    klaar = ok(
        await karim.patch(
            f"{basis}/stappen/{laat['id']}",
            json={"status": "afgerond", "bevinding": "Twee offertes"},
            headers={"If-Match": '"1"'},
        )
    )
    assert klaar["teLaat"] is False and klaar["afgerondOp"]
    assert (
        ok(await karim.get("/api/v1/stappen", params={"eigenaar": mid("karim"), "teLaat": "true"}))[
            "results"
        ]
        == []
    )
    # Steps of casussen one cannot see never show up.
    assert ok(await api("joost").get("/api/v1/stappen"))["results"] == []


async def test_explicit_team_members_see_the_casus_until_removed(api: Api) -> None:
    k = await _casus_met_regie(api)
    karim, joost = api("karim"), api("joost")
    probleem(await joost.get(f"/api/v1/casussen/{k}"), 404)
    probleem(
        await api("sanne").post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid("joost")}),
        403,
    )
    ok(await karim.post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid("joost")}), 201)
    ok(await joost.get(f"/api/v1/casussen/{k}"))
    probleem(await karim.post(f"/api/v1/casussen/{k}/team", json={"medewerker": mid("joost")}), 409)
    assert (await karim.delete(f"/api/v1/casussen/{k}/team/{mid('joost')}")).status_code == 204
    probleem(await joost.get(f"/api/v1/casussen/{k}"), 404)
    probleem(await karim.delete(f"/api/v1/casussen/{k}/team/{mid('joost')}"), 404)


async def test_parts_of_another_casus_are_not_found(api: Api) -> None:
    k1 = await _casus_met_regie(api)
    k2 = await _casus_met_regie(api)
    karim = api("karim")
    stap = ok(await karim.post(f"/api/v1/casussen/{k1}/stappen", json={"titel": "Stap"}), 201)
    probleem(await karim.get(f"/api/v1/casussen/{k2}/stappen/{stap['id']}"), 404)
    probleem(
        await karim.patch(
            f"/api/v1/casussen/{k2}/stappen/{stap['id']}",
            json={"titel": "x"},
            headers={"If-Match": '"1"'},
        ),
        404,
    )
