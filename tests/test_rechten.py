"""Privileges (issue 15, section 5): nobody changes their own roles or mandaat; granting
beheerder, auditor, leidinggevende or privacy, or raising a mandaat, takes a second beheerder."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import cli
from doorbraak.auth.tokens import token_hash
from doorbraak.config import get_settings
from doorbraak.models import ApiToken, LogboekRegel
from tests.conftest import Api
from tests.helpers import ANNA, mid, ok, probleem, tweede_beheerder

Maker = async_sessionmaker[AsyncSession]


def _anna(api: Api) -> Any:
    client = api(None)
    client.headers["Authorization"] = f"Bearer {ANNA}"
    return client


async def _patch(client: Any, wie: str, **velden: Any) -> Any:
    r = await client.get(f"/api/v1/medewerkers/{wie}")
    return await client.patch(
        f"/api/v1/medewerkers/{wie}", json=velden, headers={"If-Match": r.headers["ETag"]}
    )


async def _medewerker(api: Api, wie: str) -> dict[str, Any]:
    return ok(await api("bram").get(f"/api/v1/medewerkers/{wie}"))  # type: ignore[no-any-return]


async def test_a_beheerder_cannot_raise_his_own_privileges(api: Api) -> None:
    bram = api("bram")
    # The attack of the issue: one PATCH with auditor, leidinggevende and an unlimited mandaat.
    r = await _patch(
        bram,
        mid("bram"),
        rollen=["beheerder", "auditor", "leidinggevende"],
        mandaat={"maxBedragCent": 10**13, "maxRisico": "hoog"},
    )
    probleem(r, 403, "eigen-rechten")
    probleem(await _patch(bram, mid("bram"), mandaat={"maxBedragCent": 1}), 403, "eigen-rechten")
    na = await _medewerker(api, mid("bram"))
    assert na["rollen"] == ["beheerder"] and na["mandaat"]["maxBedragCent"] == 0
    probleem(await api("bram").get("/api/v1/logboek"), 403)
    # His own name is still his to change.
    ok(await _patch(bram, mid("bram"), naam="Bram de Boer"))
    # Nor by asking for it.
    r = await bram.post(
        "/api/v1/rechtenverzoeken",
        json={"medewerker": mid("bram"), "rollen": ["beheerder", "auditor"], "toelichting": "x"},
    )
    probleem(r, 403, "eigen-rechten")


async def test_granting_privileged_roles_or_more_mandaat_directly_is_refused(api: Api) -> None:
    bram = api("bram")
    for velden in (
        {"rollen": ["medewerker", "auditor"]},
        {"rollen": ["medewerker", "leidinggevende"]},
        {"rollen": ["beheerder"]},
        {"rollen": ["medewerker", "privacy"]},
        {"mandaat": {"maxBedragCent": 100, "maxRisico": "laag"}},
    ):
        probleem(await _patch(bram, mid("sanne"), **velden), 403, "vier-ogen-vereist")
    assert (await _medewerker(api, mid("sanne")))["rollen"] == ["medewerker"]
    probleem(
        await bram.post(
            "/api/v1/medewerkers",
            json={
                "naam": "Nieuwe Auditor",
                "email": "nieuw@gemeente.example",
                "afdeling": "wonen",
                "rollen": ["auditor"],
            },
        ),
        403,
        "vier-ogen-vereist",
    )
    # What does not raise privileges stays a direct change: another plain role, a lower mandaat.
    ok(await _patch(bram, mid("sanne"), rollen=["medewerker", "casusregisseur"]))
    r = await _patch(
        bram, mid("peter"), mandaat={"maxBedragCent": 5_000_000, "maxRisico": "midden"}
    )
    assert ok(r)["mandaat"] == {
        "maxBedragCent": 5_000_000,
        "maxRisico": "midden",
        "afdelingen": [],
        "regelingen": [],
    }
    ok(await _patch(bram, mid("marieke"), rollen=["medewerker"]))


async def test_a_second_beheerder_approves_and_only_then_the_roles_change(
    api: Api, db: Maker
) -> None:
    anna_id = await tweede_beheerder(db)
    bram, anna = api("bram"), _anna(api)
    verzoek = ok(
        await bram.post(
            "/api/v1/rechtenverzoeken",
            json={
                "medewerker": mid("sanne"),
                "rollen": ["medewerker", "auditor"],
                "mandaat": {"maxBedragCent": 250_000, "maxRisico": "laag"},
                "toelichting": "Sanne neemt de audit over van Lotte.",
            },
        ),
        201,
    )
    assert verzoek["status"] == "open" and verzoek["aangevraagdDoor"] == mid("bram")
    assert (await _medewerker(api, mid("sanne")))["rollen"] == ["medewerker"]
    pad = f"/api/v1/rechtenverzoeken/{verzoek['id']}/beoordeling"
    # Not the one who asked, not the medewerker concerned, not someone without the role.
    probleem(await bram.post(pad, json={"oordeel": "goedgekeurd"}), 403, "vier-ogen")
    probleem(await api("sanne").post(pad, json={"oordeel": "goedgekeurd"}), 403, "rol-ontbreekt")
    probleem(await api("lotte").get(f"/api/v1/rechtenverzoeken/{verzoek['id']}"), 403)
    lijst = ok(await anna.get("/api/v1/rechtenverzoeken?status=open"))["results"]
    assert [v["id"] for v in lijst] == [verzoek["id"]]

    goed = ok(await anna.post(pad, json={"oordeel": "goedgekeurd", "toelichting": "Akkoord."}))
    assert goed["status"] == "goedgekeurd" and goed["beoordeeldDoor"] == anna_id
    sanne = await _medewerker(api, mid("sanne"))
    assert sanne["rollen"] == ["auditor", "medewerker"]
    assert sanne["mandaat"] == {
        "maxBedragCent": 250_000,
        "maxRisico": "laag",
        "afdelingen": [],
        "regelingen": [],
    }
    ok(await api("sanne").get("/api/v1/logboek"))
    probleem(await anna.post(pad, json={"oordeel": "goedgekeurd"}), 409, "verzoek-afgehandeld")

    async with db() as session:
        regels = (
            await session.scalars(
                select(LogboekRegel)
                .where(LogboekRegel.actie.like("rechten.%"))
                .order_by(LogboekRegel.id)
            )
        ).all()
    assert [(r.actie, r.actor, r.object_id) for r in regels] == [
        ("rechten.aangevraagd", mid("bram"), mid("sanne")),
        ("rechten.toegekend", anna_id, mid("sanne")),
    ]


async def test_rejection_stale_requests_and_requests_about_the_approver(
    api: Api, db: Maker
) -> None:
    anna_id = await tweede_beheerder(db)
    bram, anna = api("bram"), _anna(api)

    async def vraag(wie: str, rollen: list[str]) -> str:
        body = {"medewerker": wie, "rollen": rollen, "toelichting": "Nodig."}
        return str(ok(await bram.post("/api/v1/rechtenverzoeken", json=body), 201)["id"])

    afgewezen = await vraag(mid("joost"), ["medewerker", "leidinggevende"])
    r = await anna.post(
        f"/api/v1/rechtenverzoeken/{afgewezen}/beoordeling", json={"oordeel": "afgewezen"}
    )
    assert ok(r)["status"] == "afgewezen"
    assert (await _medewerker(api, mid("joost")))["rollen"] == ["medewerker"]

    verouderd = await vraag(mid("eva"), ["medewerker", "casusregisseur", "auditor"])
    ok(await _patch(bram, mid("eva"), naam="Eva Mulder-de Wit"))
    r = await anna.post(
        f"/api/v1/rechtenverzoeken/{verouderd}/beoordeling", json={"oordeel": "goedgekeurd"}
    )
    probleem(r, 409, "rechtenverzoek-verouderd")
    assert "auditor" not in (await _medewerker(api, mid("eva")))["rollen"]

    over_anna = await vraag(anna_id, ["beheerder", "auditor"])
    r = await anna.post(
        f"/api/v1/rechtenverzoeken/{over_anna}/beoordeling", json={"oordeel": "goedgekeurd"}
    )
    probleem(r, 403, "eigen-rechten")
    probleem(
        await bram.post(
            "/api/v1/rechtenverzoeken",
            json={"medewerker": mid("sanne"), "rollen": ["medewerker"], "toelichting": "x"},
        ),
        400,
    )
    probleem(await anna.get(f"/api/v1/rechtenverzoeken/{uuid.uuid4()}"), 404)


# --- four-eyes on the identity of a privileged medewerker -------------------------------------


async def test_a_beheerder_cannot_point_a_privileged_account_at_himself(api: Api) -> None:
    """The e-mail address and OIDC subject decide who signs in as a medewerker: a beheerder who
    changes the auditor's (or a leidinggevende's, or a mandaat holder's) to his own would sign
    in with their rights."""
    bram = api("bram")
    for wie in ("lotte", "marieke", "peter", "bram"):
        voor = await _medewerker(api, mid(wie))
        verwacht = "eigen-rechten" if wie == "bram" else "vier-ogen-vereist"
        for velden in (
            {"email": "bram.prive@gemeente.example"},
            {"oidcSub": "bram-zijn-eigen-sub"},
            {"naam": voor["naam"], "email": "bram.prive@gemeente.example"},
        ):
            probleem(await _patch(bram, mid(wie), **velden), 403, verwacht)
        na = await _medewerker(api, mid(wie))
        assert (na["email"], na["oidcSub"]) == (voor["email"], voor["oidcSub"]), wie
    # A mandaat alone is enough: marieke without her leidinggevende role keeps her mandaat.
    ok(await _patch(bram, mid("marieke"), rollen=["medewerker"]))
    r = await _patch(bram, mid("marieke"), email="bram.prive@gemeente.example")
    probleem(r, 403, "vier-ogen-vereist")
    # The current values again are no change; other fields stay direct changes.
    lotte = await _medewerker(api, mid("lotte"))
    ok(await _patch(bram, mid("lotte"), email=lotte["email"], naam="Lotte Smit-Bos"))
    # A medewerker without privileges: the identity stays a direct change.
    sanne = ok(await _patch(bram, mid("sanne"), email="s.devries@gemeente.example", oidcSub="s-1"))
    assert (sanne["email"], sanne["oidcSub"]) == ("s.devries@gemeente.example", "s-1")


async def test_a_second_beheerder_approves_a_new_identity(api: Api, db: Maker) -> None:
    anna_id = await tweede_beheerder(db)
    bram, anna = api("bram"), _anna(api)
    lotte = await _medewerker(api, mid("lotte"))
    verzoek = ok(
        await bram.post(
            "/api/v1/rechtenverzoeken",
            json={
                "medewerker": mid("lotte"),
                "email": "L.Smit@Gemeente.example",
                "oidcSub": "lotte-nieuwe-idp",
                "toelichting": "Lotte krijgt een account bij de nieuwe identity provider.",
            },
        ),
        201,
    )
    assert (verzoek["email"], verzoek["oidcSub"]) == ("l.smit@gemeente.example", "lotte-nieuwe-idp")
    assert verzoek["rollen"] == ["auditor"]  # unchanged, the complete set as ever
    assert (await _medewerker(api, mid("lotte")))["email"] == lotte["email"]
    pad = f"/api/v1/rechtenverzoeken/{verzoek['id']}/beoordeling"
    probleem(await bram.post(pad, json={"oordeel": "goedgekeurd"}), 403, "vier-ogen")
    probleem(await api("lotte").post(pad, json={"oordeel": "goedgekeurd"}), 403, "rol-ontbreekt")
    ok(await anna.post(pad, json={"oordeel": "goedgekeurd", "toelichting": "Gecontroleerd."}))
    na = await _medewerker(api, mid("lotte"))
    assert (na["email"], na["oidcSub"], na["rollen"]) == (
        "l.smit@gemeente.example",
        "lotte-nieuwe-idp",
        ["auditor"],
    )

    async def vraag(wie: str, **velden: Any) -> Any:
        body = {"medewerker": wie, "toelichting": "Nodig.", **velden}
        return await bram.post("/api/v1/rechtenverzoeken", json=body)

    # Another medewerker's address or subject: 409; the current ones: nothing to ask (400).
    sanne = await _medewerker(api, mid("sanne"))
    probleem(await vraag(mid("marieke"), email=sanne["email"]), 409, "bestaat-al")
    probleem(await vraag(mid("marieke"), oidcSub="lotte-nieuwe-idp"), 409, "bestaat-al")
    fout = probleem(await vraag(mid("lotte"), email="l.smit@gemeente.example"), 400)
    assert [p["code"] for p in fout["invalidParams"]] == ["geen-wijziging"]
    # Nobody asks for, or approves, their own identity.
    probleem(await vraag(mid("bram"), email="bram.prive@gemeente.example"), 403, "eigen-rechten")
    over_anna = ok(await vraag(anna_id, oidcSub="anna-elders"), 201)
    r = await anna.post(
        f"/api/v1/rechtenverzoeken/{over_anna['id']}/beoordeling", json={"oordeel": "goedgekeurd"}
    )
    probleem(r, 403, "eigen-rechten")
    # Taken in between by someone else: the approval is refused, nothing changes.
    marieke = ok(await vraag(mid("marieke"), email="vrij@gemeente.example"), 201)
    ok(await _patch(bram, mid("sanne"), email="vrij@gemeente.example"))
    r = await anna.post(
        f"/api/v1/rechtenverzoeken/{marieke['id']}/beoordeling", json={"oordeel": "goedgekeurd"}
    )
    probleem(r, 409, "bestaat-al")
    assert (await _medewerker(api, mid("marieke")))["email"] != "vrij@gemeente.example"

    async with db() as session:
        regels = (
            await session.scalars(
                select(LogboekRegel)
                .where(LogboekRegel.actie.like("rechten.%"), LogboekRegel.object_id == mid("lotte"))
                .order_by(LogboekRegel.id)
            )
        ).all()
    assert [(r.actie, r.actor) for r in regels] == [
        ("rechten.aangevraagd", mid("bram")),
        ("rechten.toegekend", anna_id),
    ]


# --- API tokens have a maximum lifetime -------------------------------------------------------


def test_token_create_refuses_a_token_that_never_expires(
    capsys: pytest.CaptureFixture[str],
) -> None:
    basis = ["token", "create", "--medewerker", "sanne@gemeente.example", "--naam", "cli"]
    for dagen in ("0", "-1", str(get_settings().token_max_dagen + 1)):
        assert cli.main([*basis, "--dagen", dagen]) == 2
        assert "tussen 1 en" in capsys.readouterr().err
    # Without --dagen: the maximum lifetime.
    assert cli.main(basis) == 0
    token_id = capsys.readouterr().err.split("Token-id ", 1)[1].split(" ", 1)[0]
    assert cli.main(["token", "list", "--medewerker", "sanne@gemeente.example"]) == 0
    regel = next(r for r in capsys.readouterr().out.splitlines() if r.startswith(token_id))
    verloopt = dt.datetime.fromisoformat(regel.split("verloopt ", 1)[1].split()[0])
    verwacht = dt.datetime.now(dt.UTC) + dt.timedelta(days=get_settings().token_max_dagen)
    assert abs((verloopt - verwacht).total_seconds()) < 60


async def test_the_maximum_lifetime_caps_old_tokens_without_expiry(api: Api, db: Maker) -> None:
    oud, nieuw = "dbk_test-oud-token-zonder-einde", "dbk_test-nieuw-token-zonder-einde"
    nu = dt.datetime.now(dt.UTC)
    async with db() as session:
        for token, leeftijd in ((oud, get_settings().token_max_dagen + 1), (nieuw, 1)):
            session.add(
                ApiToken(
                    medewerker_id=uuid.UUID(mid("sanne")),
                    naam="van voor het maximum",
                    token_hash=token_hash(token),
                    aangemaakt_op=nu - dt.timedelta(days=leeftijd),
                    verloopt_op=None,
                )
            )
        await session.commit()
    client = api(None)
    client.headers["Authorization"] = f"Bearer {oud}"
    probleem(await client.get("/api/v1/ik"), 401)
    client.headers["Authorization"] = f"Bearer {nieuw}"
    ok(await client.get("/api/v1/ik"))
