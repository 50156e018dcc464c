"""The maatwerk record tells the truth: each test reproduces a way the record could be made to
say something that did not happen, and shows it is refused now."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import (
    alle_akkoord,
    casus_in_maatwerk,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_casus,
    ok,
    probleem,
    rugdekking,
)


def _pad(k: str, *delen: str) -> str:
    return "/".join([f"/api/v1/casussen/{k}", *delen])


async def _escaleer(api: Api, k: str, niveau: str, **extra: Any) -> dict[str, Any]:
    return ok(  # type: ignore[no-any-return]
        await api("karim").post(
            _pad(k, "escalaties"), json={"niveau": niveau, "reden": "Buiten kader.", **extra}
        ),
        201,
    )


async def _uitkomst(api: Api, wie: str, k: str, e: str, **uitkomst: Any) -> Any:
    r = await api(wie).get(_pad(k, "escalaties", e))
    return await api(wie).patch(
        _pad(k, "escalaties", e),
        json={"uitkomst": uitkomst},
        headers={"If-Match": r.headers["ETag"]},
    )


async def _buiten_kader(api: Api) -> tuple[str, dict[str, Any], dict[str, Any]]:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    afwijking = await nieuwe_afwijking(
        api("karim"),
        k,
        besluit["id"],
        casus["regel"],
        grondslag="buiten_kader",
        risico="laag",
        financieelBelangCent=100_000,
    )
    return k, besluit, afwijking


# --- 1. escalaties bound to what they decide, with an immutable structured outcome -------------


async def test_an_unrelated_or_refused_bestuur_escalatie_does_not_unlock_buiten_kader(
    api: Api,
) -> None:
    k, besluit, afwijking = await _buiten_kader(api)
    # A bestuur escalatie must say what it decides on.
    body = probleem(
        await api("karim").post(
            _pad(k, "escalaties"), json={"niveau": "bestuur", "reden": "Extra formatie."}
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "verplicht"
    # About the besluit as a whole (not this afwijking), even toegekend: not enough.
    over_besluit = await _escaleer(api, k, "bestuur", betreft={"besluit": besluit["id"]})
    ok(await _uitkomst(api, "peter", k, over_besluit["id"], soort="toegekend", referentie="CB-1"))
    probleem(await rugdekking(api("marieke"), k, afwijking["id"]), 409, "bestuur-escalatie-vereist")
    # About this afwijking but afgewezen: not enough either.
    bestuur = await _escaleer(api, k, "bestuur", betreft={"afwijkingen": [afwijking["id"]]})
    assert bestuur["betreft"] == {"besluit": None, "afwijkingen": [afwijking["id"]]}
    afgewezen = ok(
        await _uitkomst(
            api, "peter", k, bestuur["id"], soort="afgewezen", referentie="Collegebesluit 2026-114"
        )
    )
    assert afgewezen["uitkomst"]["soort"] == "afgewezen"
    assert afgewezen["uitkomst"]["door"]["id"] == mid("peter")
    assert afgewezen["uitkomst"]["referentie"] == "Collegebesluit 2026-114"
    probleem(await rugdekking(api("marieke"), k, afwijking["id"]), 409, "bestuur-escalatie-vereist")
    # Decided is immutable: the old "rewrite the uitkomst afterwards" is a 409.
    probleem(
        await _uitkomst(api, "peter", k, bestuur["id"], soort="toegekend", referentie="x"),
        409,
        "escalatie-beslist",
    )
    # A correction is a new record with a reason; both are kept, the new one is in force.
    correctie = ok(
        await api("marieke").post(
            _pad(k, "escalaties", bestuur["id"], "correcties"),
            json={
                "uitkomst": {"soort": "toegekend", "referentie": "Collegebesluit 2026-114a"},
                "reden": "Het college besloot anders dan eerst genoteerd.",
            },
        ),
        201,
    )
    assert correctie["vervangt"] == bestuur["id"] and correctie["correctiereden"]
    assert correctie["betreft"]["afwijkingen"] == [afwijking["id"]]
    oud = ok(await api("karim").get(_pad(k, "escalaties", bestuur["id"])))
    assert oud["vervangenDoor"] == correctie["id"] and oud["uitkomst"]["soort"] == "afgewezen"
    probleem(
        await api("peter").post(
            _pad(k, "escalaties", bestuur["id"], "correcties"),
            json={"uitkomst": {"soort": "afgewezen", "referentie": "y"}, "reden": "nog eens"},
        ),
        409,
        "escalatie-al-gecorrigeerd",
    )
    assert ok(await rugdekking(api("marieke"), k, afwijking["id"]))["status"] == "gedekt"


async def test_a_correction_to_afgewezen_takes_the_grant_away(api: Api) -> None:
    k, _besluit, afwijking = await _buiten_kader(api)
    bestuur = await _escaleer(api, k, "bestuur", betreft={"afwijkingen": [afwijking["id"]]})
    ok(await _uitkomst(api, "peter", k, bestuur["id"], soort="toegekend", referentie="CB-7"))
    ok(
        await api("peter").post(
            _pad(k, "escalaties", bestuur["id"], "correcties"),
            json={
                "uitkomst": {"soort": "afgewezen", "referentie": "CB-7"},
                "reden": "Verkeerd overgenomen uit de besluitenlijst.",
            },
        ),
        201,
    )
    probleem(await rugdekking(api("marieke"), k, afwijking["id"]), 409, "bestuur-escalatie-vereist")


async def test_bestuur_outcome_is_recorded_by_someone_else_than_regiehouder_or_asker(
    api: Api,
) -> None:
    k, _besluit, afwijking = await _buiten_kader(api)
    bestuur = await _escaleer(api, k, "bestuur", betreft={"afwijkingen": [afwijking["id"]]})
    # The regiehouder (who also asked) records it no longer.
    probleem(
        await _uitkomst(api, "karim", k, bestuur["id"], soort="toegekend", referentie="CB-2"), 403
    )
    # Sanne is on the team but no leidinggevende.
    probleem(
        await _uitkomst(api, "sanne", k, bestuur["id"], soort="toegekend", referentie="CB-2"),
        403,
        "rol-ontbreekt",
    )
    # Structured: voorwaarden with toegekend_onder_voorwaarden, a reference for bestuur.
    body = probleem(
        await _uitkomst(api, "peter", k, bestuur["id"], soort="toegekend_onder_voorwaarden"), 400
    )
    assert {p["name"] for p in body["invalidParams"]} == {"uitkomst.voorwaarden"}
    probleem(await _uitkomst(api, "peter", k, bestuur["id"], soort="toegekend"), 400)
    beslist = ok(
        await _uitkomst(
            api,
            "peter",
            k,
            bestuur["id"],
            soort="toegekend_onder_voorwaarden",
            voorwaarden="Evaluatie na drie maanden.",
            referentie="CB-2",
        )
    )
    assert beslist["uitkomst"]["voorwaarden"] == "Evaluatie na drie maanden."
    # A grant under conditions is a grant.
    assert ok(await rugdekking(api("marieke"), k, afwijking["id"]))["status"] == "gedekt"


async def test_a_landelijk_escalatie_tracks_the_loket(api: Api) -> None:
    k, _besluit, afwijking = await _buiten_kader(api)
    landelijk = await _escaleer(
        api,
        k,
        "landelijk",
        betreft={"afwijkingen": [afwijking["id"]]},
        loket={
            "referentie": "MWL-2026-0042",
            "contact": "Maatwerkloket, team Noord",
            "antwoordVerwacht": "2026-12-15",
        },
    )
    assert landelijk["loket"] == {
        "referentie": "MWL-2026-0042",
        "contact": "Maatwerkloket, team Noord",
        "antwoordVerwacht": "2026-12-15",
        "status": "ingediend",
    }
    r = await api("karim").get(_pad(k, "escalaties", landelijk["id"]))
    bijgewerkt = ok(
        await api("karim").patch(
            _pad(k, "escalaties", landelijk["id"]),
            json={"loket": {"status": "in_behandeling"}},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    assert bijgewerkt["loket"]["status"] == "in_behandeling" and bijgewerkt["uitkomst"] is None
    beantwoord = ok(
        await _uitkomst(api, "peter", k, landelijk["id"], soort="afgewezen", referentie="MWL-42")
    )
    assert beantwoord["loket"]["status"] == "beantwoord"
    # Only a landelijk escalatie has a loket.
    probleem(
        await api("karim").post(
            _pad(k, "escalaties"),
            json={"niveau": "team", "reden": "x", "loket": {"referentie": "y"}},
        ),
        400,
    )


# --- 2. conflict of interest -------------------------------------------------------------------


async def test_who_drafted_or_held_regie_during_the_concept_gives_no_rugdekking(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    # Peter (casusregisseur with a mandaat) takes regie and drafts the besluit.
    r = await api("karim").post(
        _pad(k, "regie"),
        json={"medewerker": mid("peter"), "reden": "Vakantie", "overdrachtsnotitie": "Dak."},
    )
    ok(r, 201)
    besluit = await nieuw_besluit(api("peter"), k)
    afwijking = await nieuwe_afwijking(api("sanne"), k, besluit["id"], casus["regel"])
    # He hands regie back and then covers the afwijking of his own besluit: refused.
    ok(
        await api("peter").post(
            _pad(k, "regie"),
            json={"medewerker": mid("karim"), "reden": "Terug", "overdrachtsnotitie": "Dak."},
        ),
        201,
    )
    probleem(await rugdekking(api("peter"), k, afwijking["id"]), 403, "belangenconflict")
    # Someone not involved may.
    assert ok(await rugdekking(api("marieke"), k, afwijking["id"]))["status"] == "gedekt"


async def test_who_is_involved_does_not_record_the_escalation_outcome(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    # Marieke (leidinggevende of vastgoed, on the casus) proposes the afwijking herself.
    afwijking = await nieuwe_afwijking(
        api("marieke"), k, besluit["id"], casus["regel"], grondslag="buiten_kader"
    )
    bestuur = await _escaleer(api, k, "bestuur", betreft={"afwijkingen": [afwijking["id"]]})
    probleem(
        await _uitkomst(api, "marieke", k, bestuur["id"], soort="toegekend", referentie="CB-3"),
        403,
        "belangenconflict",
    )
    ok(await _uitkomst(api, "peter", k, bestuur["id"], soort="toegekend", referentie="CB-3"))


# --- 4. afwijkingen follow their besluit; registers count deviations that happened ------------


async def _vastgesteld_met_afwijking(
    api: Api, k: str, regel: str, **besluit: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    b = await nieuw_besluit(api("karim"), k, **besluit)
    a = await nieuwe_afwijking(api("karim"), k, b["id"], regel)
    ok(await rugdekking(api("marieke"), k, a["id"]))
    await alle_akkoord(api, k, b["id"])
    ok(await api("karim").post(_pad(k, "besluiten", b["id"], "vaststellen"), json={}))
    return b, a


async def test_registers_count_only_deviations_in_force(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k, regel = casus["kenmerk"], casus["regel"]
    eerste, a1 = await _vastgesteld_met_afwijking(api, k, regel)
    # The redraft bends the same rule once more; one real deviation, not two.
    tweede, a2 = await _vastgesteld_met_afwijking(api, k, regel, vervangt=eerste["id"])
    assert ok(await api("karim").get(_pad(k, "afwijkingen", a1["id"])))["status"] == "vervangen"
    # The rugdekking decision itself is kept on the replaced afwijking.
    gelezen = ok(await api("karim").get(_pad(k, "afwijkingen", a1["id"])))
    assert gelezen["rugdekking"]["oordeel"] == "gedekt"
    # A refused afwijking on a concept that is then withdrawn: never a deviation, but a signal.
    derde = await nieuw_besluit(api("karim"), k)
    a3 = await nieuwe_afwijking(api("karim"), k, derde["id"], regel)
    ok(await rugdekking(api("marieke"), k, a3["id"], "afgewezen"))
    ok(await api("karim").post(_pad(k, "besluiten", derde["id"], "intrekken"), json={"reden": "x"}))
    assert ok(await api("karim").get(_pad(k, "afwijkingen", a3["id"])))["status"] == "ingetrokken"
    register = ok(await api("fatima").get("/api/v1/afwijkingen"))
    assert register["aantal"] == 1
    assert [r["id"] for r in register["results"]] == [a2["id"]]
    assert [r["aantal"] for r in register["perRegel"]] == [1]
    assert register["rugdekkingGeweigerd"] == 1
    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    assert [r["aantal"] for r in stats["topRegels"]] == [1]
    assert stats["rugdekkingGeweigerd"] == 1
    # Withdrawing the fixed besluit takes its gedekte afwijking out of force as well.
    ok(
        await api("karim").post(
            _pad(k, "besluiten", tweede["id"], "intrekken"), json={"reden": "y"}
        )
    )
    assert ok(await api("karim").get(_pad(k, "afwijkingen", a2["id"])))["status"] == "ingetrokken"
    assert (
        ok(await api("fatima").get("/api/v1/afwijkingen", params={"regel": regel}))["aantal"] == 0
    )


# --- 5. a redraft keeps the objections; every afdeling is heard ------------------------------


async def test_a_redraft_keeps_the_bezwaar_and_needs_an_afweging(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    karim = api("karim")
    eerste = await nieuw_besluit(karim, k)
    ok(
        await api("joost").post(
            _pad(k, "besluiten", eerste["id"], "reacties"),
            json={"afdeling": "vastgoed", "reactie": "bezwaar", "toelichting": "Eerst rapport."},
        ),
        201,
    )
    await alle_akkoord(api, k, eerste["id"], "sociaal-domein")
    ok(
        await karim.post(
            _pad(k, "besluiten", eerste["id"], "vaststellen"), json={"afweging": "Warmte eerst."}
        )
    )
    tweede = await nieuw_besluit(karim, k, vervangt=eerste["id"])
    bezwaar = next(r for r in tweede["reacties"] if r["afdeling"] == "vastgoed")
    assert bezwaar["reactie"] == "bezwaar" and bezwaar["gegevenOpBesluit"] == eerste["id"]
    vaststellen = _pad(k, "besluiten", tweede["id"], "vaststellen")
    body = probleem(await karim.post(vaststellen, json={}), 400)
    assert body["invalidParams"][0]["code"] == "afweging-verplicht"
    # A new reactie of the afdeling on the redraft replaces the carried one.
    ok(
        await api("joost").post(
            _pad(k, "besluiten", tweede["id"], "reacties"),
            json={"afdeling": "vastgoed", "reactie": "akkoord"},
        ),
        200,
    )
    gelezen = ok(await karim.get(_pad(k, "besluiten", tweede["id"])))
    vastgoed = next(r for r in gelezen["reacties"] if r["afdeling"] == "vastgoed")
    assert vastgoed["gegevenOpBesluit"] is None and vastgoed["reactie"] == "akkoord"
    ok(await karim.post(vaststellen, json={}))


async def test_a_besluit_is_fixed_only_after_every_afdeling_is_heard(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    karim = api("karim")
    besluit = await nieuw_besluit(karim, k)
    assert besluit["nietGehoord"] == ["sociaal-domein", "vastgoed"]
    vaststellen = _pad(k, "besluiten", besluit["id"], "vaststellen")
    body = probleem(await karim.post(vaststellen, json={}), 409, "afdelingen-niet-gehoord")
    assert body["afdelingen"] == ["sociaal-domein", "vastgoed"]
    await alle_akkoord(api, k, besluit["id"], "sociaal-domein")
    overslagen = _pad(k, "besluiten", besluit["id"], "overslagen")
    # Passing over needs a reason, is the regiehouder's, and not for an afdeling that reacted.
    probleem(await karim.post(overslagen, json={"afdeling": "vastgoed"}), 400)
    probleem(
        await api("sanne").post(overslagen, json={"afdeling": "vastgoed", "reden": "x"}),
        403,
        "alleen-regiehouder",
    )
    probleem(
        await karim.post(overslagen, json={"afdeling": "sociaal-domein", "reden": "x"}),
        409,
        "al-gereageerd",
    )
    gelezen = ok(
        await karim.post(
            overslagen,
            json={"afdeling": "vastgoed", "reden": "Vastgoed reageert niet binnen de termijn."},
        ),
        201,
    )
    assert gelezen["nietGehoord"] == []
    assert gelezen["overgeslagen"][0]["afdeling"] == "vastgoed"
    assert gelezen["overgeslagen"][0]["door"]["id"] == mid("karim")
    ok(await karim.post(vaststellen, json={}))


# --- 6. reconsideration of a refused rugdekking ----------------------------------------------


async def test_a_refusal_is_reconsidered_after_a_toegekend_escalatie(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    afwijking = await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"])
    ok(await rugdekking(api("marieke"), k, afwijking["id"], "afgewezen"))
    # A dead end no longer, but not by asking again either.
    probleem(await rugdekking(api("peter"), k, afwijking["id"]), 409, "rugdekking-al-gegeven")
    management = await _escaleer(api, k, "management", betreft={"afwijkingen": [afwijking["id"]]})
    ok(await _uitkomst(api, "peter", k, management["id"], soort="toegekend"))
    # The one who refused does not reconsider her own refusal.
    probleem(await rugdekking(api("marieke"), k, afwijking["id"]), 403, "heroverweging-door-ander")
    herzien = ok(await rugdekking(api("peter"), k, afwijking["id"]))
    assert herzien["status"] == "gedekt" and herzien["rugdekking"]["door"]["id"] == mid("peter")
    tijdlijn = ok(await api("karim").get(_pad(k, "tijdlijn"), params={"limit": 100}))
    acties = [t["actie"] for t in tijdlijn["results"]]
    assert "afwijking.afgewezen" in acties and "afwijking.gedekt" in acties


# --- 8. parts that vanish or are unreachable -------------------------------------------------


async def test_a_deelname_with_parts_is_not_deleted(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    await alle_akkoord(api, k, besluit["id"], "vastgoed")
    r = await api("karim").get(_pad(k, "deelnames", "vastgoed"))
    body = probleem(
        await api("karim").delete(
            _pad(k, "deelnames", "vastgoed"), headers={"If-Match": r.headers["ETag"]}
        ),
        409,
        "deelname-heeft-onderdelen",
    )
    assert set(body["onderdelen"]) == {"reacties", "kostenaandelen"}
    # Marieke (leidinggevende of vastgoed) keeps access to the casus.
    ok(await api("marieke").get(_pad(k)))


async def test_a_stap_owner_must_be_able_to_see_the_casus(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    body = probleem(
        await api("karim").post(
            _pad(k, "stappen"), json={"titel": "Schuldhulp inschakelen", "eigenaar": mid("eva")}
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "eigenaar-niet-in-team"
    ok(await api("karim").post(_pad(k, "team"), json={"medewerker": mid("eva")}), 201)
    ok(
        await api("karim").post(
            _pad(k, "stappen"), json={"titel": "Schuldhulp inschakelen", "eigenaar": mid("eva")}
        ),
        201,
    )


async def test_te_laat_filters_the_stappen_of_a_casus(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    laat = ok(
        await api("karim").post(
            _pad(k, "stappen"), json={"titel": "Te laat", "deadlineDatum": "2020-01-01"}
        ),
        201,
    )
    op_tijd = ok(await api("karim").post(_pad(k, "stappen"), json={"titel": "Op tijd"}), 201)
    te_laat = ok(await api("karim").get(_pad(k, "stappen"), params={"teLaat": "true"}))
    assert [s["id"] for s in te_laat["results"]] == [laat["id"]]
    niet = ok(await api("karim").get(_pad(k, "stappen"), params={"teLaat": "false"}))
    assert [s["id"] for s in niet["results"]] == [op_tijd["id"]]


async def test_unknown_query_parameters_are_refused(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    body = probleem(
        await api("karim").get(_pad(casus["kenmerk"], "stappen"), params={"tLaat": "true"}), 400
    )
    assert body["invalidParams"] == [
        {
            "name": "tLaat",
            "code": "onbekende-parameter",
            "reason": "deze route kent deze queryparameter niet (wel: cursor, limit, teLaat)",
        }
    ]


# --- 9. besluiten belong to fase maatwerk; noodmaatregel before ------------------------------


async def test_besluiten_before_maatwerk_only_as_noodmaatregel(api: Api) -> None:
    sanne, karim = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne))["kenmerk"]
    ok(await sanne.post(_pad(k, "regie"), json={"medewerker": mid("karim")}), 201)
    invoer = {"omschrijving": "Noodreparatie", "motivering": "Lekkage boven het bed."}
    probleem(await karim.post(_pad(k, "besluiten"), json=invoer), 409, "fase-te-vroeg")
    probleem(await karim.post(_pad(k, "besluiten"), json={**invoer, "noodmaatregel": True}), 400)
    nood = ok(
        await karim.post(
            _pad(k, "besluiten"),
            json={**invoer, "noodmaatregel": True, "noodmaatregelReden": "Acuut gevaar."},
        ),
        201,
    )
    assert nood["noodmaatregel"] is True and nood["noodmaatregelReden"] == "Acuut gevaar."
    # No afdelingen take part yet: nobody to hear.
    ok(await karim.post(_pad(k, "besluiten", nood["id"], "vaststellen"), json={}))
    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    assert stats["noodmaatregelen"] == 1


# --- 10. who pays -----------------------------------------------------------------------------


async def test_the_cost_split_adds_up_and_shows_in_the_statistieken(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    karim = api("karim")
    invoer = {
        "omschrijving": "Jeugd en Wmo betalen samen",
        "motivering": "Beide zeggen dat de ander moet betalen.",
        "kostenEenmaligCent": 1_000_000,
        "kostenPerJaarCent": 200_000,
    }
    te_weinig = [
        {"afdeling": "vastgoed", "eenmaligCent": 500_000, "perJaarCent": 100_000},
        {"afdeling": "sociaal-domein", "eenmaligCent": 400_000, "perJaarCent": 100_000},
    ]
    body = probleem(
        await karim.post(_pad(k, "besluiten"), json={**invoer, "kostenverdeling": te_weinig}), 400
    )
    assert body["invalidParams"][0]["code"] == "telt-niet-op"
    buiten = [{"afdeling": "schuldhulp", "eenmaligCent": 1_000_000, "perJaarCent": 200_000}]
    body = probleem(
        await karim.post(_pad(k, "besluiten"), json={**invoer, "kostenverdeling": buiten}), 400
    )
    assert body["invalidParams"][0]["code"] == "geen-deelname"
    helft = [
        {"afdeling": "vastgoed", "eenmaligCent": 500_000, "perJaarCent": 100_000},
        {"afdeling": "sociaal-domein", "eenmaligCent": 500_000, "perJaarCent": 100_000},
    ]
    besluit = ok(
        await karim.post(_pad(k, "besluiten"), json={**invoer, "kostenverdeling": helft}), 201
    )
    assert {a["afdeling"]: a["eenmaligCent"] for a in besluit["kostenverdeling"]} == {
        "sociaal-domein": 500_000,
        "vastgoed": 500_000,
    }
    await alle_akkoord(api, k, besluit["id"])
    ok(await karim.post(_pad(k, "besluiten", besluit["id"], "vaststellen"), json={}))
    stats = ok(await api("fatima").get("/api/v1/statistieken"))
    assert stats["kostenPerAfdeling"] == [
        {"afdeling": "sociaal-domein", "eenmaligCent": 500_000, "perJaarCent": 100_000},
        {"afdeling": "vastgoed", "eenmaligCent": 500_000, "perJaarCent": 100_000},
    ]


# --- 11. /team is a list like every other -----------------------------------------------------


async def test_team_answers_results_and_next(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    team = ok(await api("karim").get(_pad(casus["kenmerk"], "team")))
    assert set(team) == {"results", "next", "nextCursor"} and team["next"] is None
    assert any(t["medewerker"]["id"] == mid("karim") for t in team["results"])


OPERATIES = {"/api/v1/openapi.json", "/api/v1/health", "/api/v1/health/gereed"}


async def test_every_api_route_refuses_an_unknown_query_parameter(app: Any, api: Api) -> None:
    """A kit-level rule: no route silently ignores a parameter it does not know."""
    from fastapi.routing import iter_route_contexts

    from doorbraak.werk.router import ApiRoute

    waarden = {"kenmerk": "DB-2026-0001", "code": "wonen", "afdelingCode": "vastgoed"}
    gezien = 0
    karim = api("karim")
    for context in iter_route_contexts(app.routes):
        route = context.route
        pad = getattr(route, "path_format", "")
        # The OpenAPI document and the health checks (probes) are not resources of the API.
        if not pad.startswith("/api/v1/") or pad in OPERATIES:
            continue
        assert isinstance(route, ApiRoute), f"{route.path_format} does not use the API route class"
        pad = route.path_format
        for naam in route.param_convertors:
            pad = pad.replace("{" + naam + "}", waarden.get(naam, mid("niemand")))
        for methode in sorted(route.methods or ()):
            if methode == "HEAD":
                continue
            r = await karim.request(methode, pad, params={"zzOnbekend": "1"})
            body = probleem(r, 400)
            assert body["invalidParams"][0]["code"] == "onbekende-parameter", (methode, pad)
            gezien += 1
    assert gezien > 60


# --- permission sets of besluit, afwijking and escalatie equal what the endpoints do ----------

PERSONEN = ("karim", "sanne", "joost", "marieke", "peter")


def _zoals_gezegd(actie: dict[str, Any], r: Any, wie: str, wat: str) -> None:
    if actie["toegestaan"]:
        assert r.status_code < 300, (wie, wat, r.status_code, r.text)
    else:
        assert r.status_code in (403, 409), (wie, wat, r.status_code, r.text)
        assert r.json()["code"] == actie["code"], (wie, wat, actie, r.text)


async def test_the_maatwerk_sets_equal_what_the_endpoints_allow(api: Api) -> None:
    for wie in PERSONEN:
        casus = await casus_in_maatwerk(api)
        k = casus["kenmerk"]
        besluit = await nieuw_besluit(api("karim"), k)
        afwijking = await nieuwe_afwijking(api("sanne"), k, besluit["id"], casus["regel"])
        bestuur = await _escaleer(api, k, "bestuur", betreft={"afwijkingen": [afwijking["id"]]})
        client = api(wie)
        # The besluit: overslaan, vaststellen (nobody heard yet), intrekken.
        gezien = ok(await client.get(_pad(k, "besluiten", besluit["id"])))["toegestaneActies"]
        r = await client.post(
            _pad(k, "besluiten", besluit["id"], "overslagen"),
            json={"afdeling": "vastgoed", "reden": "Geen reactie."},
        )
        _zoals_gezegd(gezien["overslaan"], r, wie, "overslaan")
        r = await client.post(_pad(k, "besluiten", besluit["id"], "vaststellen"), json={})
        _zoals_gezegd(gezien["vaststellen"], r, wie, "vaststellen")
        # The escalatie: recording its outcome, then correcting it.
        e = ok(await client.get(_pad(k, "escalaties", bestuur["id"])))
        r = await _uitkomst(api, wie, k, bestuur["id"], soort="toegekend", referentie="CB-9")
        _zoals_gezegd(e["toegestaneActies"]["uitkomstVastleggen"], r, wie, "uitkomst")
        # The afwijking: rugdekking.
        a = ok(await client.get(_pad(k, "afwijkingen", afwijking["id"])))
        r = await rugdekking(client, k, afwijking["id"])
        _zoals_gezegd(a["toegestaneActies"]["rugdekkingGeven"], r, wie, "rugdekking")
        gezien = ok(await client.get(_pad(k, "besluiten", besluit["id"])))["toegestaneActies"]
        r = await client.post(
            _pad(k, "besluiten", besluit["id"], "intrekken"), json={"reden": "Anders."}
        )
        _zoals_gezegd(gezien["intrekken"], r, wie, "intrekken")
    # Who may what, as the rules say: only the regiehouder decides on besluiten; peter (a
    # leidinggevende, not involved) records the bestuur outcome; karim (regie) does not.
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    voor_karim = ok(await api("karim").get(_pad(k, "besluiten", besluit["id"])))
    assert voor_karim["toegestaneActies"]["vaststellen"]["code"] == "afdelingen-niet-gehoord"
    assert voor_karim["toegestaneActies"]["overslaan"]["toegestaan"] is True
    voor_sanne = ok(await api("sanne").get(_pad(k, "besluiten", besluit["id"])))
    assert voor_sanne["toegestaneActies"]["vaststellen"]["code"] == "alleen-regiehouder"
