"""API tokens managed by the beheerder through the API (issue 18): who may, made once and
shown once, only its hash stored, working at once, revoked at once in this process (the cache),
and never in the logboek, the idempotency store or a URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.db import utcnow
from doorbraak.models import ApiToken, IdempotentieSleutel, LogboekRegel
from tests.conftest import Api
from tests.helpers import mid, ok, probleem

PAD = "/api/v1/api-tokens"


def _nieuw(wie: str = "eva", **extra: object) -> dict[str, object]:
    return {"medewerker": mid(wie), "naam": "Koppeling zaaksysteem", **extra}


async def _als(api: Api, token: str) -> int:
    client = api(None)
    client.headers["Authorization"] = f"Bearer {token}"
    return (await client.get("/api/v1/ik")).status_code


async def test_only_the_beheerder_lists_makes_and_revokes_tokens(api: Api) -> None:
    for wie in ("karim", "peter", "fatima", "lotte", "sanne"):
        probleem(await api(wie).get(PAD), 403, "rol-ontbreekt")
        probleem(await api(wie).post(PAD, json=_nieuw()), 403, "rol-ontbreekt")
    gemaakt = ok(await api("bram").post(PAD, json=_nieuw()), 201)
    for wie in ("karim", "lotte"):
        probleem(await api(wie).post(f"{PAD}/{gemaakt['id']}/intrekken"), 403, "rol-ontbreekt")
    probleem(await api(None).get(PAD), 401)
    assert await _als(api, gemaakt["token"]) == 200


async def test_make_use_list_and_revoke_a_token(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    bram = api("bram")
    verloopt = (utcnow() + dt.timedelta(days=30)).replace(microsecond=0)
    gemaakt = ok(await bram.post(PAD, json=_nieuw(verlooptOp=verloopt.isoformat())), 201)
    token = gemaakt["token"]
    assert token.startswith("dbk_") and len(token) > 40
    assert gemaakt["medewerker"] == {
        "id": mid("eva"),
        "naam": "Eva Mulder",
        "afdeling": "schuldhulp",
    }
    assert gemaakt["status"] == "geldig" and gemaakt["ingetrokkenOp"] is None
    assert dt.datetime.fromisoformat(gemaakt["verlooptOp"]) == verloopt
    # Only its SHA-256 is stored.
    async with db() as session:
        rij = await session.get(ApiToken, uuid.UUID(gemaakt["id"]))
        assert rij is not None
        assert rij.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr([getattr(rij, k) for k in ("naam", "token_hash")])
    # It works at once, as Eva.
    client = api(None)
    client.headers["Authorization"] = f"Bearer {token}"
    assert ok(await client.get("/api/v1/ik"))["naam"] == "Eva Mulder"
    # The list shows it, never the token.
    lijst = ok(await bram.get(PAD, params={"limit": 100}))
    rij_uit = next(t for t in lijst["results"] if t["id"] == gemaakt["id"])
    assert "token" not in rij_uit and rij_uit["status"] == "geldig"
    assert rij_uit["medewerker"]["naam"] == "Eva Mulder"
    assert token not in str(lijst)
    # Revoked: refused on the next request (the cache of this process is emptied at once).
    ingetrokken = ok(await bram.post(f"{PAD}/{gemaakt['id']}/intrekken"))
    assert ingetrokken["status"] == "ingetrokken" and ingetrokken["ingetrokkenOp"]
    body = probleem(await client.get("/api/v1/ik"), 401)
    assert "ingetrokken" in body["detail"]
    # Once: again is a conflict that changes nothing; an unknown id is 404.
    probleem(await bram.post(f"{PAD}/{gemaakt['id']}/intrekken"), 409, "al-ingetrokken")
    probleem(await bram.post(f"{PAD}/{uuid.uuid4()}/intrekken"), 404)
    lijst = ok(await bram.get(PAD, params={"limit": 100}))
    assert next(t for t in lijst["results"] if t["id"] == gemaakt["id"])["status"] == (
        "ingetrokken"
    )
    # The logboek names the token by its id, with the beheerder; the token is in no entry.
    async with db() as session:
        regels = (await session.scalars(select(LogboekRegel))).all()
    acties = {(r.actie, r.object_id) for r in regels if r.actor == mid("bram")}
    assert ("token.aangemaakt", gemaakt["id"]) in acties
    assert ("token.ingetrokken", gemaakt["id"]) in acties
    assert ("POST /api/v1/api-tokens/{id}/intrekken", gemaakt["id"]) in acties
    for r in regels:
        assert token not in repr([getattr(r, a.key) for a in LogboekRegel.__mapper__.column_attrs])


async def test_expiry_defaults_to_the_maximum_and_stays_within_it(api: Api) -> None:
    bram = api("bram")
    voor = utcnow()
    gemaakt = ok(await bram.post(PAD, json=_nieuw()), 201)
    verloopt = dt.datetime.fromisoformat(gemaakt["verlooptOp"])
    assert voor + dt.timedelta(days=364) < verloopt <= utcnow() + dt.timedelta(days=365)
    for moment in (utcnow() - dt.timedelta(minutes=1), utcnow() + dt.timedelta(days=400)):
        body = probleem(await bram.post(PAD, json=_nieuw(verlooptOp=moment.isoformat())), 400)
        assert body["invalidParams"][0]["name"] == "verlooptOp"
    # A moment without a time zone is not an instant.
    probleem(await bram.post(PAD, json=_nieuw(verlooptOp="2027-01-01T00:00:00")), 400)
    body = probleem(await bram.post(PAD, json=_nieuw(medewerker=str(uuid.uuid4()))), 400)
    assert body["invalidParams"][0]["code"] == "onbekende-medewerker"
    probleem(await bram.post(PAD, json={"medewerker": mid("eva")}), 400)


async def test_a_token_for_a_privileged_colleague_is_not_made_through_the_api(api: Api) -> None:
    """A token signs in as its medewerker: for a leidinggevende, auditor or another beheerder
    that would hand the beheerder their rights, as changing their e-mail address would."""
    bram = api("bram")
    for wie in ("peter", "lotte", "marieke"):
        probleem(await bram.post(PAD, json=_nieuw(wie)), 403, "bevoorrechte-medewerker")
    # One's own token is no new identity.
    eigen = ok(await bram.post(PAD, json=_nieuw("bram")), 201)
    assert await _als(api, eigen["token"]) == 200


async def test_a_replay_of_the_idempotency_key_does_not_show_or_keep_the_token(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    bram = api("bram")
    sleutel = {"Idempotency-Key": f"token-{uuid.uuid4()}"}
    eerste = await bram.post(PAD, json=_nieuw(), headers=sleutel)
    gemaakt = ok(eerste, 201)
    herhaling = await bram.post(PAD, json=_nieuw(), headers=sleutel)
    assert herhaling.status_code == 201 and herhaling.headers["Idempotent-Replayed"] == "true"
    assert herhaling.json()["id"] == gemaakt["id"] and herhaling.json()["token"] is None
    async with db() as session:
        bewaard = (await session.scalars(select(IdempotentieSleutel.body))).all()
    assert all(gemaakt["token"].encode() not in b for b in bewaard)
    assert any(gemaakt["id"].encode() in b for b in bewaard)
