"""Rugdekking by request in the web: the regiehouder picks a kandidaat on the afwijking card and
sends the verzoek; the addressee finds it under "Rugdekkingsverzoeken aan mij" on Mijn werk and
answers there. Also the forms of a cost split and of an escalatie about several afwijkingen."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, mid, nieuw_besluit, nieuwe_afwijking, ok
from tests.web.conftest import csrf_uit

KOP = "Rugdekkingsverzoeken aan mij"


async def test_the_regiehouder_asks_a_kandidaat_and_the_addressee_answers_on_mijn_werk(
    api: Api, web: Any
) -> None:
    karim_api = api("karim")
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(karim_api, k)
    a = await nieuwe_afwijking(karim_api, k, besluit["id"], casus["regel"])
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    assert "Rugdekking vragen" in pagina.text
    # The kandidaten only: marieke and peter, not karim himself nor sanne (no mandaat).
    formulier = pagina.text.split(f'action="/casussen/{k}/rugdekkingsverzoeken#', 1)[1]
    formulier = formulier.split("</form>", 1)[0]
    assert mid("marieke") in formulier and mid("peter") in formulier
    assert mid("sanne") not in formulier and mid("karim") not in formulier
    r = await karim.post(
        f"/casussen/{k}/rugdekkingsverzoeken",
        data={
            "csrf": csrf_uit(pagina.text),
            "afwijking": a["id"],
            "aan": mid("marieke"),
            "toelichting": "Kun je hiernaar kijken?",
        },
    )
    assert r.status_code == 303, r.text
    pagina = await karim.get(f"/casussen/{k}")
    assert "Aan Marieke Jansen" in pagina.text and "Verzoek intrekken" in pagina.text
    assert "Rugdekking vragen" not in pagina.text  # one open verzoek at a time

    marieke = await web("marieke")
    werk = await marieke.get("/")
    sectie = werk.text.split(KOP, 1)[1].split("</section>", 1)[0]
    assert k in sectie and "Kun je hiernaar kijken?" in sectie
    verzoek = ok(await api("marieke").get("/api/v1/rugdekkingsverzoeken", params={"aan": "ik"}))
    vid = verzoek["results"][0]["id"]
    # A missing motivering comes back as a form error, nothing recorded.
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{vid}/beantwoorden",
        data={"csrf": csrf_uit(werk.text), "oordeel": "gedekt", "motivering": ""},
    )
    assert r.status_code == 400 and "Dit is nog niet gelukt" in r.text
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{vid}/beantwoorden",
        data={
            "csrf": csrf_uit(werk.text),
            "oordeel": "gedekt",
            "motivering": "Past binnen mijn mandaat.",
        },
    )
    assert r.status_code == 303, r.text
    afwijking = ok(await karim_api.get(f"/api/v1/casussen/{k}/afwijkingen/{a['id']}"))
    assert afwijking["status"] == "gedekt"
    assert afwijking["rugdekking"]["door"]["id"] == mid("marieke")
    werk = await marieke.get("/")
    assert "Geen rugdekkingsverzoeken aan u." in werk.text
    # Once: a second answer is refused.
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{vid}/beantwoorden",
        data={"csrf": csrf_uit(werk.text), "oordeel": "afgewezen", "motivering": "Toch niet."},
    )
    assert r.status_code == 409
    # Someone who may not know the verzoek gets the 404 page.
    fatima = await web("fatima")
    r = await fatima.post(
        f"/rugdekkingsverzoeken/{vid}/beantwoorden",
        data={
            "csrf": csrf_uit((await fatima.get("/")).text),
            "oordeel": "gedekt",
            "motivering": "x",
        },
    )
    assert r.status_code == 404


async def test_the_regiehouder_withdraws_a_verzoek_from_the_afwijking_card(
    api: Api, web: Any
) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    a = await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"])
    rv = ok(
        await api("karim").post(
            "/api/v1/rugdekkingsverzoeken", json={"afwijking": a["id"], "aan": mid("peter")}
        ),
        201,
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    r = await karim.post(
        f"/casussen/{k}/rugdekkingsverzoeken/{rv['id']}/intrekken",
        data={"csrf": csrf_uit(pagina.text), "reden": "Marieke neemt het op."},
    )
    assert r.status_code == 303, r.text
    uit = ok(await api("karim").get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))
    assert uit["status"] == "ingetrokken" and uit["sluitingsreden"] == "Marieke neemt het op."


async def test_a_cost_split_and_an_escalatie_about_several_afwijkingen_through_the_forms(
    api: Api, web: Any
) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    assert "kostenverdeling over de deelnemende afdelingen" in pagina.text
    r = await karim.post(
        f"/casussen/{k}/besluiten",
        data={
            "csrf": csrf_uit(pagina.text),
            "omschrijving": "Dak en begeleiding",
            "motivering": "Beide nodig",
            "kostenEenmaligCent": "1.000,00",
            "kostenverdeling.0.afdeling": "vastgoed",
            "kostenverdeling.0.eenmaligCent": "600,00",
            "kostenverdeling.1.afdeling": "sociaal-domein",
            "kostenverdeling.1.eenmaligCent": "400,00",
        },
    )
    assert r.status_code == 303, r.text
    besluit = ok(await api("karim").get(f"/api/v1/casussen/{k}/besluiten"))["results"][0]
    assert {(d["afdeling"], d["eenmaligCent"]) for d in besluit["kostenverdeling"]} == {
        ("vastgoed", 60_000),
        ("sociaal-domein", 40_000),
    }
    # Shares that do not add up come back as a form error.
    r = await karim.post(
        f"/casussen/{k}/besluiten",
        data={
            "csrf": csrf_uit(pagina.text),
            "omschrijving": "Nog een",
            "motivering": "x",
            "kostenEenmaligCent": "1.000,00",
            "kostenverdeling.0.afdeling": "vastgoed",
            "kostenverdeling.0.eenmaligCent": "600,00",
        },
    )
    assert r.status_code == 400 and "tellen op tot" in r.text
    a1 = await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"])
    a2 = await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"], risico="laag")
    pagina = await karim.get(f"/casussen/{k}")
    r = await karim.post(
        f"/casussen/{k}/escalaties",
        data={
            "csrf": csrf_uit(pagina.text),
            "niveau": "bestuur",
            "reden": "Beide afwijkingen buiten mandaat.",
            "betreft.afwijkingen": [a1["id"], a2["id"]],
        },
    )
    assert r.status_code == 303, r.text
    e = ok(await api("karim").get(f"/api/v1/casussen/{k}/escalaties"))["results"][0]
    assert sorted(e["betreft"]["afwijkingen"]) == sorted([a1["id"], a2["id"]])
