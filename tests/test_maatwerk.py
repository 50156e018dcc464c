"""Maatwerk: the regel catalogue, besluiten with reacties, afwijkingen with rugdekking."""

from __future__ import annotations

from tests.conftest import Api
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    fase,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_regel,
    ok,
    probleem,
    rugdekking,
)


def _pad(k: str, *delen: str) -> str:
    return "/".join([f"/api/v1/casussen/{k}", *delen])


async def test_regels_catalogue_is_managed_by_beheerder_and_read_by_all(api: Api) -> None:
    regel = await nieuwe_regel(api("bram"), bronUrl="https://wetten.overheid.nl/BWBR0005537")
    assert regel["aantalAfwijkingen"] == 0 and regel["soort"] == "werkinstructie"
    probleem(
        await api("karim").post(
            "/api/v1/regels",
            json={"titel": "X", "regeling": "Y", "artikel": "1", "soort": "wet"},
        ),
        403,
        "rol-ontbreekt",
    )
    lijst = ok(await api("sanne").get("/api/v1/regels"))
    assert [r["id"] for r in lijst["results"]] == [regel["id"]]
    r = await api("sanne").get(f"/api/v1/regels/{regel['id']}")
    gewijzigd = ok(
        await api("bram").patch(
            f"/api/v1/regels/{regel['id']}",
            json={"artikel": "3.3"},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    assert gewijzigd["artikel"] == "3.3" and gewijzigd["versie"] == 2
    probleem(await api("sanne").get(f"/api/v1/regels/{mid('bram')}"), 404)


async def test_knelpunt_with_unknown_regel_is_invalid(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    body = probleem(
        await api("karim").post(
            _pad(casus["kenmerk"], "knelpunten"),
            json={"soort": "regel", "niveau": "systeem", "omschrijving": "x", "regel": mid("x")},
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "onbekende-regel"


async def test_only_the_regiehouder_drafts_and_fixes_besluiten(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    invoer = {"omschrijving": "x", "motivering": "y"}
    probleem(await api("sanne").post(_pad(k, "besluiten"), json=invoer), 403, "alleen-regiehouder")
    besluit = await nieuw_besluit(api("karim"), k)
    assert besluit["status"] == "concept" and besluit["reacties"] == []
    probleem(
        await api("sanne").post(_pad(k, "besluiten", besluit["id"], "vaststellen"), json={}),
        403,
        "alleen-regiehouder",
    )
    # Costs without a paying afdeling are incomplete.
    body = probleem(
        await api("karim").post(_pad(k, "besluiten"), json={**invoer, "kostenPerJaarCent": 100}),
        400,
    )
    assert body["invalidParams"][0]["name"] == "betalendeAfdeling"


async def test_bezwaar_without_afweging_is_refused(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    reacties = _pad(k, "besluiten", besluit["id"], "reacties")
    ok(
        await api("joost").post(
            reacties,
            json={
                "afdeling": "vastgoed",
                "reactie": "bezwaar",
                "toelichting": "Eerst een rapport.",
            },
        ),
        201,
    )
    ok(
        await api("sanne").post(
            reacties, json={"afdeling": "sociaal-domein", "reactie": "akkoord"}
        ),
        201,
    )
    # A bezwaar needs a reason; a reactie for an afdeling that does not take part is invalid;
    # nobody reacts on behalf of another afdeling.
    probleem(
        await api("joost").post(reacties, json={"afdeling": "vastgoed", "reactie": "bezwaar"}), 400
    )
    probleem(
        await api("karim").post(reacties, json={"afdeling": "schuldhulp", "reactie": "akkoord"}),
        400,
    )
    probleem(
        await api("joost").post(
            reacties, json={"afdeling": "sociaal-domein", "reactie": "bezwaar", "toelichting": "x"}
        ),
        403,
        "niet-namens-afdeling",
    )
    vaststellen = _pad(k, "besluiten", besluit["id"], "vaststellen")
    body = probleem(await api("karim").post(vaststellen, json={}), 400)
    assert body["invalidParams"][0]["name"] == "afweging"
    probleem(await api("karim").post(vaststellen, json={"afweging": "   "}), 400)
    vastgesteld = ok(
        await api("karim").post(
            vaststellen, json={"afweging": "Het rapport volgt na de reparatie; warmte gaat voor."}
        )
    )
    assert vastgesteld["status"] == "vastgesteld"
    assert vastgesteld["vastgesteldDoor"]["id"] == mid("karim")
    assert {(r["afdeling"], r["reactie"]) for r in vastgesteld["reacties"]} == {
        ("vastgoed", "bezwaar"),
        ("sociaal-domein", "akkoord"),
    }
    casus = ok(await api("karim").get(f"/api/v1/casussen/{k}"))
    assert casus["kostenDoorbraakCent"] == 1_850_000
    # Vastgesteld is final: no more reacties, no second vaststellen.
    probleem(
        await api("sanne").post(
            reacties, json={"afdeling": "sociaal-domein", "reactie": "akkoord"}
        ),
        409,
        "besluit-niet-concept",
    )
    probleem(await api("karim").post(vaststellen, json={}), 409, "besluit-niet-concept")


async def test_a_new_reactie_of_the_same_afdeling_replaces_the_earlier(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    reacties = _pad(k, "besluiten", besluit["id"], "reacties")
    ok(
        await api("joost").post(
            reacties, json={"afdeling": "vastgoed", "reactie": "bezwaar", "toelichting": "Rapport."}
        ),
        201,
    )
    vervangen = ok(
        await api("marieke").post(
            reacties, json={"afdeling": "vastgoed", "reactie": "akkoord", "toelichting": "Akkoord."}
        ),
        200,
    )
    assert vervangen["reactie"] == "akkoord" and vervangen["door"]["id"] == mid("marieke")
    gelezen = ok(await api("karim").get(_pad(k, "besluiten", besluit["id"])))
    assert [(r["afdeling"], r["reactie"]) for r in gelezen["reacties"]] == [("vastgoed", "akkoord")]
    assert gelezen["nietGehoord"] == ["sociaal-domein"]
    await alle_akkoord(api, k, besluit["id"], "sociaal-domein")
    # No bezwaar left: no afweging needed.
    ok(await api("karim").post(_pad(k, "besluiten", besluit["id"], "vaststellen"), json={}))


async def test_vaststellen_with_an_ungedekte_afwijking_is_refused_listing_which(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k, regel = casus["kenmerk"], casus["regel"]
    besluit = await nieuw_besluit(api("karim"), k)
    a1 = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel)
    a2 = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel, risico="laag")
    assert a1["status"] == "voorgesteld" and a1["rugdekking"] is None
    await alle_akkoord(api, k, besluit["id"])
    vaststellen = _pad(k, "besluiten", besluit["id"], "vaststellen")
    body = probleem(await api("karim").post(vaststellen, json={}), 409, "afwijking-niet-gedekt")
    assert {a["id"] for a in body["afwijkingen"]} == {a1["id"], a2["id"]}
    gedekt = ok(await rugdekking(api("marieke"), k, a1["id"]))
    assert gedekt["status"] == "gedekt"
    assert gedekt["rugdekking"]["door"]["id"] == mid("marieke")
    assert gedekt["rugdekking"]["mandaatReferentie"] == "Mandaatbesluit 2026 art. 3"
    body = probleem(await api("karim").post(vaststellen, json={}), 409, "afwijking-niet-gedekt")
    assert [a["id"] for a in body["afwijkingen"]] == [a2["id"]]
    # An afgewezen afwijking blocks too.
    ok(await rugdekking(api("marieke"), k, a2["id"], "afgewezen"))
    body = probleem(await api("karim").post(vaststellen, json={}), 409, "afwijking-niet-gedekt")
    assert body["afwijkingen"] == [
        {"id": a2["id"], "status": "afgewezen", "regel": "Drie offertes bij inkoop"}
    ]
    # The maatwerk guard: no vastgesteld besluit yet.
    body = probleem(await fase(api("karim"), k, "uitvoering"), 409, "fase-voorwaarden")
    assert "besluit-vastgesteld" in {v["code"] for v in body["voorwaarden"]}


async def test_rugdekking_beyond_mandaat_is_refused_with_advice_to_escalate(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k, regel = casus["kenmerk"], casus["regel"]
    besluit = await nieuw_besluit(api("karim"), k)
    te_duur = await nieuwe_afwijking(
        api("karim"), k, besluit["id"], regel, financieelBelangCent=3_000_000
    )
    te_riskant = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel, risico="hoog")
    for afwijking in (te_duur, te_riskant):
        body = probleem(
            await rugdekking(api("marieke"), k, afwijking["id"]), 403, "mandaat-ontoereikend"
        )
        assert "scaleer" in body["detail"]
    # No self-approval: not the regiehouder (nor the proposer), whatever the mandaat.
    probleem(await rugdekking(api("karim"), k, te_duur["id"]), 403, "eigen-afwijking")
    # A medewerker without any mandaat is refused as well.
    probleem(await rugdekking(api("joost"), k, te_duur["id"]), 403, "mandaat-ontoereikend")
    # Peter's mandaat (EUR 100k, hoog) covers both; one decision, no chain.
    assert ok(await rugdekking(api("peter"), k, te_duur["id"]))["status"] == "gedekt"
    probleem(await rugdekking(api("peter"), k, te_duur["id"]), 409, "rugdekking-al-gegeven")
    probleem(await rugdekking(api("peter"), k, te_duur["id"], "afgewezen"), 409)
    tijdlijn = ok(await api("karim").get(_pad(k, "tijdlijn"), params={"limit": 100}))
    assert "afwijking.gedekt" in {t["actie"] for t in tijdlijn["results"]}


async def test_superseding_and_withdrawing_besluiten(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k, regel = casus["kenmerk"], casus["regel"]
    karim = api("karim")
    eerste = await nieuw_besluit(karim, k, kostenEenmaligCent=1_000_000, kostenPerJaarCent=50_000)
    # Only a vastgesteld besluit can be replaced.
    probleem(
        await karim.post(
            _pad(k, "besluiten"),
            json={"omschrijving": "x", "motivering": "y", "vervangt": eerste["id"]},
        ),
        400,
    )
    await alle_akkoord(api, k, eerste["id"])
    ok(await karim.post(_pad(k, "besluiten", eerste["id"], "vaststellen"), json={}))
    assert ok(await karim.get(f"/api/v1/casussen/{k}"))["kostenDoorbraakCent"] == 1_050_000
    # Vastgesteld is immutable: no new afwijking for it.
    body = {
        "omschrijving": "Ook de goot.",
        "motivering": "Lekt mee.",
        "kostenEenmaligCent": 1_500_000,
        "betalendeAfdeling": "vastgoed",
        "vervangt": eerste["id"],
    }
    tweede = ok(await karim.post(_pad(k, "besluiten"), json=body), 201)
    assert tweede["vervangt"] == eerste["id"] and tweede["status"] == "concept"
    # The reacties on the replaced besluit carry over, marked as given on it.
    assert {(r["afdeling"], r["gegevenOpBesluit"]) for r in tweede["reacties"]} == {
        ("vastgoed", eerste["id"]),
        ("sociaal-domein", eerste["id"]),
    }
    assert tweede["nietGehoord"] == []
    r = await karim.post(
        _pad(k, "afwijkingen"),
        json={
            "besluit": eerste["id"],
            "regel": regel,
            "watDeRegelZegt": "a",
            "watWeDoen": "b",
            "grondslag": "awb_4_84",
            "motivering": "c",
            "risico": "laag",
            "financieelBelangCent": 0,
            "waardentoets": {"legitimiteit": "d", "rendement": "e", "betrokkenheid": "f"},
        },
    )
    probleem(r, 409, "besluit-niet-concept")
    # Until the new one is fixed, the old one holds.
    assert ok(await karim.get(_pad(k, "besluiten", eerste["id"])))["status"] == "vastgesteld"
    ok(await karim.post(_pad(k, "besluiten", tweede["id"], "vaststellen"), json={}))
    assert ok(await karim.get(_pad(k, "besluiten", eerste["id"])))["status"] == "vervangen"
    assert ok(await karim.get(f"/api/v1/casussen/{k}"))["kostenDoorbraakCent"] == 1_500_000
    lijst = ok(await karim.get(_pad(k, "besluiten"), params={"status": "vastgesteld"}))
    assert [b["id"] for b in lijst["results"]] == [tweede["id"]]
    # Withdrawing needs a reason; it takes the besluit out of the costs.
    probleem(await karim.post(_pad(k, "besluiten", tweede["id"], "intrekken"), json={}), 400)
    ingetrokken = ok(
        await karim.post(
            _pad(k, "besluiten", tweede["id"], "intrekken"), json={"reden": "Andere oplossing."}
        )
    )
    assert ingetrokken["status"] == "ingetrokken" and ingetrokken["intrekkingsreden"]
    assert ok(await karim.get(f"/api/v1/casussen/{k}"))["kostenDoorbraakCent"] == 0
    probleem(
        await karim.post(_pad(k, "besluiten", tweede["id"], "intrekken"), json={"reden": "x"}), 409
    )


async def test_waardentoets_needs_all_three_parts(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    r = await api("karim").post(
        _pad(k, "afwijkingen"),
        json={
            "besluit": besluit["id"],
            "regel": casus["regel"],
            "watDeRegelZegt": "a",
            "watWeDoen": "b",
            "grondslag": "awb_4_84",
            "motivering": "c",
            "risico": "laag",
            "financieelBelangCent": 0,
            "waardentoets": {"legitimiteit": "d", "rendement": ""},
        },
    )
    body = probleem(r, 400)
    assert {p["name"] for p in body["invalidParams"]} == {
        "waardentoets.rendement",
        "waardentoets.betrokkenheid",
    }
