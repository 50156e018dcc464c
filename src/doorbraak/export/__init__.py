"""The nightly export to municipal reporting (issue 8)."""
