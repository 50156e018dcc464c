"""The export run: claim the one-at-a-time lock, read one snapshot, stream every table to a
temporary folder, write the manifest, rename, and record the run with its watermark.

One run at a time, across processes: a run is a row in `export_runs` with status `bezig`, and a
partial unique index allows only one such row (on SQLite and PostgreSQL alike). A process that
dies mid-run leaves its row behind; the next claim recognises it as orphaned (PostgreSQL: the
runner's session advisory lock is gone; SQLite: its pid no longer lives on this host) and marks
it `afgebroken`.

Consistency: every table is read in one transaction (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite). Atomicity: files go to `.<run>.tmp` and the folder is renamed only
after the manifest is written and everything is fsynced; a failed run removes it, and a run
killed outright leaves only a dot-folder without manifest, which the next run clears away.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import httpx
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from doorbraak import __version__
from doorbraak.auth import policy
from doorbraak.config import Settings
from doorbraak.db import is_sqlite, utcnow
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.export import kopie, levering, repository
from doorbraak.export.bestanden import (
    PROFIELEN,
    RFC4180,
    SHA256SUMS,
    CsvSchrijver,
    ParquetSchrijver,
    Profiel,
    Pseudoniem,
    Schrijver,
    bundel_schrijven,
    json_schrijven,
    parquet_beschikbaar,
    schema_pad,
    schemas_schrijven,
    sha256_van,
    sha256sums_schrijven,
    tijdstip,
)
from doorbraak.export.schemas import (
    ExportModus,
    ExportNieuw,
    ExportRunUit,
    ExportStatus,
    TabelRijen,
)
from doorbraak.export.tabellen import SCHEMA_VERSIE, TABELLEN, CasusFilter, Tabel
from doorbraak.kit.pagination import PaginaVraag
from doorbraak.models import ExportRun
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.systeem import Omgeving

log = logging.getLogger("doorbraak.export")

# Exit codes for cron and Kubernetes (sysexits.h where one fits).
EXIT_OK = 0
EXIT_FOUT = 1
EXIT_GEBRUIK = 2
EXIT_LEVERING = 69  # EX_UNAVAILABLE: files written, the reporting endpoint did not take them
EXIT_BEZIG = 75  # EX_TEMPFAIL: another run is busy; try again later

BATCH = 5000
# A `bezig` row this young is never taken for orphaned: its runner may still be starting.
ORPHAN_MARGE = dt.timedelta(seconds=60)
TMP_MAP = re.compile(r"^\.\d{8}T\d{6}Z-[0-9a-f]{8}\.tmp$")

Modus = Literal["volledig", "incrementeel"]


class ExportBezig(Conflict):
    code = "export-bezig"

    def __init__(self, detail: str = "Er loopt al een export; probeer het later opnieuw.") -> None:
        super().__init__(detail)


@dataclass(frozen=True)
class Opdracht:
    """What to export. `incrementeel` without `sinds`: since the watermark of the last completed
    run (a full export when there is none); with `sinds`: every casus changed after that moment
    (an ad-hoc run: it does not move the watermark)."""

    naar: Path
    modus: Modus = "incrementeel"
    sinds: dt.datetime | None = None
    parquet: bool | None = None  # None: when pyarrow is installed
    # PostgreSQL: CSV through COPY (kopie.py). False: rendered in Python, as on SQLite; the
    # byte-identity test and bench/export/gelijk.py compare both.
    kopie: bool = True
    # CSV profile (bestanden.PROFIELEN): `rfc4180` (default) or `excel`.
    profiel: str = "rfc4180"
    # Also a `<run>.zip` of the folder (CSV-in-ZIP for reporting chains).
    zip: bool = False


class Melder(Protocol):
    def gebeurtenis(self, naam: str, **velden: Any) -> None: ...

    def voortgang(self, tabel: str, nummer: int, totaal: int, rijen: int) -> None: ...


class LogMelder:
    """Reports through the `doorbraak.export` logger (API runs)."""

    def gebeurtenis(self, naam: str, **velden: Any) -> None:
        log.info("%s %s", naam, json.dumps(velden, default=str, sort_keys=True))

    def voortgang(self, tabel: str, nummer: int, totaal: int, rijen: int) -> None:
        return None


def proces() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _leeft(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def _is_verweesd(engine: AsyncEngine, run: ExportRun, nu: dt.datetime) -> bool:
    if nu - run.gestart_op < ORPHAN_MARGE:
        return False
    if is_sqlite(str(engine.url)):
        host, _, pid = run.proces.rpartition(":")
        return host == socket.gethostname() and pid.isdigit() and not _leeft(int(pid))
    async with engine.connect() as conn:
        vrij = await repository.postgres_advisory_lock(conn)
        if vrij:
            await repository.postgres_advisory_unlock(conn)
        await conn.rollback()
    return vrij


async def claimen(
    session: AsyncSession,
    engine: AsyncEngine,
    opdracht: Opdracht,
    gestart_door: str,
    map_: Path,
) -> ExportRun:
    """Add the run as `bezig` to the session (the caller commits); ExportBezig when another
    run holds the lock."""
    nu = utcnow()
    bestaande = await repository.lopende_run(session)
    if bestaande is not None:
        if not await _is_verweesd(engine, bestaande, nu):
            raise ExportBezig()
        log.warning("export run %s was orphaned; marked afgebroken", bestaande.id)
        await repository.markeer_afgebroken(
            session, bestaande.id, "Het proces van deze run leeft niet meer."
        )
        await session.flush()
    run = ExportRun(
        id=uuid.uuid4(),
        status="bezig",
        modus=opdracht.modus,
        sinds_op=opdracht.sinds,
        gestart_op=nu,
        proces=proces(),
        gestart_door=gestart_door,
        map=str(map_),
        rijen=0,
        rijen_per_tabel={},
        geleverd={},
    )
    session.add(run)
    try:
        await session.flush()
    except sa_exc.IntegrityError as exc:
        # Another process claimed at the same moment; the unique index decided.
        raise ExportBezig() from exc
    return run


async def claimen_los(
    omg: Omgeving, opdracht: Opdracht, gestart_door: str, wachten: float = 0
) -> ExportRun:
    """Claim in a unit of work of its own; wait up to `wachten` seconds for a busy run."""
    grens = time.monotonic() + wachten
    while True:
        try:
            async with omg.als_job("export.geclaimd", "export") as ctx:
                run = await claimen(ctx.session, omg.engine, opdracht, gestart_door, opdracht.naar)
                ctx.staat.object_soort, ctx.staat.object_id = "export", str(run.id)
                return run
        except ExportBezig:
            if time.monotonic() >= grens:
                raise
            await asyncio.sleep(min(1.0, max(0.0, grens - time.monotonic())))


def mapnaam(run: ExportRun) -> str:
    return f"{run.gestart_op:%Y%m%dT%H%M%SZ}-{run.id.hex[:8]}"


def _opruimen(naar: Path) -> None:
    """Leftovers of runs killed outright: temp folders, never a complete-looking one."""
    for pad in naar.iterdir():
        if pad.is_dir() and TMP_MAP.match(pad.name):
            shutil.rmtree(pad, ignore_errors=True)


def _fsync_map(pad: Path) -> None:
    fd = os.open(pad, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class _Periode:
    modus: Modus
    van: int | None
    tot: int
    sinds: dt.datetime | None
    verschuift_watermerk: bool

    def casus_filter(self) -> CasusFilter | None:
        if self.modus == "volledig":
            return None
        periode = repository.tijdlijn_periode(self.van, self.tot, self.sinds)
        return lambda kolom: kolom.in_(repository.gewijzigde_casussen(periode))


async def _periode(conn: AsyncConnection, opdracht: Opdracht, tot: int) -> _Periode:
    if opdracht.modus == "volledig":
        return _Periode("volledig", None, tot, None, True)
    if opdracht.sinds is not None:
        return _Periode("incrementeel", None, tot, opdracht.sinds, False)
    van = await repository.watermerk(conn)
    if van is None:
        return _Periode("volledig", None, tot, None, True)
    return _Periode("incrementeel", van, tot, None, True)


async def _tabel_schrijven(
    conn: AsyncConnection,
    tabel: Tabel,
    periode: _Periode,
    schrijvers: Sequence[Schrijver],
    melder: Melder,
    nummer: int,
    via_copy: bool = False,
    profiel: Profiel = RFC4180,
) -> int:
    namen = [k.naam for k in tabel.alle_kolommen]
    kandidaten: dict[tuple[int, str], None] = {}
    if periode.modus == "incrementeel" and tabel.tijdlijn_soort and tabel.tombstone_sleutel:
        periode_sql = repository.tijdlijn_periode(periode.van, periode.tot, periode.sinds)
        for sleutel in await repository.verwijderingen(conn, periode_sql, tabel.tijdlijn_soort):
            kandidaten[sleutel] = None
    ci = namen.index("casus_pseudoniem") if "casus_pseudoniem" in namen else -1
    ki = namen.index(tabel.tombstone_sleutel) if tabel.tombstone_sleutel else -1
    casus_filter = None if tabel.referentie else periode.casus_filter()

    aantal = 0
    per_rij: Sequence[Schrijver] = schrijvers
    if via_copy:
        csv_schrijver = next(s for s in schrijvers if isinstance(s, CsvSchrijver))
        per_rij = [s for s in schrijvers if s is not csv_schrijver]
        aantal = await kopie.kopieren(conn, tabel, casus_filter, csv_schrijver.schrijf_csv, profiel)
        melder.voortgang(tabel.naam, nummer, len(TABELLEN), aantal)
    if per_rij:
        stmt = tabel.query(casus_filter)
        result = await conn.stream(stmt.execution_options(yield_per=BATCH))
        gelezen = 0
        async for rijen in result.partitions(BATCH):
            if kandidaten:
                for r in rijen:
                    kandidaten.pop((r[ci], str(r[ki])), None)
            for s in per_rij:
                s.schrijf(rijen)
            gelezen += len(rijen)
            if not via_copy:
                melder.voortgang(tabel.naam, nummer, len(TABELLEN), gelezen)
        aantal = gelezen
    elif kandidaten:
        # Deleted and back since (same key): no tombstone. Only the candidates' keys are read.
        for sleutel in await repository.bestaande_sleutels(
            conn,
            tabel.query(casus_filter),
            tabel.tombstone_sleutel or "",
            [c for c, _ in kandidaten],
        ):
            kandidaten.pop(sleutel, None)
    if kandidaten:
        # Rows deleted in the period and not back since: key columns only, verwijderd=true.
        leeg: list[Any] = [None] * len(namen)
        tombstones = []
        for casus_id, object_id in kandidaten:
            rij = list(leeg)
            rij[ci] = casus_id
            rij[ki] = object_id
            rij[-1] = True
            tombstones.append(tuple(rij))
        for s in schrijvers:
            s.schrijf(tombstones)
        aantal += len(tombstones)
    return aantal


async def _snapshot_openen(lezer: AsyncEngine, conn: AsyncConnection) -> int:
    """Begin the run's one transaction and return the highest tijdlijn id it sees."""
    if is_sqlite(str(lezer.url)):
        await conn.begin()
        return await repository.hoogste_tijdlijn_id(conn)
    await conn.execution_options(isolation_level="REPEATABLE READ")
    async with lezer.connect() as blokkeer:
        await blokkeer.begin()
        await repository.postgres_tijdlijn_blokkeren(blokkeer)
        await conn.begin()
        tot = await repository.hoogste_tijdlijn_id(conn)  # the snapshot is taken here
        await blokkeer.rollback()
    return tot


async def uitvoeren(
    omg: Omgeving,
    run_id: uuid.UUID,
    opdracht: Opdracht,
    melder: Melder | None = None,
) -> ExportRun:
    """Run a claimed export to the end; the run row ends as `voltooid` or `mislukt`, each in a
    unit of work of the system actor with its logboek entry (data left the database)."""
    # Imported here, not with the module: the CLI's parser loads this module, and `serve` must
    # set up prometheus_client's multiprocess mode before anything imports it.
    from doorbraak import metrics

    melder = melder or LogMelder()
    begin = time.monotonic()
    # Counted here, by the run itself, whoever started it (the CLI, the API, a scheduler).
    metrics.export_gestart()
    async with omg.als(None, "export.lezen", droog=True) as ctx:
        run = await repository.run(ctx.session, run_id)
        if run is None:
            raise NietGevonden("Onbekende export-run.")
    # The snapshot is read on an engine of its own, beside the units of work that record the run.
    async with omg.leesengine(pool_size=3) as lezer:
        return await _schrijven(omg, lezer, run, opdracht, melder, begin)


async def _schrijven(
    omg: Omgeving,
    lezer: AsyncEngine,
    run: ExportRun,
    opdracht: Opdracht,
    melder: Melder,
    begin: float,
) -> ExportRun:
    from doorbraak import metrics

    settings = omg.settings
    run_id = run.id
    naam = mapnaam(run)
    naar = opdracht.naar
    tmp = naar / f".{naam}.tmp"
    doel = naar / naam
    parquet = parquet_beschikbaar() if opdracht.parquet is None else opdracht.parquet
    profiel = PROFIELEN[opdracht.profiel]
    houder: AsyncConnection | None = None
    melder.gebeurtenis("export-gestart", run=str(run_id), modus=opdracht.modus, map=str(doel))
    try:
        if not is_sqlite(settings.database_url):
            # Held for the whole run: tells other processes this run is alive.
            houder = await lezer.connect()
            if not await repository.postgres_advisory_lock(houder):
                raise ExportBezig()
            await houder.commit()
        naar.mkdir(parents=True, exist_ok=True)
        _opruimen(naar)
        tmp.mkdir()
        pseudoniem = Pseudoniem(settings.pseudonym_key.get_secret_value().encode())
        bestanden: list[dict[str, Any]] = []
        per_tabel: dict[str, int] = {}
        via_copy = opdracht.kopie and not is_sqlite(settings.database_url)
        async with lezer.connect() as conn:
            tot = await _snapshot_openen(lezer, conn)
            periode = await _periode(conn, opdracht, tot)
            if via_copy:
                await kopie.pseudoniemen_vullen(conn, pseudoniem, periode.casus_filter())
            for nummer, tabel in enumerate(TABELLEN, start=1):
                schrijvers: list[Schrijver] = [
                    CsvSchrijver(tmp / f"{tabel.naam}.csv", tabel, pseudoniem, profiel)
                ]
                if parquet:
                    schrijvers.append(
                        ParquetSchrijver(tmp / f"{tabel.naam}.parquet", tabel, pseudoniem)
                    )
                try:
                    rijen = await _tabel_schrijven(
                        conn, tabel, periode, schrijvers, melder, nummer, via_copy, profiel
                    )
                except BaseException:
                    for s in schrijvers:
                        s.afbreken()
                    raise
                for s in schrijvers:
                    s.sluit()
                    bestanden.append(
                        {
                            "bestand": s.pad.name,
                            "tabel": tabel.naam,
                            "formaat": s.formaat,
                            "rijen": rijen,
                            "bytes": s.pad.stat().st_size,
                            "sha256": sha256_van(s.pad),
                            "schema": schema_pad(tabel),
                        }
                    )
                per_tabel[tabel.naam] = rijen
                melder.gebeurtenis("tabel-klaar", tabel=tabel.naam, rijen=rijen)
            await conn.rollback()
        schemas_schrijven(tmp, TABELLEN)
        klaar = utcnow()
        manifest = {
            "schema_versie": SCHEMA_VERSIE,
            "run_id": str(run_id),
            "generator": {"naam": "doorbraak", "versie": __version__},
            "periode": {
                "modus": periode.modus,
                "watermerk_van": periode.van,
                "watermerk_tot": periode.tot,
                "sinds_op": tijdstip(periode.sinds) if periode.sinds else None,
            },
            "gestart_op": tijdstip(run.gestart_op),
            "geschreven_op": tijdstip(klaar),
            "csv": profiel.beschrijving(),
            "controlesommen": SHA256SUMS,
            "bundel": f"{naam}.zip" if opdracht.zip else None,
            "bestanden": sorted(bestanden, key=lambda b: b["bestand"]),
        }
        json_schrijven(tmp / "manifest.json", manifest)
        sha256sums_schrijven(tmp)
        if opdracht.zip:
            bundel_schrijven(tmp, naam, klaar)
        _fsync_map(tmp)
        os.rename(tmp, doel)
        _fsync_map(naar)
        totaal = sum(per_tabel.values())
        async with omg.als_job("export.voltooid", "export", str(run_id)) as ctx:
            session = ctx.session
            await session.execute(
                repository.bijwerken(
                    run_id,
                    status="voltooid",
                    modus=periode.modus,
                    watermerk_van=periode.van,
                    watermerk_tot=periode.tot,
                    klaar_op=klaar,
                    rijen=totaal,
                    rijen_per_tabel=per_tabel,
                    map=str(doel),
                )
            )
            if periode.verschuift_watermerk:
                await repository.watermerk_zetten(session, periode.tot, run_id, klaar)
            run = await repository.run(session, run_id) or run
        duur = time.monotonic() - begin
        metrics.export_afgerond("geslaagd", duur, records=totaal)
        melder.gebeurtenis(
            "export-klaar", run=str(run_id), map=str(doel), rijen=totaal, seconden=round(duur, 3)
        )
        return run
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        fout = f"{type(exc).__name__}: {str(exc)[:500]}"
        metrics.export_afgerond("mislukt", time.monotonic() - begin, records=0)
        melder.gebeurtenis("export-mislukt", run=str(run_id), fout=fout)
        try:
            async with omg.als_job("export.mislukt", "export", str(run_id)) as ctx:
                await ctx.session.execute(
                    repository.bijwerken(run_id, status="mislukt", klaar_op=utcnow(), fout=fout)
                )
        except Exception:
            log.error("could not record the failed export run %s", run_id, exc_info=True)
        raise
    finally:
        if houder is not None:
            await houder.close()


# --- the API's side: start a run as the beheerder, read runs ------------------------------


async def starten(
    ctx: Werkcontext, invoer: ExportNieuw, settings: Settings, engine: AsyncEngine
) -> tuple[ExportRun, Opdracht]:
    policy.mag_exports_beheren(ctx.actor)
    if invoer.sinds_op is not None and invoer.modus != ExportModus.incrementeel:
        raise OngeldigeInvoer(
            [
                {
                    "name": "sindsOp",
                    "code": "alleen-incrementeel",
                    "reason": "sindsOp hoort bij modus incrementeel",
                }
            ]
        )
    opdracht = Opdracht(
        naar=settings.export_map,
        modus="volledig" if invoer.modus == ExportModus.volledig else "incrementeel",
        sinds=invoer.sinds_op.astimezone(dt.UTC) if invoer.sinds_op else None,
        profiel=settings.export_profiel,
        zip=settings.export_zip,
    )
    run = await claimen(ctx.session, engine, opdracht, str(ctx.actor.id), opdracht.naar)
    return run, opdracht


async def achtergrond(
    omg: Omgeving,
    http: httpx.AsyncClient,
    run_id: uuid.UUID,
    opdracht: Opdracht,
    leveren: bool,
) -> None:
    """An API-started run, after the response: failures are recorded on the run, not raised."""
    try:
        await uitvoeren(omg, run_id, opdracht)
        if leveren:
            await levering.leveren(omg, run_id, http)
    except Exception:
        log.error("export run %s failed", run_id, exc_info=True)


async def runs(ctx: Werkcontext, vraag: PaginaVraag) -> Sequence[ExportRun]:
    policy.mag_exports_beheren(ctx.actor)
    return await repository.runs(ctx.session, vraag)


async def run_of_404(ctx: Werkcontext, run_id: uuid.UUID) -> ExportRun:
    policy.mag_exports_beheren(ctx.actor)
    run = await repository.run(ctx.session, run_id)
    if run is None:
        raise NietGevonden("Deze export-run bestaat niet.")
    return run


def run_uit(run: ExportRun) -> ExportRunUit:
    return ExportRunUit(
        id=run.id,
        status=ExportStatus(run.status),
        modus=ExportModus(run.modus),
        watermerk_van=run.watermerk_van,
        watermerk_tot=run.watermerk_tot,
        sinds_op=run.sinds_op,
        gestart_op=run.gestart_op,
        klaar_op=run.klaar_op,
        rijen=run.rijen,
        tabellen=[TabelRijen(tabel=t, rijen=n) for t, n in (run.rijen_per_tabel or {}).items()],
        map=run.map,
        fout=run.fout,
        geleverd_op=run.geleverd_op,
        geleverde_bestanden=sorted(run.geleverd or {}),
        leverfout=run.leverfout,
    )
