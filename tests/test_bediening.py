"""Operations word for word (issue 20): an installed package started where its migrations are
not gives a clear message and a 503, the worker count comes from the environment, and no log
line of httpx carries a URL."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from doorbraak.app import create_app
from doorbraak.config import get_settings
from tests.helpers import probleem

DOORBRAAK = str(Path(sys.executable).with_name("doorbraak"))


def _omgeving(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOORBRAAK_", "PROMETHEUS_"))}
    env.update(extra)
    return env


def test_migrate_without_migrations_says_where_it_looked(tmp_path: Path) -> None:
    leeg = tmp_path / "geen-migraties"
    r = subprocess.run(
        [DOORBRAAK, "migrate"],
        cwd=tmp_path,
        env=_omgeving(
            DOORBRAAK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
            DOORBRAAK_MIGRATIONS_DIR=str(leeg),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and r.stdout == ""
    [regel] = r.stderr.splitlines()
    assert regel.startswith("doorbraak migrate: Alembic migrations not found")
    assert str(leeg) in regel and "DOORBRAAK_MIGRATIONS_DIR" in regel


async def test_readiness_without_migrations_is_503_not_500(tmp_path: Path) -> None:
    settings = get_settings().model_copy(update={"migrations_dir": tmp_path / "geen-migraties"})
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        r = await client.get("/api/v1/health/gereed")
        p = probleem(r, 503, "migraties-niet-gevonden")
        assert "DOORBRAAK_MIGRATIONS_DIR" in p["detail"] and r.headers["Retry-After"]
        assert (await client.get("/api/v1/health")).status_code == 200


def test_httpx_request_lines_never_reach_the_serve_log() -> None:
    """The logging of `doorbraak serve`, even at debug: httpx's request line (with the full URL)
    is not written; our own line is."""
    code = (
        "import logging, logging.config, httpx\n"
        "from doorbraak.config import get_settings\n"
        "from doorbraak.logs import log_config\n"
        "logging.config.dictConfig(log_config(get_settings()))\n"
        "c = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))\n"
        "c.get('https://idp.gemeente.example/certs?sleutel=geheim')\n"
        "logging.getLogger('doorbraak.test').warning('klaar')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        env=_omgeving(DOORBRAAK_LOG_LEVEL="debug"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "klaar" in r.stderr
    assert "idp.gemeente.example" not in r.stderr + r.stdout and "sleutel" not in r.stderr


def test_serve_takes_its_worker_count_from_the_environment() -> None:
    from doorbraak.cli import parser

    args = parser().parse_args(["serve"])
    assert args.workers is None  # not given: DOORBRAAK_WORKERS decides, default 1
    assert get_settings().workers == 1
    code = "from doorbraak.config import get_settings; print(get_settings().workers)"
    r = subprocess.run(
        [sys.executable, "-c", code],
        env=_omgeving(DOORBRAAK_WORKERS="3"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.stdout.strip() == "3", r.stderr


def test_the_serve_command_starts_and_answers(tmp_path: Path) -> None:
    """The whole command line as an operator types it: nothing may load prometheus_client
    before `serve` picks its multiprocess folder (an export import once did, and serve refused)."""
    # Every engineer's `make check` runs this: a random free port of the range, not the first.
    poort = next(p for p in random.sample(range(8856, 8900), 44) if _vrij(p))
    env = _omgeving(
        DOORBRAAK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        DOORBRAAK_AUTH_MODE="dev",
    )
    subprocess.run([DOORBRAAK, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen(
        [DOORBRAAK, "serve", "--host", "127.0.0.1", "--port", str(poort)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        for _ in range(200):
            if proc.poll() is not None:
                break
            try:
                status = httpx.get(f"http://127.0.0.1:{poort}/api/v1/health/gereed").status_code
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert status == 200, proc.stdout.read() if proc.poll() is not None and proc.stdout else ""
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0


def _vrij(poort: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", poort))
        except OSError:
            return False
    return True
