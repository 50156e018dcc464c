"""BSN handling: 11-proef, authenticated encryption at rest, keyed search hash, masking, and
finding a BSN in free text (where it never belongs)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from doorbraak.config import Settings

_AAD = b"doorbraak-bsn-v1"
BSN_PATROON = re.compile(r"(?<!\d)(\d{9})(?!\d)")
# Digits with at most one separator between two of them: "111 222 333", "111.222.333",
# "11-12-22-333", "111\u00a0222\u00a0333" (NBSP and the other spaces are folded to a space first).
_CIJFERREEKS = re.compile(r"\d(?:[ .\-/_]?\d)*")
_ONZICHTBAAR = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u180e]")
_SPATIES = re.compile(r"[^\S\n]")


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
    """Numbers in free text that pass the 11-proef: nine digits, also written with separators
    (spaces, dots, hyphens, slashes), in full-width or other Unicode digits (NFKC), or with a
    zero-width character or soft hyphen in between. A longer run of digits (an IBAN, a phone
    number) counts only for a nine-digit group inside it."""
    schoon = _SPATIES.sub(" ", _ONZICHTBAAR.sub("", unicodedata.normalize("NFKC", tekst)))
    gevonden: list[str] = []
    for reeks in _CIJFERREEKS.finditer(schoon):
        cijfers = re.sub(r"\D", "", reeks.group())
        kandidaten = [cijfers] if len(cijfers) == 9 else BSN_PATROON.findall(reeks.group())
        gevonden.extend(k for k in kandidaten if elfproef(k) and k not in gevonden)
    return gevonden


def eis_geen_bsn(tekst: str) -> str:
    """A validator for free-text fields: a BSN lives only in its own, encrypted field."""
    if bsns_in_tekst(tekst):
        raise ValueError(
            "bevat een BSN (een nummer dat de 11-proef doorstaat); een BSN hoort alleen in het "
            "BSN-veld, nooit in vrije tekst"
        )
    return tekst
