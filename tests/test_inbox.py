"""The inbox: who sees what (per role, within need-to-know), deadlines in working days on the
request's clock in Europe/Amsterdam, paging, and the counters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from doorbraak.werk import context
from tests.conftest import Api
from tests.helpers import (
    casus_in_maatwerk,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_casus,
    ok,
    probleem,
)

Klok = Callable[[dt.datetime], None]


@pytest.fixture
def klok(monkeypatch: pytest.MonkeyPatch) -> Iterator[Klok]:
    """Set the clock every request runs on (`ctx.nu`)."""

    def zet(moment: dt.datetime) -> None:
        monkeypatch.setattr(context, "utcnow", lambda: moment)

    yield zet


async def items(api: Api, wie: str, **params: Any) -> list[dict[str, Any]]:
    pagina = ok(await api(wie).get("/api/v1/inbox", params={"limit": 100, **params}))
    assert pagina["next"] is None
    return pagina["results"]  # type: ignore[no-any-return]


def soorten(lijst: list[dict[str, Any]], kenmerk: str) -> set[str]:
    return {i["soort"] for i in lijst if i["kenmerk"] == kenmerk}


async def test_each_role_sees_its_own_work_and_nothing_of_casussen_it_may_not_see(
    api: Api, deduce_gereed: None
) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    karim = api("karim")
    besluit = await nieuw_besluit(karim, k)
    await nieuwe_afwijking(karim, k, besluit["id"], casus["regel"], beleidssignaal=True)
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/escalaties", json={"niveau": "management", "reden": "budget"}
        ),
        201,
    )
    ok(
        await api("sanne").post(
            f"/api/v1/casussen/{k}/leerpunten",
            json={
                "soort": "succes",
                "tekst": "Samen aan tafel loste het in een week op.",
                "delen": True,
                "toestemmingHuishouden": True,
            },
        ),
        201,
    )
    # A casus peter registered and nobody holds regie of.
    zonder = (await nieuwe_casus(api("peter")))["kenmerk"]

    # joost is vastgoed's contactpersoon, sanne sociaal-domein's: both are asked for a reactie;
    # joost, on the casusteam and not its author, may also approve sanne's verhaal.
    assert soorten(await items(api, "joost"), k) == {"reactie_gevraagd", "verhaal_beoordelen"}
    assert "reactie_gevraagd" in soorten(await items(api, "sanne"), k)
    # peter (leidinggevende of a participating afdeling, mandaat hoog) covers the afwijking and
    # handles the management escalatie; the casus he registered has no regiehouder.
    peter = await items(api, "peter")
    assert {"rugdekking_gevraagd", "escalatie_afhandelen", "reactie_gevraagd"} <= soorten(peter, k)
    assert soorten(peter, zonder) == {"zonder_regiehouder"}
    # karim proposed the afwijking and holds regie: no rugdekking or escalatie for him, but the
    # verhaal sanne proposed waits for a second medewerker.
    karim_items = await items(api, "karim")
    assert "rugdekking_gevraagd" not in soorten(karim_items, k)
    assert "escalatie_afhandelen" not in soorten(karim_items, k)
    assert "verhaal_beoordelen" in soorten(karim_items, k)
    assert "verhaal_beoordelen" not in soorten(await items(api, "sanne"), k)
    # fatima (beleid) gets the beleidssignaal, without a kenmerk; nothing of the casus itself.
    fatima = await items(api, "fatima")
    assert [i["soort"] for i in fatima] == ["beleidssignaal"]
    assert fatima[0]["kenmerk"] is None and fatima[0]["link"].startswith("/registers")
    # marieke leads vastgoed (participating) and her mandaat covers the afwijking.
    assert "rugdekking_gevraagd" in soorten(await items(api, "marieke"), k)
    # Not on the casus (eva: schuldhulp does not take part; the auditor; the beheerder): nothing.
    for wie in ("eva", "lotte", "bram"):
        lijst = await items(api, wie)
        assert not soorten(lijst, k) and not soorten(lijst, zonder), wie
    # Items never carry case content: no titles, texts or names.
    for wie in ("joost", "sanne", "peter", "karim", "fatima"):
        tekst = str(await items(api, wie))
        for geheim in ("Lekkende", "Familie Demir", "raamaannemer", "Samen aan tafel", "Sanne"):
            assert geheim not in tekst, (wie, geheim)


async def test_an_overdue_step_is_late_from_local_midnight_and_only_after_a_holiday(
    api: Api, klok: Klok
) -> None:
    klok(dt.datetime(2027, 3, 22, 9, tzinfo=dt.UTC))
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    sanne = api("sanne")
    for titel, deadline in (("gewoon", "2027-03-24"), ("koningsdag", "2027-04-27")):
        ok(
            await sanne.post(
                f"/api/v1/casussen/{k}/stappen",
                json={"titel": titel, "deadlineDatum": deadline, "eigenaar": mid("sanne")},
            ),
            201,
        )

    async def te_laat() -> set[str]:
        stappen = ok(await sanne.get(f"/api/v1/casussen/{k}/stappen"))["results"]
        gefilterd = ok(await sanne.get("/api/v1/stappen", params={"teLaat": "true"}))["results"]
        laat = {s["titel"] for s in stappen if s["teLaat"]}
        assert laat == {s["titel"] for s in gefilterd}, "the SQL filter and the flag agree"
        inbox = {i["objectId"] for i in await items(api, "sanne", soort="stap_te_laat")}
        assert inbox == {s["id"] for s in stappen if s["teLaat"]}
        return laat

    # 23:30 in Amsterdam on the 24th (winter time, UTC+1): the deadline's own day, not late.
    klok(dt.datetime(2027, 3, 24, 22, 30, tzinfo=dt.UTC))
    assert await te_laat() == set()
    # 00:30 in Amsterdam on the 25th while UTC is still on the 24th: late.
    klok(dt.datetime(2027, 3, 24, 23, 30, tzinfo=dt.UTC))
    assert await te_laat() == {"gewoon"}
    # King's Day (Tuesday 27 April) is no working day: the deadline runs through Wednesday.
    klok(dt.datetime(2027, 4, 28, 21, 30, tzinfo=dt.UTC))  # 23:30 on the 28th (summer time)
    assert await te_laat() == {"gewoon"}
    klok(dt.datetime(2027, 4, 28, 22, 30, tzinfo=dt.UTC))  # 00:30 on the 29th
    assert await te_laat() == {"gewoon", "koningsdag"}


async def test_besluit_uiterlijk_counts_working_days_over_easter(api: Api, klok: Klok) -> None:
    # Registered on Thursday 25 March 2027 at 23:30 UTC, 00:30 on Friday in Amsterdam: Goede
    # Vrijdag, the weekend and Easter Monday do not count; acuut is 5 working days: Tue 30,
    # Wed 31, Thu 1, Fri 2, Mon 5 April.
    klok(dt.datetime(2027, 3, 25, 23, 30, tzinfo=dt.UTC))
    casus = await nieuwe_casus(api("sanne"), urgentie="acuut")
    assert casus["besluitUiterlijkDatum"] == "2027-04-05"
    k = casus["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    # Within 5 working days from the start: in the regiehouder's inbox, with days left.
    [item] = await items(api, "karim", soort="besluit_uiterlijk")
    assert item["kenmerk"] == k and item["uiterlijk"] == "2027-04-05"
    assert item["werkdagenOver"] == 5 and not item["teLaat"]
    assert item["link"] == f"/casussen/{k}#besluiten"
    assert await items(api, "sanne", soort="besluit_uiterlijk") == []
    # Tuesday 6 April in Amsterdam: one working day late.
    klok(dt.datetime(2027, 4, 6, 8, tzinfo=dt.UTC))
    [item] = await items(api, "karim", soort="besluit_uiterlijk")
    assert item["teLaat"] and item["werkdagenOver"] == -1


async def test_a_long_term_stays_out_until_five_working_days_before(api: Api, klok: Klok) -> None:
    klok(dt.datetime(2027, 4, 1, 9, tzinfo=dt.UTC))
    casus = await nieuwe_casus(api("sanne"), urgentie="laag")
    k = casus["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    assert await items(api, "karim", soort="besluit_uiterlijk") == []
    uiterlijk = dt.date.fromisoformat(casus["besluitUiterlijkDatum"])
    # The day before the deadline it is within five working days.
    klok(dt.datetime.combine(uiterlijk - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC))
    assert [i["kenmerk"] for i in await items(api, "karim", soort="besluit_uiterlijk")] == [k]


async def test_paging_walks_every_item_once_in_order(api: Api) -> None:
    peter = api("peter")
    kenmerken = {(await nieuwe_casus(peter))["kenmerk"] for _ in range(5)}
    alle = await items(api, "peter")
    assert {i["kenmerk"] for i in alle} == kenmerken
    gezien: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        pagina = ok(await peter.get("/api/v1/inbox", params=params))
        gezien.extend(pagina["results"])
        if pagina["next"] is None:
            break
        params = {"limit": 2, "cursor": pagina["nextCursor"]}
    assert gezien == alle
    telling = ok(await peter.get("/api/v1/inbox/telling"))
    assert telling == {"totaal": 5, "teLaat": 0, "perSoort": {"zonder_regiehouder": 5}}
    probleem(await peter.get("/api/v1/inbox", params={"cursor": "bm9n"}), 400)
    probleem(await peter.get("/api/v1/inbox", params={"soort": "iets"}), 400)
    probleem(await api(None).get("/api/v1/inbox"), 401)


def test_every_source_builds_its_items_through_item() -> None:
    """One way to build an inbox item (`inbox.lezen.item`): the deadline, the working days left
    and "te laat" are computed once, the same for every kind; a source that reads schemas of
    another package hands them over as a `Bronrij`."""
    import ast
    import inspect

    from doorbraak.inbox import lezen

    boom = ast.parse(inspect.getsource(lezen))
    bouwers = {
        functie.name
        for functie in ast.walk(boom)
        if isinstance(functie, ast.FunctionDef | ast.AsyncFunctionDef)
        for knoop in ast.walk(functie)
        if isinstance(knoop, ast.Call)
        and isinstance(knoop.func, ast.Name)
        and knoop.func.id == "InboxItemUit"
    }
    assert bouwers == {"item"}
