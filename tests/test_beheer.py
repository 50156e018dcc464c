"""Operations: metrics behind a token, JSON log lines (request id, no personal data), liveness vs
readiness, the generated configuration reference, and finding the migrations when installed."""

from __future__ import annotations

import io
import json
import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import metrics, migraties
from doorbraak.app import create_app
from doorbraak.config import Settings, get_settings
from doorbraak.config_docs import configuratie_markdown
from doorbraak.demo import DEMO_BSNS
from doorbraak.logs import REQUEST_ID, JsonFormatter
from doorbraak.models import LogboekRegel
from tests.conftest import Api, omgeving_van
from tests.helpers import nieuwe_casus, ok, probleem
from tests.personas import PERSONAS as MEDEWERKERS

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "metrics-token-voor-de-test"


@pytest.fixture
async def metrics_app() -> AsyncIterator[Any]:
    """A second app on the test database, with a metrics token configured."""
    application = create_app(get_settings().model_copy(update={"metrics_token": SecretStr(TOKEN)}))
    yield application
    await application.state.engine.dispose()


def _client(app: Any, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers
    )


def _waarden(tekst: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for familie in text_string_to_metric_families(tekst)
        for s in familie.samples
    }


async def _scrape(app: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with _client(app, Authorization=f"Bearer {TOKEN}") as c:
        r = await c.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return _waarden(r.text)


def _labels(route: str, status: str, **extra: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({"route": route, "method": "GET", "status": status, **extra}.items()))


async def test_metrics_count_requests_per_route_template(metrics_app: Any, api: Api) -> None:
    karim = api("karim")
    kenmerken = [(await nieuwe_casus(karim))["kenmerk"] for _ in range(2)]
    sjabloon = "/api/v1/casussen/{kenmerk}"
    voor = await _scrape(metrics_app)
    async with _client(metrics_app, Authorization="Bearer demo-karim") as c:
        for k in kenmerken:
            ok(await c.get(f"/api/v1/casussen/{k}"))
        onbekend = kenmerken[0].rsplit("-", 1)[0] + "-99999"
        probleem(await c.get(f"/api/v1/casussen/{onbekend}"), 404)
        probleem(await c.get("/api/v1/bestaat/niet"), 404)
    na = await _scrape(metrics_app)

    def delta(naam: str, labels: tuple[tuple[str, str], ...]) -> float:
        return na.get((naam, labels), 0.0) - voor.get((naam, labels), 0.0)

    # One series per template, never per kenmerk; unknown paths share one label.
    assert delta("doorbraak_http_requests_total", _labels(sjabloon, "200")) == 2
    assert delta("doorbraak_http_requests_total", _labels(sjabloon, "404")) == 1
    assert delta("doorbraak_http_requests_total", _labels("onbekend", "404")) == 1
    assert not any(k in str(sleutel) for sleutel in na for k in kenmerken)
    assert delta("doorbraak_http_request_duration_seconds_count", _labels(sjabloon, "200")) == 2
    assert (
        delta("doorbraak_http_request_duration_seconds_bucket", _labels(sjabloon, "200", le="+Inf"))
        == 2
    )
    assert na[("doorbraak_http_request_duration_seconds_sum", _labels(sjabloon, "200"))] > 0
    # The pool gauges are there (values depend on the database: present is what counts here).
    for naam in (
        "doorbraak_db_pool_size",
        "doorbraak_db_pool_checked_out",
        "doorbraak_db_pool_overflow",
    ):
        assert (naam, ()) in na, naam
    assert na[("doorbraak_db_pool_checked_out", ())] == 0  # no request in flight during a scrape


async def test_export_runs_are_counted(metrics_app: Any) -> None:
    voor = await _scrape(metrics_app)
    metrics.export_gestart()
    metrics.export_afgerond("geslaagd", 2.5, records=40)
    metrics.export_gestart()
    metrics.export_afgerond("mislukt", 0.5, records=7)
    na = await _scrape(metrics_app)
    for uitkomst, aantal in (("gestart", 2), ("geslaagd", 1), ("mislukt", 1)):
        sleutel = ("doorbraak_export_runs_total", (("uitkomst", uitkomst),))
        assert na[sleutel] - voor.get(sleutel, 0) == aantal
    records = ("doorbraak_export_records_total", ())
    assert na[records] - voor.get(records, 0) == 40  # a failed run's records do not count
    duur = ("doorbraak_export_duration_seconds_sum", (("uitkomst", "geslaagd"),))
    assert na[duur] - voor.get(duur, 0) == 2.5


async def test_metrics_need_the_token(metrics_app: Any, api: Api) -> None:
    async with _client(metrics_app) as c:
        probleem(await c.get("/metrics"), 401, "niet-geauthenticeerd")
        probleem(await c.get("/metrics", headers={"Authorization": "Bearer fout"}), 401)
        # A medewerker's token is not the metrics token.
        probleem(await c.get("/metrics", headers={"Authorization": "Bearer demo-bram"}), 401)
    # Without a configured token the path does not exist at all.
    probleem(await api(None).get("/metrics"), 404)
    probleem(await api("bram").get("/metrics"), 404)
    # Not part of the API contract.
    assert "/metrics" not in json.dumps(await _openapi(api))


async def _openapi(api: Api) -> Any:
    return ok(await api(None).get("/api/v1/openapi.json"))


@pytest.fixture
def jsonlog() -> Iterator[io.StringIO]:
    """Every log line of the app, as `doorbraak serve` writes it (JSON), into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield buffer
    root.removeHandler(handler)


def _regels(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(r) for r in buffer.getvalue().splitlines() if r.strip()]


async def test_log_lines_carry_request_ids_and_no_personal_data(
    api: Api, jsonlog: io.StringIO
) -> None:
    karim = api("karim")
    namen = ["Familie Demir", "Demir", *(m.naam for m in MEDEWERKERS)]
    casus = await nieuwe_casus(
        karim, bsn=DEMO_BSNS[0], huishoudenNaam="Familie Demir", situatie="Karim El Amrani belde."
    )
    k = casus["kenmerk"]
    ok(await karim.post("/api/v1/casussen/_zoek", json={"bsn": DEMO_BSNS[0]}))
    ok(await karim.get("/api/v1/casussen", params={"zoek": "Demir"}))
    ok(await karim.get(f"/api/v1/casussen/{k}", headers={"X-Request-ID": "verzoek-van-de-test.1"}))
    # Invalid input that carries personal data: the refusal is logged without it.
    probleem(
        await karim.post("/api/v1/casussen", json={"titel": "x", "bsn": "Demir 111222333"}), 400
    )
    probleem(await api("joost").get(f"/api/v1/casussen/{k}"), 404)

    regels = _regels(jsonlog)
    toegang = [r for r in regels if r["logger"] == "doorbraak.toegang"]
    assert len(toegang) >= 6
    for r in toegang:
        assert set(r) >= {
            "time",
            "level",
            "logger",
            "message",
            "request_id",
            "method",
            "route",
            "status",
            "duration_ms",
        }
        assert r["route"].startswith("/api/v1/")
    # The request id of the client is kept; others get a generated one, each its own.
    eigen = [r for r in toegang if r["request_id"] == "verzoek-van-de-test.1"]
    assert [(r["route"], r["status"]) for r in eigen] == [("/api/v1/casussen/{kenmerk}", 200)]
    assert len({r["request_id"] for r in toegang}) == len(toegang)
    # Route templates, never URLs: no kenmerk, no query string.
    assert all(k not in r["message"] and "zoek=" not in json.dumps(r) for r in toegang)
    alles = jsonlog.getvalue()
    for verboden in (*DEMO_BSNS, *namen, "El Amrani", "Demir"):
        assert verboden not in alles, f"{verboden!r} in the log"


async def test_log_lines_inside_a_request_name_it_and_exceptions_lose_their_message(
    jsonlog: io.StringIO,
) -> None:
    merk = REQUEST_ID.set("rid-42")
    try:
        try:
            # Not a demo BSN: the suite's own guard (bsn_wachter) would flag the raw record.
            raise ValueError("ongeldig BSN 999999990 van Familie Demir")
        except ValueError:
            logging.getLogger("doorbraak.test").warning("iets misgegaan", exc_info=True)
    finally:
        REQUEST_ID.reset(merk)
    logging.getLogger("doorbraak.test").warning("buiten een verzoek")
    binnen, buiten = _regels(jsonlog)
    assert binnen["request_id"] == "rid-42"
    assert binnen["exception"] == "ValueError"
    assert binnen["stack"] and "test_beheer.py" in binnen["stack"][0]
    assert "request_id" not in buiten
    assert "999999990" not in jsonlog.getvalue() and "Demir" not in jsonlog.getvalue()


async def test_liveness_and_readiness(
    api: Api, db: async_sessionmaker[AsyncSession], deduce_gereed: None
) -> None:
    anoniem = api(None)
    assert ok(await anoniem.get("/api/v1/health")) == {"status": "ok", "database": "ok"}
    head = migraties.head(migraties.migratiemap())
    assert ok(await anoniem.get("/api/v1/health/gereed")) == {
        "status": "gereed",
        "database": "ok",
        "migratie": head,
        "deidentificatie": "gereed",
    }
    # A schema that is behind this version: alive, but not ready for traffic.
    async with db() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        await session.commit()
    try:
        assert (await anoniem.get("/api/v1/health")).status_code == 200
        p = probleem(await anoniem.get("/api/v1/health/gereed"), 503, "migratie-ontbreekt")
        assert "0001" in p["detail"] and head in p["detail"]
        assert (await anoniem.get("/api/v1/health/gereed")).headers["Retry-After"]
    finally:
        async with db() as session:
            await session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            await session.commit()
    ok(await anoniem.get("/api/v1/health/gereed"))


async def test_neither_health_route_reaches_the_logboek(api: Api) -> None:
    await api(None).get("/api/v1/health")
    await api(None).get("/api/v1/health/gereed")
    r = ok(await api("lotte").get("/api/v1/logboek"))
    assert not [e for e in r["results"] if "health" in e.get("actie", "")]


async def test_unreachable_database_is_not_ready() -> None:
    settings = Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:1/bestaat_niet")
    application = create_app(settings)
    try:
        async with _client(application) as c:
            probleem(await c.get("/api/v1/health"), 503, "database-onbereikbaar")
            probleem(await c.get("/api/v1/health/gereed"), 503, "database-onbereikbaar")
    finally:
        await application.state.engine.dispose()


def test_configuration_reference_is_generated_from_the_settings() -> None:
    tekst = (ROOT / "docs" / "configuration.md").read_text()
    assert tekst == configuratie_markdown(), (
        "docs/configuration.md is stale: run `make config-docs`"
    )
    for naam in Settings.model_fields:
        assert f"`DOORBRAAK_{naam.upper()}`" in tekst


def test_migrations_are_found_outside_the_source_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed package has no source tree around it: the image's working directory, or
    DOORBRAAK_MIGRATIONS_DIR, must lead to the migrations."""
    elders = tmp_path / "site-packages-root"
    elders.mkdir()
    app_map = tmp_path / "app"
    shutil.copytree(ROOT / "migrations", app_map / "migrations")
    monkeypatch.chdir(app_map)
    instellingen = Settings()
    assert (
        migraties.migratiemap(instellingen, bronboom=elders) == (app_map / "migrations").resolve()
    )
    eigen = tmp_path / "eigen-map"
    shutil.copytree(ROOT / "migrations", eigen)
    gezet = Settings(migrations_dir=eigen)
    assert migraties.migratiemap(gezet, bronboom=elders) == eigen.resolve()
    assert migraties.head(eigen) == migraties.head(ROOT / "migrations")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="DOORBRAAK_MIGRATIONS_DIR"):
        migraties.migratiemap(instellingen, bronboom=elders)


def test_serve_refuses_the_public_development_keys_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from doorbraak.cli import main

    for naam, waarde in {
        "DOORBRAAK_AUTH_MODE": "oidc",
        "DOORBRAAK_OIDC_ISSUER": "https://idp.example/realms/gemeente",
        "DOORBRAAK_OIDC_AUDIENCE": "doorbraak",
        "DOORBRAAK_OIDC_JWKS_URL": "https://idp.example/certs",
        "DOORBRAAK_PSEUDONYM_KEY": "eigen-pseudoniemsleutel-van-de-gemeente",
    }.items():
        monkeypatch.setenv(naam, waarde)
    get_settings.cache_clear()
    try:
        assert main(["serve", "--host", "0.0.0.0", "--port", "8699"]) == 2
    finally:
        get_settings.cache_clear()
    fout = capsys.readouterr().err
    assert "DOORBRAAK_BSN_KEY" in fout and "DOORBRAAK_PSEUDONYM_KEY" not in fout


async def test_the_first_beheerder_of_an_empty_organisation_via_the_cli(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    from doorbraak.models.enums import Rol
    from doorbraak.organisatie import beheer

    medewerker_id = await beheer.medewerker_aanmaken(
        omgeving_van(db),
        naam="Eerste Beheerder",
        email="Beheer@Gemeente.example",
        afdeling="informatievoorziening",
        afdeling_naam="Informatievoorziening",
        rollen=[Rol.beheerder],
    )
    # Visible through the API, and both creations are in the logboek.
    medewerker = ok(await api("bram").get(f"/api/v1/medewerkers/{medewerker_id}"))
    assert (medewerker["email"], medewerker["rollen"], medewerker["afdeling"]) == (
        "beheer@gemeente.example",
        ["beheerder"],
        "informatievoorziening",
    )
    async with db() as session:
        acties = set(
            (
                await session.scalars(
                    select(LogboekRegel.actie).where(LogboekRegel.oorsprong == "cli")
                )
            ).all()
        )
    assert {"afdeling.aangemaakt", "medewerker.aangemaakt"} <= acties
    with pytest.raises(SystemExit, match="bestaat al"):
        await beheer.medewerker_aanmaken(
            omgeving_van(db),
            naam="Dubbel",
            email="beheer@gemeente.example",
            afdeling="informatievoorziening",
            afdeling_naam=None,
            rollen=[Rol.beheerder],
        )
