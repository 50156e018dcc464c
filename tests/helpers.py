"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

import httpx

from doorbraak.demo import medewerker_id

PROBLEM = "application/problem+json"


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
