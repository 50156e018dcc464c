"""Appending to and verifying the keyed hash chain of the logboek.

Every entry carries the previous entry's hash and its own: an HMAC-SHA256, with a key that is
not in the database (`logboek/sleutels.py`), over the previous hash and the entry's content.
Someone who can write the database but does not hold the key can delete or change entries, but
cannot make the chain close again. What the chain alone cannot show, the removal of its newest
entries or of all of them, the signed checkpoints outside the database show (`logboek/anker.py`).

Entries written before the chain was keyed (no `sleutel_id`) carry a plain SHA-256 link. They
are verified as they were written; the first keyed entry binds their last hash into its HMAC,
so from then on they cannot be rewritten either, and a checkpoint records where they end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.config import get_settings
from doorbraak.db import utcnow
from doorbraak.logboek import repository
from doorbraak.logboek.sleutels import Sleutel, Sleutelring, sleutelring
from doorbraak.models import LogboekRegel
from doorbraak.models.logboek import ACTIE_LENGTE

GENESIS = "0" * 64
LOGBOEK = cast(Table, LogboekRegel.__table__)
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
# What the HMAC of a keyed entry covers (besides the previous hash).
GESLEUTELDE_VELDEN = (*HASHVELDEN, "aantal", "sleutel_id")


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
    aantal: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _canoniek(waarden: dict[str, Any], velden: tuple[str, ...]) -> str:
    inhoud = {k: waarden.get(k) for k in velden}
    inhoud["tijdstempel"] = waarden["tijdstempel"].isoformat()
    return json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def bereken_hash(vorige_hash: str, waarden: dict[str, Any]) -> str:
    """The unkeyed link of entries from before the keyed chain (verification only)."""
    canoniek = _canoniek(waarden, HASHVELDEN)
    return hashlib.sha256((vorige_hash + canoniek).encode()).hexdigest()


def bereken_mac(sleutel: Sleutel, vorige_hash: str, waarden: dict[str, Any]) -> str:
    """The keyed link: one HMAC per entry."""
    canoniek = _canoniek({**waarden, "sleutel_id": sleutel.id}, GESLEUTELDE_VELDEN)
    return sleutel.mac((vorige_hash + canoniek).encode())


HASH_TEKENS = 12


def ingekorte_actie(actie: str) -> str:
    """An actie longer than its column, shortened the same way every time: a prefix, `~` and the
    first characters of the full value's SHA-256, so that the entry is written (PostgreSQL would
    refuse the whole entry, SQLite would keep it whole) and equal long acties stay equal and
    different ones stay apart."""
    if len(actie) <= ACTIE_LENGTE:
        return actie
    staart = "~" + hashlib.sha256(actie.encode()).hexdigest()[:HASH_TEKENS]
    return actie[: ACTIE_LENGTE - len(staart)] + staart


def ring(sleutels: Sleutelring | None) -> Sleutelring:
    return sleutels if sleutels is not None else sleutelring(get_settings())


def ketenrijen(regels: list[Logboekregel], sleutel: Sleutel, vorige: str) -> list[dict[str, Any]]:
    """The entries as rows of the chain after `vorige`, each with its HMAC link."""
    rijen: list[dict[str, Any]] = []
    for regel in regels:
        waarden: dict[str, Any] = {
            "tijdstempel": utcnow(),
            "actor": regel.actor,
            "actie": ingekorte_actie(regel.actie),
            "object_soort": regel.object_soort,
            "object_id": regel.object_id,
            "casus_id": regel.casus_id,
            "resultaat": regel.resultaat,
            "oorsprong": regel.oorsprong,
            "doelbinding": regel.doelbinding,
            "request_id": regel.request_id,
            "aantal": regel.aantal,
        }
        hash_ = bereken_mac(sleutel, vorige, waarden)
        rijen.append({**waarden, "sleutel_id": sleutel.id, "vorige_hash": vorige, "hash": hash_})
        vorige = hash_
    return rijen


async def toevoegen(
    session: AsyncSession, regels: list[Logboekregel], sleutels: Sleutelring | None = None
) -> None:
    """Append entries to the chain inside the caller's transaction (the lock lasts until commit)."""
    if not regels:
        return
    sleutel = ring(sleutels).huidige
    await repository.vergrendel_keten(session)
    vorige = await repository.laatste_hash(session) or GENESIS
    # A Core INSERT, not ORM objects and a flush: every request appends, and the unit of work's
    # bookkeeping for rows nobody reads back is a tenth of the append's CPU
    # (bench/logboek_schrijven.py). One multi-row VALUES keeps the ids in chain order.
    await session.execute(insert(LOGBOEK), ketenrijen(regels, sleutel, vorige))


async def toevoegen_asyncpg(
    verbinding: Any, regels: list[Logboekregel], sleutels: Sleutelring | None = None
) -> None:
    """The same append in its own transaction, straight on an asyncpg connection: for the
    group commit of reads (`schrijver.py`), which has no other work in its transaction. Every
    read pays for this append, and five statements through the ORM session cost about three
    times their CPU on the driver itself (bench/logboek_schrijven.py)."""
    if not regels:
        return
    sleutel = ring(sleutels).huidige
    async with verbinding.transaction():
        await verbinding.execute(repository.KETEN_LOCK_SQL, repository.KETEN_LOCK)
        vorige = await verbinding.fetchval(repository.LAATSTE_HASH_SQL) or GENESIS
        rijen = ketenrijen(regels, sleutel, vorige)
        # executemany runs the rows in order, so the ids follow the chain.
        await verbinding.executemany(
            repository.INSERT_SQL, [tuple(r[k] for k in repository.KOLOMMEN) for r in rijen]
        )


@dataclass
class Verificatie:
    geldig: bool
    aantal: int
    eerste_fout_id: int | None = None
    reden: str | None = None
    # The checkpoint the chain was held against (head id), if one was found.
    checkpoint_id: int | None = None
    # Entries from before the keyed chain, verified with the old unkeyed link.
    ongesleuteld: int = 0
    laatste_id: int | None = None
    laatste_hash: str | None = None
    laatste_ongesleuteld_id: int | None = None
    opmerkingen: list[str] = field(default_factory=list)


async def verifieer(
    session: AsyncSession,
    sleutels: Sleutelring | None = None,
    checkpoint: Any = None,
) -> Verificatie:
    """Walk the chain; report the first entry whose link or content does not match, then hold
    the chain against the checkpoint (`anker.Checkpoint`): its head must still be there,
    unchanged, and no unkeyed entry may appear beyond where the checkpoint saw them end."""
    sleutels = ring(sleutels)
    vorige = GENESIS
    uitkomst = Verificatie(True, 0)
    gesleuteld_gezien = False
    # A checkpoint of an empty chain (written at the first start) anchors no entry.
    head_gezien = checkpoint is not None and checkpoint.head_id == 0

    def fout(rij_id: int | None, reden: str) -> Verificatie:
        uitkomst.geldig = False
        uitkomst.eerste_fout_id = rij_id
        uitkomst.reden = reden
        return uitkomst

    async for rij in repository.alle_regels(session):
        uitkomst.aantal += 1
        if checkpoint is not None and not head_gezien and rij.id > checkpoint.head_id:
            return fout(
                rij.id,
                f"regel {checkpoint.head_id} van het checkpoint ontbreekt: verwijderd",
            )
        if rij.vorige_hash != vorige:
            return fout(rij.id, "schakel verbroken: vorige hash klopt niet (regel verwijderd?)")
        waarden = {k: getattr(rij, k) for k in GESLEUTELDE_VELDEN}
        if rij.sleutel_id is None:
            if gesleuteld_gezien:
                return fout(rij.id, "ongesleutelde regel na gesleutelde regels: ingevoegd")
            # A checkpoint is made by the keyed version: every entry after the unkeyed ones it
            # saw was written with a key.
            if checkpoint is not None and rij.id > (checkpoint.ongesleuteld_tot or 0):
                return fout(rij.id, "ongesleutelde regel na de overname van de keten: herberekend")
            if bereken_hash(vorige, waarden) != rij.hash:
                return fout(rij.id, "inhoud gewijzigd: hash klopt niet")
            uitkomst.ongesleuteld += 1
            uitkomst.laatste_ongesleuteld_id = rij.id
        else:
            gesleuteld_gezien = True
            sleutel = sleutels.zoek(rij.sleutel_id)
            if sleutel is None:
                return fout(rij.id, f"onbekende sleutel {rij.sleutel_id!r}")
            if bereken_mac(sleutel, vorige, waarden) != rij.hash:
                return fout(rij.id, "inhoud gewijzigd of herberekend: HMAC klopt niet")
        if checkpoint is not None and rij.id == checkpoint.head_id:
            head_gezien = True
            if rij.hash != checkpoint.head_hash:
                return fout(rij.id, "regel van het checkpoint vervangen: hash wijkt af")
        vorige = rij.hash
        uitkomst.laatste_id = rij.id
        uitkomst.laatste_hash = rij.hash
    if checkpoint is not None:
        uitkomst.checkpoint_id = checkpoint.head_id
        if not head_gezien and checkpoint.head_id > 0:
            if uitkomst.aantal == 0:
                return fout(
                    None, f"logboek leeg, het checkpoint noemt regel {checkpoint.head_id}: gewist"
                )
            return fout(
                None,
                f"afgekapt: de keten eindigt bij regel {uitkomst.laatste_id}, het checkpoint "
                f"noemt regel {checkpoint.head_id}",
            )
    return uitkomst
