"""Small helpers shared by the API tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.auth.tokens import token_hash
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.models import ApiToken, Medewerker
from tests.personas import medewerker_id

PROBLEM = "application/problem+json"


def lokaal_vandaag() -> dt.date:
    """Today as the app counts it: in Amsterdam (between 23:00 and 24:00 UTC in winter the
    machine's own date is still yesterday there)."""
    return lokale_datum(dt.datetime.now(dt.UTC))


def mid(sleutel: str) -> str:
    return str(medewerker_id(sleutel))


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


def probleem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"] and body["instance"]
    if code is not None:
        assert body["code"] == code, body
    return body


async def nieuwe_casus(client: httpx.AsyncClient, **velden: Any) -> dict[str, Any]:
    invoer = {
        "titel": "Lekkende huurwoning",
        "situatie": "Het dak lekt.",
        "urgentie": "hoog",
        **velden,
    }
    return ok(await client.post("/api/v1/casussen", json=invoer), 201)  # type: ignore[no-any-return]


async def fase(client: httpx.AsyncClient, kenmerk: str, naar: str, **extra: Any) -> httpx.Response:
    return await client.post(
        f"/api/v1/casussen/{kenmerk}/fase-overgangen", json={"naar": naar, **extra}
    )


async def wijzig_casus(client: httpx.AsyncClient, kenmerk: str, **velden: Any) -> dict[str, Any]:
    r = await client.get(f"/api/v1/casussen/{kenmerk}")
    etag = ok(r) and r.headers["ETag"]
    return ok(  # type: ignore[no-any-return]
        await client.patch(f"/api/v1/casussen/{kenmerk}", json=velden, headers={"If-Match": etag})
    )


async def nieuwe_regel(client: httpx.AsyncClient, **velden: Any) -> dict[str, Any]:
    invoer = {
        "titel": "Drie offertes bij inkoop",
        "regeling": "Inkoopbeleid gemeente",
        "artikel": "3.2",
        "soort": "werkinstructie",
        **velden,
    }
    return ok(await client.post("/api/v1/regels", json=invoer), 201)  # type: ignore[no-any-return]


async def nieuw_doel(
    client: httpx.AsyncClient, kenmerk: str, tekst: str, leefgebied: str = "wonen"
) -> dict[str, Any]:
    """A doel of the household in its perspectiefplan (the perspectief fase asks for one)."""
    r = await client.post(
        f"/api/v1/casussen/{kenmerk}/doelen", json={"leefgebied": leefgebied, "tekst": tekst}
    )
    return ok(r, 201)  # type: ignore[no-any-return]


DEELNAMES_IN_MAATWERK = (
    ("vastgoed", "joost", "Eerst een rapport en een duurzaam plan."),
    ("sociaal-domein", "sanne", "Deze week dicht: het gezin zit in de kou."),
)


async def casus_in_maatwerk(
    api: Any,
    *,
    deelnames: Sequence[tuple[str, str, str | None]] = DEELNAMES_IN_MAATWERK,
    **casusvelden: Any,
) -> dict[str, Any]:
    """The leaking home of api.md up to fase maatwerk: regie karim, deelnames (afdeling,
    contactpersoon, standpunt; by default vastgoed (joost) and sociaal-domein (sanne)), a
    betrokkene, a doel, doorbraak and a regel-knelpunt."""
    sanne, karim = api("sanne"), api("karim")
    casus = await nieuwe_casus(sanne, huishoudenNaam="Familie Demir", **casusvelden)
    k = casus["kenmerk"]
    ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    for afdeling, contact, standpunt in deelnames:
        deelname = {"afdeling": afdeling, "contactpersoon": mid(contact)}
        if standpunt is not None:
            deelname["standpunt"] = standpunt
        ok(await karim.post(f"/api/v1/casussen/{k}/deelnames", json=deelname), 201)
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/betrokkenen",
            json={
                "organisatie": "Woningcorporatie",
                "leefgebied": "wonen",
                "kostenPerJaarCent": 1_200_000,
            },
        ),
        201,
    )
    ok(await fase(karim, k, "in_kaart"), 201)
    ok(await fase(karim, k, "perspectief"), 201)
    await nieuw_doel(karim, k, "Warm en droog voor de winter.")
    ok(await fase(karim, k, "afpellen"), 201)
    await wijzig_casus(karim, k, doorbraak="Het dak.")
    regel = await nieuwe_regel(api("bram"))
    ok(
        await karim.post(
            f"/api/v1/casussen/{k}/knelpunten",
            json={
                "soort": "regel",
                "niveau": "systeem",
                "omschrijving": "Inkoop vraagt drie offertes.",
                "regel": regel["id"],
            },
        ),
        201,
    )
    ok(await fase(karim, k, "maatwerk"), 201)
    return {"kenmerk": k, "regel": regel["id"]}


async def nieuw_besluit(client: httpx.AsyncClient, kenmerk: str, **velden: Any) -> dict[str, Any]:
    invoer = {
        "omschrijving": "Dak deze week repareren via de raamaannemer; rapport volgt.",
        "motivering": "Het gezin zit in de kou; een rapport kan daarna.",
        "kostenEenmaligCent": 1_850_000,
        "betalendeAfdeling": "vastgoed",
        **velden,
    }
    return ok(  # type: ignore[no-any-return]
        await client.post(f"/api/v1/casussen/{kenmerk}/besluiten", json=invoer), 201
    )


async def nieuwe_afwijking(
    client: httpx.AsyncClient, kenmerk: str, besluit: str, regel: str, **velden: Any
) -> dict[str, Any]:
    invoer = {
        "besluit": besluit,
        "regel": regel,
        "watDeRegelZegt": "Boven 10.000 euro vraagt inkoop drie offertes.",
        "watWeDoen": "We gunnen direct aan de raamaannemer.",
        "grondslag": "awb_4_84",
        "motivering": "Drie offertes kosten weken; het gezin zit in de kou.",
        "waardentoets": {
            "legitimiteit": "Doel van de regel (rechtmatige besteding) blijft gediend.",
            "rendement": "Schoolverzuim en zorgkosten stoppen.",
            "betrokkenheid": "Vastgoed en Sociaal Domein zijn gehoord.",
        },
        "risico": "midden",
        "financieelBelangCent": 1_850_000,
        **velden,
    }
    return ok(  # type: ignore[no-any-return]
        await client.post(f"/api/v1/casussen/{kenmerk}/afwijkingen", json=invoer), 201
    )


async def rugdekking(
    client: httpx.AsyncClient, kenmerk: str, afwijking: str, oordeel: str = "gedekt"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/casussen/{kenmerk}/afwijkingen/{afwijking}/rugdekking",
        json={
            "oordeel": oordeel,
            "toelichting": "Binnen mijn mandaat.",
            "mandaatReferentie": "Mandaatbesluit 2026 art. 3",
        },
    )


# The casus of `casus_in_maatwerk`: who gives each participating afdeling's reactie.
REAGEERDERS = {"vastgoed": "joost", "sociaal-domein": "sanne"}


async def alle_akkoord(api: Any, kenmerk: str, besluit: str, *afdelingen: str) -> None:
    """Every participating afdeling (or only these) says akkoord on the besluit: it is heard."""
    for afdeling in afdelingen or tuple(REAGEERDERS):
        r = await api(REAGEERDERS[afdeling]).post(
            f"/api/v1/casussen/{kenmerk}/besluiten/{besluit}/reacties",
            json={"afdeling": afdeling, "reactie": "akkoord"},
        )
        assert r.status_code in (200, 201), r.text


ANNA = "dbk_test-anna-tweede-beheerder"


async def tweede_beheerder(db: async_sessionmaker[AsyncSession]) -> str:
    """Anna, a second beheerder, as an operator would add her (`doorbraak medewerker aanmaken`)."""
    async with db() as session:
        anna = Medewerker(
            naam="Anna Tweede",
            email="anna@gemeente.example",
            afdeling_code="wonen",
            rollen=["beheerder"],
            actief=True,
        )
        session.add(anna)
        await session.flush()
        session.add(ApiToken(medewerker_id=anna.id, naam="test", token_hash=token_hash(ANNA)))
        await session.commit()
        return str(anna.id)
