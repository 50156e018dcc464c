"""The race suite brings its own PostgreSQL database and server processes."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
async def db() -> None:
    """Replaces the autouse fixture of tests/conftest.py: this suite never uses the shared test
    database (or its in-process app)."""
