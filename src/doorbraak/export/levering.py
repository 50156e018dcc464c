"""Optional delivery: POST the files of a completed run to the reporting endpoint.

Each file goes to `<export_lever_url>/<run id>/<file name>` with its SHA-256; a 2xx answer is
the receiver's acknowledgement, recorded at once in `export_runs.geleverd`. A later attempt
skips what was acknowledged (resumable), so a run interrupted halfway resumes where it stopped.
Transport errors, 429 and 5xx are retried with exponential backoff (Retry-After honoured);
other answers fail at once. The data files go first, then their Table Schemas (`schema/...`,
as the manifest names them) and `SHA256SUMS`, the manifest last: a receiver that has it has
everything.
The run counts as delivered (`geleverd_op`) only when every file is acknowledged.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import Conflict, NietGevonden
from doorbraak.export import repository
from doorbraak.export.bestanden import SHA256SUMS, sha256_van
from doorbraak.werk.systeem import Omgeving

log = logging.getLogger("doorbraak.export.levering")

MEDIATYPES = {
    ".csv": "text/csv; charset=utf-8; header=present",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}
MAX_WACHTTIJD = 60.0


class LeveringMislukt(Exception):
    pass


@dataclass(frozen=True)
class Uitkomst:
    geleverd: bool
    verstuurd: list[str]
    overgeslagen: list[str]
    fout: str | None = None


async def _blokken(pad: Path) -> AsyncIterator[bytes]:
    f = await asyncio.to_thread(pad.open, "rb")
    try:
        while blok := await asyncio.to_thread(f.read, 1 << 20):
            yield blok
    finally:
        f.close()


def _controlesommen(map_: Path) -> dict[str, str]:
    """SHA256SUMS of the run as {relative path: sha256} (empty for runs written before it)."""
    pad = map_ / SHA256SUMS
    if not pad.is_file():
        return {}
    uit = {}
    for regel in pad.read_text(encoding="utf-8").splitlines():
        sha256, _, naam = regel.partition("  ")
        uit[naam] = sha256
    return uit


def _wachttijd(settings: Settings, poging: int, antwoord: httpx.Response | None) -> float:
    if antwoord is not None:
        retry_after = antwoord.headers.get("Retry-After", "")
        if retry_after.isdigit():
            return min(float(retry_after), MAX_WACHTTIJD)
    return float(min(settings.export_lever_wachttijd * (2 ** (poging - 1)), MAX_WACHTTIJD))


async def _versturen(
    client: httpx.AsyncClient,
    settings: Settings,
    url: str,
    pad: Path,
    sha256: str,
    slaap: Callable[[float], Awaitable[Any]],
) -> None:
    token = settings.export_lever_token
    headers = {
        "Content-Type": MEDIATYPES.get(pad.suffix, "application/octet-stream"),
        "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:",
        "X-Content-SHA256": sha256,
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token.get_secret_value()}"
    pogingen = settings.export_lever_pogingen
    for poging in range(1, pogingen + 1):
        antwoord: httpx.Response | None = None
        try:
            antwoord = await client.post(url, content=_blokken(pad), headers=headers)
        except httpx.TransportError as exc:
            reden = f"{type(exc).__name__}"
        else:
            if antwoord.is_success:
                return
            reden = f"HTTP {antwoord.status_code}"
            if antwoord.status_code != 429 and antwoord.status_code < 500:
                raise LeveringMislukt(f"{pad.name}: {reden} (niet opnieuw geprobeerd)")
        if poging == pogingen:
            raise LeveringMislukt(f"{pad.name}: {reden} na {pogingen} pogingen")
        wacht = _wachttijd(settings, poging, antwoord)
        log.warning("delivery of %s failed (%s); retry %d in %.1fs", pad.name, reden, poging, wacht)
        await slaap(wacht)


async def leveren(
    omg: Omgeving,
    run_id: uuid.UUID,
    client: httpx.AsyncClient,
    slaap: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Uitkomst:
    settings = omg.settings
    if not settings.export_lever_url:
        raise Conflict(
            "Er is geen afleveradres ingesteld (DOORBRAAK_EXPORT_LEVER_URL).",
            code="levering-niet-ingesteld",
        )
    async with omg.als(None, "export.lezen", droog=True) as ctx:
        run = await repository.run(ctx.session, run_id)
        if run is None:
            raise NietGevonden("Onbekende export-run.")
        if run.status != "voltooid" or not run.map:
            raise Conflict("Alleen een voltooide run kan worden geleverd.", code="run-niet-klaar")
        map_ = Path(run.map)
        geleverd: dict[str, Any] = dict(run.geleverd or {})
    manifest = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
    te_leveren = [(b["bestand"], b["sha256"]) for b in manifest["bestanden"]]
    controlesommen = _controlesommen(map_)
    schemas = sorted({b["schema"] for b in manifest["bestanden"] if b["schema"] in controlesommen})
    te_leveren += [(schema, controlesommen[schema]) for schema in schemas]
    for naam in (SHA256SUMS, "manifest.json"):
        if (map_ / naam).is_file():
            te_leveren.append((naam, sha256_van(map_ / naam)))
    basis = settings.export_lever_url.rstrip("/")
    verstuurd: list[str] = []
    overgeslagen: list[str] = []
    try:
        for naam, sha256 in te_leveren:
            if geleverd.get(naam) == sha256:
                overgeslagen.append(naam)
                continue
            pad = map_ / naam
            if sha256_van(pad) != sha256:
                raise LeveringMislukt(f"{naam}: inhoud wijkt af van het manifest")
            await _versturen(client, settings, f"{basis}/{run_id}/{naam}", pad, sha256, slaap)
            geleverd[naam] = sha256
            verstuurd.append(naam)
            # Each delivered file in the logboek: pseudonymised data left the municipality.
            async with omg.als_job("export.bestand-geleverd", "export", str(run_id)) as ctx:
                await ctx.session.execute(repository.bijwerken(run_id, geleverd=dict(geleverd)))
    except LeveringMislukt as exc:
        async with omg.als_job("export.levering-mislukt", "export", str(run_id)) as ctx:
            await ctx.session.execute(repository.bijwerken(run_id, leverfout=str(exc)))
        return Uitkomst(False, verstuurd, overgeslagen, str(exc))
    async with omg.als_job("export.geleverd", "export", str(run_id)) as ctx:
        await ctx.session.execute(
            repository.bijwerken(run_id, geleverd_op=utcnow(), leverfout=None)
        )
    return Uitkomst(True, verstuurd, overgeslagen)
