"""The production-start suites bring their own PostgreSQL databases and server processes."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
async def db() -> None:
    """Replaces the autouse fixture of tests/conftest.py: these suites never use the shared test
    database; each one drops and creates a `doorbraak_ops_*` database."""
