"""create_app(): the FastAPI application, its routers, middleware and lifespan."""

from __future__ import annotations

import hmac
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import Field
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from doorbraak import API_VERSION, metrics, migraties
from doorbraak.afpellen.endpoints import router as afpellen_router
from doorbraak.auth import oidc
from doorbraak.auth.cache import Authcache
from doorbraak.bijlagen import service as bijlagen
from doorbraak.bijlagen.endpoints import router as bijlagen_router
from doorbraak.casussen.endpoints import router as casussen_router
from doorbraak.config import Settings, get_settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.errors import install_error_handlers, problem
from doorbraak.export.endpoints import router as export_router
from doorbraak.huishouden.endpoints import router as huishouden_router
from doorbraak.inbox.endpoints import router as inbox_router
from doorbraak.kit.middleware import TransportMiddleware
from doorbraak.kit.openapi import API_PREFIX, OPENBAAR, bouw_openapi, fouten, operatie_id
from doorbraak.kit.schema import Schema
from doorbraak.kit.waarneming import WaarnemingMiddleware
from doorbraak.kosten.endpoints import router as kosten_router
from doorbraak.leren import anonimiteit
from doorbraak.leren.endpoints import router as leren_router
from doorbraak.logboek.anker import Ankerwachter
from doorbraak.logboek.anoniem import Anoniemteller
from doorbraak.logboek.endpoints import router as logboek_router
from doorbraak.logboek.schrijver import Logboekschrijver
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.maatwerk.endpoints import router as maatwerk_router
from doorbraak.meldingen.bezorging import Bezorger
from doorbraak.meldingen.endpoints import router as meldingen_router
from doorbraak.notities.endpoints import router as notities_router
from doorbraak.organisatie.endpoints import router as organisatie_router
from doorbraak.rapportage import momentopnamen
from doorbraak.rapportage.endpoints import router as rapportage_router
from doorbraak.regie.endpoints import router as regie_router
from doorbraak.rugdekking.endpoints import router as rugdekking_router
from doorbraak.samenvatting.endpoints import router as samenvatting_router
from doorbraak.web import pagina as web_pagina
from doorbraak.web.paginas import router as web_router
from doorbraak.werk.appstaat import Appstaat
from doorbraak.werk.systeem import Omgeving


class Gezondheid(Schema):
    status: str = Field(description="`ok`: the process answers.")
    database: str = Field(description="`ok`: a `SELECT 1` on the database succeeded.")


class Gereedheid(Schema):
    status: str
    database: str
    migratie: str
    deidentificatie: str = Field(
        description="The check of texts that leave a casus (deduce): `gereed`, `bezig` "
        "(starting; sharing such a text answers 503 meanwhile), `niet-geinstalleerd` or `fout`. "
        "Not part of the readiness itself: everything else works while it starts."
    )


ROUTERS = [
    organisatie_router,
    casussen_router,
    regie_router,
    afpellen_router,
    huishouden_router,
    kosten_router,
    samenvatting_router,
    maatwerk_router,
    rugdekking_router,
    leren_router,
    rapportage_router,
    logboek_router,
    export_router,
    inbox_router,
    notities_router,
    bijlagen_router,
    meldingen_router,
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
        metrics.pool_bijwerken(engine)
        # Dutch de-identification builds its tables in a thread (a minute or two), never inside
        # a request: until then sharing a verhaal answers 503. Under `serve` the workers share
        # one process that has them (leren/deidentificatie.py) and load nothing.
        anonimiteit.start_opwarmen(settings.deidentificatie_socket)
        await app.state.ankerwachter.start()
        app.state.anoniem.start()
        app.state.bezorger.start()
        app.state.statistieken.start()
        yield
        await app.state.statistieken.stop()
        await app.state.bezorger.stop()
        # The last anonymous counts, then a checkpoint of the head as this process leaves it.
        await app.state.anoniem.stop()
        await app.state.ankerwachter.stop()
        if eigen_client:
            await http.aclose()
        await engine.dispose()
        metrics.proces_stopt()

    app = FastAPI(
        title="doorbraak API",
        version=API_VERSION,
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        generate_unique_id_function=operatie_id,
    )
    staat = Appstaat()
    staat.settings = settings
    staat.engine = engine
    staat.sessionmaker = create_sessionmaker(engine)
    # The logboek's keys come from the settings or a key file, never from the database.
    staat.logboek_sleutels = sleutels = sleutelring(settings)
    staat.logboekschrijver = Logboekschrijver(staat.sessionmaker, sleutels)
    staat.anoniem = Anoniemteller(staat.sessionmaker, sleutels)
    staat.ankerwachter = Ankerwachter(
        staat.sessionmaker,
        sleutels,
        settings.logboek_ankermap,
        settings.logboek_anker_interval_seconden,
    )
    staat.http = http
    staat.oidc_discovery = oidc.Discovery(http, settings)
    staat.authcache = Authcache(settings.auth_cache_seconden)
    staat.bezorger = Bezorger(staat.sessionmaker, settings)
    staat.statistieken = momentopnamen.periodiek(Omgeving(settings, engine, staat.sessionmaker))
    staat.jwks = oidc.JwksCache(
        http,
        settings.oidc_jwks_url or "",
        min_refresh_seconds=settings.oidc_jwks_min_refresh_seconds,
        cache_seconds=settings.oidc_jwks_cache_seconds,
        discovery=staat.oidc_discovery,
    )
    app.state = staat
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    # The web frontend: pages under `/`, its own stylesheet and script under `/static`; neither
    # enters the API document.
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=web_pagina.MAP / "static"), name="static")
    api_http_fout = app.exception_handlers[StarletteHTTPException]

    async def http_fout(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException) and web_pagina.is_webpad(request.url.path):
            return await web_pagina.http_fout(request, exc)
        antwoord = api_http_fout(request, exc)
        return await antwoord if inspect.isawaitable(antwoord) else antwoord

    app.add_exception_handler(StarletteHTTPException, http_fout)

    @app.get(f"{API_PREFIX}/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        if app.openapi_schema is None:
            app.openapi_schema = bouw_openapi(app)
        return JSONResponse(app.openapi_schema, headers={"Access-Control-Allow-Origin": "*"})

    @app.get(
        f"{API_PREFIX}/health",
        tags=["beheer"],
        summary="Liveness and database readiness",
        response_model=Gezondheid,
        responses=fouten(503),
        openapi_extra={"security": OPENBAAR},
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
        return Gezondheid(status="ok", database="ok")

    @app.get(
        f"{API_PREFIX}/health/gereed",
        tags=["beheer"],
        summary="Readiness: database reachable and migrated to the head revision",
        description=(
            "For a load balancer or orchestrator deciding whether to send traffic here. "
            "`/health` answers whether the process lives and reaches its database; this one also "
            "refuses (503) while the database schema is behind (or ahead of) this version."
        ),
        response_model=Gereedheid,
        responses=fouten(503),
        openapi_extra={"security": OPENBAAR},
        name="health_gereed",
    )
    async def gereed(request: Request) -> Any:
        try:
            verwacht = migraties.head(migraties.migratiemap(settings))
        except FileNotFoundError:
            return problem(
                request,
                503,
                "migraties-niet-gevonden",
                "De migraties van deze versie zijn niet gevonden: zet DOORBRAAK_MIGRATIONS_DIR "
                "of start in de map met migrations/.",
                {"Retry-After": "30"},
            )
        try:
            async with engine.connect() as conn:
                revisie = await migraties.huidige_revisie(conn)
        except Exception:
            return problem(
                request,
                503,
                "database-onbereikbaar",
                "De database is niet bereikbaar.",
                {"Retry-After": "5"},
            )
        if revisie != verwacht:
            return problem(
                request,
                503,
                "migratie-ontbreekt",
                f"Het databaseschema staat op revisie {revisie or 'geen'}, deze versie verwacht "
                f"{verwacht}: voer `doorbraak migrate` uit.",
                {"Retry-After": "30"},
            )
        return Gereedheid(
            status="gereed",
            database="ok",
            migratie=revisie,
            deidentificatie=await anonimiteit.gereedheid(),
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        # Not part of the API: for the Prometheus scraper, with its own bearer token. Without
        # a configured token the path does not exist (the --metrics-port server is the
        # alternative on a private network).
        token = settings.metrics_token
        if token is None:
            return problem(request, 404, "niet-gevonden", "Deze resource bestaat niet.")
        aangeboden = request.headers.get("authorization", "")
        verwacht = f"Bearer {token.get_secret_value()}"
        if not hmac.compare_digest(aangeboden.encode(), verwacht.encode()):
            return problem(
                request,
                401,
                "niet-geauthenticeerd",
                "Geen geldig metrics-token meegestuurd.",
                {"WWW-Authenticate": "Bearer"},
            )
        metrics.pool_bijwerken(engine)
        return Response(metrics.tekst(), media_type=metrics.CONTENT_TYPE)

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
    app.add_middleware(
        TransportMiddleware,
        max_body_bytes=settings.max_body_bytes,
        ontwikkelmodus=settings.auth_mode == "dev",
        # Exactly the upload of a bijlage (API and web form) takes a file and a larger body.
        uploads=[(bijlagen.UPLOAD_PADEN, bijlagen.uploadgrens(settings))],
    )
    app.add_middleware(WaarnemingMiddleware, engine=engine)
    return app
