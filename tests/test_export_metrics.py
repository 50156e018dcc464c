"""The export counts its own runs: a real run through the CLI and one through the API move the
counters that a Prometheus server scrapes from /metrics (docs/operations.md)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import cli
from doorbraak.app import create_app
from doorbraak.config import get_settings
from doorbraak.models import ExportRun
from tests.conftest import Api
from tests.helpers import nieuwe_casus, ok

TOKEN = "metrics-token-voor-de-exporttest"
Waarden = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def metrics_app() -> AsyncIterator[Any]:
    application = create_app(get_settings().model_copy(update={"metrics_token": SecretStr(TOKEN)}))
    yield application
    await application.state.engine.dispose()


def _client(app: Any, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


async def _scrape(app: Any) -> Waarden:
    async with _client(app, TOKEN) as c:
        r = await c.get("/metrics")
    assert r.status_code == 200, r.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for familie in text_string_to_metric_families(r.text)
        for s in familie.samples
    }


def _verschil(voor: Waarden, na: Waarden, naam: str, **labels: str) -> float:
    sleutel = (naam, tuple(sorted(labels.items())))
    return na.get(sleutel, 0) - voor.get(sleutel, 0)


async def _rijen(db: async_sessionmaker[AsyncSession], run_id: uuid.UUID) -> int:
    async with db() as session:
        run = await session.scalar(select(ExportRun).where(ExportRun.id == run_id))
        assert run is not None and run.status == "voltooid"
        return run.rijen


async def test_a_cli_run_and_an_api_run_move_the_export_counters(
    metrics_app: Any, api: Api, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await nieuwe_casus(api("sanne"))
    await nieuwe_casus(api("karim"), titel="Schulden en een huurachterstand")

    voor = await _scrape(metrics_app)
    rc = await asyncio.to_thread(
        cli.main, ["export", "--naar", str(tmp_path), "--volledig", "--geen-parquet"]
    )
    assert rc == 0
    na_cli = await _scrape(metrics_app)
    async with db() as session:
        cli_run = await session.scalar(select(ExportRun).order_by(ExportRun.gestart_op.desc()))
    assert cli_run is not None
    cli_rijen = await _rijen(db, cli_run.id)
    assert cli_rijen > 0
    assert _verschil(voor, na_cli, "doorbraak_export_runs_total", uitkomst="gestart") == 1
    assert _verschil(voor, na_cli, "doorbraak_export_runs_total", uitkomst="geslaagd") == 1
    assert _verschil(voor, na_cli, "doorbraak_export_runs_total", uitkomst="mislukt") == 0
    assert _verschil(voor, na_cli, "doorbraak_export_records_total") == cli_rijen
    assert (
        _verschil(voor, na_cli, "doorbraak_export_duration_seconds_count", uitkomst="geslaagd") == 1
    )
    assert _verschil(voor, na_cli, "doorbraak_export_duration_seconds_sum", uitkomst="geslaagd") > 0

    async with _client(metrics_app, "demo-bram") as bram:
        gestart = ok(await bram.post("/api/v1/exports", json={"modus": "volledig"}), 202)
    api_rijen = await _rijen(db, uuid.UUID(gestart["id"]))
    na_api = await _scrape(metrics_app)
    assert _verschil(na_cli, na_api, "doorbraak_export_runs_total", uitkomst="gestart") == 1
    assert _verschil(na_cli, na_api, "doorbraak_export_runs_total", uitkomst="geslaagd") == 1
    assert _verschil(na_cli, na_api, "doorbraak_export_records_total") == api_rijen


async def test_a_failed_run_is_counted_as_failed_without_records(
    metrics_app: Any, api: Api, tmp_path: Path
) -> None:
    await nieuwe_casus(api("sanne"))
    bestand = tmp_path / "geen-map"
    bestand.write_text("een bestand waar een map hoort")
    voor = await _scrape(metrics_app)
    rc = await asyncio.to_thread(cli.main, ["export", "--naar", str(bestand), "--volledig"])
    assert rc != 0
    na = await _scrape(metrics_app)
    assert _verschil(voor, na, "doorbraak_export_runs_total", uitkomst="gestart") == 1
    assert _verschil(voor, na, "doorbraak_export_runs_total", uitkomst="mislukt") == 1
    assert _verschil(voor, na, "doorbraak_export_runs_total", uitkomst="geslaagd") == 0
    assert _verschil(voor, na, "doorbraak_export_records_total") == 0
