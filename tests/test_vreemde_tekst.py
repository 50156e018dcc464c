"""A corpus of nasty strings sent to the text fields: a clear 400 or a faithful round trip, never 500."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Api
from tests.helpers import nieuwe_casus, ok, probleem

# Accepted as text: they are legitimate (if odd) Unicode, and must come back unchanged.
GOED = [
    "Familie 👨‍👩‍👧‍👦 in de kou 🥶",
    "\u202eRTL-omkering\u202c en \u200fmark\u200e",
    "zero\u200bwidth\u200cjoiner\u200d",
    "Z̵̡̢͇̈́a̶l̷g̶o̸ ̵t̶e̸k̵s̷t̵",
    "'; DROP TABLE casussen; --",
    "%00%0a<script>alert(1)</script>",
    "中文 العربية עברית",
    "\U0001f4a9" * 500,
]
# Refused with 400: NUL and other control characters, lone surrogates, far too long.
FOUT = [
    b'"a\\u0000b"',
    b'"bel\\u0007"',
    b'"\\ud800"',
    b'"\\udfff alleen"',
    json.dumps("x" * 100_001).encode(),
]


@pytest.mark.parametrize("tekst", GOED)
async def test_odd_but_valid_text_round_trips(api: Api, tekst: str) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client, titel=tekst[:200].strip() or "x", situatie=tekst)
    detail = ok(await client.get(f"/api/v1/casussen/{casus['kenmerk']}"))
    assert detail["situatie"] == tekst
    assert detail["titel"] == (tekst[:200].strip() or "x")


@pytest.mark.parametrize("rauw", FOUT)
@pytest.mark.parametrize("veld", ["titel", "situatie", "huishoudenNaam"])
async def test_forbidden_text_is_a_clear_400(api: Api, rauw: bytes, veld: str) -> None:
    client = api("sanne")
    body = b'{"titel": "ok", "' + veld.encode() + b'": ' + rauw + b"}"
    r = await client.post(
        "/api/v1/casussen", content=body, headers={"Content-Type": "application/json"}
    )
    probleem(r, 400)
    assert ok(await client.get("/api/v1/casussen"))["results"] == []


@pytest.mark.parametrize("query", ["%00", "%ED%A0%80", "%FF%FE", "a%07b", "x" * 101, "%E2%80%AE"])
async def test_odd_query_strings_never_break_a_list(api: Api, query: str) -> None:
    client = api("sanne")
    r = await client.get(f"/api/v1/casussen?zoek={query}")
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        probleem(r, 400)


@pytest.mark.parametrize("waarde", [b"\x7f", b"a\tb", "é".encode("latin-1") * 300, b"\xff\xfe"])
async def test_odd_audit_headers_are_refused_or_kept(api: Api, waarde: bytes) -> None:
    client = api("sanne")
    casus = await nieuwe_casus(client)
    r = await client.patch(
        f"/api/v1/casussen/{casus['kenmerk']}",
        json={"titel": "Nieuw"},
        headers={"If-Match": '"1"', "X-Audit-Toelichting": waarde},
    )
    assert r.status_code in (200, 400), r.text
