"""Which files a bijlage may be, told from the bytes themselves (magic numbers and, for the
office formats, the entries of their ZIP container), never from the file name or the Content-Type
the client sent: a program renamed to `beschikking.pdf` is still a program.

Pure Python on purpose (no libmagic): `make run` needs nothing from the system.
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEKST = "text/plain; charset=utf-8"

# What the allow-list says in words (the API description and the upload form).
TOEGESTAAN = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods) en UTF-8-tekst"

# Programs are refused by name, before anything else is tried: a Windows PE starts with "MZ",
# an ELF binary with 0x7f "ELF", a Mach-O with one of its four magic numbers.
UITVOERBAAR = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)
ODF_SOORTEN = {ODT.encode(): ODT, ODS.encode(): ODS}
# Control characters that no plain text holds (tab, line feed, form feed and carriage return do).
_GEEN_TEKST = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20)) + b"\x7f"


class Geweigerd(ValueError):
    """Not on the allow-list; the message says what it looked like."""

    def __init__(self, reden: str, code: str = "bestandstype-niet-toegestaan") -> None:
        super().__init__(reden)
        self.code = code


def _zip(inhoud: bytes) -> str:
    try:
        archief = zipfile.ZipFile(io.BytesIO(inhoud))
        namen = set(archief.namelist())
        # OpenDocument: an uncompressed `mimetype` entry naming the kind (ODF 1.2, 3.3).
        if "mimetype" in namen and archief.getinfo("mimetype").file_size <= 100:
            soort = ODF_SOORTEN.get(archief.read("mimetype").strip())
            if soort is not None and "content.xml" in namen:
                return soort
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError) as exc:
        raise Geweigerd("Een beschadigd ZIP-bestand.") from exc
    if "[Content_Types].xml" in namen:
        if "word/document.xml" in namen:
            return DOCX
        if "xl/workbook.xml" in namen:
            return XLSX
    raise Geweigerd("Een ZIP-archief dat geen Word-, Excel- of OpenDocument-bestand is.")


def _is_tekst(inhoud: bytes) -> bool:
    try:
        inhoud.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # translate() in C: a 20 MB text is checked in milliseconds.
    return len(inhoud.translate(None, _GEEN_TEKST)) == len(inhoud)


def soort(inhoud: bytes) -> str:
    """The media type of an allowed file, or `Geweigerd`."""
    if not inhoud:
        raise Geweigerd("Het bestand is leeg.", code="leeg-bestand")
    if inhoud.startswith(UITVOERBAAR):
        raise Geweigerd("Een programma (uitvoerbaar bestand) wordt nooit aangenomen.")
    if inhoud.startswith(b"%PDF-"):
        return PDF
    if inhoud.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if inhoud.startswith(b"\xff\xd8\xff"):
        return JPEG
    if inhoud.startswith(b"PK\x03\x04"):
        return _zip(inhoud)
    if _is_tekst(inhoud):
        return TEKST
    raise Geweigerd(f"Dit soort bestand wordt niet aangenomen; wel: {TOEGESTAAN}.")
