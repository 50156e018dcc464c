"""The keys of the logboek: never in the database, so that database access alone cannot forge.

A key is a secret of at least 32 random bytes with a short id, written `<id>:<base64>`. The
setting `DOORBRAAK_LOGBOEK_SLEUTEL` or the file `DOORBRAAK_LOGBOEK_SLEUTELBESTAND` holds one or
more of them (comma- or line-separated); the last one is current and signs new entries and
checkpoints, the earlier ones stay to verify what they signed (rotation: append a new key).

From each secret two keys are derived (HMAC-SHA256 with a fixed label, so neither can be
computed from the other's use): the HMAC key of the chain, and the seed of an Ed25519 key pair
that signs checkpoints. The public key of a checkpoint key can be handed to an auditor, who then
verifies checkpoints without being able to make one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from doorbraak.config import Settings

_ID = re.compile(r"^[A-Za-z0-9._-]{1,16}$")
_KETEN = b"doorbraak logboek keten v1"
_ANKER = b"doorbraak logboek checkpoint v1"
MIN_BYTES = 32


class SleutelFout(ValueError):
    """The configured logboek keys cannot be used."""


@dataclass(frozen=True)
class Sleutel:
    id: str
    mac_sleutel: bytes
    ondertekenaar: Ed25519PrivateKey

    def mac(self, bericht: bytes) -> str:
        return hmac.new(self.mac_sleutel, bericht, hashlib.sha256).hexdigest()

    @property
    def publieke_sleutel(self) -> str:
        ruw = self.ondertekenaar.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(ruw).decode("ascii")

    def onderteken(self, bericht: bytes) -> str:
        return base64.b64encode(self.ondertekenaar.sign(bericht)).decode("ascii")

    def klopt(self, bericht: bytes, handtekening: str) -> bool:
        return publiek_klopt(self.publieke_sleutel, bericht, handtekening)


def publiek_klopt(publieke_sleutel: str, bericht: bytes, handtekening: str) -> bool:
    try:
        sleutel = Ed25519PublicKey.from_public_bytes(base64.b64decode(publieke_sleutel))
        sleutel.verify(base64.b64decode(handtekening, validate=True), bericht)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


@dataclass(frozen=True)
class Sleutelring:
    sleutels: tuple[Sleutel, ...]

    @property
    def huidige(self) -> Sleutel:
        return self.sleutels[-1]

    def zoek(self, sleutel_id: str | None) -> Sleutel | None:
        for sleutel in self.sleutels:
            if sleutel.id == sleutel_id:
                return sleutel
        return None


def _afleiden(sleutel_id: str, geheim: bytes) -> Sleutel:
    mac = hmac.new(geheim, _KETEN, hashlib.sha256).digest()
    zaad = hmac.new(geheim, _ANKER, hashlib.sha256).digest()
    return Sleutel(sleutel_id, mac, Ed25519PrivateKey.from_private_bytes(zaad))


def lees_sleutels(tekst: str, bron: str) -> Sleutelring:
    sleutels: list[Sleutel] = []
    for deel in re.split(r"[,\n]", tekst):
        deel = deel.strip()
        if not deel or deel.startswith("#"):
            continue
        sleutel_id, _, waarde = deel.partition(":")
        if not _ID.match(sleutel_id) or not waarde:
            raise SleutelFout(f"{bron}: schrijf elke sleutel als <id>:<base64> (id: 1-16 tekens)")
        try:
            geheim = base64.b64decode(waarde, validate=True)
        except binascii.Error as exc:
            raise SleutelFout(f"{bron}: sleutel {sleutel_id} is geen base64") from exc
        if len(geheim) < MIN_BYTES:
            raise SleutelFout(f"{bron}: sleutel {sleutel_id} is korter dan {MIN_BYTES} bytes")
        if any(s.id == sleutel_id for s in sleutels):
            raise SleutelFout(f"{bron}: sleutel-id {sleutel_id} komt twee keer voor")
        sleutels.append(_afleiden(sleutel_id, geheim))
    if not sleutels:
        raise SleutelFout(f"{bron}: geen sleutel gevonden")
    return Sleutelring(tuple(sleutels))


@lru_cache(maxsize=8)
def _uit_bestand(pad: Path, gewijzigd: float) -> Sleutelring:
    return lees_sleutels(pad.read_text(encoding="utf-8"), str(pad))


@lru_cache(maxsize=8)
def _uit_instelling(waarde: str) -> Sleutelring:
    return lees_sleutels(waarde, "DOORBRAAK_LOGBOEK_SLEUTEL")


def sleutelring(settings: Settings) -> Sleutelring:
    """The configured keys; a key file wins over the setting (and is re-read when it changes)."""
    if settings.logboek_sleutelbestand is not None:
        pad = settings.logboek_sleutelbestand
        try:
            gewijzigd = pad.stat().st_mtime
        except OSError as exc:
            raise SleutelFout(f"sleutelbestand {pad} is niet leesbaar") from exc
        return _uit_bestand(pad, gewijzigd)
    return _uit_instelling(settings.logboek_sleutel.get_secret_value())


def nieuwe_sleutel(sleutel_id: str) -> str:
    """A fresh `<id>:<base64>` line for the key file or the setting."""
    import secrets

    if not _ID.match(sleutel_id):
        raise SleutelFout("sleutel-id: 1-16 tekens uit A-Z, a-z, 0-9, '.', '_', '-'")
    return f"{sleutel_id}:{base64.b64encode(secrets.token_bytes(MIN_BYTES)).decode('ascii')}"
