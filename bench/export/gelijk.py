"""Byte-identity check on the benchmark data: the CSV files of the COPY path (PostgreSQL renders
the values, kopie.py) against those of the Python writer, in one full run each.

    python bench/export/gelijk.py --url postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench

Prints the SHA-256 of every CSV file per path and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path


async def exporteren(naar: Path, kopie: bool) -> tuple[Path, float]:
    from doorbraak.config import get_settings
    from doorbraak.db import create_engine, create_sessionmaker
    from doorbraak.export import service

    settings = get_settings()
    engine = create_engine(settings)
    maker = create_sessionmaker(engine)
    try:
        opdracht = service.Opdracht(naar=naar, modus="volledig", parquet=False, kopie=kopie)
        run = await service.claimen_los(maker, engine, opdracht, "bench-gelijk")
        begin = time.monotonic()
        klaar = await service.uitvoeren(settings, maker, run.id, opdracht)
        return Path(klaar.map or ""), time.monotonic() - begin
    finally:
        await engine.dispose()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/doorbraak_export_bench")
    args = p.parse_args()
    os.environ["DOORBRAAK_DATABASE_URL"] = args.url.replace(
        "postgresql://", "postgresql+asyncpg://"
    )
    with tempfile.TemporaryDirectory(prefix="bench-gelijk-") as tmp:
        kopie, kopie_s = asyncio.run(exporteren(Path(tmp) / "copy", True))
        python, python_s = asyncio.run(exporteren(Path(tmp) / "python", False))
        kopie_m = json.loads((kopie / "manifest.json").read_text())["bestanden"]
        python_m = json.loads((python / "manifest.json").read_text())["bestanden"]
        verschil = 0
        for a, b in zip(kopie_m, python_m, strict=True):
            gelijk = (a["bestand"], a["sha256"], a["bytes"]) == (
                b["bestand"],
                b["sha256"],
                b["bytes"],
            )
            verschil += not gelijk
            print(
                f"{a['bestand']:24} {a['rijen']:>9} rows  copy {a['sha256'][:16]}  "
                f"python {b['sha256'][:16]}  {'same' if gelijk else 'DIFFERENT'}"
            )
        print(
            f"copy path {kopie_s:.2f} s, python path {python_s:.2f} s, files differing: {verschil}"
        )
        return 1 if verschil else 0


if __name__ == "__main__":
    sys.exit(main())
