"""Writing one table to disk, incrementally: CSV (UTF-8, RFC 4180, header row) and, when the
optional `parquet` extra (pyarrow) is installed, Parquet.

Values are rendered the same way every time (no clock, no locale), so the same rows give the
same bytes: instants as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC), dates as `YYYY-MM-DD`, booleans as
`true`/`false`, an empty field for null.
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
from collections.abc import Callable, Sequence
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


def _tijdstip(v: dt.datetime) -> str:
    # UtcDateTime hands out UTC already; isoformat is several times faster than strftime.
    if v.utcoffset():
        v = v.astimezone(dt.UTC)
    return v.isoformat(timespec="microseconds")[:26] + "Z"


def _boolean(v: Any) -> str:
    return "true" if v else "false"


def _csv_omzetter(soort: Soort, pseudoniem: Pseudoniem) -> Omzetter | None:
    """Value -> CSV text; None means the value is written as it is (str, int)."""
    if soort == "tijdstip":
        return _tijdstip
    if soort == "boolean":
        return _boolean
    if soort == "datum":
        return dt.date.isoformat
    if soort == "uuid":
        return str
    if soort == "pseudoniem":
        return pseudoniem
    return None


def csv_rij_omzetter(tabel: Tabel, pseudoniem: Pseudoniem) -> Callable[[Sequence[Any]], list[Any]]:
    """A function turning one result row into the CSV fields of the table."""
    omzetters = [_csv_omzetter(k.soort, pseudoniem) for k in tabel.alle_kolommen]
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
    """RFC 4180: comma, CRLF line ends, double quotes only where needed; null is an empty field."""

    formaat = "csv"
    extensie = "csv"

    def __init__(self, pad: Path, tabel: Tabel, pseudoniem: Pseudoniem) -> None:
        self.pad = pad
        # Binary, so ready CSV bytes (PostgreSQL COPY, see kopie.py) go in as they are; rows
        # rendered here pass through a text buffer per batch.
        self._bestand = open(pad, "wb")  # noqa: SIM115
        self._tekst = io.StringIO()
        self._csv = csv.writer(self._tekst, lineterminator="\r\n")
        self._csv.writerow([k.naam for k in tabel.alle_kolommen])
        self._leeg_tekst()
        # Converted column by column (a C-level map per column beats a Python loop per row).
        self._omzetters = [
            (i, f, tabel.kan_leeg_zijn(k))
            for i, k in enumerate(tabel.alle_kolommen)
            if (f := _csv_omzetter(k.soort, pseudoniem)) is not None
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
        """Rows already rendered as RFC 4180 CSV in UTF-8 (no header)."""
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
