"""The web as a coordinator uses it: what an action announces, where a failed form opens, what
a reload or an expired session does, confirmation of final actions, the tijdlijn in sentences,
editing and removing parts, and the reactie form's afdelingen (httpx, no browser)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models import WebSessie
from doorbraak.web.formulieren import Formulier
from doorbraak.web.tijdlijn import Namen, gebeurtenissen
from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, lokaal_vandaag, mid, nieuw_besluit, nieuwe_casus, ok
from tests.web.conftest import csrf_uit

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def _casus_met_regie(api: Api) -> str:
    karim = api("karim")
    kenmerk = (await nieuwe_casus(karim))["kenmerk"]
    ok(
        await karim.post(f"/api/v1/casussen/{kenmerk}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    return str(kenmerk)


async def test_actie_meldt_wat_er_gebeurde_en_opent_op_de_melding(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    r = await karim.post(
        f"/casussen/{kenmerk}/stappen",
        data={"csrf": csrf_uit(pagina.text), "titel": "Huisbezoek plannen"},
    )
    # Redirect after post, to the announcement (the fragment works without JavaScript).
    assert r.status_code == 303
    assert r.headers["location"] == f"/casussen/{kenmerk}?gelukt=stappen#melding"
    na = await karim.get(r.headers["location"])
    melding = re.search(r'<p class="gelukt" role="status" id="melding"[^>]*>([^<]+)</p>', na.text)
    assert melding and melding.group(1) == "De stap is toegevoegd."
    # Inside the stappen section, where the new stap is.
    stappen = na.text.split('id="stappen"', 1)[1].split("</section>", 1)[0]
    assert 'id="melding"' in stappen and "Huisbezoek plannen" in stappen
    # An unknown code announces nothing.
    assert 'id="melding"' not in (await karim.get(f"/casussen/{kenmerk}?gelukt=iets")).text


async def test_mislukt_formulier_opent_bij_de_fout_en_noemt_het_veld(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    actie = f"/casussen/{kenmerk}/betrokkenen"
    # The form's action carries the error summary's fragment.
    fragment = re.search(rf'action="{re.escape(actie)}#([a-z0-9-]+-fouten)"', pagina.text)
    assert fragment
    r = await karim.post(
        actie, data={"csrf": csrf_uit(pagina.text), "organisatie": "", "leefgebied": "wonen"}
    )
    assert r.status_code == 400
    assert f'id="{fragment.group(1)}"' in r.text
    samenvatting = r.text.split(f'id="{fragment.group(1)}"', 1)[1].split("</div>", 1)[0]
    # The summary names the field by its label and links to it.
    assert re.search(
        r'<a href="#[a-z0-9-]+-organisatie">Organisatie: Vul dit veld in\.</a>', samenvatting
    )
    assert "Geschatte kosten per jaar (euro): " in samenvatting


async def test_een_veld_toont_al_zijn_fouten() -> None:
    fm = Formulier(actie="/x")
    fm.voeg_fout_toe("titel", "Vul dit veld in.")
    fm.voeg_fout_toe("titel", "Deze tekst is te lang.")
    fm.voeg_fout_toe("titel", "Vul dit veld in.")
    assert fm.fouten("titel") == ["Vul dit veld in.", "Deze tekst is te lang."]
    assert fm.fout("titel") == "Vul dit veld in. Deze tekst is te lang."
    fm.noteer("titel", "Titel")
    assert fm.label("titel") == "Titel" and fm.label("ander") == "ander"


async def test_het_adres_van_een_formulier_opnieuw_openen_geeft_de_casus(
    web: Any, api: Api
) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    for pad, sectie in (
        ("stappen", "stappen"),
        ("fase", "fase"),
        ("besluiten/x/vaststellen", "besluiten"),
    ):
        r = await karim.get(f"/casussen/{kenmerk}/{pad}")
        assert r.status_code == 303, pad
        assert r.headers["location"] == f"/casussen/{kenmerk}#{sectie}"


async def test_verlopen_sessie_toont_de_ingevulde_tekst(
    web: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    async with db() as session:
        await session.execute(delete(WebSessie))
        await session.commit()
    r = await karim.post(
        f"/casussen/{kenmerk}/stappen",
        data={
            "csrf": csrf_uit(pagina.text),
            "titel": "Gesprek met de woningcorporatie",
            "bevinding": "Zij willen eerst de huurachterstand zien.",
            "versie": "3",
        },
    )
    assert r.status_code == 401
    assert "niet opgeslagen" in r.text
    assert "Gesprek met de woningcorporatie" in r.text
    assert "Zij willen eerst de huurachterstand zien." in r.text
    assert f"/inloggen?terug=%2Fcasussen%2F{kenmerk}%2Fstappen" in r.text
    # Back after signing in: the GET of that address leads to the casus at the form.
    assert ">3<" not in r.text


async def test_definitieve_acties_vragen_bevestiging(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim_api = api("karim")
    ok(
        await karim_api.post(f"/api/v1/casussen/{kenmerk}/team", json={"medewerker": mid("sanne")}),
        201,
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    csrf = csrf_uit(pagina.text)
    weg = f"/casussen/{kenmerk}/team/{mid('sanne')}/verwijderen"
    assert (
        f'action="{weg}#' in pagina.text
        and "Ja, haal Sanne de Vries uit het casusteam" in pagina.text
    )
    r = await karim.post(weg, data={"csrf": csrf})
    assert r.status_code == 400 and "zeker weet" in r.text
    team = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}/team"))["results"]
    assert mid("sanne") in {t["medewerker"]["id"] for t in team}
    r = await karim.post(weg, data={"csrf": csrf, "bevestigd": "on"})
    assert r.status_code == 303
    team = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}/team"))["results"]
    assert mid("sanne") not in {t["medewerker"]["id"] for t in team}
    # Afsluiten asks for it too; another fase does not.
    r = await karim.post(
        f"/casussen/{kenmerk}/fase",
        data={
            "csrf": csrf,
            "naar": "afgesloten",
            "afsluitreden": "elders_belegd",
            "toelichting": "x",
        },
    )
    assert r.status_code == 400 and "zeker weet" in r.text
    assert ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}"))["fase"] == "aangemeld"


async def test_vaststellen_vraagt_bevestiging(web: Any, api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    kenmerk = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), kenmerk)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    r = await karim.post(
        f"/casussen/{kenmerk}/besluiten/{besluit['id']}/vaststellen",
        data={"csrf": csrf_uit(pagina.text)},
    )
    assert r.status_code == 400 and "zeker weet" in r.text
    status = ok(await api("karim").get(f"/api/v1/casussen/{kenmerk}/besluiten"))["results"][0]
    assert status["status"] == "concept"


async def test_betrokkene_wijzigen_en_verwijderen(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim_api = api("karim")
    b = ok(
        await karim_api.post(
            f"/api/v1/casussen/{kenmerk}/betrokkenen",
            json={"organisatie": "GGD", "leefgebied": "gezondheid", "kostenPerJaarCent": 450000},
        ),
        201,
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    csrf = csrf_uit(pagina.text)
    assert "Wijzigen: GGD" in pagina.text and 'value="4500,00"' in pagina.text
    r = await karim.post(
        f"/casussen/{kenmerk}/betrokkenen/{b['id']}/wijzigen",
        data={"csrf": csrf, "versie": str(b["versie"]), "kostenPerJaarCent": "5.000,00"},
    )
    assert r.status_code == 303
    [nu] = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}/betrokkenen"))["results"]
    assert nu["kostenPerJaarCent"] == 500000
    r = await karim.post(
        f"/casussen/{kenmerk}/betrokkenen/{b['id']}/verwijderen",
        data={"csrf": csrf, "versie": str(nu["versie"]), "bevestigd": "on"},
    )
    assert r.status_code == 303
    assert ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}/betrokkenen"))["results"] == []
    pagina = (await karim.get(r.headers["location"])).text
    # The tijdlijn says it in words: no codes, no field names, no ids.
    tijdlijn = pagina.split('id="tijdlijn"', 1)[1]
    assert "Betrokkene ‘GGD’ verwijderd" in tijdlijn
    assert "Betrokkene ‘GGD’ gewijzigd" in tijdlijn
    assert "Kosten per jaar: € 4.500,00 → € 5.000,00" in tijdlijn
    assert not UUID.search(tijdlijn)
    assert "kosten_per_jaar_cent" not in tijdlijn and "betrokkene.verwijderd" not in tijdlijn


async def test_knelpunt_helemaal_bijwerken(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim_api = api("karim")
    k = ok(
        await karim_api.post(
            f"/api/v1/casussen/{kenmerk}/knelpunten",
            json={"soort": "regel", "niveau": "professional", "omschrijving": "Eerst"},
        ),
        201,
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    r = await karim.post(
        f"/casussen/{kenmerk}/knelpunten/{k['id']}/wijzigen",
        data={
            "csrf": csrf_uit(pagina.text),
            "versie": str(k["versie"]),
            "omschrijving": "Het inkoopbeleid vraagt drie offertes.",
            "niveau": "systeem",
            "status": "open",
        },
    )
    assert r.status_code == 303
    [nu] = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}/knelpunten"))["results"]
    assert nu["omschrijving"].startswith("Het inkoopbeleid") and nu["niveau"] == "systeem"


async def test_reactie_alleen_namens_afdelingen_waarvoor_u_mag(web: Any, api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    kenmerk = casus["kenmerk"]
    await nieuw_besluit(api("karim"), kenmerk)
    deelnames = [
        d["afdeling"]
        for d in ok(await api("karim").get(f"/api/v1/casussen/{kenmerk}"))["deelnames"]
    ]
    assert len(deelnames) >= 2
    karim = await web("karim")
    html = (await karim.get(f"/casussen/{kenmerk}")).text
    keuze = html.split("Namens afdeling", 1)[1].split("</select>", 1)[0]
    aangeboden = re.findall(r'<option value="([a-z-]+)"', keuze)
    # Karim (sociaal domein) may react only for his own afdeling, unless he is its contactpersoon.
    assert "sociaal-domein" in aangeboden
    assert "vastgoed" not in aangeboden


def test_tijdlijn_zinnen_zonder_codes_ids_of_microseconden() -> None:
    class Regel:
        def __init__(self, actie: str, soort: str, oid: str, w: dict[str, Any]) -> None:
            import datetime as dt

            self.actie, self.object_soort, self.object_id, self.wijzigingen = actie, soort, oid, w
            self.op = dt.datetime(2026, 12, 1, 11, 5, tzinfo=dt.UTC)
            self.door = None
            self.toelichting = None

    stap = "0b7c2a7e-6a55-4c49-9d0e-1f3f1c2b9a10"
    mw = "95d02b07-1111-4c49-9d0e-1f3f1c2b9a10"
    namen = Namen(medewerkers={mw: "Karim El Amrani"}, onderdelen={stap: "Dak repareren"})
    [g1, g2, g3, g4] = gebeurtenissen(
        [
            Regel("stap.gewijzigd", "stap", stap, {"status": {"oud": "open", "nieuw": "afgerond"}}),
            Regel(
                "besluit.vastgesteld",
                "besluit",
                "a1b2c3d4-0000-4000-8000-000000000000",
                {
                    "vastgesteld_door_id": {"oud": None, "nieuw": mw},
                    "vastgesteld_op": {"oud": None, "nieuw": "2026-12-01T11:05:03.123456+00:00"},
                    "noodmaatregel": {"oud": True, "nieuw": False},
                },
            ),
            Regel(
                "casus.afsluiten",
                "casus",
                "DB-2026-0001",
                {"afsluitreden": {"oud": None, "nieuw": "opgelost"}},
            ),
            Regel("nazorgmoment.ingepland", "nazorgmoment", "x", {}),
        ],
        namen,
    )
    assert g1.zin == "Stap ‘Dak repareren’ gewijzigd" and g1.details == ["Status: Open → Afgerond"]
    assert g2.details == [
        "Vastgesteld door: Karim El Amrani",
        "Vastgesteld op: 01-12-2026 12:05",
        "Noodmaatregel: ja → nee",
    ]
    assert g2.zin == "Besluit vastgesteld"
    assert g3.zin == "Casus afgesloten" and g3.details == ["Afsluitreden: Opgelost"]
    # A code without a sentence of its own still reads as words.
    assert g4.zin == "Nazorgmoment ingepland"


async def test_onbekende_pagina_houdt_de_navigatie_voor_wie_ingelogd_is(
    web: Any, app: object
) -> None:
    karim = await web("karim")
    r = await karim.get("/bestaat/niet")
    assert r.status_code == 404
    assert 'aria-label="Hoofdmenu"' in r.text and "Karim El Amrani" in r.text
    assert "log in" not in r.text


async def test_casussenlijst_telt_wist_filters_sorteert_en_toont_mijn_casussen(
    web: Any, api: Api
) -> None:
    import datetime as dt

    karim_api = api("karim")
    vroeg = await _casus_met_regie(api)
    laat = await _casus_met_regie(api)
    zonder = (await nieuwe_casus(karim_api))["kenmerk"]
    vandaag = lokaal_vandaag()
    for kenmerk, dagen in ((vroeg, 3), (laat, 30)):
        casus = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}"))
        ok(
            await karim_api.patch(
                f"/api/v1/casussen/{kenmerk}",
                json={"besluitUiterlijkDatum": (vandaag + dt.timedelta(days=dagen)).isoformat()},
                headers={"If-Match": f'"{casus["versie"]}"'},
            )
        )
    karim = await web("karim")
    html = (await karim.get("/casussen")).text
    totaal = re.search(r'<p class="aantal" role="status">(\d+) casussen', html)
    assert totaal and int(totaal.group(1)) >= 3
    assert "Filters wissen" not in html
    html = (await karim.get("/casussen?sorteer=deadline&mijn=ja")).text
    assert "Filters wissen" in html and "met deze filters" in html
    rijen = re.findall(r'<a href="/casussen/(DB-\d{4}-\d{4})">', html)
    # Mijn casussen: only where karim holds regie; the nearest deadline first.
    assert zonder not in rijen
    assert rijen.index(vroeg) < rijen.index(laat)
    assert "besluit uiterlijk, eerst" in html


async def test_startpagina_per_rol_en_geen_aanmelden_voor_de_auditor(web: Any) -> None:
    lotte = await web("lotte")
    start = (await lotte.get("/")).text
    assert "Voor de auditor" in start and 'href="/logboek"' in start
    assert "Mijn casussen" not in start and "Wacht op uw rugdekking" not in start
    assert "Casus aanmelden" not in (await lotte.get("/casussen")).text
    bram = await web("bram")
    start = (await bram.get("/")).text
    assert "Beheer" in start and 'href="/beheer/medewerkers"' in start
    assert "Mijn casussen" not in start
    fatima = await web("fatima")
    start = (await fatima.get("/")).text
    assert "Voor beleid" in start and 'href="/registers"' in start
    karim = await web("karim")
    start = (await karim.get("/")).text
    assert "Mijn casussen" in start and "Casus aanmelden" in start
    # Goedemorgen, -middag, -navond (Goeden-avond), -nacht: whatever the hour of the run.
    assert re.search(r"Goede(morgen|middag|navond|nacht), Karim El Amrani", start)


def test_groet_past_bij_het_uur_in_amsterdam() -> None:
    import datetime as dt

    from doorbraak.web.paginas.werk import groet

    # 06:30 UTC is 07:30 in Amsterdam in winter; 22:30 UTC is 23:30.
    assert groet(dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC)) == "Goedemorgen"
    assert groet(dt.datetime(2026, 12, 1, 11, 30, tzinfo=dt.UTC)) == "Goedemiddag"
    assert groet(dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)) == "Goedenavond"
    assert groet(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)) == "Goedenacht"
    # Summer time: 04:30 UTC is 06:30 in Amsterdam.
    assert groet(dt.datetime(2026, 7, 1, 4, 30, tzinfo=dt.UTC)) == "Goedemorgen"


async def test_beheer_voegt_een_afdeling_toe_met_de_service_van_de_api(web: Any, api: Api) -> None:
    bram = await web("bram")
    pagina = await bram.get("/beheer/afdelingen")
    assert pagina.status_code == 200 and "Sociaal Domein" in pagina.text
    r = await bram.post(
        "/beheer/afdelingen/nieuw",
        data={"csrf": csrf_uit(pagina.text), "naam": "Leerplicht", "code": "leerplicht"},
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/beheer/afdelingen?gelukt=")
    na = (await bram.get(r.headers["location"])).text
    assert "De afdeling is toegevoegd." in na and "Leerplicht" in na
    codes = {a["code"] for a in ok(await api("bram").get("/api/v1/afdelingen"))["results"]}
    assert "leerplicht" in codes
    # The same code again: the API's own conflict, next to the form.
    r = await bram.post(
        "/beheer/afdelingen/nieuw",
        data={"csrf": csrf_uit(pagina.text), "naam": "Leerplicht", "code": "leerplicht"},
    )
    assert r.status_code == 409 and "bestaat al" in r.text
    r = await bram.post(
        "/beheer/medewerkers/nieuw",
        data={
            "csrf": csrf_uit(pagina.text),
            "naam": "Nina Visser",
            "email": "nina@gemeente.example",
            "afdeling": "leerplicht",
            "rollen": ["medewerker", "casusregisseur"],
        },
    )
    assert r.status_code == 303, r.text
    mw = ok(await api("bram").get("/api/v1/medewerkers?limit=100"))["results"]
    nina = next(m for m in mw if m["naam"] == "Nina Visser")
    assert set(nina["rollen"]) == {"medewerker", "casusregisseur"}
    assert (await bram.get("/beheer/regels")).status_code == 200


async def test_logboek_voor_de_auditor(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    lotte = await web("lotte")
    r = await lotte.get(f"/logboek?casus={kenmerk}")
    assert r.status_code == 200 and f"Regels over {kenmerk}" in r.text
    assert "Karim El Amrani" in r.text and "/casussen/{kenmerk}/regie" in r.text


async def test_versieconflict_zegt_wie_wanneer_en_biedt_hun_versie(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}/bewerken")
    versie = re.search(r'name="versie" value="(\d+)"', pagina.text)
    assert versie
    karim_api = api("karim")
    huidig = ok(await karim_api.get(f"/api/v1/casussen/{kenmerk}"))
    ok(
        await karim_api.patch(
            f"/api/v1/casussen/{kenmerk}",
            json={"titel": "Door een ander gewijzigd"},
            headers={"If-Match": f'"{huidig["versie"]}"'},
        )
    )
    r = await karim.post(
        f"/casussen/{kenmerk}/bewerken",
        data={
            "csrf": csrf_uit(pagina.text),
            "versie": versie.group(1),
            "titel": "Mijn titel",
            "was.titel": huidig["titel"],
        },
    )
    assert r.status_code == 412
    assert "Gewijzigd door <strong>Karim El Amrani</strong> op " in r.text
    assert f'href="/casussen/{kenmerk}/bewerken">Hun versie overnemen' in r.text


async def test_casuspagina_in_delen_zonder_javascript(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    alles = (await karim.get(f"/casussen/{kenmerk}")).text
    assert 'id="besluiten"' in alles and 'id="betrokkenen"' in alles
    assert re.search(r'<a href="/casussen/[^"]+"\s+aria-current="page">Alles</a>', alles)
    maatwerk = (await karim.get(f"/casussen/{kenmerk}?deel=maatwerk")).text
    assert 'id="besluiten"' in maatwerk and 'id="afwijkingen"' in maatwerk
    assert 'id="betrokkenen"' not in maatwerk and 'id="tijdlijn"' not in maatwerk
    assert re.search(r'\?deel=maatwerk"\s+aria-current="page">Maatwerk</a>', maatwerk)
    # The anchors on the page name only the sections that are there.
    assert 'href="#besluiten"' in maatwerk and 'href="#betrokkenen"' not in maatwerk
    # An unknown part is the whole page.
    assert 'id="betrokkenen"' in (await karim.get(f"/casussen/{kenmerk}?deel=iets")).text


def test_grafiek_knipt_geen_label_af_en_telt_in_het_nederlands() -> None:
    from doorbraak.web import grafieken
    from doorbraak.web.opmaak import dagen, euro, getal

    lang = "Drie offertes bij inkoop boven tienduizend euro, ook bij spoed en noodreparaties"
    svg = str(
        grafieken.staafdiagram("g", "Titel", "Beschrijving", [(lang, 1234.0), ("Kort", 17.9)])
    )
    tekst = " ".join(re.findall(r">([^<]+)</text>", svg))
    assert lang in tekst.replace("…", "") and "1.234" in tekst and "17,9" in tekst
    assert all(int(m) >= 14 for m in re.findall(r'font-size="(\d+)"', svg))
    kosten = str(
        grafieken.staafdiagram(
            "k", "K", "B", [("Doormodderen", 369530.0)], opmaak=lambda w: euro(round(w * 100))
        )
    )
    assert "€ 369.530,00" in kosten
    assert dagen(17.94) == "17,9 dagen" and dagen(1) == "1 dag" and getal(12500) == "12.500"


def test_maand_in_het_nederlands() -> None:
    from doorbraak.web.opmaak import maand

    assert maand("2026-07") == "jul 2026" and maand("2026-12") == "dec 2026"
    assert maand("iets") == "iets"


async def test_dashboard_getallen_in_een_notatie(web: Any, api: Api) -> None:
    marieke = await web("marieke")
    r = await marieke.get("/dashboard")
    assert r.status_code == 200
    tekst = re.sub(r"<[^>]+>", " ", r.text)
    # No English decimals next to Dutch amounts: "17,9 dagen", "€ 369.530,00".
    assert not re.search(r"\d\.\d\s*dagen", tekst) and "EUR" not in tekst
    assert "Mediaan" in tekst and "€ " in tekst


async def test_na_opnieuw_inloggen_staat_het_formulier_weer_ingevuld(
    web: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    """The session expires mid-form: after signing in again the same form on the casus page is
    open and refilled with what was typed, never a BSN; shown once."""
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{kenmerk}")
    async with db() as session:
        await session.execute(delete(WebSessie))
        await session.commit()
    r = await karim.post(
        f"/casussen/{kenmerk}/stappen",
        data={
            "csrf": csrf_uit(pagina.text),
            "titel": "Gesprek met de woningcorporatie",
            "bevinding": "Zij willen eerst de huurachterstand zien.",
            "deadlineDatum": "2027-01-15",
            "bsn": "111222333",
            "afdeling": "Vraag BSN 123456782 na",
            "versie": "3",
        },
    )
    assert r.status_code == 401 and "staat dit weer ingevuld" in r.text
    assert "doorbraak_formulier" in r.headers.get("set-cookie", "")
    # Signing in again through the picker, back to the form's address.
    inloggen = await karim.get(f"/inloggen?terug=%2Fcasussen%2F{kenmerk}%2Fstappen")
    r = await karim.post(
        "/inloggen/demo", data={"csrf": csrf_uit(inloggen.text), "medewerker": mid("karim")}
    )
    assert r.status_code == 303 and r.headers["location"] == f"/casussen/{kenmerk}/stappen"
    r = await karim.get(r.headers["location"])
    assert r.status_code == 303 and r.headers["location"] == f"/casussen/{kenmerk}#stappen"
    pagina = await karim.get(f"/casussen/{kenmerk}")
    assert pagina.status_code == 200
    formulier = pagina.text.split(f'action="/casussen/{kenmerk}/stappen#', 1)[1]
    formulier = formulier.split("</form>", 1)[0]
    assert 'value="Gesprek met de woningcorporatie"' in formulier
    assert "Zij willen eerst de huurachterstand zien." in formulier
    assert 'value="2027-01-15"' in formulier
    assert "voordat uw sessie verliep" in formulier
    # The form's <details> is open, and nothing else of the page got the text.
    voor = pagina.text.split(f'action="/casussen/{kenmerk}/stappen#', 1)[0]
    assert voor.rsplit("<details", 1)[1].split(">", 1)[0].strip().endswith("open")
    assert pagina.text.count("Gesprek met de woningcorporatie") == 1
    # Never a BSN: not the field, not a text that holds one.
    assert "111222333" not in pagina.text and "123456782" not in pagina.text
    # Shown once: the kept copy is dropped, and nothing was saved meanwhile.
    assert "Gesprek met de woningcorporatie" not in (await karim.get(f"/casussen/{kenmerk}")).text
    stappen = ok(await api("karim").get(f"/api/v1/casussen/{kenmerk}/stappen"))["results"]
    assert stappen == []


async def test_een_vervalst_bewaard_formulier_wordt_genegeerd(web: Any, api: Api) -> None:
    kenmerk = await _casus_met_regie(api)
    karim = await web("karim")
    karim.cookies.set("doorbraak_formulier", "AAAA" * 40)
    pagina = await karim.get(f"/casussen/{kenmerk}")
    assert pagina.status_code == 200 and "voordat uw sessie verliep" not in pagina.text


async def test_beheer_van_de_externe_partijen_met_de_service_van_de_api(web: Any, api: Api) -> None:
    """The catalogue of external parties (issue 16): list, add, edit, deactivate and activate
    again, through the API's service (the same checks, versie and logboek)."""
    bram, bram_api = await web("bram"), api("bram")
    pagina = await bram.get("/beheer/externe-partijen")
    assert pagina.status_code == 200 and "Externe partij toevoegen" in pagina.text
    assert 'href="/beheer/externe-partijen"' in (await bram.get("/beheer")).text
    csrf = csrf_uit(pagina.text)
    nieuw = {"csrf": csrf, "naam": "Woonstichting Noord", "code": "woonstichting-noord"}
    r = await bram.post(
        "/beheer/externe-partijen/nieuw", data=nieuw | {"soort": "woningcorporatie"}
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/beheer/externe-partijen?gelukt=")
    lijst = (await bram.get(r.headers["location"])).text
    assert "De externe partij staat in de catalogus." in lijst and "Woonstichting Noord" in lijst
    assert 'href="/beheer/externe-partijen/woonstichting-noord/bewerken"' in lijst
    url = "/api/v1/externe-partijen/woonstichting-noord"
    partij = ok(await bram_api.get(url))
    assert (partij["soort"], partij["actief"]) == ("woningcorporatie", True)
    # The API's own refusals, next to the form: the same code again, no soort.
    r = await bram.post(
        "/beheer/externe-partijen/nieuw", data=nieuw | {"soort": "woningcorporatie"}
    )
    assert r.status_code == 409 and "bestaat al" in r.text
    r = await bram.post("/beheer/externe-partijen/nieuw", data=nieuw | {"code": "ander-code"})
    assert r.status_code == 400 and "fout-samenvatting" in r.text

    bewerken = await bram.get("/beheer/externe-partijen/woonstichting-noord/bewerken")
    assert bewerken.status_code == 200 and 'value="Woonstichting Noord"' in bewerken.text
    versie = re.search(r'name="versie" value="(\d+)"', bewerken.text)
    assert versie and int(versie.group(1)) == partij["versie"]
    basis = "/beheer/externe-partijen/woonstichting-noord"
    r = await bram.post(
        f"{basis}/wijzigen",
        data={"csrf": csrf, "versie": versie.group(1), "naam": "Woonstichting Noord-Oost",
              "soort": "woningcorporatie"},
    )  # fmt: skip
    assert r.status_code == 303 and "gelukt=gewijzigd" in r.headers["location"], r.text
    partij = ok(await bram_api.get(url))
    assert (partij["naam"], partij["actief"]) == ("Woonstichting Noord-Oost", True)
    # The versie the page was shown with is stale now: 412, on the page, nothing changes.
    r = await bram.post(f"{basis}/deactiveren", data={"csrf": csrf, "versie": versie.group(1)})
    assert r.status_code == 412 and "fout-samenvatting" in r.text
    assert ok(await bram_api.get(url))["actief"] is True
    r = await bram.post(f"{basis}/deactiveren", data={"csrf": csrf, "versie": partij["versie"]})
    assert r.status_code == 303 and "gelukt=gedeactiveerd" in r.headers["location"]
    assert ok(await bram_api.get(url))["actief"] is False
    na = (await bram.get(r.headers["location"])).text
    assert "Weer activeren" in na and "gedeactiveerd" in na
    partij = ok(await bram_api.get(url))
    r = await bram.post(f"{basis}/activeren", data={"csrf": csrf, "versie": partij["versie"]})
    assert r.status_code == 303
    assert ok(await bram_api.get(url))["actief"] is True
    # A wrong or missing code: 404; without the beheerder role: 403, and nothing is added.
    assert (await bram.get("/beheer/externe-partijen/bestaat-niet/bewerken")).status_code == 404
    karim = await web("karim")
    assert (await karim.get("/beheer/externe-partijen")).status_code == 403
    assert (await karim.get(f"{basis}/bewerken")).status_code == 403
    karim_csrf = csrf_uit((await karim.get("/")).text)
    r = await karim.post(
        "/beheer/externe-partijen/nieuw",
        data={"csrf": karim_csrf, "naam": "X", "code": "x-partij", "soort": "overig"},
    )
    assert r.status_code == 403
    assert (await bram_api.get("/api/v1/externe-partijen/x-partij")).status_code == 404
