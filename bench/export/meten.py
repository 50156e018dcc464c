"""Export benchmark: `doorbraak export` (CSV) against `COPY (same query) TO STDOUT` on the same
database in the same run; rows/s of each, their ratio, and the export's peak memory.

    python bench/export/meten.py --url postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench

The export runs as a subprocess (`doorbraak export --volledig --geen-parquet`, and once more with
Parquet when pyarrow is installed); its peak RSS comes from wait4(). The baseline sends every
table's SELECT (compiled from src/doorbraak/export/tabellen.py, the raw casus id instead of the
pseudonym) through COPY ... TO STDOUT (FORMAT csv) via asyncpg and writes it to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

import asyncpg
from sqlalchemy.dialects import postgresql

from doorbraak.export.tabellen import TABELLEN

ROOT = Path(__file__).resolve().parents[2]


def _openen(pad: Path) -> BinaryIO:
    return open(pad, "wb")


async def copy_basislijn(url: str, map_: Path) -> tuple[int, float]:
    conn = await asyncpg.connect(url)
    rijen = 0
    try:
        begin = time.monotonic()
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            for tabel in TABELLEN:
                sql = str(
                    tabel.query(None).compile(
                        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                    )
                )
                f = _openen(map_ / f"{tabel.naam}.csv")

                async def schrijf(data: bytes, f: BinaryIO = f) -> None:
                    f.write(data)

                try:
                    status = await conn.copy_from_query(
                        sql, output=schrijf, format="csv", header=True
                    )
                finally:
                    f.close()
                rijen += int(status.split()[-1])
        return rijen, time.monotonic() - begin
    finally:
        await conn.close()


def export_draaien(url: str, map_: Path, parquet: bool) -> tuple[int, float, int, float]:
    env = {
        **os.environ,
        "DOORBRAAK_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"),
    }
    args = [str(ROOT / ".venv/bin/doorbraak"), "export", "--naar", str(map_), "--volledig"]
    if not parquet:
        args.append("--geen-parquet")
    begin = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    _, status, gebruik = os.wait4(proc.pid, 0)
    duur = time.monotonic() - begin
    uit = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed: {uit[-2000:]}")
    klaar = [json.loads(r) for r in uit.splitlines() if '"export-klaar"' in r][-1]
    cpu = gebruik.ru_utime + gebruik.ru_stime
    return int(klaar["rijen"]), duur, gebruik.ru_maxrss, cpu  # maxrss in KiB on Linux


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench")
    p.add_argument("--herhalingen", type=int, default=2)
    args = p.parse_args()
    conn = await asyncpg.connect(args.url)
    casussen = await conn.fetchval("SELECT count(*) FROM casussen")
    await conn.close()
    resultaat: dict[str, object] = {
        "casussen": casussen,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu, "
        f"Python {platform.python_version()}",
    }
    metingen = []
    for _ in range(args.herhalingen):
        with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
            basis = Path(tmp) / "copy"
            basis.mkdir()
            copy_rijen, copy_s = await copy_basislijn(args.url, basis)
            shutil.rmtree(basis)
            rijen, export_s, rss, cpu = export_draaien(args.url, Path(tmp) / "csv", parquet=False)
            assert rijen == copy_rijen, (rijen, copy_rijen)
            metingen.append(
                {
                    "rijen": rijen,
                    "copy_s": round(copy_s, 2),
                    "copy_rijen_per_s": round(copy_rijen / copy_s),
                    "export_csv_s": round(export_s, 2),
                    "export_csv_rijen_per_s": round(rijen / export_s),
                    "ratio_csv_tot_copy": round(copy_s / export_s, 3),
                    "export_csv_max_rss_mb": round(rss / 1024, 1),
                    "export_csv_cpu_s": round(cpu, 2),
                }
            )
    try:
        import pyarrow  # noqa: F401

        with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
            rijen, export_s, rss, cpu = export_draaien(args.url, Path(tmp) / "pq", parquet=True)
            resultaat["csv_en_parquet"] = {
                "s": round(export_s, 2),
                "rijen_per_s": round(rijen / export_s),
                "max_rss_mb": round(rss / 1024, 1),
                "cpu_s": round(cpu, 2),
            }
    except ImportError:
        pass
    resultaat["metingen"] = metingen
    print(json.dumps(resultaat, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
