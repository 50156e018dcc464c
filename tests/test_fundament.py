"""The API's ground rules: health, OpenAPI document, problem+json for every error, headers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import Api
from tests.helpers import ok, probleem


async def test_health_is_public_and_checks_the_database(api: Api) -> None:
    r = await api(None).get("/api/v1/health")
    assert ok(r) == {"status": "ok", "database": "ok"}
    assert r.headers["API-Version"] == "1.1.0"


async def test_openapi_document_is_public_with_cors_and_contact(api: Api) -> None:
    r = await api(None).get("/api/v1/openapi.json")
    doc = ok(r)
    assert r.headers["access-control-allow-origin"] == "*"
    assert set(doc["info"]["contact"]) == {"name", "url", "email"}
    assert doc["servers"][0]["url"] == "/api/v1"
    assert "/casussen/{kenmerk}" in doc["paths"]
    # Every error response is problem+json, and every success carries API-Version.
    for pad, operaties in doc["paths"].items():
        for methode, operatie in operaties.items():
            for status, antwoord in operatie["responses"].items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in antwoord["content"], (pad, methode, status)
                else:
                    assert "API-Version" in antwoord["headers"], (pad, methode, status)
            # FastAPI's own 422 is gone (validation errors are 400); 422 remains only where an
            # Idempotency-Key can be reused with another body.
            sleutel = any(p["name"] == "Idempotency-Key" for p in operatie.get("parameters", []))
            assert ("422" in operatie["responses"]) == sleutel, (pad, methode)


def test_committed_openapi_document_matches_the_app() -> None:
    root = Path(__file__).resolve().parents[1]
    gegenereerd = subprocess.run(
        [sys.executable, "-m", "doorbraak.cli", "openapi"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    ).stdout
    vastgelegd = (root / "openapi" / "doorbraak.json").read_text()
    assert json.loads(gegenereerd) == json.loads(vastgelegd), (
        "run `make openapi` and commit the result"
    )


async def test_unknown_route_trailing_slash_and_wrong_method_are_problems(api: Api) -> None:
    client = api("sanne")
    probleem(await client.get("/api/v1/bestaat-niet"), 404, "niet-gevonden")
    probleem(await client.get("/api/v1/casussen/"), 404, "niet-gevonden")
    r = await client.put("/api/v1/casussen")
    probleem(r, 405, "methode-niet-toegestaan")
    assert r.headers["Allow"] == "GET, POST"


async def test_missing_or_unknown_token_is_401(api: Api) -> None:
    body = probleem(await api(None).get("/api/v1/casussen"), 401, "niet-geauthenticeerd")
    assert "token" in body["detail"].lower()
    onbekend = api(None)
    onbekend.headers["Authorization"] = "Bearer onzin"
    r = await onbekend.get("/api/v1/casussen")
    probleem(r, 401)
    assert r.headers["WWW-Authenticate"] == "Bearer"


async def test_security_headers_on_every_response(api: Api) -> None:
    for r in (await api("sanne").get("/api/v1/casussen"), await api(None).get("/api/v1/casussen")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["API-Version"] == "1.1.0"
        assert r.headers["X-Request-ID"]


async def test_request_id_is_propagated(api: Api) -> None:
    r = await api("sanne").get("/api/v1/ik", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"


async def test_bad_json_is_400(api: Api) -> None:
    r = await api("sanne").post(
        "/api/v1/casussen", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    probleem(r, 400, "ongeldige-invoer")


async def test_all_invalid_fields_are_reported_at_once(api: Api) -> None:
    r = await api("sanne").post(
        "/api/v1/casussen",
        json={"titel": 5, "urgentie": "dringend", "onbekend": 1, "bsn": "123456789"},
    )
    body = probleem(r, 400, "ongeldige-invoer")
    namen = {p["name"] for p in body["invalidParams"]}
    assert {"titel", "urgentie", "onbekend", "bsn"} <= namen
    for p in body["invalidParams"]:
        assert set(p) == {"name", "code", "reason"}
    # The input is never echoed back: it may hold personal data.
    assert "123456789" not in r.text


async def test_nul_bytes_control_characters_and_too_long_strings_are_400(api: Api) -> None:
    client = api("sanne")
    for titel in ("a\u0000b", "x" * 201, "a\u0007b"):
        probleem(
            await client.post("/api/v1/casussen", json={"titel": titel}), 400, "ongeldige-invoer"
        )
    probleem(
        await client.post("/api/v1/casussen", json={"titel": "ok", "situatie": "y" * 20_001}), 400
    )
    r = await client.post(
        "/api/v1/casussen",
        content=b'{"titel": "\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    probleem(r, 400)


async def test_body_too_large_is_413_and_wrong_content_type_is_415(api: Api) -> None:
    client = api("sanne")
    r = await client.post(
        "/api/v1/casussen",
        content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
        headers={"Content-Type": "application/json"},
    )
    probleem(r, 413, "te-groot")
    r = await client.post(
        "/api/v1/casussen", content=b"titel=x", headers={"Content-Type": "text/plain"}
    )
    probleem(r, 415, "mediatype")


async def test_limit_is_bounded(api: Api) -> None:
    client = api("sanne")
    probleem(await client.get("/api/v1/casussen?limit=101"), 400)
    probleem(await client.get("/api/v1/casussen?limit=0"), 400)
    probleem(await client.get("/api/v1/casussen?cursor=!!"), 400)
    probleem(await client.get("/api/v1/casussen?cursor=bm9uc2Vuc2U"), 400)


async def test_ik_shows_roles_and_mandaat(api: Api) -> None:
    ik = ok(await api("marieke").get("/api/v1/ik"))
    assert ik["naam"] == "Marieke Jansen"
    assert ik["rollen"] == ["leidinggevende"]
    assert ik["mandaat"] == {
        "maxBedragCent": 2_500_000,
        "maxRisico": "midden",
        "afdelingen": [],
        "regelingen": [],
    }
