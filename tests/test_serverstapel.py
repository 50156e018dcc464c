"""Which HTTP implementation and loop serve the app: asked from the server, not assumed."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import pytest
import uvicorn
from uvicorn.lifespan.on import LifespanOn

from doorbraak.cli import http_stapel
from doorbraak.kit.verbindingen import PROTOCOLLEN
from doorbraak.kit.waarneming import serverstapel


async def _app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never served
    raise AssertionError


def test_serve_names_the_production_stack() -> None:
    # uvicorn[standard] is a dependency: httptools and uvloop are there, and named explicitly.
    assert http_stapel() == ("httptools", "uvloop")


@pytest.mark.parametrize(
    ("http", "naam"),
    [
        ("httptools", "httptools"),
        ("h11", "h11"),
        # What `serve` runs: uvicorn's protocols with the header timeout, reported by the
        # uvicorn implementation under them.
        (PROTOCOLLEN["httptools"], "httptools"),
        (PROTOCOLLEN["h11"], "h11"),
    ],
)
async def test_the_report_reads_the_protocol_the_server_loaded(http: str, naam: str) -> None:
    config = uvicorn.Config(_app, http=http, lifespan="on")
    config.load()
    receive = LifespanOn(config).receive
    assert serverstapel(receive)["http"] == naam

    # A framework wrapping the lifespan `receive` in a closure (FastAPI's telemetry does).
    async def ingepakt() -> Any:
        return await receive()

    assert serverstapel(ingepakt)["http"] == naam


async def test_the_report_names_the_loop_it_runs_on() -> None:
    lus = type(asyncio.get_running_loop())
    verwacht = "uvloop" if lus.__module__.startswith("uvloop") else f"asyncio ({lus.__name__})"
    stapel = serverstapel(lambda: None)
    assert stapel == {"http": "onbekend", "loop": verwacht}


def test_uvloop_is_reported_as_uvloop() -> None:
    import uvloop

    async def vraag() -> dict[str, str]:
        return serverstapel(lambda: None)

    assert uvloop.run(vraag())["loop"] == "uvloop"


def test_serve_starts_uvicorn_with_the_production_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `doorbraak serve` hands uvicorn (the server itself runs in tests/ops)."""
    gezien: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: gezien.update(kw))
    monkeypatch.setattr("doorbraak.cli.signal.signal", lambda *a: None)
    monkeypatch.delitem(sys.modules, "prometheus_client", raising=False)
    # `serve` points prometheus_client's multiprocess mode at a folder of its own: undone after.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    from doorbraak import cli

    assert cli.main(["serve", "--port", "8849", "--workers", "2"]) == 0
    # httptools with the header timeout (kit/verbindingen.py), named for the workers to import.
    assert gezien["http"] == "doorbraak.kit.verbindingen:HttpToolsMetKopklok"
    assert gezien["loop"] == "uvloop"
    assert gezien["workers"] == 2
    assert gezien["timeout_worker_healthcheck"] == cli.WORKER_HEALTHCHECK_SECONDEN > 5
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"]  # set by serve, restored by monkeypatch
