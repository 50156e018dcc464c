"""Rugdekking by request with a scoped mandaat: kandidaten filtered by amount, risk and scope;
the scope refusal on both paths; need-to-know access only while the verzoek is open and only to
its casus; one answer; an answer and a withdrawal at the same moment."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.auth.tokens import token_hash
from doorbraak.models import ApiToken, LogboekRegel, Medewerker
from tests.conftest import Api
from tests.helpers import (
    casus_in_maatwerk,
    mid,
    nieuw_besluit,
    nieuwe_afwijking,
    nieuwe_regel,
    ok,
    probleem,
    rugdekking,
)

# Hand-built mandate holders, none of them on the casus (their afdelingen do not take part,
# except lia's: she is a leidinggevende of sociaal-domein and sees the casus).
HOUDERS: dict[str, dict[str, Any]] = {
    # leidinggevende of werk-en-inkomen, no scope: covers every regel
    "wim": {"afdeling": "werk-en-inkomen", "bedrag": 5_000_000, "risico": "hoog"},
    # sociaal-domein, scoped to her own afdeling's regels
    "lia": {
        "afdeling": "sociaal-domein",
        "bedrag": 5_000_000,
        "risico": "hoog",
        "afdelingen": ["sociaal-domein"],
    },
    # schuldhulp, scoped to the Participatiewet (a regeling of werk-en-inkomen)
    "rob": {
        "afdeling": "schuldhulp",
        "bedrag": 5_000_000,
        "risico": "hoog",
        "regelingen": ["Participatiewet"],
    },
    "kees": {"afdeling": "wonen", "bedrag": 1_000, "risico": "hoog"},  # amount too low
    "risa": {"afdeling": "wonen", "bedrag": 5_000_000, "risico": "laag"},  # risk too low
    "ina": {"afdeling": "wonen", "bedrag": 5_000_000, "risico": "hoog", "actief": False},
}


def houder_id(sleutel: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.test/houder/{sleutel}")


async def _houders(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session:
        for sleutel, h in HOUDERS.items():
            session.add(
                Medewerker(
                    id=houder_id(sleutel),
                    naam=f"{sleutel.title()} Houder",
                    email=f"{sleutel}@houder.example",
                    afdeling_code=h["afdeling"],
                    rollen=["leidinggevende"],
                    mandaat_max_bedrag_cent=h["bedrag"],
                    mandaat_max_risico=h["risico"],
                    mandaat_afdelingen=h.get("afdelingen", []),
                    mandaat_regelingen=h.get("regelingen", []),
                    actief=h.get("actief", True),
                )
            )
            await session.flush()
            session.add(
                ApiToken(
                    medewerker_id=houder_id(sleutel),
                    naam="test",
                    token_hash=token_hash(f"dbk_test-{sleutel}"),
                )
            )
        await session.commit()


def _als(app: Any, sleutel: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer dbk_test-{sleutel}"},
    )


async def _opzet(api: Api, db: async_sessionmaker[AsyncSession], **afwijking: Any) -> Any:
    """A casus in maatwerk with a concept besluit and an afwijking from a werk-en-inkomen rule
    (the kostendelersnorm of the Participatiewet)."""
    await _houders(db)
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    regel = await nieuwe_regel(
        api("bram"),
        titel="Kostendelersnorm",
        regeling="Participatiewet",
        artikel="22a",
        soort="wet",
        afdeling="werk-en-inkomen",
    )
    besluit = await nieuw_besluit(api("karim"), k)
    a = await nieuwe_afwijking(api("karim"), k, besluit["id"], regel["id"], **afwijking)
    return k, besluit, a, regel


def _pad(k: str, *delen: str) -> str:
    return "/".join([f"/api/v1/casussen/{k}", *delen])


async def _stuur(api: Api, afwijking: str, aan: uuid.UUID | str, wie: str = "karim") -> Any:
    return await api(wie).post(
        "/api/v1/rugdekkingsverzoeken",
        json={"afwijking": afwijking, "aan": str(aan), "toelichting": "Wilt u meekijken?"},
    )


async def _antwoord(client: httpx.AsyncClient, verzoek: str, oordeel: str = "gedekt") -> Any:
    return await client.post(
        f"/api/v1/rugdekkingsverzoeken/{verzoek}/beantwoorden",
        json={"oordeel": oordeel, "motivering": "Past binnen mijn mandaat."},
    )


async def test_kandidaten_are_filtered_by_amount_risk_and_scope(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, besluit, a, _ = await _opzet(api, db, risico="midden", financieelBelangCent=1_850_000)
    namen = {
        c["medewerker"]["id"]
        for c in ok(await api("karim").get(_pad(k, "afwijkingen", a["id"], "kandidaten")))
    }
    # peter (sociaal-domein, no scope) and marieke (2.5M midden) cover it as well; karim is
    # the regiehouder and proposer; lia's scope is her own afdeling; kees, risa: too little;
    # ina is inactive.
    assert namen == {mid("peter"), mid("marieke"), str(houder_id("wim")), str(houder_id("rob"))}
    # A regel of sociaal-domein itself: lia is a candidate now, rob (Participatiewet) is not.
    sd = await nieuwe_regel(
        api("bram"), titel="Wmo-maatwerk", regeling="Verordening Wmo", afdeling="sociaal-domein"
    )
    b = await nieuwe_afwijking(api("karim"), k, besluit["id"], sd["id"], risico="hoog")
    namen = {
        c["medewerker"]["id"]
        for c in ok(await api("karim").get(_pad(k, "afwijkingen", b["id"], "kandidaten")))
    }
    assert namen == {mid("peter"), str(houder_id("wim")), str(houder_id("lia"))}
    lia = next(
        c
        for c in ok(await api("karim").get(_pad(k, "afwijkingen", b["id"], "kandidaten")))
        if c["medewerker"]["id"] == str(houder_id("lia"))
    )
    assert lia["mandaat"]["afdelingen"] == ["sociaal-domein"]


async def test_a_mandaat_scoped_to_sociaal_domein_does_not_cover_a_werk_en_inkomen_rule(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, _, a, _ = await _opzet(api, db, risico="laag", financieelBelangCent=10_000)
    async with _als(app, "lia") as lia:
        # She sees the casus (leidinggevende of a participating afdeling) and has the amount
        # and the risk, but not the scope: the direct path refuses it, and says so up front.
        body = probleem(await rugdekking(lia, k, a["id"]), 403, "buiten-mandaatscope")
        assert "Participatiewet" in body["detail"]
        gezien = ok(await lia.get(_pad(k, "afwijkingen", a["id"])))
        assert gezien["toegestaneActies"]["rugdekkingGeven"]["code"] == "buiten-mandaatscope"
    # Asking her is refused the same way, as bad input naming the field.
    body = probleem(await _stuur(api, a["id"], houder_id("lia")), 400)
    assert body["invalidParams"][0]["name"] == "aan"
    assert body["invalidParams"][0]["code"] == "buiten-mandaatscope"
    probleem(await _stuur(api, a["id"], houder_id("kees")), 400)
    # rob's scope names the Participatiewet: he may cover it.
    ok(await _stuur(api, a["id"], houder_id("rob")), 201)


async def test_the_addressee_reads_that_casus_only_while_the_verzoek_is_open(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, besluit, a, _ = await _opzet(api, db, risico="midden", financieelBelangCent=1_850_000)
    ander = await casus_in_maatwerk(api)
    async with _als(app, "wim") as wim:
        probleem(await wim.get(_pad(k)), 404)
        rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
        assert rv["status"] == "open" and rv["aan"]["id"] == str(houder_id("wim"))
        assert (
            ok(await api("karim").get(_pad(k, "afwijkingen", a["id"])))["openRugdekkingsverzoek"]
            == rv["id"]
        )
        # What the purpose needs: the casus, its besluiten and afwijkingen.
        casus = ok(await wim.get(_pad(k)))
        assert casus["toegestaneActies"]["wijzigen"]["code"] == "alleen-rugdekking"
        ok(await wim.get(_pad(k, "besluiten", besluit["id"])))
        ok(await wim.get(_pad(k, "besluiten")))
        gezien = ok(await wim.get(_pad(k, "afwijkingen", a["id"])))
        assert gezien["toegestaneActies"]["rugdekkingGeven"]["code"] == "alleen-rugdekking"
        ok(await wim.get(_pad(k, "afwijkingen")))
        # Nothing else of it, no change, no other casus.
        for deel in ("betrokkenen", "tijdlijn", "team", "stappen", "escalaties", "regie"):
            probleem(await wim.get(_pad(k, deel)), 404)
        probleem(await wim.patch(_pad(k), json={"titel": "x"}, headers={"If-Match": '"1"'}), 404)
        probleem(await rugdekking(wim, k, a["id"]), 404)
        probleem(await wim.get(_pad(ander["kenmerk"])), 404)
        # The requests addressed to him.
        lijst = ok(await wim.get("/api/v1/rugdekkingsverzoeken", params={"aan": "ik"}))
        assert [v["id"] for v in lijst["results"]] == [rv["id"]]
        assert lijst["results"][0]["toegestaneActies"]["beantwoorden"]["toegestaan"] is True
        # His inbox brings the verzoek to him.
        inbox = ok(await wim.get("/api/v1/inbox", params={"soort": "rugdekking_gevraagd"}))
        assert [(i["kenmerk"], i["objectId"]) for i in inbox["results"]] == [(k, rv["id"])]
        assert (
            ok(await api("peter").get("/api/v1/rugdekkingsverzoeken", params={"aan": "ik"}))[
                "results"
            ]
            == []
        )
        # His reads are in the logboek with the verzoek as their purpose.
        async with db() as session:
            doelen = set(
                (
                    await session.scalars(
                        select(LogboekRegel.doelbinding).where(
                            LogboekRegel.actor == str(houder_id("wim"))
                        )
                    )
                ).all()
            )
            verleend = (
                await session.scalars(
                    select(LogboekRegel.object_id).where(
                        LogboekRegel.actie == "rugdekking.inzage-verleend"
                    )
                )
            ).all()
        assert f"rugdekkingsverzoek {rv['id']}" in doelen
        assert verleend == [str(houder_id("wim"))]
        # He answers once: the rugdekking is recorded on the afwijking as his.
        antwoord = ok(await _antwoord(wim, rv["id"]))
        assert antwoord["status"] == "beantwoord" and antwoord["oordeel"] == "gedekt"
        afwijking = ok(await api("karim").get(_pad(k, "afwijkingen", a["id"])))
        assert afwijking["status"] == "gedekt"
        assert afwijking["rugdekking"]["door"]["id"] == str(houder_id("wim"))
        assert afwijking["rugdekking"]["toelichting"] == "Past binnen mijn mandaat."
        assert afwijking["openRugdekkingsverzoek"] is None
        probleem(await _antwoord(wim, rv["id"], "afgewezen"), 409, "verzoek-gesloten")
        # Access ended; what he decided he still reads.
        probleem(await wim.get(_pad(k)), 404)
        probleem(await wim.get(_pad(k, "afwijkingen", a["id"])), 404)
        terug = ok(await wim.get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))
        assert terug["oordeel"] == "gedekt"
        assert terug["toegestaneActies"]["beantwoorden"]["code"] == "verzoek-gesloten"


async def test_withdrawing_ends_access_and_only_the_regiehouder_may(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, _, a, _ = await _opzet(api, db, risico="laag", financieelBelangCent=10_000)
    probleem(await _stuur(api, a["id"], houder_id("wim"), wie="sanne"), 403, "alleen-regiehouder")
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    probleem(await _stuur(api, a["id"], houder_id("rob")), 409, "verzoek-al-open")
    intrekken = f"/api/v1/rugdekkingsverzoeken/{rv['id']}/intrekken"
    async with _als(app, "wim") as wim:
        probleem(await wim.post(intrekken, json={"reden": "x"}), 403, "alleen-regiehouder")
        probleem(await api("sanne").post(intrekken, json={"reden": "x"}), 403)
        probleem(await _antwoord(api("peter"), rv["id"]), 403, "niet-geadresseerd")
        uit = ok(await api("karim").post(intrekken, json={"reden": "Peter neemt het op."}))
        assert uit["status"] == "ingetrokken" and uit["geslotenDoor"]["id"] == mid("karim")
        probleem(await api("karim").post(intrekken, json={"reden": "nog eens"}), 409)
        probleem(await wim.get(_pad(k)), 404)
        probleem(await _antwoord(wim, rv["id"]), 409, "verzoek-gesloten")
        assert ok(await wim.get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))["status"] == (
            "ingetrokken"
        )
    # Now someone else may be asked.
    ok(await _stuur(api, a["id"], houder_id("rob")), 201)


async def test_the_answer_goes_through_the_rugdekking_rules(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, _besluit, a, _ = await _opzet(
        api, db, grondslag="buiten_kader", risico="laag", financieelBelangCent=10_000
    )
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    async with _als(app, "wim") as wim:
        # buiten_kader still needs the bestuur's escalatie: refused, and the verzoek stays open.
        probleem(await _antwoord(wim, rv["id"]), 409, "bestuur-escalatie-vereist")
        assert ok(await wim.get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))["status"] == "open"
        ok(await wim.get(_pad(k)))
        weigering = ok(await _antwoord(wim, rv["id"], "afgewezen"))
        assert weigering["oordeel"] == "afgewezen"
    afwijking = ok(await api("karim").get(_pad(k, "afwijkingen", a["id"])))
    assert afwijking["status"] == "afgewezen"
    acties = afwijking["toegestaneActies"]
    # After a refusal: reconsideration goes through an escalatie first.
    assert acties["heroverwegingVragen"]["toegestaan"] is True
    assert acties["rugdekkingVragen"]["code"] == "rugdekking-al-gegeven"
    assert afwijking["heroverwegingMogelijk"] is False
    # A management escalatie about it, toegekend by a leidinggevende not involved: now the
    # refusal may be reconsidered, by a verzoek to someone else than who refused.
    e = ok(
        await api("karim").post(
            _pad(k, "escalaties"),
            json={
                "niveau": "management",
                "reden": "Heroverweging gevraagd.",
                "betreft": {"afwijkingen": [a["id"]]},
            },
        ),
        201,
    )
    r = await api("peter").get(_pad(k, "escalaties", e["id"]))
    ok(
        await api("peter").patch(
            _pad(k, "escalaties", e["id"]),
            json={"uitkomst": {"soort": "toegekend", "referentie": "MT-7"}},
            headers={"If-Match": r.headers["ETag"]},
        )
    )
    afwijking = ok(await api("karim").get(_pad(k, "afwijkingen", a["id"])))
    assert afwijking["heroverwegingMogelijk"] is True
    assert afwijking["toegestaneActies"]["rugdekkingVragen"]["toegestaan"] is True
    assert afwijking["toegestaneActies"]["heroverwegingVragen"]["code"] == (
        "heroverweging-toegekend"
    )
    kandidaten = {
        c["medewerker"]["id"]
        for c in ok(await api("karim").get(_pad(k, "afwijkingen", a["id"], "kandidaten")))
    }
    assert str(houder_id("wim")) not in kandidaten and str(houder_id("rob")) in kandidaten
    body = probleem(await _stuur(api, a["id"], houder_id("wim")), 400)
    assert body["invalidParams"][0]["code"] == "heroverweging-door-ander"


async def test_a_direct_rugdekking_lets_the_open_verzoek_lapse(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k, _, a, _ = await _opzet(api, db, risico="laag", financieelBelangCent=10_000)
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    ok(await rugdekking(api("peter"), k, a["id"]))
    async with _als(app, "wim") as wim:
        assert ok(await wim.get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))["status"] == (
            "vervallen"
        )
        probleem(await wim.get(_pad(k)), 404)
        probleem(await _antwoord(wim, rv["id"]), 409, "verzoek-gesloten")


async def test_listing_needs_a_filter_and_hides_other_casussen(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    _k, _, a, _ = await _opzet(api, db, risico="laag", financieelBelangCent=10_000)
    rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
    probleem(await api("karim").get("/api/v1/rugdekkingsverzoeken"), 400)
    probleem(await api("karim").get("/api/v1/rugdekkingsverzoeken", params={"aan": "jij"}), 400)
    lijst = ok(
        await api("karim").get("/api/v1/rugdekkingsverzoeken", params={"afwijking": a["id"]})
    )
    assert [v["id"] for v in lijst["results"]] == [rv["id"]]
    assert lijst["results"][0]["toegestaneActies"]["intrekken"]["toegestaan"] is True
    probleem(
        await api("fatima").get("/api/v1/rugdekkingsverzoeken", params={"afwijking": a["id"]}), 404
    )
    probleem(await api("fatima").get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"), 404)


async def test_widening_a_mandaatscope_takes_a_second_beheerder(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    await _houders(db)
    bram = api("bram")
    pad = f"/api/v1/medewerkers/{houder_id('lia')}"

    async def patch(mandaat: dict[str, Any]) -> httpx.Response:
        etag = (await bram.get(pad)).headers["ETag"]
        return await bram.patch(pad, json={"mandaat": mandaat}, headers={"If-Match": etag})

    basis = {"maxBedragCent": 5_000_000, "maxRisico": "hoog"}
    probleem(await patch(basis), 403, "vier-ogen-vereist")  # no scope: covers everything
    probleem(
        await patch({**basis, "afdelingen": ["sociaal-domein", "werk-en-inkomen"]}),
        403,
        "vier-ogen-vereist",
    )
    probleem(await patch({**basis, "afdelingen": ["bestaat-niet"]}), 400)
    # Keeping or narrowing a scope is a direct change.
    smaller = ok(await patch({**basis, "afdelingen": ["sociaal-domein"], "regelingen": []}))
    assert smaller["mandaat"]["afdelingen"] == ["sociaal-domein"]
    wim = f"/api/v1/medewerkers/{houder_id('wim')}"
    etag = (await bram.get(wim)).headers["ETag"]
    r = await bram.patch(
        wim,
        json={"mandaat": {**basis, "regelingen": ["Participatiewet"]}},
        headers={"If-Match": etag},
    )
    assert ok(r)["mandaat"]["regelingen"] == ["Participatiewet"]
    # A rechtenverzoek carries the wider scope; a second beheerder approves it.
    verzoek = ok(
        await bram.post(
            "/api/v1/rechtenverzoeken",
            json={
                "medewerker": str(houder_id("lia")),
                "mandaat": {**basis, "afdelingen": ["sociaal-domein", "werk-en-inkomen"]},
                "toelichting": "Lia dekt ook Werk en Inkomen.",
            },
        ),
        201,
    )
    assert verzoek["mandaat"]["afdelingen"] == ["sociaal-domein", "werk-en-inkomen"]


async def test_an_answer_and_a_withdrawal_at_the_same_moment_never_both_succeed(
    app: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    """Both take the besluit's row lock, then re-read the verzoek (on PostgreSQL a real race
    between two connections; on SQLite serialised by BEGIN IMMEDIATE)."""
    await _houders(db)
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(api("karim"), k)
    uitkomsten: dict[str, int] = {}
    async with _als(app, "wim") as wim:
        for _ in range(8):
            a = await nieuwe_afwijking(
                api("karim"), k, besluit["id"], casus["regel"], risico="laag"
            )
            rv = ok(await _stuur(api, a["id"], houder_id("wim")), 201)
            antwoord, intrekking = await asyncio.gather(
                _antwoord(wim, rv["id"]),
                api("karim").post(
                    f"/api/v1/rugdekkingsverzoeken/{rv['id']}/intrekken", json={"reden": "x"}
                ),
            )
            paar = sorted((antwoord.status_code, intrekking.status_code))
            assert paar == [200, 409], (antwoord.text, intrekking.text)
            na = ok(await api("karim").get(f"/api/v1/rugdekkingsverzoeken/{rv['id']}"))
            afwijking = ok(await api("karim").get(_pad(k, "afwijkingen", a["id"])))
            if antwoord.status_code == 200:
                assert na["status"] == "beantwoord" and afwijking["status"] == "gedekt"
            else:
                assert na["status"] == "ingetrokken" and afwijking["status"] == "voorgesteld"
            uitkomsten[na["status"]] = uitkomsten.get(na["status"], 0) + 1
    assert sum(uitkomsten.values()) == 8
