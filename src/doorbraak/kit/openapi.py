"""The OpenAPI document: honest error responses and the shape the ADR linter asks for."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from doorbraak import API_CHANGELOG, API_VERSION, __version__
from doorbraak.errors import PROBLEM_JSON, TITLES

API_PREFIX = "/api/v1"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details, with a stable machine `code`.",
    "required": ["type", "title", "status", "detail", "instance", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string", "description": "Stable machine code, e.g. `fase-voorwaarden`."},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
        "voorwaarden": {
            "type": "array",
            "description": "Unmet conditions of a refused fase move.",
            "items": {
                "type": "object",
                "required": ["code", "omschrijving"],
                "properties": {"code": {"type": "string"}, "omschrijving": {"type": "string"}},
            },
        },
    },
}


def operatie_id(route: APIRoute) -> str:
    """The `operationId` of a route: its endpoint's name in camelCase (`casus_wijzigen` ->
    `casusWijzigen`), so generated clients get short, stable function names. The full list is
    pinned by a test: renaming an endpoint changes the public contract."""
    eerste, *rest = route.name.split("_")
    return eerste + "".join(deel[:1].upper() + deel[1:] for deel in rest)


# Security requirement of a public operation: explicitly none (the health routes).
OPENBAAR: list[dict[str, list[str]]] = []


def fouten(*statussen: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: every status it can answer besides success, as problem+json."""
    alle = sorted({400, 503, *statussen})
    return {
        s: {
            "description": TITLES.get(s, "Fout"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in alle
    }


def _collapse_nullable(node: Any) -> None:
    """`anyOf: [{type: string, format: date}, {type: null}]` becomes one typed schema, so that
    date fields carry `format` where the ADR linter looks for it."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if isinstance(any_of, list) and len(any_of) == 2:
            soorten = [s for s in any_of if isinstance(s, dict) and s.get("type") != "null"]
            nullen = [s for s in any_of if isinstance(s, dict) and s.get("type") == "null"]
            if (
                len(soorten) == 1
                and len(nullen) == 1
                and "type" in soorten[0]
                and "$ref" not in soorten[0]
            ):
                basis = dict(soorten[0])
                basis["type"] = [basis["type"], "null"]
                del node["anyOf"]
                for k, v in basis.items():
                    node.setdefault(k, v)
        for value in node.values():
            _collapse_nullable(value)
    elif isinstance(node, list):
        for value in node:
            _collapse_nullable(value)


def bouw_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title="doorbraak API",
        version=API_VERSION,
        summary="Case management for the doorbraakmethode of Dutch municipalities.",
        description=(
            "REST API of doorbraak. Follows the NL API Design Rules: Dutch resource names, "
            "problem+json errors, `API-Version` header, keyset pagination, no personal data in URLs."
            "\n\n## Changelog\n\n" + "\n".join(f"- {regel}" for regel in API_CHANGELOG)
        ),
        routes=app.routes,
        contact={
            "name": "doorbraak team",
            "url": "https://doorbraak.nl/contact",
            "email": "doorbraak@doorbraak.nl",
        },
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
    )
    schema["servers"] = [{"url": API_PREFIX, "description": "This doorbraak installation."}]
    schema["info"]["x-generator-version"] = __version__
    paden: dict[str, Any] = {}
    for pad, operaties in schema.get("paths", {}).items():
        if not pad.startswith(API_PREFIX):
            continue
        for operatie in operaties.values():
            if not isinstance(operatie, dict) or "responses" not in operatie:
                continue
            antwoorden = operatie["responses"]
            if "422" in antwoorden:
                # Validation errors are answered as 400 (ADR), never 422.
                del antwoorden["422"]
                antwoorden.setdefault("400", fouten(400)[400])
            for parameter in operatie.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name") == "If-Match":
                    # Required by contract; answered with 428 (not 400) when missing.
                    parameter["required"] = True
                if parameter.get("in") == "header" and parameter.get("name") == "Idempotency-Key":
                    # Reuse with another body (422) or while the first still runs (409).
                    for status in (409, 422):
                        antwoorden.setdefault(str(status), fouten(status)[status])
            for status, antwoord in antwoorden.items():
                if status.startswith(("2", "3")):
                    headers = antwoord.setdefault("headers", {})
                    headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
        paden[pad[len(API_PREFIX) :] or "/"] = operaties
    schema["paths"] = paden
    componenten = schema.setdefault("components", {})
    componenten.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for naam in ("ValidationError", "HTTPValidationError"):
        componenten["schemas"].pop(naam, None)
    componenten["headers"] = {
        "API-Version": {
            "description": "The full version of this API (semver).",
            "schema": {"type": "string", "example": API_VERSION},
        }
    }
    _collapse_nullable(schema)
    return _hernoem_generieke_schemas(schema)


def _hernoem_generieke_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """`Pagina_CasusUit_` (pydantic's name for a generic) becomes `CasusUitPagina` (PascalCase)."""
    namen = {
        naam: f"{m.group(2)}{m.group(1)}"
        for naam in schema["components"]["schemas"]
        if (m := re.fullmatch(r"([A-Z][A-Za-z]*)_([A-Z][A-Za-z]*)_", naam))
    }
    if not namen:
        return schema
    tekst = json.dumps(schema)
    for oud, nieuw in namen.items():
        tekst = tekst.replace(f'"#/components/schemas/{oud}"', f'"#/components/schemas/{nieuw}"')
    resultaat: dict[str, Any] = json.loads(tekst)
    schemas = resultaat["components"]["schemas"]
    for oud, nieuw in namen.items():
        schemas[nieuw] = schemas.pop(oud)
        schemas[nieuw]["title"] = nieuw
    resultaat["components"]["schemas"] = dict(sorted(schemas.items()))
    return resultaat
