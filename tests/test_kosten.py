"""The cost ledger: dated entries never overwritten, the nulmeting when the casus leaves in_kaart,
realised costs, and doormodderen against doorbraak over 1 and 3 years, counted by hand.

The fixture (euro):
  A  Schuldhulpverlening   huidig    4.800 per jaar   paid by schuldhulp
  B  Jeugdhulp (betrokkene) huidig  12.000 per jaar   no paying afdeling; later estimated 6.000
  C  Opvang na uitzetting  dreigend 36.500 per jaar   paid by wonen: a scenario, never summed
  besluit (concept)        18.500 eenmalig + 600 per jaar, paid by vastgoed
  A measured at 6 months: 1.200 per jaar

  doormodderen   1 jaar 16.800 (4.800 + 12.000)        3 jaar 50.400
  met dreiging   1 jaar 53.300 (+ 36.500)              3 jaar 159.900
  nakosten       1.200 (A, gemeten) + 6.000 (B, raming) = 7.200 per jaar
  doorbraak      1 jaar 18.500 + 600 + 7.200 = 26.300  3 jaar 18.500 + 1.800 + 21.600 = 41.900
  besparing      1 jaar -9.500                         3 jaar 8.500
  per afdeling   (geen)     12.000 - 6.000 = 6.000     36.000 - 18.000 = 18.000
                 schuldhulp  4.800 - 1.200 = 3.600     14.400 - 3.600 = 10.800
                 vastgoed        0 - 19.100 = -19.100       0 - 20.300 = -20.300
                 wonen: only a dreigend cost, so not in the comparison
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from doorbraak.db import utcnow
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.models import Casus
from tests.conftest import Api
from tests.helpers import (
    fase,
    mid,
    nieuw_besluit,
    nieuw_doel,
    nieuwe_casus,
    ok,
    probleem,
    wijzig_casus,
)

EURO = 100


async def _boek(client: Any, k: str, **velden: Any) -> dict[str, Any]:
    return ok(  # type: ignore[no-any-return]
        await client.post(f"/api/v1/casussen/{k}/kostenregels", json=velden), 201
    )


async def _casus_in_kaart(api: Api) -> tuple[str, str, str]:
    sanne, karim = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne, titel="Huurschuld, dreigende uitzetting"))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim")}), 201)
    for afdeling, contact in (("vastgoed", "joost"), ("sociaal-domein", "sanne")):
        ok(
            await karim.post(
                f"{basis}/deelnames",
                json={
                    "afdeling": afdeling,
                    "contactpersoon": mid(contact),
                    "standpunt": "Eerst praten.",
                },
            ),
            201,
        )
    ok(await fase(karim, k, "in_kaart"), 201)
    b = ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={
                "organisatie": "Jeugdhulp",
                "leefgebied": "zorg",
                "kostenPerJaarCent": 12_000 * EURO,
            },
        ),
        201,
    )
    a = await _boek(
        karim, k, omschrijving="Schuldhulpverlening", soort="huidig", afdeling="schuldhulp",
        bedragCent=4_800 * EURO, leefgebied="financien",
    )  # fmt: skip
    await _boek(
        karim, k, omschrijving="Maatschappelijke opvang na uitzetting", soort="dreigend",
        afdeling="wonen", bedragCent=36_500 * EURO, leefgebied="wonen",
    )  # fmt: skip
    return k, a["post"], b["id"]


async def test_threatened_costs_are_a_scenario_never_summed_with_current(api: Api) -> None:
    karim = api("karim")
    k, _, _ = await _casus_in_kaart(api)
    kosten = ok(await karim.get(f"/api/v1/casussen/{k}/kosten"))
    assert kosten["nulmeting"] is None
    assert kosten["huidigPerJaarCent"] == 16_800 * EURO
    assert kosten["dreigendPerJaarCent"] == 36_500 * EURO
    assert kosten["doormodderen"] == {"eenJaarCent": 16_800 * EURO, "drieJaarCent": 50_400 * EURO}
    assert kosten["doormodderenMetDreiging"] == {
        "eenJaarCent": 53_300 * EURO,
        "drieJaarCent": 159_900 * EURO,
    }
    casus = ok(await karim.get(f"/api/v1/casussen/{k}"))
    assert casus["kostenDoormodderenPerJaarCent"] == 16_800 * EURO


async def _hand_geteld(api: Api) -> tuple[str, str, str]:
    """The fixture of the module docstring, through to the measurement at 6 months."""
    karim = api("karim")
    k, post_a, post_b = await _casus_in_kaart(api)
    basis = f"/api/v1/casussen/{k}"
    ok(await fase(karim, k, "perspectief"), 201)  # leaves in_kaart: the nulmeting is taken

    # B's estimate drops: a new entry; the old one stays (with tot) and the nulmeting is unchanged.
    r = ok(await karim.get(f"{basis}/betrokkenen/{post_b}"))
    ok(
        await karim.patch(
            f"{basis}/betrokkenen/{post_b}",
            json={"kostenPerJaarCent": 6_000 * EURO},
            headers={"If-Match": f'"{r["versie"]}"'},
        )
    )
    await nieuw_doel(karim, k, "Over een jaar wonen we nog hier.")
    ok(await fase(karim, k, "afpellen"), 201)
    await wijzig_casus(karim, k, doorbraak="De huurschuld wordt in één keer geregeld.")
    ok(
        await karim.post(
            f"{basis}/knelpunten",
            json={"soort": "regel", "niveau": "systeem", "omschrijving": "Geen betalingsregeling."},
        ),
        201,
    )
    ok(await fase(karim, k, "maatwerk"), 201)
    await nieuw_besluit(karim, k, kostenEenmaligCent=18_500 * EURO, kostenPerJaarCent=600 * EURO)
    await _boek(
        karim, k, post=post_a, omschrijving="Schuldhulpverlening", soort="gerealiseerd",
        afdeling="schuldhulp", bedragCent=1_200 * EURO, moment="6 maanden",
        peildatum="2026-11-30",
    )  # fmt: skip
    return k, post_a, post_b


async def test_history_nulmeting_realised_and_horizons_by_hand(api: Api) -> None:
    karim = api("karim")
    k, post_a, post_b = await _hand_geteld(api)
    basis = f"/api/v1/casussen/{k}"
    kosten = ok(await karim.get(f"{basis}/kosten"))
    assert kosten["nulmeting"]["huidigPerJaarCent"] == 16_800 * EURO
    assert kosten["nulmeting"]["dreigendPerJaarCent"] == 36_500 * EURO
    assert kosten["huidigPerJaarCent"] == 10_800 * EURO  # now: 4.800 + 6.000
    assert kosten["doormodderen"] == {"eenJaarCent": 16_800 * EURO, "drieJaarCent": 50_400 * EURO}
    assert kosten["nakostenPerJaarCent"] == 7_200 * EURO
    assert kosten["gerealiseerdPeildatum"] == "2026-11-30"
    assert kosten["doorbraak"] == {"eenJaarCent": 26_300 * EURO, "drieJaarCent": 41_900 * EURO}
    assert kosten["besparing"] == {"eenJaarCent": -9_500 * EURO, "drieJaarCent": 8_500 * EURO}
    per_afdeling = {a["afdeling"]: a["besparing"] for a in kosten["perAfdeling"]}
    assert per_afdeling == {
        None: {"eenJaarCent": 6_000 * EURO, "drieJaarCent": 18_000 * EURO},
        "schuldhulp": {"eenJaarCent": 3_600 * EURO, "drieJaarCent": 10_800 * EURO},
        "vastgoed": {"eenJaarCent": -19_100 * EURO, "drieJaarCent": -20_300 * EURO},
    }

    # The history: B has two entries, the first one ended, never changed.
    regels = ok(await karim.get(f"{basis}/kostenregels"))["results"]
    van_b = [r for r in regels if r["post"] == post_b]
    assert [r["bedragCent"] for r in van_b] == [12_000 * EURO, 6_000 * EURO]
    assert van_b[0]["tot"] is not None and van_b[1]["tot"] is None
    assert {r["soort"] for r in regels if r["post"] == post_a} == {"huidig", "gerealiseerd"}
    assert ok(await karim.get(f"{basis}/betrokkenen/{post_b}"))["kostenPerJaarCent"] == 6_000 * EURO

    # The statistieken carry nulmeting, gerealiseerd and horizon figures.
    stats = ok(await api("fatima").get("/api/v1/statistieken"))["kostenOverTijd"]
    assert stats["casussenMetNulmeting"] >= 1
    assert stats["nulmetingPerJaarCent"] >= 16_800 * EURO


async def test_statistieken_count_the_ledger_of_the_asked_period_only(api: Api, db: Any) -> None:
    """`kostenOverTijd` counts the casussen aangemeld in the period (and with a deelname of the
    afdeling asked), like the statistieken's other cost figures: the hand-counted casus is
    aangemeld today, a second one with the same nulmeting (not measured, no besluit) in 2020."""
    karim, fatima = api("karim"), api("fatima")
    await _hand_geteld(api)
    ouder, _, _ = await _casus_in_kaart(api)
    await nieuw_doel(karim, ouder, "Over een jaar hebben we rust.")
    ok(await fase(karim, ouder, "perspectief"), 201)  # its nulmeting: 16.800 per jaar
    async with db() as session:
        await session.execute(
            update(Casus)
            .where(Casus.kenmerk == ouder)
            .values(aangemeld_op=dt.datetime(2020, 6, 15, 10, tzinfo=dt.UTC))
        )
        await session.commit()

    async def over_tijd(**vraag: str) -> dict[str, Any]:
        stats = ok(await fatima.get("/api/v1/statistieken", params=vraag))
        return stats["kostenOverTijd"]  # type: ignore[no-any-return]

    vandaag = lokale_datum(utcnow()).isoformat()
    assert await over_tijd(van="2021-01-01", tot=vandaag) == {
        "casussenMetNulmeting": 1,
        "nulmetingPerJaarCent": 16_800 * EURO,
        "casussenGemeten": 1,
        "gerealiseerdPerJaarCent": 7_200 * EURO,
        "besparingEenJaarCent": -9_500 * EURO,
        "besparingDrieJaarCent": 8_500 * EURO,
    }
    in_2020 = await over_tijd(van="2020-01-01", tot="2020-12-31")
    assert in_2020["casussenMetNulmeting"] == 1
    assert in_2020["nulmetingPerJaarCent"] == 16_800 * EURO
    assert in_2020["casussenGemeten"] == 0 and in_2020["gerealiseerdPerJaarCent"] == 0
    assert (await over_tijd(van="2019-01-01", tot="2019-12-31"))["casussenMetNulmeting"] == 0
    # Neither casus has a deelname of wonen (its cost is only a dreigend post of theirs).
    geen = await over_tijd(van="2020-01-01", tot=vandaag, afdeling="wonen")
    assert geen["casussenMetNulmeting"] == 0 and geen["nulmetingPerJaarCent"] == 0
    # Both together, with and without a period around them.
    for vraag in ({}, {"van": "2020-01-01", "tot": vandaag}):
        samen = await over_tijd(**vraag)
        assert samen["casussenMetNulmeting"] == 2, vraag
        assert samen["nulmetingPerJaarCent"] == 33_600 * EURO, vraag


async def test_bad_entries_are_refused(api: Api) -> None:
    karim = api("karim")
    k, _, _ = await _casus_in_kaart(api)
    url = f"/api/v1/casussen/{k}/kostenregels"
    basis = {"omschrijving": "x", "bedragCent": 100}
    probleem(
        await karim.post(url, json={**basis, "soort": "gerealiseerd"}), 400, "ongeldige-invoer"
    )
    probleem(
        await karim.post(url, json={**basis, "soort": "huidig", "moment": "6 maanden"}),
        400,
        "ongeldige-invoer",
    )
    fout = probleem(
        await karim.post(
            url, json={**basis, "soort": "huidig", "post": "00000000-0000-4000-8000-000000000000"}
        ),
        400,
    )
    assert fout["invalidParams"][0]["code"] == "onbekende-post"
    probleem(await karim.post(url, json={**basis, "soort": "vermoedelijk"}), 400)
    probleem(await karim.post(url, json={**basis, "soort": "huidig", "bedragCent": -1}), 400)
    # A reader off the team sees the costs but may not book them.
    kosten = ok(await api("peter").get(f"/api/v1/casussen/{k}/kosten"))
    assert kosten["toegestaneActies"]["toevoegen"]["toegestaan"] is True  # leiding may edit
    probleem(await api("eva").get(f"/api/v1/casussen/{k}/kosten"), 404)
