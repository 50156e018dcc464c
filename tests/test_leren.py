"""Leren: leerpunten, verhalen that identify nobody, beleidssignalen for policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.leren import anonimiteit
from tests.conftest import Api
from tests.helpers import (
    ANNA,
    casus_in_maatwerk,
    fase,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    ok,
    probleem,
    tweede_beheerder,
)

pytestmark = pytest.mark.usefixtures("deduce_gereed")


def _leerpunten(k: str) -> str:
    return f"/api/v1/casussen/{k}/leerpunten"


SCHOON = (
    "Door één regiehouder en een snelle afweging was het dak binnen een week dicht. "
    "Het rapport kwam daarna; in 2024 en 3 maanden daarna geen nieuwe klachten."
)


@pytest.mark.parametrize(
    ("tekst", "code"),
    [
        ("Het gezin (BSN 111222333) zit weer warm.", "bevat-bsn"),
        ("Mail de moeder via moeder.demir@example.nl voor een update.", "bevat-e-mailadres"),
        ("Bel de vader op 06-12345678 als het weer lekt.", "bevat-telefoonnummer"),
        ("Bereikbaar via +31 20 123 4567 overdag.", "bevat-telefoonnummer"),
        ("Het dak van Dorpsstraat 12, 1234 AB Utrecht is dicht.", "bevat-postcode-huisnummer"),
        ("Adres 3511AB 7 is weer droog.", "bevat-postcode-huisnummer"),
        ("Dankzij joost  bakker ging het snel.", "bevat-naam-medewerker"),
        ("Dankzij Fatima Yilmaz ging het snel.", "bevat-naam-medewerker"),
        ("De Familie Demir is blij.", "bevat-naam-huishouden"),
        ("Het gezin Demir zit weer warm.", "bevat-naam-huishouden"),
    ],
    ids=[
        "bsn",
        "email",
        "telefoon-06",
        "telefoon-31",
        "postcode-adres",
        "postcode-huisnummer",
        "naam-medewerker",
        "naam-medewerker-accent",
        "naam-huishouden",
        "achternaam-huishouden",
    ],
)
async def test_sharing_a_story_that_identifies_someone_is_refused(
    api: Api, tekst: str, code: str
) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    body = probleem(
        await api("karim").post(
            _leerpunten(k), json={"soort": "succes", "tekst": tekst, "delen": True}
        ),
        400,
    )
    assert code in {p["code"] for p in body["invalidParams"]}, body
    assert "bevat" in body["detail"]
    # Nothing was stored and nothing is shared.
    assert ok(await api("karim").get(_leerpunten(k)))["results"] == []
    assert ok(await api("sanne").get("/api/v1/verhalen"))["results"] == []
    # Not shared, the same lesson may be kept inside the casus; a BSN never (it lives only in
    # the encrypted field of the casus).
    bewaard = await api("karim").post(_leerpunten(k), json={"soort": "succes", "tekst": tekst})
    if code == "bevat-bsn":
        probleem(bewaard, 400)
    else:
        ok(bewaard, 201)


def test_bsn_must_pass_the_elfproef_to_count() -> None:
    assert anonimiteit.vondsten("nummer 123456789", medewerkers=[], huishouden_naam=None) == []
    assert anonimiteit.vondsten("nummer 123456782", medewerkers=[], huishouden_naam=None) == [
        anonimiteit.BSN
    ]


async def _goedkeuren(client: Any, k: str, id_: str) -> httpx.Response:
    r = await client.get(f"{_leerpunten(k)}/{id_}")
    return await client.post(  # type: ignore[no-any-return]
        f"{_leerpunten(k)}/{id_}/goedkeuring", headers={"If-Match": r.headers["ETag"]}
    )


async def test_a_clean_story_is_published_after_a_second_medewerker_approves_it(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    invoer = {"soort": "succes", "tekst": SCHOON, "voorWie": "Wijkteams", "delen": True}
    # Without the household's consent it is not shared at all.
    body = probleem(await api("karim").post(_leerpunten(k), json=invoer), 400)
    assert body["invalidParams"][0]["code"] == "toestemming-ontbreekt"
    leerpunt = ok(
        await api("karim").post(_leerpunten(k), json={**invoer, "toestemmingHuishouden": True}),
        201,
    )
    assert leerpunt["delen"] is True and leerpunt["gedeeldOp"] is None
    assert leerpunt["verhaalStatus"] == "wacht_op_goedkeuring" and leerpunt["toestemmingOp"]
    assert leerpunt["magGoedkeuren"] is False
    # Not published yet: nobody reads it in /verhalen.
    assert ok(await api("sanne").get("/api/v1/verhalen"))["results"] == []
    # Four-eyes: the author may not approve it; somebody outside the casus does not see it.
    probleem(await _goedkeuren(api("karim"), k, leerpunt["id"]), 403, "vier-ogen")
    probleem(await api("eva").post(f"{_leerpunten(k)}/{leerpunt['id']}/goedkeuring"), 404)
    gezien = ok(await api("sanne").get(f"{_leerpunten(k)}/{leerpunt['id']}"))
    assert gezien["magGoedkeuren"] is True
    # The approval needs the version that was read.
    probleem(await api("sanne").post(f"{_leerpunten(k)}/{leerpunt['id']}/goedkeuring"), 428)
    goedgekeurd = ok(await _goedkeuren(api("sanne"), k, leerpunt["id"]))
    assert goedgekeurd["verhaalStatus"] == "gedeeld" and goedgekeurd["gedeeldOp"]
    probleem(await _goedkeuren(api("joost"), k, leerpunt["id"]), 409, "al-goedgekeurd")
    for wie in ("sanne", "fatima", "lotte", "bram"):
        r = await api(wie).get("/api/v1/verhalen")
        verhalen = ok(r)["results"]
        assert [v["tekst"] for v in verhalen] == [SCHOON]
        assert k not in r.text and "kenmerk" not in r.text
        assert set(verhalen[0]) == {"id", "tekst", "voorWie", "gedeeldOp"}
    # A changed text is another verhaal: unpublished until approved again.
    r = await api("karim").get(f"{_leerpunten(k)}/{leerpunt['id']}")
    gewijzigd = ok(
        await api("karim").patch(
            f"{_leerpunten(k)}/{leerpunt['id']}",
            json={"tekst": SCHOON + " Ook de buren zijn geholpen."},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    assert gewijzigd["verhaalStatus"] == "wacht_op_goedkeuring"
    assert ok(await api("sanne").get("/api/v1/verhalen"))["results"] == []
    ok(await _goedkeuren(api("joost"), k, leerpunt["id"]))
    # Unsharing takes it out again.
    r = await api("karim").get(f"{_leerpunten(k)}/{leerpunt['id']}")
    uit = ok(
        await api("karim").patch(
            f"{_leerpunten(k)}/{leerpunt['id']}",
            json={"delen": False},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    assert uit["verhaalStatus"] == "ingetrokken"
    assert ok(await api("sanne").get("/api/v1/verhalen"))["results"] == []


async def test_a_verhaal_is_taken_down_also_after_the_casus_closed(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    invoer = {"soort": "succes", "tekst": SCHOON, "delen": True, "toestemmingHuishouden": True}
    eerste = ok(await api("karim").post(_leerpunten(k), json=invoer), 201)
    tweede = ok(await api("karim").post(_leerpunten(k), json=invoer), 201)
    derde = ok(await api("karim").post(_leerpunten(k), json=invoer), 201)
    for lp in (eerste, tweede, derde):
        ok(await _goedkeuren(api("sanne"), k, lp["id"]))
    ok(await fase(api("karim"), k, "afgesloten", afsluitreden="ingetrokken"), 201)
    assert len(ok(await api("eva").get("/api/v1/verhalen"))["results"]) == 3
    # Somebody else may not take it down: neither a colleague nor the approver.
    for wie in ("eva", "sanne", "fatima"):
        probleem(await api(wie).delete(f"/api/v1/verhalen/{eerste['id']}"), 403)
    # The author, a leidinggevende (of any afdeling) and the privacy officer may, when closed.
    assert (await api("karim").delete(f"/api/v1/verhalen/{eerste['id']}")).status_code == 204
    assert (await api("peter").delete(f"/api/v1/verhalen/{tweede['id']}")).status_code == 204
    await _maak_privacy(api, db, "lotte")
    assert (await api("lotte").delete(f"/api/v1/verhalen/{derde['id']}")).status_code == 204
    assert ok(await api("eva").get("/api/v1/verhalen"))["results"] == []
    # Gone is gone: a second takedown finds nothing; the casus keeps the leerpunt, unshared.
    probleem(await api("karim").delete(f"/api/v1/verhalen/{eerste['id']}"), 404)
    leerpunten = ok(await api("karim").get(_leerpunten(k)))["results"]
    assert {lp["verhaalStatus"] for lp in leerpunten} == {"ingetrokken"}
    tijdlijn = ok(await api("karim").get(f"/api/v1/casussen/{k}/tijdlijn", params={"limit": 100}))
    acties = [t["actie"] for t in tijdlijn["results"]]
    assert acties.count("leerpunt.ingetrokken") == 3 and acties.count("leerpunt.goedgekeurd") == 3


async def _maak_privacy(api: Api, db: async_sessionmaker[AsyncSession], wie: str) -> None:
    """The privacy role is granted with four-eyes: bram asks, a second beheerder approves."""
    pad = f"/api/v1/medewerkers/{mid(wie)}"
    r = await api("bram").get(pad)
    rollen = [*ok(r)["rollen"], "privacy"]
    probleem(
        await api("bram").patch(
            pad, json={"rollen": rollen}, headers={"If-Match": r.headers["ETag"]}
        ),
        403,
        "vier-ogen-vereist",
    )
    verzoek = ok(
        await api("bram").post(
            "/api/v1/rechtenverzoeken",
            json={"medewerker": mid(wie), "rollen": rollen, "toelichting": "Privacyfunctionaris."},
        ),
        201,
    )
    await tweede_beheerder(db)
    anna = api(None)
    anna.headers["Authorization"] = f"Bearer {ANNA}"
    beoordeling = f"/api/v1/rechtenverzoeken/{verzoek['id']}/beoordeling"
    ok(await anna.post(beoordeling, json={"oordeel": "goedgekeurd"}))
    assert "privacy" in ok(await api("bram").get(pad))["rollen"]


async def test_sharing_later_is_checked_too_and_only_a_succes_is_shared(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    leerpunt = ok(
        await api("karim").post(
            _leerpunten(k), json={"soort": "succes", "tekst": "Sanne de Vries regelde het."}
        ),
        201,
    )
    r = await api("karim").get(f"{_leerpunten(k)}/{leerpunt['id']}")
    body = probleem(
        await api("karim").patch(
            f"{_leerpunten(k)}/{leerpunt['id']}",
            json={"delen": True, "toestemmingHuishouden": True},
            headers={"If-Match": r.headers["ETag"]},
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "bevat-naam-medewerker"
    body = probleem(
        await api("karim").post(
            _leerpunten(k), json={"soort": "verbetering", "tekst": "Eerder bellen.", "delen": True}
        ),
        400,
    )
    assert body["invalidParams"][0]["code"] == "alleen-bij-succes"


async def test_beleidssignalen_for_beleid_without_case_content(api: Api) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    signaal = "Spoedreparaties voor inwoners in nood: één offerte volstaat."
    ok(
        await api("karim").post(
            _leerpunten(k), json={"soort": "systeem", "tekst": signaal, "voorWie": "Inkoop"}
        ),
        201,
    )
    # A systeem-leerpunt leaves the casus as well: names are refused there too.
    probleem(
        await api("karim").post(
            _leerpunten(k), json={"soort": "systeem", "tekst": "Vraag het Joost Bakker."}
        ),
        400,
    )
    besluit = await nieuw_besluit(api("karim"), k)
    await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"], beleidssignaal=True)
    await nieuwe_afwijking(api("karim"), k, besluit["id"], casus["regel"])
    for wie in ("fatima", "peter"):
        r = await api(wie).get("/api/v1/beleidssignalen")
        signalen = ok(r)["results"]
        assert sorted(s["bron"] for s in signalen) == ["afwijking", "leerpunt"]
        leerpunt = next(s for s in signalen if s["bron"] == "leerpunt")
        afwijking = next(s for s in signalen if s["bron"] == "afwijking")
        assert leerpunt["tekst"] == signaal and leerpunt["signaalStatus"] == "nieuw"
        assert afwijking["regel"]["titel"] == "Drie offertes bij inkoop"
        assert afwijking["grondslag"] == "awb_4_84" and afwijking["tekst"] is None
        for geheim in (k, "Demir", "Karim", "raamaannemer", "kou"):
            assert geheim not in r.text
    for wie in ("sanne", "karim", "bram", "lotte"):
        probleem(await api(wie).get("/api/v1/beleidssignalen"), 403, "rol-ontbreekt")
    eerste = ok(await api("fatima").get("/api/v1/beleidssignalen", params={"limit": 1}))
    tweede = ok(await api("fatima").get(eerste["next"]))
    assert {eerste["results"][0]["bron"], tweede["results"][0]["bron"]} == {"leerpunt", "afwijking"}
    assert tweede["next"] is None
    gefilterd = ok(
        await api("fatima").get(
            "/api/v1/beleidssignalen", params={"signaalStatus": "regel_aangepast"}
        )
    )
    assert gefilterd["results"] == []


async def test_the_export_carries_only_published_verhalen(
    api: Api, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    from tests.test_export import complete_mappen, exporteren, lees_csv

    k = (await casus_in_maatwerk(api))["kenmerk"]
    wacht = "Eén keukentafelgesprek met alle afdelingen brak de impasse."
    gepubliceerd = "De corporatie herstelde het dak binnen een week."
    ingetrokken = "Een tijdelijke kachel overbrugde de weken tot de reparatie."
    ids = {}
    for tekst in (wacht, gepubliceerd, ingetrokken):
        ids[tekst] = ok(
            await api("karim").post(
                _leerpunten(k),
                json={
                    "soort": "succes",
                    "tekst": tekst,
                    "delen": True,
                    "toestemmingHuishouden": True,
                },
            ),
            201,
        )["id"]
    ok(await _goedkeuren(api("sanne"), k, ids[gepubliceerd]))
    ok(await _goedkeuren(api("sanne"), k, ids[ingetrokken]))
    assert (await api("peter").delete(f"/api/v1/verhalen/{ids[ingetrokken]}")).status_code == 204
    await exporteren(db, tmp_path)
    [map_] = complete_mappen(tmp_path)
    rijen = {r["leerpunt_id"]: r for r in lees_csv(map_, "leerpunten")}
    assert [r["verhaal"] for r in rijen.values() if r["verhaal"]] == [gepubliceerd]
    assert rijen[ids[wacht]]["gedeeld_op"] == "" and rijen[ids[ingetrokken]]["delen"] == "false"
