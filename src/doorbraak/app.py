"""create_app(): the FastAPI application, its routers, middleware and lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import text

from doorbraak import API_VERSION
from doorbraak.afpellen.endpoints import router as afpellen_router
from doorbraak.auth import oidc
from doorbraak.casussen.endpoints import router as casussen_router
from doorbraak.config import Settings, get_settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.errors import install_error_handlers, problem
from doorbraak.kit.middleware import TransportMiddleware
from doorbraak.kit.openapi import API_PREFIX, bouw_openapi
from doorbraak.leren.endpoints import router as leren_router
from doorbraak.logboek.endpoints import router as logboek_router
from doorbraak.logboek.schrijver import Logboekschrijver
from doorbraak.maatwerk.endpoints import router as maatwerk_router
from doorbraak.organisatie.endpoints import router as organisatie_router
from doorbraak.rapportage.endpoints import router as rapportage_router
from doorbraak.regie.endpoints import router as regie_router

ROUTERS = [
    organisatie_router,
    casussen_router,
    regie_router,
    afpellen_router,
    maatwerk_router,
    leren_router,
    rapportage_router,
    logboek_router,
]


def create_app(
    settings: Settings | None = None, http_client: httpx.AsyncClient | None = None
) -> FastAPI:
    """The app. `http_client` is for outbound calls (the IdP's JWKS); tests pass one with an
    `httpx.MockTransport`. Without one the app makes its own and closes it at shutdown."""
    settings = settings or get_settings()
    oidc.controleer_instellingen(settings)
    engine = create_engine(settings)
    eigen_client = http_client is None
    http = http_client or httpx.AsyncClient(timeout=5.0, follow_redirects=False)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if eigen_client:
            await http.aclose()
        await engine.dispose()

    app = FastAPI(
        title="doorbraak API",
        version=API_VERSION,
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.logboekschrijver = Logboekschrijver(app.state.sessionmaker)
    app.state.http = http
    app.state.jwks = oidc.JwksCache(
        http,
        settings.oidc_jwks_url or "",
        min_refresh_seconds=settings.oidc_jwks_min_refresh_seconds,
        cache_seconds=settings.oidc_jwks_cache_seconds,
    )
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    @app.get(f"{API_PREFIX}/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        if app.openapi_schema is None:
            app.openapi_schema = bouw_openapi(app)
        return JSONResponse(app.openapi_schema, headers={"Access-Control-Allow-Origin": "*"})

    @app.get(
        f"{API_PREFIX}/health",
        tags=["beheer"],
        summary="Liveness and database readiness",
        responses={
            200: {"description": "Healthy"},
            503: {
                "description": "Database unreachable",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
    )
    async def health(request: Request) -> Any:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return problem(
                request,
                503,
                "database-onbereikbaar",
                "De database is niet bereikbaar.",
                {"Retry-After": "5"},
            )
        return {"status": "ok", "database": "ok"}

    app.openapi = lambda: bouw_openapi(app)  # type: ignore[method-assign]
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Audit-Toelichting",
                "X-Doelbinding",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "API-Version", "Location", "X-Request-ID"],
        )
    app.add_middleware(TransportMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
