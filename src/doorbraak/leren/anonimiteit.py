"""Is a text fit to leave its casus? De-identification made for Dutch text.

A shared verhaal and a systeem-leerpunt are read outside the casus, so they may identify nobody.
The check runs on a normalised copy of the text, so that disguise does not help: NFKC (full-width
"＠" and digits, ligatures, non-breaking spaces), zero-width characters and soft hyphens removed,
and letters that look Latin but are not (Cyrillic "а", Greek "Ο") folded to the Latin letter.

Two kinds of rules find what would identify someone:

- our own, for what only this system knows: the casus's own household (its recorded name split
  into first names and a surname with its tussenvoegsels: "Henk van Dijk" is found as "Henk",
  "van Dijk" and "Van Dijk", and the bare "Dijk" when written with a capital) and every
  medewerker (full name, first name, surname); plus a BSN also with separators, an e-mail address,
  a Dutch phone number, a postcode with house number, a street with house number, a title or form
  of address before a name ("meneer Van Dijk", "mw. De Boer", "familie Demir"), and a date of
  birth;
- `deduce` (rule-based de-identification of Dutch text, with its lists of Dutch first names,
  surnames, streets and places), for any other person's name, an address and a full date.

deduce builds its lookup tables once per process, which takes up to a minute or two. That is done
at start-up in a thread (`start_opwarmen`, called by the app's lifespan and by `make install`),
never inside a request: until it is ready, `vondsten` raises `NietGereed` and the service answers
503 with a clear problem. What was found is named by kind, never echoed back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from doorbraak.kit.bsn import bsns_in_tekst

log = logging.getLogger("doorbraak.leren.anonimiteit")

# --- normalising ----------------------------------------------------------------------------

_ONZICHTBAAR = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Letters of other scripts that look like Latin ones (Unicode's confusables, the common part).
_VERWARBAAR = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I",
        "Ј": "J", "Ԁ": "D", "Һ": "H", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
        # Greek
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        # Latin lookalikes and the dotless i
        "ı": "i", "ȷ": "j", "ℓ": "l", "Ɩ": "l", "ǀ": "l",
    }
)  # fmt: skip


def ontmasker(tekst: str) -> str:
    """The text as a reader sees it: NFKC, no invisible characters, lookalike letters folded.
    Case and accents stay (deduce and the capitalised-surname rule need them)."""
    tekst = unicodedata.normalize("NFKC", tekst)
    tekst = _ONZICHTBAAR.sub("", tekst).translate(_VERWARBAAR)
    return re.sub(r"[^\S\n]+", " ", tekst)


def normaliseer(tekst: str) -> str:
    """Lower case, no accents, single spaces, unmasked: 'Fatima Yılmaz ' and 'fatima  yilmaz'
    compare equal, and so does 'Fаtima' with a Cyrillic а."""
    ontleed = unicodedata.normalize("NFKD", ontmasker(tekst))
    zonder = "".join(c for c in ontleed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", zonder.casefold()).strip()


def _zonder_accenten(tekst: str) -> str:
    ontleed = unicodedata.normalize("NFKD", tekst)
    return "".join(c for c in ontleed if not unicodedata.combining(c))


# --- what is found ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Vondst:
    code: str
    omschrijving: str


BSN = Vondst("bevat-bsn", "een BSN")
E_MAILADRES = Vondst("bevat-e-mailadres", "een e-mailadres")
TELEFOONNUMMER = Vondst("bevat-telefoonnummer", "een telefoonnummer")
POSTCODE = Vondst("bevat-postcode-huisnummer", "een postcode met huisnummer")
ADRES = Vondst("bevat-adres", "een straat met huisnummer")
GEBOORTEDATUM = Vondst("bevat-geboortedatum", "een geboortedatum of volledige datum")
NAAM_MEDEWERKER = Vondst("bevat-naam-medewerker", "de naam van een medewerker")
NAAM_HUISHOUDEN = Vondst("bevat-naam-huishouden", "de naam van het huishouden")
NAAM_PERSOON = Vondst("bevat-naam", "de naam van een persoon")


class NietGereed(Exception):
    """The Dutch de-identification is not ready (still building, or not installed)."""

    def __init__(self, reden: Literal["bezig", "niet-geinstalleerd", "fout"]) -> None:
        super().__init__(reden)
        self.reden = reden


EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
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
_STRAATWOORDEN = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|park|pad|steeg|markt|baan|"
    "ring|wal|plantsoen|erf|veld|akker|hage|horst|boulevard|allee|dam|haven|burcht|oord|"
    "berg|kamp|kwartier|promenade|passage|kanaal"
)
# A street name and a house number: "Spoorstraat 12", "Kerkweg 4a", "Laan van Meerdervoort 12-3",
# "Burgemeester de Vlugtlaan 112 bis", "Spoorstraat nummer 12".
STRAAT_HUISNUMMER = re.compile(
    rf"\b[A-Z][\w'-]*(?:\s+[\w'.-]+){{0,3}}?(?:{_STRAATWOORDEN})\b\.?"
    rf"\s*(?:nr\.?|nummer|no\.?)?\s*\d{{1,5}}(?:\s?-?\s?[a-zA-Z]{{1,3}}\b|[-/]\d{{1,4}})?",
)
_STRAAT_OF_LAAN_VAN = re.compile(
    r"\b(?:Laan|Weg|Plein|Kade|Straat|Dreef|Hof)\s+(?:van|der|de|den|het|ter|ten)\s+[A-Z][\w'-]+"
    r"(?:\s+[A-Z][\w'-]+)?\s+\d{1,5}\b"
)
_MAANDEN = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
# A full date (day, month and year): "12-03-1965", "3 maart 1965", "1965-03-12", "12/3/'65".
VOLLEDIGE_DATUM = re.compile(
    rf"\b(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|'?\d{{2}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}\s+(?:{_MAANDEN})\.?\s+(?:\d{{4}}|'\d{{2}}))\b",
    re.IGNORECASE,
)
GEBOREN = re.compile(
    r"\b(?:geboren|geb\.|geboortedatum|geboortejaar|jarig op)\s*(?:op|in|:)?\s*\d",
    re.IGNORECASE,
)
TUSSENVOEGSELS = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "ten",
        "ter",
        "te",
        "in",
        "op",
        "uit",
        "aan",
        "bij",
        "onder",
        "over",
        "vd",
        "v.d.",
        "el",
        "al",
        "la",
        "le",
        "du",
        "da",
        "di",
        "dos",
        "des",
        "del",
        "von",
        "zu",
        "zum",
        "mc",
        "mac",
        "o'",
        "d'",
        "l'",
    ]
)
_TUSSEN = r"(?:(?:van|de|der|den|het|'t|ten|ter|te|in|op|el|al|la|le|du|da|di|von)\s+){0,3}"
_AANSPREEKVORM = (
    r"(?:meneer|mijnheer|mevrouw|mevr|mw|mvr|dhr|de\s+heer|heer|juffrouw|juf|meester|"
    r"mr|dr|drs|ir|ing|prof|dokter|zuster|notaris|familie|fam|gezin|echtpaar|wed|weduwe)"
)
# A form of address or a title before a capitalised name: "meneer Van Dijk", "mw. de Boer",
# "dhr. J. Jansen", "familie Demir", "Mevrouw El Amrani-Bakker".
AANSPREEKVORM_NAAM = re.compile(
    rf"\b{_AANSPREEKVORM}\.?\s+(?:[A-Z]\.\s*){{0,3}}{_TUSSEN}[A-Z][a-z\u00c0-\u024f'\-]+",
    re.IGNORECASE,
)
_HUISHOUDEN_VOORVOEGSELS = re.compile(
    r"^(?:de\s+|het\s+)?(?:familie|fam\.?|gezin|huishouden)\s+", re.IGNORECASE
)


def _hoofdletter_na_aanspreekvorm(tekst: str) -> bool:
    """AANSPREEKVORM_NAAM is case-insensitive for the title; the name itself must start with a
    capital (or be a tussenvoegsel followed by one), else "het gezin kon blijven" would count."""
    for m in AANSPREEKVORM_NAAM.finditer(tekst):
        titel = re.match(rf"{_AANSPREEKVORM}\.?\s+", m.group(), re.IGNORECASE)
        rest = m.group()[titel.end() if titel else 0 :]
        woorden = [w for w in re.split(r"\s+", rest) if w]
        kern = next(
            (
                w
                for w in woorden
                if w.lower() not in TUSSENVOEGSELS and not re.match(r"[A-Z]\.$", w)
            ),
            "",
        )
        if kern[:1].isupper():
            return True
    return False


# --- names of the household and of staff ----------------------------------------------------


@dataclass(frozen=True)
class Naamdelen:
    """A recorded name split the Dutch way: "Henk van Dijk" -> voornamen ["henk"], achternaam
    "van dijk", kern "Dijk" (the surname without its tussenvoegsels, as written)."""

    volledig: str
    voornamen: tuple[str, ...]
    achternaam: str | None
    kern: str | None


def naamdelen(naam: str) -> Naamdelen:
    woorden = [w for w in re.split(r"\s+", ontmasker(naam).strip()) if w]
    if not woorden:
        return Naamdelen("", (), None, None)
    # The surname starts at the first tussenvoegsel after the first word, else it is the last word.
    start = len(woorden) - 1
    for i, w in enumerate(woorden[1:], start=1):
        if w.lower() in TUSSENVOEGSELS:
            start = i
            break
    if len(woorden) == 1:
        return Naamdelen(normaliseer(naam), (), normaliseer(naam), woorden[0])
    voornamen = tuple(normaliseer(w) for w in woorden[:start] if not re.fullmatch(r"\w\.?", w))
    achter = woorden[start:]
    kern_woorden = [w for w in achter if w.lower() not in TUSSENVOEGSELS]
    return Naamdelen(
        volledig=normaliseer(naam),
        voornamen=voornamen,
        achternaam=normaliseer(" ".join(achter)),
        kern=" ".join(kern_woorden) if kern_woorden else None,
    )


def huishouden_namen(huishouden_naam: str | None) -> list[str]:
    if not huishouden_naam or not huishouden_naam.strip():
        return []
    naam = huishouden_naam.strip()
    kern = _HUISHOUDEN_VOORVOEGSELS.sub("", naam).strip()
    return [naam, kern] if kern and kern != naam else [naam]


def _patroon(vormen: Iterable[str]) -> re.Pattern[str] | None:
    delen = sorted(
        {r"\s+".join(re.escape(w) for w in v.split(" ")) for v in vormen if len(v) >= 3},
        key=len,
        reverse=True,
    )
    if not delen:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(delen) + r")(?!\w)")


@dataclass(frozen=True)
class Namenlijst:
    """The names to look for, compiled once: case-insensitive forms (full names, first names,
    surnames with tussenvoegsel) and capitalised-only forms (a bare surname core, which may also
    be an ordinary word: "Dijk", "Visser")."""

    los: re.Pattern[str] | None
    met_hoofdletter: re.Pattern[str] | None

    @classmethod
    def van(cls, namen: Iterable[str]) -> Namenlijst:
        los: set[str] = set()
        kernen: set[str] = set()
        for naam in namen:
            d = naamdelen(naam)
            if not d.volledig:
                continue
            los.add(d.volledig)
            los.update(d.voornamen)
            # "van dijk" in any case; a bare "Bakker" only with its capital ("de bakker").
            if d.achternaam and " " in d.achternaam:
                los.add(d.achternaam)
            if d.kern and len(d.kern) >= 3:
                kernen.add(_zonder_accenten(d.kern))
        hoofd = None
        if kernen:
            vormen = "|".join(
                r"\s+".join(re.escape(w) for w in k.split(" "))
                for k in sorted(kernen, key=len, reverse=True)
            )
            hoofd = re.compile(rf"(?<!\w)(?:{vormen})(?!\w)")
        return cls(los=_patroon(los), met_hoofdletter=hoofd)

    def in_tekst(self, genormaliseerd: str, ontmaskerd_zonder_accenten: str) -> bool:
        if self.los is not None and self.los.search(genormaliseerd):
            return True
        return bool(
            self.met_hoofdletter and self.met_hoofdletter.search(ontmaskerd_zonder_accenten)
        )


# --- deduce -----------------------------------------------------------------------------------

_status: Literal["uit", "bezig", "gereed", "niet-geinstalleerd", "fout"] = "uit"
_deduce: Any = None
_klaar = threading.Event()
_slot = threading.Lock()
_deduce_slot = threading.Lock()
# Set in the workers of `doorbraak serve`: deduce runs in one process of its own, asked over this
# Unix socket (`deidentificatie`), and is never imported here.
_socket: str | None = None
# deduce tags that identify a person in a verhaal. Places, institutions and ages do not: "in
# Utrecht", "de GGZ", "een moeder van 34" are what a story is made of.
_PERSOON_TAGS = frozenset({"persoon", "patient", "patiënt"})


def _bouw() -> None:
    global _status, _deduce
    begin = time.monotonic()
    try:
        from deduce import Deduce  # imported here: loading it builds nothing yet

        _deduce = Deduce()
        _status = "gereed"
        log.info("Dutch de-identification ready after %.0f s", time.monotonic() - begin)
    except ImportError:
        _status = "niet-geinstalleerd"
        log.error("the deduce package is not installed: shared texts cannot be checked")
    except Exception as exc:  # a broken install must not take the app down
        _status = "fout"
        log.error("deduce could not be loaded: %s", type(exc).__name__)
    finally:
        _klaar.set()


def start_opwarmen(socket: str | None = None) -> None:
    """Build deduce's lookup tables in a background thread, once per process; or, given the
    socket of the shared de-identification process, use that one instead and load nothing."""
    global _status, _socket
    if socket:
        _socket = socket
        return
    with _slot:
        if _status != "uit":
            return
        _status = "bezig"
    threading.Thread(target=_bouw, name="deduce-opwarmen", daemon=True).start()


def wacht_tot_gereed(timeout: float | None = None) -> bool:
    """For the CLI and the tests: block until the warm-up has ended (never in a request)."""
    start_opwarmen()
    _klaar.wait(timeout)
    return _status == "gereed"


def status() -> str:
    return _status


async def gereedheid() -> str:
    """For the readiness endpoint: "gereed", "bezig", "niet-geinstalleerd" or "fout", of the
    shared process when there is one, else of this process's deduce."""
    if _socket is not None:
        return await proces_status(_socket)
    return _status if _status in {"gereed", "niet-geinstalleerd", "fout"} else "bezig"


def _niet_gereed(status: str) -> NietGereed:
    return NietGereed(
        "niet-geinstalleerd"
        if status == "niet-geinstalleerd"
        else "fout"
        if status == "fout"
        else "bezig"
    )


def deduce_annotaties(ontmaskerd: str) -> list[tuple[str, str]]:
    """deduce's annotations of a text in this process, as (tag, text)."""
    if _status != "gereed":
        raise _niet_gereed(_status)
    with _deduce_slot:  # one text at a time: the shared process answers from several threads
        gevonden = _deduce.deidentify(ontmaskerd).annotations
    return [(str(a.tag), str(a.text)) for a in gevonden]


def _tags_naar_vondsten(annotaties: Iterable[tuple[str, str]]) -> set[Vondst]:
    gevonden: set[Vondst] = set()
    for ruwe_tag, stuk in annotaties:
        tag = ruwe_tag.lower()
        if tag in _PERSOON_TAGS:
            gevonden.add(NAAM_PERSOON)
        elif tag == "locatie" and re.search(r"\d", stuk):
            gevonden.add(ADRES)
        elif tag == "datum" and VOLLEDIGE_DATUM.search(stuk):
            gevonden.add(GEBOORTEDATUM)
        elif tag == "bsn":
            gevonden.add(BSN)
        elif tag == "email":
            gevonden.add(E_MAILADRES)
        elif tag == "telefoonnummer":
            gevonden.add(TELEFOONNUMMER)
    return gevonden


async def _deduce_via_proces(socket: str, ontmaskerd: str) -> set[Vondst]:
    try:
        status, annotaties = await proces_annotaties(socket, ontmaskerd)
    except Onbereikbaar as exc:  # starting, restarting or hung
        raise NietGereed("bezig") from exc
    if status != "gereed":
        raise _niet_gereed(status)
    return _tags_naar_vondsten(annotaties)


# --- the shared de-identification process, asked by a worker (leren/deidentificatie.py) -----

# A text of a leerpunt is at most a few thousand characters; JSON-escaped, well within this.
MAX_REGEL = 4 * 1024 * 1024
# How long a worker waits for an answer: deduce takes milliseconds per text, so this is only
# reached when the process hangs or is swamped; the check then answers "not ready" (503).
TIMEOUT_SECONDEN = 10.0
STATUS_TIMEOUT_SECONDEN = 1.0


class Onbereikbaar(Exception):
    """The process did not answer (not started yet, restarting, hung)."""


async def _vraag(pad: str, bericht: dict[str, Any], seconden: float) -> dict[str, Any]:
    async def heen_en_weer() -> dict[str, Any]:
        reader, writer = await asyncio.open_unix_connection(pad, limit=MAX_REGEL)
        try:
            writer.write(json.dumps(bericht, ensure_ascii=False).encode() + b"\n")
            await writer.drain()
            regel = await reader.readline()
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        antwoord = json.loads(regel)
        if not isinstance(antwoord, dict):
            raise ValueError("no JSON object")
        return antwoord

    try:
        return await asyncio.wait_for(heen_en_weer(), seconden)
    except (OSError, TimeoutError, ValueError) as exc:
        raise Onbereikbaar(type(exc).__name__) from exc


async def proces_annotaties(pad: str, tekst: str) -> tuple[str, list[tuple[str, str]]]:
    """deduce's (tag, text) annotations of `tekst`, with the process's status; `[]` unless
    the status is "gereed"."""
    antwoord = await _vraag(pad, {"tekst": tekst}, TIMEOUT_SECONDEN)
    status = str(antwoord.get("status"))
    if status != "gereed":
        return status, []
    return status, [(str(t), str(s)) for t, s in antwoord.get("annotaties", [])]


async def proces_status(pad: str) -> str:
    try:
        antwoord = await _vraag(pad, {"vraag": "status"}, STATUS_TIMEOUT_SECONDEN)
    except Onbereikbaar:
        return "bezig"
    return str(antwoord.get("status"))


# --- the check --------------------------------------------------------------------------------

_VOLGORDE = (
    BSN,
    E_MAILADRES,
    TELEFOONNUMMER,
    POSTCODE,
    ADRES,
    GEBOORTEDATUM,
    NAAM_HUISHOUDEN,
    NAAM_MEDEWERKER,
    NAAM_PERSOON,
)


def _eigen_vondsten(
    tekst: str, medewerkers: Iterable[str] | Namenlijst, huishouden_naam: str | None
) -> tuple[set[Vondst], str]:
    """What this module's own rules find, and the unmasked text for deduce."""
    ontmaskerd = ontmasker(tekst)
    kaal = _zonder_accenten(ontmaskerd)
    genormaliseerd = normaliseer(tekst)
    gevonden: set[Vondst] = set()
    if bsns_in_tekst(ontmaskerd):
        gevonden.add(BSN)
    if EMAIL.search(ontmaskerd):
        gevonden.add(E_MAILADRES)
    if TELEFOON.search(ontmaskerd):
        gevonden.add(TELEFOONNUMMER)
    if POSTCODE_HUISNUMMER.search(ontmaskerd):
        gevonden.add(POSTCODE)
    if STRAAT_HUISNUMMER.search(ontmaskerd) or _STRAAT_OF_LAAN_VAN.search(ontmaskerd):
        gevonden.add(ADRES)
    # A date of birth, and any full date (day, month and year): with a date a reader finds the
    # household in a register; "in maart" or "na drie weken" tells the story as well.
    if GEBOREN.search(ontmaskerd) or VOLLEDIGE_DATUM.search(ontmaskerd):
        gevonden.add(GEBOORTEDATUM)
    huishouden = Namenlijst.van(huishouden_namen(huishouden_naam))
    if huishouden.in_tekst(genormaliseerd, kaal):
        gevonden.add(NAAM_HUISHOUDEN)
    staf = medewerkers if isinstance(medewerkers, Namenlijst) else Namenlijst.van(medewerkers)
    if staf.in_tekst(genormaliseerd, kaal):
        gevonden.add(NAAM_MEDEWERKER)
    if _hoofdletter_na_aanspreekvorm(ontmaskerd):
        gevonden.add(NAAM_PERSOON)
    return gevonden, ontmaskerd


def _geordend(gevonden: set[Vondst]) -> list[Vondst]:
    # A name of the household or of staff is the more precise finding than "a person".
    if gevonden & {NAAM_HUISHOUDEN, NAAM_MEDEWERKER}:
        gevonden.discard(NAAM_PERSOON)
    return [v for v in _VOLGORDE if v in gevonden]


def vondsten(
    tekst: str,
    *,
    medewerkers: Iterable[str] | Namenlijst,
    huishouden_naam: str | None,
    met_deduce: bool = True,
) -> list[Vondst]:
    """What in `tekst` would identify someone, by kind, in a fixed order, with deduce in this
    process. `met_deduce=False` runs only this module's own rules (for texts that stay in the
    casus, where only a BSN matters). Raises `NietGereed` while deduce is not ready."""
    gevonden, ontmaskerd = _eigen_vondsten(tekst, medewerkers, huishouden_naam)
    if met_deduce:
        gevonden |= _tags_naar_vondsten(deduce_annotaties(ontmaskerd))
    return _geordend(gevonden)


async def vondsten_async(
    tekst: str,
    *,
    medewerkers: Iterable[str] | Namenlijst,
    huishouden_naam: str | None,
    met_deduce: bool = True,
) -> list[Vondst]:
    """`vondsten` for a request: with the shared de-identification process when this worker has
    one (the event loop waits for its answer without blocking), else with deduce here."""
    if _socket is None or not met_deduce:
        return vondsten(
            tekst, medewerkers=medewerkers, huishouden_naam=huishouden_naam, met_deduce=met_deduce
        )
    gevonden, ontmaskerd = _eigen_vondsten(tekst, medewerkers, huishouden_naam)
    gevonden |= await _deduce_via_proces(_socket, ontmaskerd)
    return _geordend(gevonden)


if __name__ == "__main__":  # `python -m doorbraak.leren.anonimiteit`: build deduce's tables now
    import sys

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(0 if wacht_tot_gereed() else f"deduce: {status()}")
