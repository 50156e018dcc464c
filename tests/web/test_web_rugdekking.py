"""The rugdekking form and the work list follow the policy: only someone whose mandaat covers
the afwijking (and who neither proposed it nor has the regie) sees "Rugdekking geven"."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import (
    casus_in_maatwerk,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    ok,
    probleem,
    rugdekking,
)

FORMULIER = "Rugdekking geven"


async def _afwijking(api: Api) -> tuple[str, str]:
    karim = api("karim")
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(karim, k)
    afwijking = await nieuwe_afwijking(karim, k, besluit["id"], casus["regel"])
    return k, afwijking["id"]


async def test_a_team_member_without_mandaat_sees_no_rugdekking_form(api: Api, web: Any) -> None:
    k, afwijking = await _afwijking(api)
    # joost is contactpersoon of vastgoed on the casus, and has no mandaat.
    joost = await web("joost")
    pagina = await joost.get(f"/casussen/{k}")
    assert pagina.status_code == 200
    assert "Afwijking van" in pagina.text  # he does see the afwijking itself
    assert FORMULIER not in pagina.text
    assert f"/casussen/{k}/afwijkingen/{afwijking}/rugdekking" not in pagina.text
    # What the page leaves out, the API refuses: the two say the same.
    probleem(await rugdekking(api("joost"), k, afwijking), 403, "mandaat-ontoereikend")
    werk = await joost.get("/")
    assert k not in werk.text.split("Wacht op uw rugdekking", 1)[1]


async def test_someone_whose_mandaat_covers_it_sees_the_form_and_the_work_list(
    api: Api, web: Any
) -> None:
    k, afwijking = await _afwijking(api)
    # marieke leads vastgoed (a participating afdeling) with a mandaat up to midden / 25.000.
    marieke = await web("marieke")
    pagina = await marieke.get(f"/casussen/{k}")
    assert FORMULIER in pagina.text
    assert f"/casussen/{k}/afwijkingen/{afwijking}/rugdekking" in pagina.text
    werk = await marieke.get("/")
    assert k in werk.text.split("Wacht op uw rugdekking", 1)[1]
    # The regiehouder, who proposed it, sees no form.
    karim = await web("karim")
    assert FORMULIER not in (await karim.get(f"/casussen/{k}")).text


async def test_a_mandaat_too_small_for_the_afwijking_shows_no_form(api: Api, web: Any) -> None:
    karim = api("karim")
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(karim, k)
    await nieuwe_afwijking(
        karim, k, besluit["id"], casus["regel"], risico="hoog", financieelBelangCent=5_000_000
    )
    marieke = await web("marieke")
    assert FORMULIER not in (await marieke.get(f"/casussen/{k}")).text
    werk = await marieke.get("/")
    assert k not in werk.text.split("Wacht op uw rugdekking", 1)[1]


async def test_who_drafted_the_besluit_sees_no_form_no_work_list_entry_and_no_inbox_item(
    api: Api, web: Any
) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    # peter (mandaat hoog, leidinggevende of sociaal-domein) takes regie, drafts the besluit and
    # hands regie back; sanne proposes the afwijking. Neither regiehouder nor proposer, he is
    # still involved in the besluit (`belangenconflict`), and so is every list the policy's.
    overdracht = {"reden": "Vakantie", "overdrachtsnotitie": "Dak."}
    ok(
        await api("karim").post(
            f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("peter"), **overdracht}
        ),
        201,
    )
    besluit = await nieuw_besluit(api("peter"), k)
    afwijking = (await nieuwe_afwijking(api("sanne"), k, besluit["id"], casus["regel"]))["id"]
    ok(
        await api("peter").post(
            f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim"), **overdracht}
        ),
        201,
    )
    peter = await web("peter")
    pagina = await peter.get(f"/casussen/{k}")
    assert pagina.status_code == 200 and "Afwijking van" in pagina.text
    assert FORMULIER not in pagina.text
    assert k not in (await peter.get("/")).text.split("Wacht op uw rugdekking", 1)[1]
    inbox = ok(await api("peter").get("/api/v1/inbox", params={"limit": 100}))["results"]
    assert not [i for i in inbox if i["soort"] == "rugdekking_gevraagd" and i["kenmerk"] == k]
    probleem(await rugdekking(api("peter"), k, afwijking), 403, "belangenconflict")
    # marieke, not involved, has all three.
    marieke = await web("marieke")
    assert FORMULIER in (await marieke.get(f"/casussen/{k}")).text
    assert k in (await marieke.get("/")).text.split("Wacht op uw rugdekking", 1)[1]
    inbox = ok(await api("marieke").get("/api/v1/inbox", params={"limit": 100}))["results"]
    assert [i for i in inbox if i["soort"] == "rugdekking_gevraagd" and i["kenmerk"] == k]
