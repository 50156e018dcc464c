"""The generated-client walk brings its own SQLite database and server process."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
async def db() -> None:
    """Replaces the autouse fixture of tests/conftest.py: this suite never uses the shared test
    database."""
