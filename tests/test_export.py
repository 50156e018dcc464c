"""The nightly export: complete, private, idempotent, incremental with tombstones, atomic,
one run at a time, delivered with retries and resume (issue 8)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.config import Settings, get_settings
from doorbraak.demo import ANDERE_CASUSSEN, DEMO_BSNS, casussen_laden
from doorbraak.export import levering, service, woordenboek
from doorbraak.export.bestanden import CsvSchrijver, formulevrij, parquet_beschikbaar, sha256_van
from doorbraak.export.service import ExportBezig, Opdracht
from doorbraak.export.tabellen import TABELLEN
from doorbraak.models import (
    Afspraak,
    Afwijking,
    Beleidssignaal,
    Besluit,
    Betrokkene,
    Casus,
    Deelname,
    Doel,
    Escalatie,
    ExportRun,
    ExternePartij,
    FaseOvergang,
    Huishoudlid,
    Knelpunt,
    Kostennulmeting,
    Kostenregel,
    Leerpunt,
    LogboekRegel,
    Medewerker,
    Partijdeelname,
    Reactie,
    Regel,
    Regelversie,
    Regievoering,
    Rugdekkingsverzoek,
    Stap,
    TijdlijnRegel,
)
from doorbraak.werk.systeem import Omgeving
from tests.conftest import TEST_URL, Api, omgeving_van, postgres_only
from tests.helpers import mid, nieuwe_casus, ok, probleem
from tests.personas import PERSONAS as MEDEWERKERS

ROOT = Path(__file__).resolve().parents[1]
MODELLEN = {
    "casussen": Casus,
    "fase_overgangen": FaseOvergang,
    "regievoeringen": Regievoering,
    "deelnames": Deelname,
    "betrokkenen": Betrokkene,
    "kostenregels": Kostenregel,
    "kosten_nulmetingen": Kostennulmeting,
    "stappen": Stap,
    "knelpunten": Knelpunt,
    "besluiten": Besluit,
    "reacties": Reactie,
    "afwijkingen": Afwijking,
    "rugdekkingsverzoeken": Rugdekkingsverzoek,
    "regels": Regel,
    "regelversies": Regelversie,
    "leerpunten": Leerpunt,
    "escalaties": Escalatie,
    "beleidssignalen": Beleidssignaal,
    "externe_partijen": ExternePartij,
    "partijdeelnames": Partijdeelname,
    "huishoudleden": Huishoudlid,
    "doelen": Doel,
    "afspraken": Afspraak,
}
Maker = async_sessionmaker[AsyncSession]


def _settings() -> Settings:
    return get_settings()


async def exporteren(
    db: Maker,
    naar: Path,
    modus: str = "volledig",
    sinds: dt.datetime | None = None,
    kopie: bool = True,
    profiel: str = "rfc4180",
    zip: bool = False,
) -> ExportRun:
    opdracht = Opdracht(naar=naar, modus=modus, sinds=sinds, kopie=kopie, profiel=profiel, zip=zip)  # type: ignore[arg-type]
    omg = omgeving_van(db)
    run = await service.claimen_los(omg, opdracht, "test")
    return await service.uitvoeren(omg, run.id, opdracht)


def lees_csv(map_: Path, tabel: str) -> list[dict[str, str]]:
    with open(map_ / f"{tabel}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def inhoud(map_: Path) -> list[Path]:
    return sorted(map_.iterdir())


def eerste_regel(pad: Path) -> bytes:
    with open(pad, "rb") as f:
        return f.readline()


def _bestanden(map_: Path) -> list[str]:
    return sorted(p.relative_to(map_).as_posix() for p in map_.rglob("*") if p.is_file())


def complete_mappen(naar: Path) -> list[Path]:
    return [
        p for p in naar.iterdir() if not p.name.startswith(".") and (p / "manifest.json").exists()
    ]


# --- the data dictionary -----------------------------------------------------------------------


def test_data_dictionary_matches_the_table_definitions() -> None:
    for pad, inhoud in woordenboek.bestanden().items():
        assert (ROOT / pad).read_text(encoding="utf-8") == inhoud, (
            f"{pad} is out of date: run `doorbraak export-woordenboek`"
        )


def test_every_query_selects_exactly_the_declared_columns() -> None:
    assert [t.naam for t in TABELLEN] == list(MODELLEN)
    for tabel in TABELLEN:
        gekozen = [c.name for c in tabel.query(None).selected_columns]
        assert gekozen == [k.naam for k in tabel.alle_kolommen], tabel.naam


# --- completeness, privacy, idempotency ----------------------------------------------------


async def _demo(db: Maker) -> None:
    await casussen_laden(omgeving_van(db))


async def test_full_export_is_complete_and_matches_the_manifest(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    run = await exporteren(db, tmp_path)
    assert run.status == "voltooid" and run.modus == "volledig"
    [map_] = complete_mappen(tmp_path)
    manifest = json.loads((map_ / "manifest.json").read_text())
    assert manifest["schema_versie"] == "2" and manifest["run_id"] == str(run.id)
    assert manifest["periode"]["modus"] == "volledig"
    assert manifest["generator"]["naam"] == "doorbraak"
    async with db() as session:
        for naam, model in MODELLEN.items():
            aantal = await session.scalar(select(func.count()).select_from(model))
            rijen = lees_csv(map_, naam)
            assert len(rijen) == aantal, naam
            assert aantal and aantal > 0, f"the demo has no {naam}"
            assert all(r["verwijderd"] == "false" for r in rijen)
            assert run.rijen_per_tabel[naam] == aantal
        # every casus is there, each under its own pseudonym
        casussen = lees_csv(map_, "casussen")
        assert len({r["casus_pseudoniem"] for r in casussen}) == len(casussen)
        alle_pseudoniemen = {r["casus_pseudoniem"] for r in casussen}
        for naam in MODELLEN:
            for r in lees_csv(map_, naam):
                if "casus_pseudoniem" in r:
                    assert r["casus_pseudoniem"] in alle_pseudoniemen, naam
    formaten = {"csv", "parquet"} if parquet_beschikbaar() else {"csv"}
    assert len(manifest["bestanden"]) == len(TABELLEN) * len(formaten)
    for b in manifest["bestanden"]:
        assert b["formaat"] in formaten
        assert sha256_van(map_ / b["bestand"]) == b["sha256"]
        assert b["rijen"] == run.rijen_per_tabel[b["tabel"]]
    kop = eerste_regel(map_ / "casussen.csv")
    assert kop.startswith(b"casus_pseudoniem,") and kop.endswith(b"\r\n")  # RFC 4180
    if parquet_beschikbaar():
        import pyarrow.parquet as pq

        for naam in MODELLEN:
            tabel = pq.read_table(map_ / f"{naam}.parquet")
            assert tabel.num_rows == run.rijen_per_tabel[naam]
            assert (
                tabel.column_names == [k for k in lees_csv(map_, naam)[0]]
                if tabel.num_rows
                else True
            )


def _alle_tekst(map_: Path) -> str:
    """Every file of the run that carries data (the Table Schemas are the code's own text)."""
    delen = []
    for pad in sorted(p for p in map_.rglob("*") if p.is_file() and p.parent.name != "schema"):
        if pad.suffix == ".parquet":
            import pyarrow.parquet as pq

            delen.append(json.dumps(pq.read_table(pad).to_pylist(), default=str))
        else:
            delen.append(pad.read_text(encoding="utf-8"))
    return "\n".join(delen)


async def test_no_bsn_no_staff_names_no_household_names(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    await exporteren(db, tmp_path)
    [map_] = complete_mappen(tmp_path)
    alles = _alle_tekst(map_).casefold()
    async with db() as session:
        huishoudens = [n for n in (await session.scalars(select(Casus.huishouden_naam))).all() if n]
        kenmerken = list((await session.scalars(select(Casus.kenmerk))).all())
        # The plan's free text and the external parties' contact persons (personal data).
        plan = [
            *(await session.scalars(select(Huishoudlid.naam_of_rol))).all(),
            *(await session.scalars(select(Doel.tekst))).all(),
            *(await session.scalars(select(Afspraak.tekst))).all(),
            *(await session.scalars(select(Partijdeelname.standpunt))).all(),
            # What a rugdekkingsverzoek says in words: the request, the answer, the withdrawal.
            *(await session.scalars(select(Rugdekkingsverzoek.toelichting))).all(),
            *(await session.scalars(select(Rugdekkingsverzoek.motivering))).all(),
            *(await session.scalars(select(Rugdekkingsverzoek.sluitingsreden))).all(),
        ]
        contact = (
            await session.execute(
                select(
                    Partijdeelname.contact_naam,
                    Partijdeelname.contact_telefoon,
                    Partijdeelname.contact_email,
                )
            )
        ).all()
    assert huishoudens and len(huishoudens) >= len(ANDERE_CASUSSEN) // 2
    assert plan and contact and all(all(c) for c in contact)
    contactgegevens = [waarde for rij in contact for waarde in rij]
    verboden = [
        *DEMO_BSNS,
        *(m.naam for m in MEDEWERKERS),
        *huishoudens,
        *kenmerken,
        *[t for t in plan if t],
        *contactgegevens,
    ]
    for tekst in verboden:
        assert tekst.casefold() not in alles, f"{tekst!r} is in the export"
    # surnames on their own, too (e.g. "Demir" from "Familie Demir")
    for naam in [*(m.naam for m in MEDEWERKERS), *huishoudens]:
        achternaam = naam.split()[-1].casefold()
        assert f" {achternaam}" not in alles and f",{achternaam}" not in alles, naam
    # the shared verhalen are there: the one kind of free text that is exported
    verhalen = [r["verhaal"] for r in lees_csv(map_, "leerpunten") if r["verhaal"]]
    assert verhalen


async def test_rugdekkingsverzoeken_are_exported_by_afdeling_without_words(
    db: Maker, tmp_path: Path
) -> None:
    """Every verzoek of the demo, one row each: how it ended and the afdelingen involved, under
    the casus pseudonym; no names, no toelichting or motivering."""
    await _demo(db)
    await exporteren(db, tmp_path)
    [map_] = complete_mappen(tmp_path)
    rijen = {r["rugdekkingsverzoek_id"]: r for r in lees_csv(map_, "rugdekkingsverzoeken")}
    casussen = {r["casus_pseudoniem"] for r in lees_csv(map_, "casussen")}
    afwijkingen = {r["afwijking_id"] for r in lees_csv(map_, "afwijkingen")}
    async with db() as session:
        verzoeken = (await session.scalars(select(Rugdekkingsverzoek))).all()
        afdeling = dict(
            (await session.execute(select(Medewerker.id, Medewerker.afdeling_code))).tuples().all()
        )
    assert verzoeken and set(rijen) == {str(v.id) for v in verzoeken}
    for v in verzoeken:
        r = rijen[str(v.id)]
        assert r["casus_pseudoniem"] in casussen and r["afwijking_id"] in afwijkingen
        assert r["status"] == v.status.value
        assert r["oordeel"] == (v.oordeel.value if v.oordeel else "")
        assert r["aan_afdeling"] == afdeling[v.aan_id]
        assert r["verzonden_door_afdeling"] == afdeling[v.verzonden_door_id]
        assert r["gesloten_door_afdeling"] == (
            afdeling[v.gesloten_door_id] if v.gesloten_door_id else ""
        )
    assert set(next(iter(rijen.values()))) == {
        "rugdekkingsverzoek_id",
        "casus_pseudoniem",
        "afwijking_id",
        "status",
        "aan_afdeling",
        "verzonden_door_afdeling",
        "verzonden_op",
        "oordeel",
        "beantwoord_op",
        "gesloten_door_afdeling",
        "gesloten_op",
        "verwijderd",
    }


async def test_two_runs_of_the_same_period_are_byte_identical(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    een = await exporteren(db, tmp_path / "een")
    twee = await exporteren(db, tmp_path / "twee")
    assert een.id != twee.id
    [a] = complete_mappen(tmp_path / "een")
    [b] = complete_mappen(tmp_path / "twee")
    namen = _bestanden(a)
    assert namen == _bestanden(b)
    for naam in namen:
        if naam not in ("manifest.json", "SHA256SUMS"):
            assert (a / naam).read_bytes() == (b / naam).read_bytes(), naam
    ma, mb = (json.loads((m / "manifest.json").read_text()) for m in (a, b))
    assert ma["bestanden"] == mb["bestanden"]
    # SHA256SUMS differs in the manifest's line only
    sa, sb = ((m / "SHA256SUMS").read_text().splitlines() for m in (a, b))
    assert [r for r in sa if not r.endswith("manifest.json")] == [
        r for r in sb if not r.endswith("manifest.json")
    ]
    # an ad-hoc period twice: identical as well
    sinds = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    drie = await exporteren(db, tmp_path / "drie", "incrementeel", sinds)
    vier = await exporteren(db, tmp_path / "vier", "incrementeel", sinds)
    assert drie.rijen == vier.rijen and 0 < drie.rijen < een.rijen
    [c] = complete_mappen(tmp_path / "drie")
    [d] = complete_mappen(tmp_path / "vier")
    for naam in namen:
        if naam not in ("manifest.json", "SHA256SUMS"):
            assert (c / naam).read_bytes() == (d / naam).read_bytes(), naam


LASTIGE_TEKSTEN = [
    'komma, "aanhalingstekens" en ""dubbel""',
    "regel\neinde",
    "cr\r\nlf en \r alleen",
    " spaties rond ",
    "\\.",
    "\\",
    "ëuro € 𝄞 tab\tin",
    '"',
    "",
    # spreadsheet formulas (CSV injection): written with a leading '
    '=HYPERLINK("https://kwaad.example","klik")',
    "+31 6 1234",
    "-2+3",
    "@SUM(A1:A9)",
    "\tinspringing",
    "\rterug",
    "'al een aanhalingsteken",
    "backslash \\n is geen regeleinde",
]


def _csv_bestanden(map_: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in inhoud(map_) if p.suffix == ".csv"}


@postgres_only
async def test_copy_path_writes_the_bytes_of_the_python_writer(
    api: Api, db: Maker, tmp_path: Path
) -> None:
    """PostgreSQL renders the CSV (COPY, kopie.py); it must be the Python writer's file, byte for
    byte: quoting, empty strings, CR/LF inside fields, instants, booleans, tombstones."""
    await _demo(db)
    async with db() as session:
        for i, t in enumerate(LASTIGE_TEKSTEN):
            session.add(
                Regel(
                    titel=t or "x",
                    regeling=f"r{i}",
                    artikel=t,
                    soort="wet",
                    bron_url=t if i % 2 else None,
                    toelichting=t,
                    actief=bool(i % 2),
                    aangemaakt_op=dt.datetime(2026, 1, 2, 3, 4, 5, i, tzinfo=dt.UTC),
                )
            )
        leerpunt = (await session.scalars(select(Leerpunt).order_by(Leerpunt.id))).first()
        assert leerpunt is not None
        leerpunt.soort, leerpunt.delen = "succes", True
        # published: approved by a second medewerker (only then does its text leave)
        leerpunt.gedeeld_op = leerpunt.gedeeld_op or leerpunt.aangemaakt_op
        leerpunt.tekst = "\n".join(LASTIGE_TEKSTEN)
        await session.commit()
    # deletions in the period, so the incremental runs carry tombstones
    karim = api("karim")
    kenmerk = (await nieuwe_casus(karim))["kenmerk"]
    basis = f"/api/v1/casussen/{kenmerk}"
    b = ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "GGD", "leefgebied": "gezondheid", "kostenPerJaarCent": 7},
        ),
        201,
    )
    r = await karim.delete(f"{basis}/betrokkenen/{b['id']}", headers={"If-Match": '"1"'})
    assert r.status_code == 204, r.text

    sinds = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    mappen: dict[str, Path] = {}
    for profiel in ("rfc4180", "excel"):
        for periode, modus, s in (("vol", "volledig", None), ("sinds", "incrementeel", sinds)):
            naam = f"{periode}-{profiel}"
            kopie = await exporteren(db, tmp_path / f"{naam}-copy", modus, s, profiel=profiel)
            python = await exporteren(
                db, tmp_path / f"{naam}-python", modus, s, kopie=False, profiel=profiel
            )
            assert kopie.rijen_per_tabel == python.rijen_per_tabel
            a = _csv_bestanden(Path(kopie.map or ""))
            b2 = _csv_bestanden(Path(python.map or ""))
            assert list(a) == list(b2) and len(a) == len(TABELLEN)
            for bestand in a:
                assert a[bestand] == b2[bestand], (naam, bestand)
            mappen[naam] = Path(kopie.map or "")
    toelichtingen = {r["toelichting"] for r in lees_csv(mappen["vol-rfc4180"], "regels")}
    assert toelichtingen >= {formulevrij(t) for t in LASTIGE_TEKSTEN if t}
    assert """'=HYPERLINK("https://kwaad.example","klik")""" in toelichtingen
    assert "'\rterug" in toelichtingen and "'\tinspringing" in toelichtingen
    excel = (mappen["vol-excel"] / "regels.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfregel_id;")
    assert b"\n" not in excel.replace(b"\r\n", b"")  # one line per record
    assert b"'\\rterug" in excel and b"cr\\nlf en \\r alleen" in excel
    betrokkenen = lees_csv(mappen["sinds-rfc4180"], "betrokkenen")
    assert [r["betrokkene_id"] for r in betrokkenen if r["verwijderd"] == "true"] == [b["id"]]


# --- incremental: changes, deletions, anonymisation ----------------------------------------


async def test_incremental_runs_carry_changes_and_tombstones(
    api: Api, db: Maker, tmp_path: Path
) -> None:
    karim = api("karim")
    oud = (await nieuwe_casus(karim))["kenmerk"]
    ok(await karim.post(f"/api/v1/casussen/{oud}/deelnames", json={"afdeling": "schuldhulp"}), 201)
    eerste = await exporteren(db, tmp_path, "incrementeel")
    assert eerste.modus == "volledig"  # no watermark yet: the first run is full

    # a new casus with a betrokkene; on the old one a betrokkene added and removed, a deelname removed
    nieuw = (await nieuwe_casus(karim, titel="Schulden"))["kenmerk"]
    basis = f"/api/v1/casussen/{oud}"
    b = ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "GGD", "leefgebied": "gezondheid", "kostenPerJaarCent": 700},
        ),
        201,
    )
    ok(
        await karim.post(
            f"/api/v1/casussen/{nieuw}/betrokkenen",
            json={"organisatie": "Bank", "leefgebied": "financien", "kostenPerJaarCent": 100},
        ),
        201,
    )
    r = await karim.delete(f"{basis}/betrokkenen/{b['id']}", headers={"If-Match": '"1"'})
    assert r.status_code == 204, r.text
    r = await karim.get(f"{basis}/deelnames/schuldhulp")
    r = await karim.delete(f"{basis}/deelnames/schuldhulp", headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 204, r.text

    tweede = await exporteren(db, tmp_path, "incrementeel")
    assert tweede.modus == "incrementeel"
    assert tweede.watermerk_van == eerste.watermerk_tot
    assert tweede.watermerk_tot is not None and tweede.watermerk_tot > (eerste.watermerk_tot or 0)
    map_ = Path(tweede.map or "")
    casussen = lees_csv(map_, "casussen")
    assert len(casussen) == 2  # both casussen changed, each exported whole
    betrokkenen = lees_csv(map_, "betrokkenen")
    tombstones = [r for r in betrokkenen if r["verwijderd"] == "true"]
    assert [t["betrokkene_id"] for t in tombstones] == [b["id"]]
    assert tombstones[0]["leefgebied"] == "" and tombstones[0]["casus_pseudoniem"]
    assert len([r for r in betrokkenen if r["verwijderd"] == "false"]) == 1
    deelnames = lees_csv(map_, "deelnames")
    assert [(d["afdeling"], d["verwijderd"]) for d in deelnames] == [("schuldhulp", "true")]
    assert len(lees_csv(map_, "regels")) == tweede.rijen_per_tabel["regels"]

    # nothing changed: the next incremental run is empty (the regel catalogue aside)
    derde = await exporteren(db, tmp_path, "incrementeel")
    assert derde.watermerk_van == derde.watermerk_tot == tweede.watermerk_tot
    assert all(n == 0 for t, n in derde.rijen_per_tabel.items() if t != "regels")

    # an ad-hoc --sinds run does not move the watermark
    await exporteren(db, tmp_path, "incrementeel", dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    vierde = await exporteren(db, tmp_path, "incrementeel")
    assert vierde.watermerk_van == tweede.watermerk_tot


async def test_an_anonymised_casus_loses_its_verhaal(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    await exporteren(db, tmp_path, "incrementeel")
    async with db() as session:
        casus_id = await session.scalar(
            select(Leerpunt.casus_id).where(Leerpunt.delen.is_(True)).limit(1)
        )
        assert casus_id is not None
        # What the retention job will do: set geanonimiseerd_op and write a tijdlijn entry.
        nu = dt.datetime.now(dt.UTC)
        await session.execute(
            update(Casus).where(Casus.id == casus_id).values(geanonimiseerd_op=nu)
        )
        session.add(
            TijdlijnRegel(
                casus_id=casus_id,
                door_id=None,
                actie="casus.geanonimiseerd",
                object_soort="casus",
                object_id=str(casus_id),
                wijzigingen={},
            )
        )
        await session.commit()
    run = await exporteren(db, tmp_path, "incrementeel")
    map_ = Path(run.map or "")
    [casus] = lees_csv(map_, "casussen")
    assert casus["geanonimiseerd_op"]
    leerpunten = lees_csv(map_, "leerpunten")
    assert leerpunten and all(lp["verhaal"] == "" for lp in leerpunten)
    assert any(lp["delen"] == "true" for lp in leerpunten)


# --- atomicity ------------------------------------------------------------------------------


async def test_a_failing_run_leaves_nothing_complete_looking(
    db: Maker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _demo(db)
    echt = CsvSchrijver.schrijf
    echt_csv = CsvSchrijver.schrijf_csv

    def kapot(self: CsvSchrijver, rijen: Any) -> None:
        if self.pad.name == "besluiten.csv":
            raise OSError("disk full (injected)")
        echt(self, rijen)

    def kapot_csv(self: CsvSchrijver, data: bytes) -> None:  # the COPY path (PostgreSQL)
        if self.pad.name == "besluiten.csv":
            raise OSError("disk full (injected)")
        echt_csv(self, data)

    monkeypatch.setattr(CsvSchrijver, "schrijf", kapot)
    monkeypatch.setattr(CsvSchrijver, "schrijf_csv", kapot_csv)
    with pytest.raises(OSError, match="injected"):
        await exporteren(db, tmp_path)
    assert inhoud(tmp_path) == []
    async with db() as session:
        run = (await session.scalars(select(ExportRun))).one()
    assert run.status == "mislukt" and "injected" in (run.fout or "")
    async with db() as session:
        assert await session.scalar(text("SELECT count(*) FROM export_watermerken")) == 0
    monkeypatch.setattr(CsvSchrijver, "schrijf", echt)
    monkeypatch.setattr(CsvSchrijver, "schrijf_csv", echt_csv)
    await exporteren(db, tmp_path)  # the lock was released
    assert len(complete_mappen(tmp_path)) == 1


KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from doorbraak.export import service
    from doorbraak.export.cli import cmd_export, registreer
    import argparse

    echt = service._tabel_schrijven

    async def sterf_halverwege(conn, tabel, *args, **kwargs):
        if tabel.naam == "besluiten":
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no except, no finally
        return await echt(conn, tabel, *args, **kwargs)

    service._tabel_schrijven = sterf_halverwege
    p = argparse.ArgumentParser()
    registreer(p.add_subparsers(dest="o"))
    args = p.parse_args(["export", "--naar", sys.argv[1], "--volledig"])
    sys.exit(args.func(args))
    """
)


async def test_a_run_killed_with_sigkill_leaves_no_complete_folder(
    db: Maker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _demo(db)
    env = {**os.environ, "DOORBRAAK_DATABASE_URL": TEST_URL}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        KILL_SCRIPT,
        str(tmp_path),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    assert await proc.wait() == -signal.SIGKILL
    resten = inhoud(tmp_path)
    assert resten and all(p.name.startswith(".") and p.name.endswith(".tmp") for p in resten)
    assert not complete_mappen(tmp_path)
    assert all(not (p / "manifest.json").exists() for p in resten)
    async with db() as session:
        dood = (await session.scalars(select(ExportRun))).one()
    assert dood.status == "bezig"
    # The orphaned run blocks until it is recognised as dead (its process is gone).
    monkeypatch.setattr(service, "ORPHAN_MARGE", dt.timedelta(0))
    # On PostgreSQL the dead runner's advisory lock goes when its backend notices the closed
    # connection, a moment after the kill: until then the run is rightly still "bezig".
    for _ in range(100):
        try:
            run = await exporteren(db, tmp_path)
            break
        except ExportBezig:
            await asyncio.sleep(0.1)
    else:
        raise AssertionError("the killed run was never recognised as dead")
    assert run.status == "voltooid"
    assert [p.name for p in inhoud(tmp_path)] == [Path(run.map or "").name]  # leftovers cleared
    async with db() as session:
        assert (await session.get(ExportRun, dood.id)).status == "afgebroken"  # type: ignore[union-attr]


# --- one run at a time -----------------------------------------------------------------------


async def test_two_concurrent_runs_one_refuses_or_waits(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    uitkomsten = await asyncio.gather(
        exporteren(db, tmp_path / "a"), exporteren(db, tmp_path / "b"), return_exceptions=True
    )
    geslaagd = [u for u in uitkomsten if isinstance(u, ExportRun)]
    geweigerd = [u for u in uitkomsten if isinstance(u, ExportBezig)]
    assert len(geslaagd) + len(geweigerd) == 2 and len(geslaagd) >= 1, uitkomsten
    # Held lock: a second claim is refused at once, or waits when asked to.
    omg = omgeving_van(db)
    opdracht = Opdracht(naar=tmp_path / "c", modus="volledig")
    eerste = await service.claimen_los(omg, opdracht, "test")
    with pytest.raises(ExportBezig):
        await service.claimen_los(omg, opdracht, "test")
    wachter = asyncio.create_task(service.claimen_los(omg, opdracht, "test", wachten=20))
    await asyncio.sleep(0.3)
    assert not wachter.done()
    await service.uitvoeren(omg, eerste.id, opdracht)
    tweede = await wachter
    await service.uitvoeren(omg, tweede.id, opdracht)
    assert len(complete_mappen(tmp_path / "c")) == 2


async def test_cli_exit_code_when_busy(db: Maker, tmp_path: Path) -> None:
    from doorbraak.export.cli import JsonMelder, _draaien

    opdracht = Opdracht(naar=tmp_path, modus="volledig")
    bezig = await service.claimen_los(omgeving_van(db), opdracht, "test")

    class Lijst:
        def __init__(self) -> None:
            self.regels: list[str] = []

        def write(self, s: str) -> None:
            self.regels.append(s)

        def flush(self) -> None:
            pass

    uit = Lijst()
    code = await _draaien(_settings(), opdracht, False, 0, JsonMelder(uit))  # type: ignore[arg-type]
    assert code == service.EXIT_BEZIG == 75
    assert json.loads(uit.regels[0])["gebeurtenis"] == "export-bezig"
    await service.uitvoeren(omgeving_van(db), bezig.id, opdracht)
    assert await _draaien(_settings(), opdracht, False, 0, JsonMelder(uit)) == 0  # type: ignore[arg-type]


# --- the API ---------------------------------------------------------------------------------


async def test_api_beheerder_starts_and_reads_runs(api: Api, db: Maker) -> None:
    bram = api("bram")
    r = await bram.post("/api/v1/exports", json={"modus": "volledig"})
    run = ok(r, 202)
    assert r.headers["Location"] == f"/api/v1/exports/{run['id']}"
    gelezen = ok(await bram.get(f"/api/v1/exports/{run['id']}"))
    assert gelezen["status"] == "voltooid", gelezen  # the background task ran after the answer
    assert gelezen["klaarOp"] and gelezen["modus"] == "volledig"
    assert {t["tabel"] for t in gelezen["tabellen"]} == set(MODELLEN)
    ok(await bram.post("/api/v1/exports", json={}), 202)
    lijst = ok(await bram.get("/api/v1/exports", params={"limit": 1}))
    assert len(lijst["results"]) == 1 and lijst["next"]
    volgende = ok(await bram.get(lijst["next"]))
    assert volgende["results"][0]["id"] == run["id"] and volgende["next"] is None
    for wie in ("karim", "lotte", "fatima"):
        probleem(await api(wie).post("/api/v1/exports", json={}), 403, "rol-ontbreekt")
        probleem(await api(wie).get("/api/v1/exports"), 403)
    probleem(await bram.get(f"/api/v1/exports/{uuid.uuid4()}"), 404)
    probleem(
        await bram.post(
            "/api/v1/exports", json={"modus": "volledig", "sindsOp": "2026-01-01T00:00:00Z"}
        ),
        400,
    )


async def test_api_refuses_while_a_run_is_busy(api: Api, db: Maker, tmp_path: Path) -> None:
    await service.claimen_los(omgeving_van(db), Opdracht(naar=tmp_path), "test")
    probleem(await api("bram").post("/api/v1/exports", json={}), 409, "export-bezig")


# --- delivery --------------------------------------------------------------------------------


async def test_delivery_retries_resumes_and_marks_delivered(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    run = await exporteren(db, tmp_path)
    settings = _settings().model_copy(
        update={
            "export_lever_url": "https://rapportage.example/upload",
            "export_lever_token": __import__("pydantic").SecretStr("geheim-token"),
            "export_lever_pogingen": 3,
        }
    )
    ontvangen: dict[str, bytes] = {}
    pogingen: dict[str, int] = {}
    stuk = {"knelpunten.csv"}  # refuses for good during the first delivery

    def ontvanger(request: httpx.Request) -> httpx.Response:
        assert request.url.path.startswith(f"/upload/{run.id}/")
        naam = request.url.path.removeprefix(f"/upload/{run.id}/")
        assert request.headers["Authorization"] == "Bearer geheim-token"
        pogingen[naam] = pogingen.get(naam, 0) + 1
        if naam in stuk:
            return httpx.Response(400)
        if naam == "casussen.csv" and pogingen[naam] < 3:
            return httpx.Response(503, headers={"Retry-After": "1"})
        if naam == "besluiten.csv" and pogingen[naam] == 1:
            raise httpx.ConnectError("connection reset")
        body = request.read()
        assert request.headers["X-Content-SHA256"] == __import__("hashlib").sha256(body).hexdigest()
        ontvangen[naam] = body
        return httpx.Response(201)

    slaaptijden: list[float] = []

    async def slaap(s: float) -> None:
        slaaptijden.append(s)

    async with httpx.AsyncClient(transport=httpx.MockTransport(ontvanger)) as client:
        eerste = await levering.leveren(
            Omgeving(settings, db.kw["bind"], db), run.id, client, slaap
        )
        assert not eerste.geleverd and "knelpunten.csv" in (eerste.fout or "")
        assert pogingen["casussen.csv"] == 3 and pogingen["besluiten.csv"] == 2
        assert pogingen["knelpunten.csv"] == 1  # a 400 is not retried
        assert slaaptijden[:2] == [1.0, 1.0]  # Retry-After, then the backoff
        async with db() as session:
            tussen = await session.get(ExportRun, run.id)
            assert tussen is not None and tussen.geleverd_op is None and tussen.leverfout
            assert "casussen.csv" in tussen.geleverd and "manifest.json" not in tussen.geleverd
        al_ontvangen = set(ontvangen)
        stuk.clear()
        pogingen.clear()
        tweede = await levering.leveren(
            Omgeving(settings, db.kw["bind"], db), run.id, client, slaap
        )
    assert tweede.geleverd
    assert set(tweede.overgeslagen) == al_ontvangen  # resumed: acknowledged files not sent again
    assert "knelpunten.csv" in tweede.verstuurd and tweede.verstuurd[-1] == "manifest.json"
    assert not set(pogingen) & al_ontvangen
    map_ = Path(run.map or "")
    for naam, body in ontvangen.items():
        assert (map_ / naam).read_bytes() == body
    assert sorted(ontvangen) == _bestanden(map_)
    assert "schema/casussen.schema.json" in ontvangen and "SHA256SUMS" in ontvangen
    async with db() as session:
        klaar = await session.get(ExportRun, run.id)
        assert klaar is not None and klaar.geleverd_op is not None and klaar.leverfout is None


async def test_the_pseudonym_is_stable_and_keyed(db: Maker, api: Api, tmp_path: Path) -> None:
    await nieuwe_casus(api("karim"), bsn=DEMO_BSNS[0])
    a = await exporteren(db, tmp_path / "a")
    b = await exporteren(db, tmp_path / "b")
    [ra] = lees_csv(Path(a.map or ""), "casussen")
    [rb] = lees_csv(Path(b.map or ""), "casussen")
    assert ra["casus_pseudoniem"] == rb["casus_pseudoniem"]
    from doorbraak.export.bestanden import Pseudoniem

    async with db() as session:
        casus_id = await session.scalar(select(Casus.id))
    sleutel = _settings().pseudonym_key.get_secret_value().encode()
    assert Pseudoniem(sleutel)(casus_id) == ra["casus_pseudoniem"]
    assert Pseudoniem(b"another key")(casus_id) != ra["casus_pseudoniem"]
    assert mid("karim") not in (Path(a.map or "") / "casussen.csv").read_text()


async def test_a_run_and_its_delivery_are_in_the_logboek(db: Maker, tmp_path: Path) -> None:
    """Pseudonymised data leaving the database is on record: the claim, the finished run and
    the failed one are units of work of the system actor, with the export as oorsprong."""
    await _demo(db)
    run = await exporteren(db, tmp_path / "ok")
    async with db() as session:
        regels = (
            await session.scalars(
                select(LogboekRegel)
                .where(LogboekRegel.object_soort == "export")
                .order_by(LogboekRegel.id)
            )
        ).all()
    assert [(r.actie, r.object_id, r.actor, r.oorsprong) for r in regels] == [
        ("export.geclaimd", str(run.id), None, "export"),
        ("export.voltooid", str(run.id), None, "export"),
    ]
