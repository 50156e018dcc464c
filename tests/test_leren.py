"""Leren: leerpunten, verhalen that identify nobody, beleidssignalen for policy."""

from __future__ import annotations

import pytest

from doorbraak.leren import anonimiteit
from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit, nieuwe_afwijking, ok, probleem


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


async def test_a_clean_story_is_shared_as_an_anonymous_verhaal_for_everyone(api: Api) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    leerpunt = ok(
        await api("karim").post(
            _leerpunten(k),
            json={"soort": "succes", "tekst": SCHOON, "voorWie": "Wijkteams", "delen": True},
        ),
        201,
    )
    assert leerpunt["delen"] is True and leerpunt["gedeeldOp"]
    # Shared when written: one moment, not two clock readings microseconds apart.
    assert leerpunt["gedeeldOp"] == leerpunt["aangemaaktOp"]
    for wie in ("sanne", "fatima", "lotte", "bram"):
        r = await api(wie).get("/api/v1/verhalen")
        verhalen = ok(r)["results"]
        assert [v["tekst"] for v in verhalen] == [SCHOON]
        assert k not in r.text and "kenmerk" not in r.text
        assert set(verhalen[0]) == {"id", "tekst", "voorWie", "gedeeldOp"}
    # Unsharing takes it out again.
    r = await api("karim").get(f"{_leerpunten(k)}/{leerpunt['id']}")
    ok(
        await api("karim").patch(
            f"{_leerpunten(k)}/{leerpunt['id']}",
            json={"delen": False},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    assert ok(await api("sanne").get("/api/v1/verhalen"))["results"] == []


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
            json={"delen": True},
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
        await api("fatima").get("/api/v1/beleidssignalen", params={"signaalStatus": "verwerkt"})
    )
    assert gefilterd["results"] == []
