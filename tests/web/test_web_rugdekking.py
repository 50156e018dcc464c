"""The rugdekking form and the work list follow the policy: only someone whose mandaat covers
the afwijking (and who neither proposed it nor has the regie) sees "Rugdekking geven"."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit, nieuwe_afwijking, probleem, rugdekking

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
