"""Writing one table to disk, incrementally: CSV (UTF-8, header row, in one of two profiles)
and, when the optional `parquet` extra (pyarrow) is installed, Parquet; and the files around
them in a run folder: Table Schemas, SHA256SUMS, the ZIP bundle.

Values are rendered the same way every time (no clock, no locale), so the same rows give the
same bytes: instants as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC), dates as `YYYY-MM-DD`, booleans as
`true`/`false`, an empty field for null.

Free text (a `tekst` column without a fixed list of values) is made safe for spreadsheets: a
value starting with `=`, `+`, `-`, `@`, tab, CR (OWASP's list) or `'` gets a leading `'`, so
Excel or LibreOffice shows it as text instead of running it as a formula; reading it back, drop
one leading `'`. The excel profile also writes line breaks inside a value as `\n` / `\r` (and a
backslash as `\\`), so every record is one line. kopie.py renders exactly the same in SQL.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import hmac
import importlib.util
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from doorbraak.export.tabellen import Kolom, Soort, Tabel

Omzetter = Callable[[Any], Any]


def parquet_beschikbaar() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


class Pseudoniem:
    """Keyed HMAC-SHA256 of the internal casus id: stable across runs, useless without the key.
    Rows come ordered by casus, so the last answer is kept (one HMAC per casus per table)."""

    def __init__(self, sleutel: bytes) -> None:
        # The keyed state after the fixed prefix, copied per value: half the cost of hmac.new.
        self._basis = hmac.new(sleutel, b"doorbraak-export/casus/", hashlib.sha256)
        self._laatste: tuple[Any, str] | None = None

    def __call__(self, casus_id: Any) -> str:
        if self._laatste is not None and self._laatste[0] == casus_id:
            return self._laatste[1]
        h = self._basis.copy()
        h.update(str(casus_id).encode())
        waarde = h.hexdigest()[:32]
        self._laatste = (casus_id, waarde)
        return waarde


@dataclass(frozen=True)
class Profiel:
    """How the CSV files of a run are written."""

    naam: str
    scheidingsteken: str
    bom: bool  # a UTF-8 byte order mark first: Excel then reads the file as UTF-8
    regeleinden_escapen: bool  # line breaks inside a value as \n and \r (backslash as \\)

    def beschrijving(self) -> dict[str, Any]:
        """The profile as the manifest records it."""
        return {
            "profiel": self.naam,
            "codering": "utf-8-sig" if self.bom else "utf-8",
            "scheidingsteken": self.scheidingsteken,
            "aanhalingsteken": '"',
            "regeleinde": "\r\n",
            "regeleinden_in_waarden": "ge-escaped" if self.regeleinden_escapen else "letterlijk",
            "formules": "waarde met ' ervoor",
        }


RFC4180 = Profiel("rfc4180", ",", bom=False, regeleinden_escapen=False)
EXCEL = Profiel("excel", ";", bom=True, regeleinden_escapen=True)
PROFIELEN = {p.naam: p for p in (RFC4180, EXCEL)}

# First characters a spreadsheet may take for a formula (OWASP, CSV injection), and the quote
# itself so that the escape can be undone without doubt.
FORMULE_TEKENS = frozenset("=+-@\t\r'")


def vrije_tekst(kolom: Kolom) -> bool:
    """A column of free text: escaped against formulas (enum values and codes never need it)."""
    return kolom.soort == "tekst" and not kolom.waarden


def formulevrij(v: str) -> str:
    return "'" + v if v[:1] in FORMULE_TEKENS else v


def regeleinden_escapen(v: str) -> str:
    return v.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")


def _excel_tekst(v: str) -> str:
    return regeleinden_escapen(formulevrij(v))


def tijdstip(v: dt.datetime) -> str:
    """An instant as the export writes it everywhere (CSV, manifest): UTC, microseconds, `Z`."""
    # UtcDateTime hands out UTC already; isoformat is several times faster than strftime.
    if v.utcoffset():
        v = v.astimezone(dt.UTC)
    return v.isoformat(timespec="microseconds")[:26] + "Z"


def _boolean(v: Any) -> str:
    return "true" if v else "false"


def _csv_omzetter(kolom: Kolom, pseudoniem: Pseudoniem, profiel: Profiel) -> Omzetter | None:
    """Value -> CSV text; None means the value is written as it is (str, int)."""
    soort = kolom.soort
    if vrije_tekst(kolom):
        return _excel_tekst if profiel.regeleinden_escapen else formulevrij
    if soort == "tijdstip":
        return tijdstip
    if soort == "boolean":
        return _boolean
    if soort == "datum":
        return dt.date.isoformat
    if soort == "uuid":
        return str
    if soort == "pseudoniem":
        return pseudoniem
    return None


def csv_rij_omzetter(
    tabel: Tabel, pseudoniem: Pseudoniem, profiel: Profiel = RFC4180
) -> Callable[[Sequence[Any]], list[Any]]:
    """A function turning one result row into the CSV fields of the table."""
    omzetters = [_csv_omzetter(k, pseudoniem, profiel) for k in tabel.alle_kolommen]
    te_zetten = [(i, f) for i, f in enumerate(omzetters) if f is not None]

    def zet_om(rij: Sequence[Any]) -> list[Any]:
        velden = list(rij)
        for i, f in te_zetten:
            v = velden[i]
            if v is not None:
                velden[i] = f(v)
        return velden

    return zet_om


class CsvSchrijver:
    """CRLF line ends, double quotes only where needed, null is an empty field; separator, BOM
    and line breaks inside values as the profile says (RFC 4180 by default)."""

    formaat = "csv"
    extensie = "csv"

    def __init__(
        self, pad: Path, tabel: Tabel, pseudoniem: Pseudoniem, profiel: Profiel = RFC4180
    ) -> None:
        self.pad = pad
        # Binary, so ready CSV bytes (PostgreSQL COPY, see kopie.py) go in as they are; rows
        # rendered here pass through a text buffer per batch.
        self._bestand = open(pad, "wb")  # noqa: SIM115
        if profiel.bom:
            self._bestand.write("\ufeff".encode())
        self._tekst = io.StringIO()
        self._csv = csv.writer(
            self._tekst, delimiter=profiel.scheidingsteken, lineterminator="\r\n"
        )
        self._csv.writerow([k.naam for k in tabel.alle_kolommen])
        self._leeg_tekst()
        # Converted column by column (a C-level map per column beats a Python loop per row).
        self._omzetters = [
            (i, f, tabel.kan_leeg_zijn(k))
            for i, k in enumerate(tabel.alle_kolommen)
            if (f := _csv_omzetter(k, pseudoniem, profiel)) is not None
        ]

    def schrijf(self, rijen: Sequence[Sequence[Any]]) -> None:
        if not rijen:
            return
        kolommen: list[Any] = list(zip(*rijen, strict=True))
        for i, f, leeg in self._omzetters:
            if leeg:
                kolommen[i] = [None if v is None else f(v) for v in kolommen[i]]
            else:
                kolommen[i] = map(f, kolommen[i])
        self._csv.writerows(zip(*kolommen, strict=True))
        self._leeg_tekst()

    def schrijf_csv(self, data: bytes) -> None:
        """Rows already rendered as CSV of this profile in UTF-8 (no header, no BOM)."""
        self._bestand.write(data)

    def _leeg_tekst(self) -> None:
        self._bestand.write(self._tekst.getvalue().encode("utf-8"))
        self._tekst.seek(0)
        self._tekst.truncate()

    def sluit(self) -> None:
        self._bestand.flush()
        os.fsync(self._bestand.fileno())
        self._bestand.close()

    def afbreken(self) -> None:
        self._bestand.close()


def _arrow_type(soort: Soort) -> Any:
    import pyarrow as pa

    return {
        "tekst": pa.string(),
        "code": pa.string(),
        "geheel_getal": pa.int64(),
        "boolean": pa.bool_(),
        "datum": pa.date32(),
        "tijdstip": pa.timestamp("us", tz="UTC"),
        "uuid": pa.string(),
        "pseudoniem": pa.string(),
    }[soort]


def arrow_schema(tabel: Tabel) -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(k.naam, _arrow_type(k.soort), nullable=tabel.kan_leeg_zijn(k))
            for k in tabel.alle_kolommen
        ]
    )


class ParquetSchrijver:
    """One row group per batch of rows; no wall-clock metadata, so equal rows give equal bytes."""

    formaat = "parquet"
    extensie = "parquet"

    def __init__(self, pad: Path, tabel: Tabel, pseudoniem: Pseudoniem) -> None:
        import pyarrow.parquet as pq

        self.pad = pad
        self._kolommen: list[Kolom] = list(tabel.alle_kolommen)
        self._schema = arrow_schema(tabel)
        self._pseudoniem = pseudoniem
        self._schrijver = pq.ParquetWriter(str(pad), self._schema, compression="zstd")

    def schrijf(self, rijen: Sequence[Sequence[Any]]) -> None:
        import pyarrow as pa

        if not rijen:
            return
        kolommen = list(zip(*rijen, strict=True))
        arrays = []
        for kolom, waarden, veld in zip(self._kolommen, kolommen, self._schema, strict=True):
            if kolom.soort == "pseudoniem":
                waarden = tuple(None if v is None else self._pseudoniem(v) for v in waarden)
            elif kolom.soort == "uuid":
                waarden = tuple(None if v is None else str(v) for v in waarden)
            elif kolom.soort == "boolean":
                waarden = tuple(None if v is None else bool(v) for v in waarden)
            arrays.append(pa.array(waarden, type=veld.type))
        self._schrijver.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def sluit(self) -> None:
        self._schrijver.close()

    def afbreken(self) -> None:
        with contextlib.suppress(Exception):  # the folder is removed anyway
            self._schrijver.close()


Schrijver = CsvSchrijver | ParquetSchrijver


def sha256_van(pad: Path) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        while blok := f.read(1 << 20):
            h.update(blok)
    return h.hexdigest()


def json_schrijven(pad: Path, inhoud: Any) -> None:
    with open(pad, "w", encoding="utf-8") as f:
        json.dump(inhoud, f, indent=2, ensure_ascii=False)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


def csv_tekst(
    tabel: Tabel,
    rijen: Sequence[Sequence[Any]],
    pseudoniem: Pseudoniem,
    profiel: Profiel = RFC4180,
) -> str:
    """The CSV of some rows as text (for tests and small files)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=profiel.scheidingsteken, lineterminator="\r\n")
    w.writerow([k.naam for k in tabel.alle_kolommen])
    zet_om = csv_rij_omzetter(tabel, pseudoniem, profiel)
    w.writerows([zet_om(r) for r in rijen])
    return ("\ufeff" if profiel.bom else "") + buf.getvalue()


# --- around the data files: schemas, checksums, the bundle ---------------------------------

SCHEMA_SUBMAP = "schema"
SHA256SUMS = "SHA256SUMS"


def schema_pad(tabel: Tabel) -> str:
    """Where a table's Table Schema sits, relative to the run folder."""
    return f"{SCHEMA_SUBMAP}/{tabel.naam}.schema.json"


def schemas_schrijven(map_: Path, tabellen: Iterable[Tabel]) -> None:
    from doorbraak.export.woordenboek import table_schema

    (map_ / SCHEMA_SUBMAP).mkdir()
    for tabel in tabellen:
        json_schrijven(map_ / schema_pad(tabel), table_schema(tabel))


def _bestanden_in(map_: Path) -> list[Path]:
    return sorted(
        (p for p in map_.rglob("*") if p.is_file() and p.name != SHA256SUMS),
        key=lambda p: p.relative_to(map_).as_posix(),
    )


def sha256sums_schrijven(map_: Path) -> None:
    """`SHA256SUMS` over every other file of the folder, in the format of `sha256sum -c`."""
    regels = [f"{sha256_van(p)}  {p.relative_to(map_).as_posix()}\n" for p in _bestanden_in(map_)]
    with open(map_ / SHA256SUMS, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(regels)
        f.flush()
        os.fsync(f.fileno())


def bundel_schrijven(map_: Path, naam: str, tijd: dt.datetime) -> Path:
    """`<naam>.zip` inside the folder: every other file of it under `<naam>/` (SHA256SUMS
    included), deflated; ZIP64 where a file needs it."""
    doel = map_ / f"{naam}.zip"
    stempel = tijd.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(doel, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for pad in [*_bestanden_in(map_), map_ / SHA256SUMS]:
            if pad == doel:
                continue
            info = zipfile.ZipInfo(f"{naam}/{pad.relative_to(map_).as_posix()}", stempel)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(pad, "rb") as bron, z.open(info, "w", force_zip64=True) as uit:
                while blok := bron.read(1 << 20):
                    uit.write(blok)
    with open(doel, "rb+") as f:
        os.fsync(f.fileno())
    return doel
