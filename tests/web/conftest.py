"""Shared fixtures of the web tests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.personas import medewerker_id

BASIS = "http://testserver"


def csrf_uit(html: str) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', html)
    assert gevonden, "no CSRF token on the page"
    return gevonden.group(1)


@pytest.fixture
async def web(app: object) -> AsyncIterator[Any]:
    """`await web("karim")`: a browser-like client signed in through the dev picker."""
    clients: list[httpx.AsyncClient] = []

    async def maak(wie: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url=BASIS,
        )
        clients.append(client)
        pagina = await client.get("/inloggen")
        assert pagina.status_code == 200
        antwoord = await client.post(
            "/inloggen/demo",
            data={"csrf": csrf_uit(pagina.text), "medewerker": str(medewerker_id(wie))},
        )
        assert antwoord.status_code == 303, antwoord.text
        return client

    yield maak
    for client in clients:
        await client.aclose()
