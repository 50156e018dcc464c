"""A Python client generated from the committed OpenAPI document by a tool nobody here wrote
(openapi-python-client, from PyPI, in a virtualenv of its own), walking a real `doorbraak serve`:
list and page on with the cursor, create with an Idempotency-Key, PATCH with If-Match, and a 412
and a 400 received as typed `Problem`s (tests/client/wandeling.py).

The virtualenv: `DOORBRAAK_CLIENT_VENV` when set (CI makes it once), else one made here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOORBRAAK = str(Path(sys.executable).with_name("doorbraak"))
GENERATOR = "openapi-python-client==0.29.1"


def _vrije_poort() -> int:
    for poort in range(8851, 8900):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
            return poort
    raise RuntimeError("no free port in 8851-8899")


def _venv(tmp: Path) -> Path:
    if gegeven := os.environ.get("DOORBRAAK_CLIENT_VENV"):
        return Path(gegeven)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", GENERATOR], check=True, timeout=300
    )
    return venv


def test_generated_client_walks_the_api(tmp_path: Path) -> None:
    venv = _venv(tmp_path)
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")  # no ruff run on the output
    uit = tmp_path / "client"
    gen = subprocess.run(
        [
            str(venv / "bin" / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi" / "doorbraak.json"),
            "--output-path",
            str(uit),
            "--config",
            str(tmp_path / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert gen.returncode == 0, gen.stdout + gen.stderr
    # A clean generation: no "Warning(s) encountered" (parts of the document it could not use).
    assert "Warning" not in gen.stdout + gen.stderr, gen.stdout + gen.stderr
    assert (uit / "doorbraak_api_client" / "api" / "casussen" / "casus_wijzigen.py").is_file()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOORBRAAK_", "PROMETHEUS_"))}
    env.update(
        DOORBRAAK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'doorbraak.db'}",
        DOORBRAAK_AUTH_MODE="dev",
    )
    for stap in (["migrate"], ["demo"]):
        subprocess.run([DOORBRAAK, *stap], cwd=ROOT, env=env, check=True, capture_output=True)
    poort = _vrije_poort()
    server = subprocess.Popen(
        [DOORBRAAK, "serve", "--host", "127.0.0.1", "--port", str(poort)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        basis = f"http://127.0.0.1:{poort}/api/v1"
        for _ in range(100):
            try:
                if httpx.get(f"{basis}/health/gereed", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        script = str(Path(__file__).with_name("wandeling.py"))
        wandeling = subprocess.run(
            [str(venv / "bin" / "python"), script, basis, "demo-karim"],
            env={**os.environ, "PYTHONPATH": str(uit)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        print(wandeling.stdout)
        assert wandeling.returncode == 0, wandeling.stdout + wandeling.stderr
        regels = wandeling.stdout.splitlines()
        assert [r.split(":")[0] for r in regels] == [
            "lijst",
            "aangemeld",
            'gewijzigd met If-Match "1"',
            "412 als Problem",
            "400 als Problem",
        ], regels
    finally:
        server.terminate()
        server.wait(timeout=30)
