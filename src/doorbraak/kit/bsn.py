"""BSN handling: 11-proef, authenticated encryption at rest, keyed search hash, masking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from doorbraak.config import Settings

_AAD = b"doorbraak-bsn-v1"
BSN_PATROON = re.compile(r"(?<!\d)(\d{9})(?!\d)")


def elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    totaal = sum(int(c) * w for c, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    totaal -= int(bsn[8])
    return totaal % 11 == 0


def _sleutel(settings: Settings) -> bytes:
    sleutel = base64.b64decode(settings.bsn_key.get_secret_value())
    if len(sleutel) not in (16, 24, 32):
        raise ValueError("DOORBRAAK_BSN_KEY must be base64 of 16, 24 or 32 bytes")
    return sleutel


def versleutel(settings: Settings, bsn: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_sleutel(settings)).encrypt(nonce, bsn.encode(), _AAD)


def ontsleutel(settings: Settings, blob: bytes) -> str:
    return AESGCM(_sleutel(settings)).decrypt(blob[:12], blob[12:], _AAD).decode()


def zoekhash(settings: Settings, bsn: str) -> str:
    sleutel = settings.pseudonym_key.get_secret_value().encode()
    return hmac.new(sleutel, b"bsn:" + bsn.encode(), hashlib.sha256).hexdigest()


def maskeer(laatste4: str | None) -> str | None:
    return None if laatste4 is None else f"*****{laatste4}"


def bsns_in_tekst(tekst: str) -> list[str]:
    """Nine-digit numbers in free text that pass the 11-proef."""
    return [m for m in BSN_PATROON.findall(tekst) if elfproef(m)]
