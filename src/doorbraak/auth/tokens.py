"""API tokens: random, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

PREFIX = "dbk_"


def nieuw_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits, so a plain (unsalted) hash cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()


def vervalt_op(
    aangemaakt_op: dt.datetime, verloopt_op: dt.datetime | None, max_dagen: int
) -> dt.datetime:
    """When a token stops working: its own expiry, capped by the longest lifetime (also for a
    token made before there was a maximum, or without an expiry)."""
    uiterlijk = aangemaakt_op + dt.timedelta(days=max_dagen)
    return min(verloopt_op, uiterlijk) if verloopt_op is not None else uiterlijk
