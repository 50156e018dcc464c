"""API tokens: random, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "dbk_"


def nieuw_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits, so a plain (unsalted) hash cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()
