"""Idempotency-Key on every POST, stored in the database (works across app processes).

- The first request with a key claims it with a row inserted in its own transaction; when it
  commits, the row holds the response. A crash or an error rolls the claim back with the work, so
  nothing half-done is ever replayed and a retry simply runs again.
- A repeat with the same key and the same body (and path) replays the stored status and body.
- The same key with another body or path: 422. While the first is still running: 409 (on
  PostgreSQL the claim waits at most a moment for the other transaction's row lock; on SQLite the
  whole database is one writer, so a repeat waits for the first and then replays it).
- Keys are scoped to the medewerker and expire after 24 hours; expired keys are removed as new
  ones come in.
- The stored fingerprint of a request is keyed (HMAC-SHA-256 with `DOORBRAAK_PSEUDONYM_KEY`, in
  its own domain), never a bare hash of the body: the body of `POST /casussen/_zoek` is
  `{"bsn": ...}`, and a bare SHA-256 over the few hundred million valid BSNs is brute-forced in
  seconds by anyone who can read the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import re
from typing import Annotated

from fastapi import Header, Request, Response
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import Conflict, OngeldigeInvoer, Onverwerkbaar
from doorbraak.kit import repository
from doorbraak.models import IdempotentieSleutel, Medewerker

GELDIGHEID = dt.timedelta(hours=24)
_SLEUTEL = re.compile(r"^[\x21-\x7e]{1,255}$")
_BEWAARDE_HEADERS = ("etag", "location")


class Herhaling(Exception):
    """Raised to answer with the stored response of an earlier request with the same key."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


# --- the dependency ---------------------------------------------------------------------------


def vingerafdruk(settings: Settings, query: str, body: bytes) -> str:
    """What identifies a request's content, keyed: without the key it says nothing about the
    body (a BSN searched for), with it a repeat can still be recognised."""
    sleutel = b"idempotentie:" + settings.pseudonym_key.get_secret_value().encode()
    return hmac.new(sleutel, query.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def _herhaal(rij: IdempotentieSleutel) -> Herhaling:
    headers = {**rij.headers, "Idempotent-Replayed": "true"}
    return Herhaling(
        Response(
            content=rij.body, status_code=rij.status, headers=headers, media_type="application/json"
        )
    )


async def idempotentie_claimen(
    request: Request, session: AsyncSession, actor: Medewerker, sleutel: str | None
) -> IdempotentieSleutel | None:
    if not sleutel:
        return None
    if not _SLEUTEL.match(sleutel):
        raise OngeldigeInvoer(
            [
                {
                    "name": "Idempotency-Key",
                    "code": "ongeldige-sleutel",
                    "reason": "1 tot 255 zichtbare ASCII-tekens",
                }
            ]
        )
    # The query string belongs to the request as much as the body does.
    body_hash = vingerafdruk(request.app.state.settings, request.url.query, await request.body())
    verzoek = f"{request.method} {request.url.path}"[:300]
    nu = utcnow()
    if random.random() < 0.01:
        await repository.idempotentie_opruimen(session, nu)
    bestaand = await repository.idempotentie_lezen(session, actor.id, sleutel)
    if bestaand is not None and bestaand.verloopt_op <= nu:
        await session.delete(bestaand)
        await session.flush()
        bestaand = None
    if bestaand is None:
        rij = IdempotentieSleutel(
            medewerker_id=actor.id,
            sleutel=sleutel,
            verzoek=verzoek,
            body_hash=body_hash,
            status=0,
            body=b"",
            headers={},
            aangemaakt_op=nu,
            verloopt_op=nu + GELDIGHEID,
        )
        try:
            await repository.idempotentie_claimen(session, rij)
            return rij
        except sa_exc.IntegrityError:
            # Another request with this key committed while we waited: compare with it below.
            bestaand = await repository.idempotentie_lezen(session, actor.id, sleutel)
        except sa_exc.DBAPIError as exc:
            if "lock" not in str(exc.orig).lower():
                raise
            fout = Conflict(
                "Een verzoek met deze Idempotency-Key loopt nog; probeer het zo opnieuw.",
                code="verzoek-loopt-nog",
            )
            fout.headers = {"Retry-After": "1"}
            raise fout from exc
        if bestaand is None:  # pragma: no cover - the conflicting row vanished (expired) meanwhile
            raise Conflict("Probeer het opnieuw.", code="verzoek-loopt-nog")
    if bestaand.verzoek != verzoek or bestaand.body_hash != body_hash:
        raise Onverwerkbaar(
            "Deze Idempotency-Key is al gebruikt voor een ander verzoek.",
            code="idempotency-key-hergebruikt",
        )
    raise _herhaal(bestaand)


def bewaar_antwoord(
    rij: IdempotentieSleutel, response: Response, geheim: frozenset[str] = frozenset()
) -> None:
    """`geheim`: top-level fields of a JSON answer that are kept as null (a new API token is
    shown once and stored nowhere, not even for a replay)."""
    rij.status = response.status_code
    body = bytes(response.body)
    if geheim:
        data = json.loads(body)
        if isinstance(data, dict):
            data.update({k: None for k in geheim if k in data})
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    rij.body = body
    rij.headers = {k: v for k, v in response.headers.items() if k.lower() in _BEWAARDE_HEADERS}


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7E]{1,255}$",
        description="Makes a retry of this POST safe: a repeat with the same key and body replays the first response (24 h).",
    ),
]
