"""`doorbraak export`: the command cron, systemd or a Kubernetes CronJob runs every night."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import httpx

from doorbraak.config import Settings, get_settings
from doorbraak.export.bestanden import PROFIELEN, tijdstip

if TYPE_CHECKING:
    from doorbraak.export.service import Opdracht
    from doorbraak.werk.systeem import Omgeving

# The export's service (and with it prometheus_client, through the export metrics) is imported
# only when an export command runs: `doorbraak serve` must choose prometheus_client's
# multiprocess folder before anything imports it, and it builds this parser first.


class JsonMelder:
    """One JSON object per line (not a terminal: a log collector reads it)."""

    def __init__(self, uit: TextIO) -> None:
        self.uit = uit

    def gebeurtenis(self, naam: str, **velden: Any) -> None:
        regel = {"tijd": tijdstip(dt.datetime.now(dt.UTC)), "gebeurtenis": naam, **velden}
        self.uit.write(json.dumps(regel, default=str, ensure_ascii=False) + "\n")
        self.uit.flush()

    def voortgang(self, tabel: str, nummer: int, totaal: int, rijen: int) -> None:
        return None


class BalkMelder:
    """A progress bar on the terminal: tables done, rows of the current table, rows/s."""

    BREEDTE = 26

    def __init__(self, uit: TextIO) -> None:
        self.uit = uit
        self.begin = time.monotonic()
        self.laatst = 0.0
        self.totaal_rijen = 0

    def gebeurtenis(self, naam: str, **velden: Any) -> None:
        if naam == "tabel-klaar":
            self.totaal_rijen += int(velden.get("rijen", 0))
            return
        self.uit.write("\r\x1b[K")
        if naam == "export-klaar":
            self.uit.write(
                f"klaar: {velden['rijen']} rijen in {velden['seconden']}s -> {velden['map']}\n"
            )
        elif naam == "export-mislukt":
            self.uit.write(f"mislukt: {velden['fout']}\n")
        else:
            self.uit.write(f"{naam}: {json.dumps(velden, default=str)}\n")
        self.uit.flush()

    def voortgang(self, tabel: str, nummer: int, totaal: int, rijen: int) -> None:
        nu = time.monotonic()
        if nu - self.laatst < 0.1:
            return
        self.laatst = nu
        gevuld = int(self.BREEDTE * (nummer - 1) / totaal)
        balk = "#" * gevuld + "-" * (self.BREEDTE - gevuld)
        snelheid = (self.totaal_rijen + rijen) / max(nu - self.begin, 1e-6)
        self.uit.write(
            f"\r\x1b[K[{balk}] {nummer}/{totaal} {tabel}: {rijen} rijen ({snelheid:,.0f} rijen/s)"
        )
        self.uit.flush()


def _sinds(waarde: str | None) -> dt.datetime | None:
    if waarde is None or waarde == "laatste":
        return None
    tijd = dt.datetime.fromisoformat(waarde.replace("Z", "+00:00"))
    if tijd.tzinfo is None:
        raise ValueError("geef een tijdstip met tijdzone, bijvoorbeeld 2026-11-01T00:00:00Z")
    return tijd.astimezone(dt.UTC)


async def _draaien(
    settings: Settings, opdracht: Opdracht, leveren: bool, wachten: float, melder: Any
) -> int:
    from doorbraak.export import service
    from doorbraak.werk.systeem import omgeving

    async with omgeving(settings) as omg:
        try:
            run = await service.claimen_los(omg, opdracht, "cli", wachten)
        except service.ExportBezig as exc:
            melder.gebeurtenis("export-bezig", detail=exc.detail)
            return service.EXIT_BEZIG
        try:
            run = await service.uitvoeren(omg, run.id, opdracht, melder)
        except Exception:
            return service.EXIT_FOUT
        if leveren:
            return await _leveren(omg, run.id, melder)
        return service.EXIT_OK


async def _leveren(omg: Omgeving, run_id: uuid.UUID, melder: Any) -> int:
    from doorbraak.export import levering, service

    async with httpx.AsyncClient(timeout=60.0, follow_redirects=False) as client:
        uitkomst = await levering.leveren(omg, run_id, client)
    melder.gebeurtenis(
        "levering-klaar" if uitkomst.geleverd else "levering-mislukt",
        run=str(run_id),
        verstuurd=len(uitkomst.verstuurd),
        overgeslagen=len(uitkomst.overgeslagen),
        fout=uitkomst.fout,
    )
    return service.EXIT_OK if uitkomst.geleverd else service.EXIT_LEVERING


async def _alleen_leveren(settings: Settings, run_id: uuid.UUID, melder: Any) -> int:
    from doorbraak.werk.systeem import omgeving

    async with omgeving(settings) as omg:
        return await _leveren(omg, run_id, melder)


def cmd_export(args: argparse.Namespace) -> int:
    from doorbraak.export.service import EXIT_GEBRUIK, Opdracht

    settings = get_settings()
    melder: Any = BalkMelder(sys.stderr) if sys.stdout.isatty() else JsonMelder(sys.stdout)
    if args.lever_run:
        try:
            run_id = uuid.UUID(args.lever_run)
        except ValueError:
            print("--lever-run verwacht een run-id (uuid)", file=sys.stderr)
            return EXIT_GEBRUIK
        return asyncio.run(_alleen_leveren(settings, run_id, melder))
    if not args.naar:
        print("--naar MAP is verplicht", file=sys.stderr)
        return EXIT_GEBRUIK
    try:
        sinds = _sinds(args.sinds)
    except ValueError as exc:
        print(f"--sinds: {exc}", file=sys.stderr)
        return EXIT_GEBRUIK
    opdracht = Opdracht(
        naar=Path(args.naar),
        modus="volledig" if args.volledig else "incrementeel",
        sinds=sinds,
        parquet=False if args.geen_parquet else None,
        profiel=args.profiel or settings.export_profiel,
        zip=args.zip or settings.export_zip,
    )
    return asyncio.run(_draaien(settings, opdracht, args.lever, args.wacht, melder))


def cmd_woordenboek(args: argparse.Namespace) -> int:
    from doorbraak.export import woordenboek

    for pad in woordenboek.schrijven(Path(args.root)):
        print(pad)
    return 0


def registreer(sub: Any) -> None:
    e = sub.add_parser(
        "export",
        help="write an export run for municipal reporting (see docs/export.md)",
        description="Exit codes: 0 ok, 1 failed, 2 usage, 69 delivery failed, 75 another run busy.",
    )
    e.add_argument("--naar", help="folder that receives the run folder")
    periode = e.add_mutually_exclusive_group()
    periode.add_argument("--volledig", action="store_true", help="export everything")
    periode.add_argument(
        "--sinds",
        metavar="TIJDSTIP|laatste",
        help="casussen changed since an instant (ad hoc), or since the last run (default)",
    )
    e.add_argument("--lever", action="store_true", help="deliver the files afterwards")
    e.add_argument("--lever-run", metavar="RUN_ID", help="only (resume) delivering this run")
    e.add_argument(
        "--wacht", type=float, default=0.0, metavar="SECONDEN", help="wait this long for a busy run"
    )
    e.add_argument("--geen-parquet", action="store_true", help="CSV only, even with pyarrow")
    e.add_argument(
        "--profiel",
        choices=sorted(PROFIELEN),
        help="CSV profile (default: DOORBRAAK_EXPORT_PROFIEL, else rfc4180)",
    )
    e.add_argument("--zip", action="store_true", help="also write <run>.zip in the run folder")
    e.set_defaults(func=cmd_export)

    w = sub.add_parser(
        "export-woordenboek", help="regenerate docs/export.md and docs/export-schema/"
    )
    w.add_argument("--root", default=".", help="repository root")
    w.set_defaults(func=cmd_woordenboek)
