"""Signed checkpoints of the logboek, kept outside the database.

A checkpoint names the newest entry of the chain (its id and hash) and where the unkeyed entries
of before the keyed chain end, signed with Ed25519 (`sleutels.py`). It is written to a folder
(`DOORBRAAK_LOGBOEK_ANKERMAP`) and as one line to the JSON log, so that a copy lives where the
database administrators cannot reach (the log collector, other storage). The app writes one at
start, every `DOORBRAAK_LOGBOEK_ANKER_INTERVAL_SECONDEN` while the chain grows, and at shutdown.

`verify` holds the chain against the newest valid checkpoint: the entry it names must still be
there with the same hash. That is what shows a truncation (the newest entries deleted), an
emptied table, and a chain recomputed from an earlier point, which the chain alone cannot show.
Entries written after the newest checkpoint are protected by the key only: their removal from
the end is not detectable, so the interval bounds what can go unnoticed.

A checkpoint names the database it was made of (`installatie.database_id`, made once by the
migrations). Verify holds a chain only against its own database's checkpoints, so a folder shared
by two installations (or a test database beside production) is not read as tampering. Checkpoints
of version 1 carry no identity and still count for every database, as they did.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.db import utcnow
from doorbraak.logboek import repository
from doorbraak.logboek.sleutels import Sleutelring

log = logging.getLogger("doorbraak.logboek.anker")
SOORT = "doorbraak-logboek-checkpoint"
LOGPREFIX = "logboek-checkpoint "


@dataclass(frozen=True)
class Checkpoint:
    head_id: int
    head_hash: str
    ongesleuteld_tot: int | None
    tijdstip: str
    sleutel_id: str
    publieke_sleutel: str
    handtekening: str = ""
    soort: str = SOORT
    versie: int = 2
    database_id: str | None = None

    def bericht(self) -> bytes:
        inhoud = {k: v for k, v in asdict(self).items() if k != "handtekening"}
        if self.versie < 2:
            # What a version 1 checkpoint signed: it had no database identity.
            inhoud.pop("database_id", None)
        return json.dumps(inhoud, sort_keys=True, separators=(",", ":")).encode()

    def van(self, database_id: str) -> bool:
        """Whether this checkpoint may be held against the chain of that database."""
        return self.versie < 2 or self.database_id == database_id

    def als_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Gelezen:
    """The newest valid checkpoint, and what was wrong with the others that were offered."""

    checkpoint: Checkpoint | None
    ongeldig: list[str]
    # Valid checkpoints of another database in the same sources: not held against this chain.
    andere_database: int = 0


async def maak(session: AsyncSession, sleutels: Sleutelring) -> Checkpoint:
    kop = await repository.kop(session)
    head_id, head_hash = kop if kop is not None else (0, "0" * 64)
    sleutel = sleutels.huidige
    ongetekend = Checkpoint(
        head_id=head_id,
        head_hash=head_hash,
        ongesleuteld_tot=await repository.laatste_ongesleuteld(session),
        tijdstip=utcnow().isoformat(),
        sleutel_id=sleutel.id,
        publieke_sleutel=sleutel.publieke_sleutel,
        database_id=await repository.database_id(session),
    )
    return Checkpoint(
        **{**asdict(ongetekend), "handtekening": sleutel.onderteken(ongetekend.bericht())}
    )


def bestandsnaam(checkpoint: Checkpoint) -> str:
    tijd = checkpoint.tijdstip[:19].replace(":", "").replace("-", "")
    # Two databases may reach the same head in the same second: their files must not collide.
    database = (checkpoint.database_id or "")[:8]
    return (
        f"checkpoint-{checkpoint.head_id:015d}-{tijd}-{checkpoint.sleutel_id}"
        f"{'-' + database if database else ''}.json"
    )


def bewaar(checkpoint: Checkpoint, map_: Path) -> Path:
    """Write the checkpoint file (complete or not at all) and its line in the JSON log."""
    map_.mkdir(parents=True, exist_ok=True)
    doel = map_ / bestandsnaam(checkpoint)
    # Several workers may write the same head in the same second: each its own temporary file,
    # the rename makes one of the identical results the file.
    tijdelijk = doel.with_name(f"{doel.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    with tijdelijk.open("w", encoding="utf-8") as f:
        f.write(checkpoint.als_json() + "\n")
        f.flush()
        os.fsync(f.fileno())
    tijdelijk.replace(doel)
    log.info("%s%s", LOGPREFIX, checkpoint.als_json())
    return doel


def _uit_tekst(tekst: str) -> list[dict[str, Any]]:
    """A checkpoint file, or a JSON log (one object per line) with checkpoint lines in it."""
    tekst = tekst.strip()
    try:
        geheel = json.loads(tekst)
    except ValueError:
        geheel = None
    if isinstance(geheel, dict) and geheel.get("soort") == SOORT:
        return [geheel]
    gevonden: list[dict[str, Any]] = []
    for regel in tekst.splitlines():
        try:
            object_ = json.loads(regel)
        except ValueError:
            continue
        bericht = object_.get("message") if isinstance(object_, dict) else None
        if isinstance(bericht, str) and bericht.startswith(LOGPREFIX):
            with contextlib.suppress(ValueError):
                gevonden.append(json.loads(bericht[len(LOGPREFIX) :]))
    return gevonden


def _bestanden(bron: Path) -> list[Path]:
    if bron.is_dir():
        return sorted(bron.glob("checkpoint-*.json"))
    return [bron] if bron.exists() else []


def lees(bronnen: list[Path], sleutels: Sleutelring, database_id: str | None = None) -> Gelezen:
    """The newest checkpoint whose signature holds, from folders, files or JSON logs; with a
    database_id, only the checkpoints of that database."""
    geldig: list[Checkpoint] = []
    ongeldig: list[str] = []
    andere = 0
    for bron in bronnen:
        for pad in _bestanden(bron):
            try:
                kandidaten = _uit_tekst(pad.read_text(encoding="utf-8"))
            except (OSError, UnicodeError):
                ongeldig.append(f"{pad.name}: niet leesbaar")
                continue
            for ruw in kandidaten:
                try:
                    checkpoint = Checkpoint(**ruw)
                except TypeError:
                    ongeldig.append(f"{pad.name}: geen checkpoint")
                    continue
                sleutel = sleutels.zoek(checkpoint.sleutel_id)
                if sleutel is None:
                    ongeldig.append(f"{pad.name}: onbekende sleutel {checkpoint.sleutel_id!r}")
                elif not sleutel.klopt(checkpoint.bericht(), checkpoint.handtekening):
                    ongeldig.append(f"{pad.name}: handtekening klopt niet")
                elif database_id is not None and not checkpoint.van(database_id):
                    andere += 1
                else:
                    geldig.append(checkpoint)
    nieuwste = max(geldig, key=lambda c: (c.head_id, c.tijdstip), default=None)
    return Gelezen(nieuwste, ongeldig, andere)


class Ankerwachter:
    """Writes a checkpoint at start, periodically while the chain grows, and at shutdown."""

    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        sleutels: Sleutelring,
        map_: Path,
        interval: float,
    ) -> None:
        self.maker = maker
        self.sleutels = sleutels
        self.map = map_
        self.interval = interval
        self.laatste: int | None = None
        self.taak: asyncio.Task[None] | None = None

    async def anker(self) -> Checkpoint | None:
        """One checkpoint, unless the head has not moved since the previous one."""
        async with self.maker() as session:
            checkpoint = await maak(session, self.sleutels)
        if checkpoint.head_id == self.laatste:
            return None
        await asyncio.to_thread(bewaar, checkpoint, self.map)
        self.laatste = checkpoint.head_id
        return checkpoint

    async def _veilig(self) -> None:
        try:
            await self.anker()
        except Exception:  # a missed checkpoint must not stop the app; the next one follows
            log.error("logboek checkpoint could not be written", exc_info=True)

    async def _lus(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self._veilig()

    async def start(self) -> None:
        await self._veilig()
        if self.interval > 0:
            self.taak = asyncio.create_task(self._lus())

    async def stop(self) -> None:
        if self.taak is not None:
            self.taak.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.taak
        await self._veilig()
