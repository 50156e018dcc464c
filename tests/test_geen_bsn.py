"""No BSN where it does not belong: not in free text (400 naming the field), not as a bare hash
in the idempotency table, found in text also when written with separators or disguised."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.kit.bsn import bsns_in_tekst
from doorbraak.models import IdempotentieSleutel
from tests.conftest import Api
from tests.helpers import nieuwe_casus, ok, probleem, wijzig_casus

# Valid by the 11-proef, and not one of the demo BSNs.
BSN = "123456782"


@pytest.mark.parametrize(
    "tekst",
    [
        "BSN 123456782",
        "bsn: 123 456 782",
        "123.456.782",
        "12-34-56-782",
        "１２３４５６７８２",  # full-width digits
        "123\u200b456\u00ad782",  # zero-width space and soft hyphen
        "nummer 123\u00a0456\u00a0782 genoteerd",
    ],
)
def test_a_bsn_is_found_in_text_however_it_is_written(tekst: str) -> None:
    assert bsns_in_tekst(tekst) == [BSN]


@pytest.mark.parametrize(
    "tekst",
    [
        "123456789",  # fails the 11-proef
        "bel 06-12345678",
        "IBAN NL91ABNA0417164300",
        "in 2024 kostte het 12.345 euro, 3 keer",
        "geboren 12-03-1965",
    ],
)
def test_numbers_that_are_no_bsn_are_not_found(tekst: str) -> None:
    assert bsns_in_tekst(tekst) == []


@pytest.mark.parametrize(
    ("veld", "tekst"),
    [("titel", "Woning van BSN 123 456 782"), ("situatie", "Inwoner 123.456.782 zit in de kou.")],
)
async def test_a_bsn_in_free_text_is_refused_naming_the_field(
    api: Api, veld: str, tekst: str
) -> None:
    client = api("sanne")
    antwoord = await client.post(
        "/api/v1/casussen",
        json={"titel": "Lekkende woning", "situatie": "Het dak lekt.", veld: tekst},
    )
    body = probleem(antwoord, 400, "ongeldige-invoer")
    assert [(p["name"], p["code"]) for p in body["invalidParams"]] == [(veld, "bevat-bsn")]
    assert "123" not in antwoord.text
    # The same in a change, and in any other free text (a stap's titel).
    casus = await nieuwe_casus(client)
    r = await client.get(f"/api/v1/casussen/{casus['kenmerk']}")
    body = probleem(
        await client.patch(
            f"/api/v1/casussen/{casus['kenmerk']}",
            json={veld: tekst},
            headers={"If-Match": r.headers["ETag"]},
        ),
        400,
    )
    assert body["invalidParams"][0]["name"] == veld
    # The BSN field itself takes it; a number failing the 11-proef is ordinary text.
    await wijzig_casus(client, casus["kenmerk"], bsn=BSN, titel="Zaaknummer 123456789")


async def test_the_idempotency_fingerprint_of_a_bsn_search_is_keyed(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    client = api("sanne")
    await nieuwe_casus(client, bsn=BSN)
    body = b'{"bsn":"' + BSN.encode() + b'"}'
    kop = {"Idempotency-Key": "zoek-bsn-1", "Content-Type": "application/json"}
    eerste = ok(await client.post("/api/v1/casussen/_zoek", content=body, headers=kop))
    assert len(eerste["results"]) == 1
    tweede = await client.post("/api/v1/casussen/_zoek", content=body, headers=kop)
    assert tweede.headers.get("Idempotent-Replayed") == "true"
    async with db() as session:
        opgeslagen = (
            await session.scalars(
                select(IdempotentieSleutel.body_hash).where(
                    IdempotentieSleutel.sleutel == "zoek-bsn-1"
                )
            )
        ).one()
    # Without the key, a candidate BSN cannot be tried against the stored fingerprint.
    for kandidaat in (b"\n" + body, body, BSN.encode()):
        assert opgeslagen != hashlib.sha256(kandidaat).hexdigest()
