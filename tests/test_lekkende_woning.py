"""The leaking home of api.md, the whole method through the API: aangemeld to afgesloten/opgelost."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Api
from tests.helpers import (
    casus_in_maatwerk,
    fase,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    ok,
    probleem,
    rugdekking,
)

# Shared verhalen pass the Dutch de-identification (deduce, warmed up once per session).
pytestmark = pytest.mark.usefixtures("deduce_gereed")


async def test_the_leaking_home_runs_the_whole_method(api: Api) -> None:
    karim, joost, sanne, marieke = api("karim"), api("joost"), api("sanne"), api("marieke")
    casus = await casus_in_maatwerk(api)
    k, regel = casus["kenmerk"], casus["regel"]
    pad = f"/api/v1/casussen/{k}"
    for organisatie, leefgebied, kosten in (
        ("GGD", "gezondheid", 450_000),
        ("Schuldhulpverlening", "financien", 800_000),
    ):
        ok(
            await karim.post(
                f"{pad}/betrokkenen",
                json={
                    "organisatie": organisatie,
                    "leefgebied": leefgebied,
                    "kostenPerJaarCent": kosten,
                },
            ),
            201,
        )
    ok(
        await karim.post(
            f"{pad}/knelpunten",
            json={
                "soort": "samenwerking",
                "niveau": "professional",
                "omschrijving": "Geen gedeeld budget.",
            },
        ),
        201,
    )

    # maatwerk: besluit, reacties, afwijking with rugdekking, afweging, vaststellen.
    besluit = await nieuw_besluit(karim, k)
    reacties = f"{pad}/besluiten/{besluit['id']}/reacties"
    ok(
        await joost.post(
            reacties,
            json={
                "afdeling": "vastgoed",
                "reactie": "bezwaar",
                "toelichting": "Eerst een rapport.",
            },
        ),
        201,
    )
    ok(await sanne.post(reacties, json={"afdeling": "sociaal-domein", "reactie": "akkoord"}), 201)
    afwijking = await nieuwe_afwijking(karim, k, besluit["id"], regel)
    ok(await rugdekking(marieke, k, afwijking["id"]))
    vastgesteld = ok(
        await karim.post(
            f"{pad}/besluiten/{besluit['id']}/vaststellen",
            json={"afweging": "Warmte gaat voor; het rapport volgt na de reparatie."},
        )
    )
    assert vastgesteld["status"] == "vastgesteld"
    ok(await fase(karim, k, "uitvoering"), 201)

    # uitvoering: steps until done; the guard holds while one is open.
    stappen = []
    for titel, afdeling, eigenaar in (
        ("Dak repareren", "vastgoed", "joost"),
        ("Gezin informeren", "sociaal-domein", "sanne"),
    ):
        stappen.append(
            ok(
                await karim.post(
                    f"{pad}/stappen",
                    json={"titel": titel, "afdeling": afdeling, "eigenaar": mid(eigenaar)},
                ),
                201,
            )
        )
    body = probleem(await fase(karim, k, "evaluatie"), 409, "fase-voorwaarden")
    assert [v["code"] for v in body["voorwaarden"]] == ["stappen-afgerond"]
    for stap in stappen:
        r = await karim.get(f"{pad}/stappen/{stap['id']}")
        ok(
            await karim.patch(
                f"{pad}/stappen/{stap['id']}",
                json={"status": "afgerond", "bevinding": "Gedaan."},
                headers={"If-Match": r.headers["ETag"]},
            )
        )
    ok(await fase(karim, k, "evaluatie"), 201)

    # evaluatie: no leerpunt, no closing as opgelost.
    body = probleem(
        await fase(karim, k, "afgesloten", afsluitreden="opgelost"), 409, "fase-voorwaarden"
    )
    assert [v["code"] for v in body["voorwaarden"]] == ["leerpunt"]
    ok(
        await karim.post(
            f"{pad}/leerpunten",
            json={
                "soort": "systeem",
                "tekst": "Spoedreparaties voor inwoners in nood: één offerte volstaat.",
                "voorWie": "Inkoop",
            },
        ),
        201,
    )
    verhaal = "Eén regiehouder, één afweging, en het dak was binnen een week dicht."
    gedeeld = ok(
        await karim.post(
            f"{pad}/leerpunten",
            json={
                "soort": "succes",
                "tekst": verhaal,
                "delen": True,
                "toestemmingHuishouden": True,
            },
        ),
        201,
    )
    ok(await fase(karim, k, "afgesloten", afsluitreden="opgelost"), 201)
    # Four-eyes, after closing: a second medewerker of the casus publishes the verhaal.
    r = await api("sanne").get(f"{pad}/leerpunten/{gedeeld['id']}")
    ok(
        await api("sanne").post(
            f"{pad}/leerpunten/{gedeeld['id']}/goedkeuring", headers={"If-Match": r.headers["ETag"]}
        )
    )

    einde = ok(await karim.get(pad))
    assert einde["fase"] == "afgesloten" and einde["afsluitreden"] == "opgelost"
    assert einde["kostenDoormodderenPerJaarCent"] == 1_200_000 + 450_000 + 800_000
    assert einde["kostenDoorbraakCent"] == 1_850_000
    assert einde["volgendeFase"] is None
    # Closed is read-only.
    probleem(await nieuw_besluit_poging(karim, k), 409, "casus-gesloten")
    tijdlijn = {
        t["actie"] for t in ok(await karim.get(f"{pad}/tijdlijn", params={"limit": 100}))["results"]
    }
    assert {
        "besluit.vastgesteld",
        "afwijking.gedekt",
        "besluit.reactie",
        "leerpunt.toegevoegd",
    } <= tijdlijn
    assert [v["tekst"] for v in ok(await api("lotte").get("/api/v1/verhalen"))["results"]] == [
        verhaal
    ]
    signalen = ok(await api("fatima").get("/api/v1/beleidssignalen"))["results"]
    assert [s["bron"] for s in signalen] == ["leerpunt"]


async def nieuw_besluit_poging(client: httpx.AsyncClient, kenmerk: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/casussen/{kenmerk}/besluiten", json={"omschrijving": "x", "motivering": "y"}
    )
