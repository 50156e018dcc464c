"""Rugdekking by request in the web: the regiehouder picks a kandidaat on the afwijking card and
sends the verzoek; the addressee finds it under "Rugdekkingsverzoeken aan mij" on Mijn werk and
answers there. Also the forms of a cost split and of an escalatie about several afwijkingen."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models import LogboekRegel
from doorbraak.web.formulieren import BEVESTIGING
from tests.conftest import Api
from tests.helpers import (
    casus_in_maatwerk,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    ok,
    probleem,
)
from tests.web.conftest import csrf_uit

KOP = "Rugdekkingsverzoeken aan mij"


async def _afwijking_buiten_kader(api: Api) -> tuple[str, dict[str, Any]]:
    """A casus in maatwerk with a concept besluit and an afwijking buiten kader (laag risico,
    EUR 1.000: within marieke's mandaat)."""
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    a = await nieuwe_afwijking(
        api("karim"),
        k,
        besluit["id"],
        casus["regel"],
        grondslag="buiten_kader",
        risico="laag",
        financieelBelangCent=100_000,
    )
    return k, a


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
    antwoord = {
        "csrf": csrf_uit(werk.text),
        "oordeel": "gedekt",
        "motivering": "Past binnen mijn mandaat.",
    }
    # A final action: without the confirmation box nothing is recorded.
    assert 'name="bevestigd"' in sectie
    r = await marieke.post(f"/rugdekkingsverzoeken/{vid}/beantwoorden", data=antwoord)
    assert r.status_code == 400 and BEVESTIGING in r.text
    assert ok(await karim_api.get(f"/api/v1/casussen/{k}/afwijkingen/{a['id']}"))["status"] == (
        "voorgesteld"
    )
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{vid}/beantwoorden", data={**antwoord, "bevestigd": "on"}
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
        data={
            "csrf": csrf_uit(werk.text),
            "oordeel": "afgewezen",
            "motivering": "Toch niet.",
            "bevestigd": "on",
        },
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
            "bevestigd": "on",
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


async def casus_zonder_vastgoed(api: Api) -> dict[str, Any]:
    """A casus in maatwerk with only sociaal-domein at the table (regie karim): marieke, the
    leidinggevende of vastgoed, does not see it, while her mandaat covers its afwijking."""
    karim = api("karim")
    casus = await casus_in_maatwerk(api, deelnames=[("sociaal-domein", "sanne", None)])
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(karim, k, omschrijving="Dak direct laten maken")
    a = await nieuwe_afwijking(
        karim, k, besluit["id"], casus["regel"], financieelBelangCent=900_000
    )
    return {"kenmerk": k, "afwijking": a}


async def test_the_addressee_opens_the_casus_page_while_the_verzoek_is_open(
    api: Api, web: Any, db: async_sessionmaker[AsyncSession]
) -> None:
    casus = await casus_zonder_vastgoed(api)
    k, a = casus["kenmerk"], casus["afwijking"]
    marieke = await web("marieke")
    # Not hers to see before the verzoek.
    assert (await marieke.get(f"/casussen/{k}")).status_code == 404
    probleem(await api("marieke").get(f"/api/v1/casussen/{k}"), 404)
    rv = ok(
        await api("karim").post(
            "/api/v1/rugdekkingsverzoeken",
            json={"afwijking": a["id"], "aan": mid("marieke"), "toelichting": "Graag vandaag."},
        ),
        201,
    )
    werk = await marieke.get("/")
    assert f'href="/casussen/{k}#a-{a["id"]}"' in werk.text, "Mijn werk links to the casus page"
    pagina = await marieke.get(f"/casussen/{k}")
    assert pagina.status_code == 200, pagina.text
    tekst = pagina.text
    # The parts the rugdekking inzage reads: the casus, its besluiten and afwijkingen.
    assert "Het verzoek aan u" in tekst and "Graag vandaag." in tekst
    assert "Dak direct laten maken" in tekst and f'id="a-{a["id"]}"' in tekst
    assert "Het dak." in tekst  # the casus's doorbraak
    # Nothing else of it (betrokkenen, tijdlijn, team, the household), no form to change it.
    for elders in ("Woningcorporatie", "Familie Demir", 'id="tijdlijn"', 'id="team"'):
        assert elders not in tekst, elders
    acties = set(re.findall(r'action="([^"#]+)', tekst))
    assert acties == {f"/rugdekkingsverzoeken/{rv['id']}/beantwoorden", "/uitloggen"}, acties
    # Her read is in the logboek with the verzoek as its purpose.
    async with db() as session:
        doelen = (
            await session.scalars(
                select(LogboekRegel.doelbinding).where(
                    LogboekRegel.actor == mid("marieke"), LogboekRegel.casus_id.is_not(None)
                )
            )
        ).all()
    assert f"rugdekkingsverzoek {rv['id']}" in doelen
    # She answers from that page; the confirmation box is asked for first.
    antwoord = {"csrf": csrf_uit(tekst), "oordeel": "gedekt", "motivering": "Binnen mandaat."}
    r = await marieke.post(f"/rugdekkingsverzoeken/{rv['id']}/beantwoorden", data=antwoord)
    assert r.status_code == 400 and BEVESTIGING in r.text
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{rv['id']}/beantwoorden", data={**antwoord, "bevestigd": "on"}
    )
    assert r.status_code == 303, r.text
    assert ok(await api("karim").get(f"/api/v1/casussen/{k}/afwijkingen/{a['id']}"))["status"] == (
        "gedekt"
    )
    # Access ends with the verzoek.
    assert (await marieke.get(f"/casussen/{k}")).status_code == 404


async def test_a_verzoek_buiten_kader_offers_no_gedekt_and_says_it_waits_for_the_bestuur(
    api: Api, web: Any
) -> None:
    karim_api = api("karim")
    k, a = await _afwijking_buiten_kader(api)
    ok(
        await karim_api.post(
            "/api/v1/rugdekkingsverzoeken",
            json={"afwijking": a["id"], "aan": mid("marieke"), "toelichting": "Buiten kader."},
        ),
        201,
    )
    marieke = await web("marieke")
    werk = await marieke.get("/")
    sectie = werk.text.split(KOP, 1)[1].split("</section>", 1)[0]
    assert "dit verzoek wacht op het bestuur" in sectie
    keuze = sectie.split('name="oordeel"', 1)[1].split("</select>", 1)[0]
    assert 'value="afgewezen"' in keuze and 'value="gedekt"' not in keuze
    # Sent anyway (an old page): refused with the same reason, the verzoek stays open.
    vid = ok(await api("marieke").get("/api/v1/rugdekkingsverzoeken", params={"aan": "ik"}))
    r = await marieke.post(
        f"/rugdekkingsverzoeken/{vid['results'][0]['id']}/beantwoorden",
        data={
            "csrf": csrf_uit(werk.text),
            "oordeel": "gedekt",
            "motivering": "Past binnen mijn mandaat.",
            "bevestigd": "on",
        },
    )
    assert r.status_code == 409 and "escalatie over deze afwijking heeft toegekend" in r.text
    assert ok(await karim_api.get(f"/api/v1/casussen/{k}/afwijkingen/{a['id']}"))["status"] == (
        "voorgesteld"
    )


async def test_the_casus_page_offers_no_gedekt_on_an_afwijking_buiten_kader(
    api: Api, web: Any
) -> None:
    """The afwijking card's own rugdekking form (for a leidinggevende with the mandaat) follows
    the set's `dekken`: afgewezen only, and why gedekt has to wait."""
    k, a = await _afwijking_buiten_kader(api)
    marieke = await web("marieke")
    pagina = (await marieke.get(f"/casussen/{k}")).text
    formulier = pagina.split(f"/afwijkingen/{a['id']}/rugdekking", 1)[1].split("</form>", 1)[0]
    assert "Gedekt kan nog niet" in formulier and "bestuur" in formulier
    keuze = formulier.split('name="oordeel"', 1)[1].split("</select>", 1)[0]
    assert 'value="afgewezen"' in keuze and 'value="gedekt"' not in keuze
