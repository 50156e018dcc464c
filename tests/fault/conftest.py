"""The fault suites bring their own PostgreSQL databases and server processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fault.harness import Servers, servers


@pytest.fixture(autouse=True)
async def db() -> None:
    """Replaces the autouse fixture of tests/conftest.py: these suites never use the shared test
    database (or its in-process app); each one drops and creates a `doorbraak_fault_*` database."""


@pytest.fixture
async def serverbeheer(tmp_path: Path) -> AsyncIterator[Servers]:
    """Start servers with `await serverbeheer.start(db, label)`; all are killed on teardown."""
    async with servers(tmp_path) as beheer:
        yield beheer


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fault.harness import TELLINGEN

    if TELLINGEN:
        terminalreporter.section("fault suites: counts")
        for regel in TELLINGEN:
            terminalreporter.write_line(regel)
