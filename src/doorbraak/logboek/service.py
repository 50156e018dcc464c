"""Appending to and verifying the hash chain of the logboek."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.db import utcnow
from doorbraak.logboek import repository
from doorbraak.models import LogboekRegel

GENESIS = "0" * 64
HASHVELDEN = (
    "tijdstempel",
    "actor",
    "actie",
    "object_soort",
    "object_id",
    "casus_id",
    "resultaat",
    "oorsprong",
    "doelbinding",
    "request_id",
)


@dataclass
class Logboekregel:
    """An entry waiting for the commit; the hash is computed when it joins the chain."""

    actie: str
    object_soort: str
    object_id: str | None
    resultaat: str
    actor: str | None = None
    casus_id: int | None = None
    oorsprong: str | None = None
    doelbinding: str | None = None
    request_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def bereken_hash(vorige_hash: str, waarden: dict[str, Any]) -> str:
    inhoud = {k: waarden[k] for k in HASHVELDEN}
    inhoud["tijdstempel"] = inhoud["tijdstempel"].isoformat()
    canoniek = json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((vorige_hash + canoniek).encode()).hexdigest()


async def toevoegen(session: AsyncSession, regels: list[Logboekregel]) -> None:
    """Append entries to the chain inside the caller's transaction (the lock lasts until commit)."""
    if not regels:
        return
    await repository.vergrendel_keten(session)
    vorige = await repository.laatste_hash(session) or GENESIS
    for regel in regels:
        waarden: dict[str, Any] = {
            "tijdstempel": utcnow(),
            "actor": regel.actor,
            "actie": regel.actie,
            "object_soort": regel.object_soort,
            "object_id": regel.object_id,
            "casus_id": regel.casus_id,
            "resultaat": regel.resultaat,
            "oorsprong": regel.oorsprong,
            "doelbinding": regel.doelbinding,
            "request_id": regel.request_id,
        }
        hash_ = bereken_hash(vorige, waarden)
        session.add(LogboekRegel(**waarden, vorige_hash=vorige, hash=hash_))
        vorige = hash_
    await session.flush()


@dataclass
class Verificatie:
    geldig: bool
    aantal: int
    eerste_fout_id: int | None = None
    reden: str | None = None


async def verifieer(session: AsyncSession) -> Verificatie:
    """Walk the chain; report the first entry whose link or content does not match."""
    vorige = GENESIS
    aantal = 0
    async for rij in repository.alle_regels(session):
        aantal += 1
        if rij.vorige_hash != vorige:
            return Verificatie(False, aantal, rij.id, "schakel verbroken: vorige hash klopt niet")
        waarden = {k: getattr(rij, k) for k in HASHVELDEN}
        if bereken_hash(vorige, waarden) != rij.hash:
            return Verificatie(False, aantal, rij.id, "inhoud gewijzigd: hash klopt niet")
        vorige = rij.hash
    return Verificatie(True, aantal)
