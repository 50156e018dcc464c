"""Is a text fit to leave its casus? Finds what would identify a person: a BSN (11-proef), an
e-mail address, a Dutch phone number, a postcode with house number, the full name of any
medewerker, or the name of the household as recorded on the casus.

Names are compared case- and accent-insensitively as whole words, with any whitespace between
their parts. For the household, the name without a leading "familie"/"gezin" is matched too
("Familie Demir" is also found as "Demir"). What was found is named by kind, never echoed back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from doorbraak.kit.bsn import bsns_in_tekst

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 06-12345678, 0612345678, 020 123 4567, (020) 123 45 67, +31 6 1234 5678, +31 (0)20 ..., 0031 ...
TELEFOON = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[\s\-.]*(?:\(0\)[\s\-.]*)?|\(?0)(?:\d[\s\-.()]{0,2}){8}\d(?!\d)"
)
# 1234 AB or 1234AB; lower case only without a space, so that "in 2024 en 3" is no postcode.
_POSTCODE = r"[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})"
POSTCODE_HUISNUMMER = re.compile(
    rf"(?:\b\d{{1,5}}\s?[a-zA-Z]?\s*,?\s*{_POSTCODE}\b"
    rf"|\b{_POSTCODE}\s*,?\s*(?:nr\.?\s*)?\d{{1,5}}\b)"
)
_HUISHOUDEN_VOORVOEGSELS = re.compile(
    r"^(?:de\s+|het\s+)?(?:familie|fam\.?|gezin|huishouden)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class Vondst:
    code: str
    omschrijving: str


BSN = Vondst("bevat-bsn", "een BSN")
E_MAILADRES = Vondst("bevat-e-mailadres", "een e-mailadres")
TELEFOONNUMMER = Vondst("bevat-telefoonnummer", "een telefoonnummer")
POSTCODE = Vondst("bevat-postcode-huisnummer", "een postcode met huisnummer")
NAAM_MEDEWERKER = Vondst("bevat-naam-medewerker", "de naam van een medewerker")
NAAM_HUISHOUDEN = Vondst("bevat-naam-huishouden", "de naam van het huishouden")


def normaliseer(tekst: str) -> str:
    """Lower case, no accents, single spaces: 'Fatima Yılmaz ' and 'fatima  yilmaz' compare equal."""
    ontleed = unicodedata.normalize("NFKD", tekst.replace("ı", "i"))
    zonder = "".join(c for c in ontleed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", zonder.casefold()).strip()


def _namen_patroon(namen: Iterable[str]) -> re.Pattern[str] | None:
    delen = sorted(
        {
            r"\s+".join(re.escape(w) for w in n.split(" "))
            for n in (normaliseer(naam) for naam in namen)
            if len(n) >= 3
        },
        key=len,
        reverse=True,
    )
    if not delen:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(delen) + r")(?!\w)")


def huishouden_namen(huishouden_naam: str | None) -> list[str]:
    if not huishouden_naam or not huishouden_naam.strip():
        return []
    naam = huishouden_naam.strip()
    kern = _HUISHOUDEN_VOORVOEGSELS.sub("", naam).strip()
    return [naam, kern] if kern and kern != naam else [naam]


def vondsten(
    tekst: str, *, medewerkers: Iterable[str], huishouden_naam: str | None
) -> list[Vondst]:
    gevonden: list[Vondst] = []
    if bsns_in_tekst(tekst):
        gevonden.append(BSN)
    if EMAIL.search(tekst):
        gevonden.append(E_MAILADRES)
    if TELEFOON.search(tekst):
        gevonden.append(TELEFOONNUMMER)
    if POSTCODE_HUISNUMMER.search(tekst):
        gevonden.append(POSTCODE)
    genormaliseerd = normaliseer(tekst)
    patroon = _namen_patroon(medewerkers)
    if patroon is not None and patroon.search(genormaliseerd):
        gevonden.append(NAAM_MEDEWERKER)
    huishouden = _namen_patroon(huishouden_namen(huishouden_naam))
    if huishouden is not None and huishouden.search(genormaliseerd):
        gevonden.append(NAAM_HUISHOUDEN)
    return gevonden
