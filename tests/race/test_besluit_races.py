"""Rules that span rows hold under concurrency (issue: races across rows).

Two `doorbraak serve` processes on one PostgreSQL database. Each pair of requests that could
break a rule about a besluit and its children is fired at the same moment, one through each
process, many times; afterwards the record is checked:

- `vaststellen` against a new afwijking for the same besluit: never a vastgesteld besluit with an
  afwijking that is not gedekt;
- `vaststellen` without afweging against a new bezwaar: never a vastgesteld besluit with a
  bezwaar in force and no afweging.

Both hold because every path that changes a besluit or its children takes the besluit's row lock
first (`SELECT ... FOR UPDATE`). The counts of each outcome are printed (run with -s).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from doorbraak.demo import medewerker_id
from tests.fault import harness
from tests.fault.harness import API, ORGANISATIE_LADEN, Server, token, verbind

pytestmark = pytest.mark.slow

DB = os.environ.get("DOORBRAAK_RACE_DB", "doorbraak_race")
_VAN, _TOT = (int(p) for p in os.environ.get("DOORBRAAK_RACE_POORTEN", "8951-8999").split("-"))
RONDES = int(os.environ.get("DOORBRAAK_RACE_RONDES", "50"))


def _sql_naam(naam: str) -> str:
    if not naam.replace("_", "").isalnum() or naam in ("postgres", "test"):
        raise ValueError(f"not a database this suite may drop: {naam!r}")
    return f'"{naam}"'


class RaceServer(Server):
    """A harness server on a port of this suite's own range."""

    def __init__(self, logmap: Path, label: str) -> None:
        super().__init__(DB, logmap, label)
        harness._GEBRUIKT.discard(self.poort)
        for poort in range(_VAN, _TOT + 1):
            if poort not in harness._GEBRUIKT and harness._poort_vrij(poort):
                harness._GEBRUIKT.add(poort)
                self.poort = poort
                return
        raise RuntimeError(f"no free port in {_VAN}-{_TOT}")


async def _verse_database() -> None:
    conn = await verbind()
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_sql_naam(DB)} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {_sql_naam(DB)}")
    finally:
        await conn.close()
    rc, uit = await harness.cli(DB, "migrate")
    assert rc == 0, uit
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        ORGANISATIE_LADEN,
        cwd=harness.ROOT,
        env=harness.omgeving(DB),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uit_b, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, uit_b.decode(errors="replace")


async def _database_weg() -> None:
    conn = await verbind()
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_sql_naam(DB)} WITH (FORCE)")
    finally:
        await conn.close()


def _ok(r: httpx.Response, *status: int) -> Any:
    assert r.status_code in (status or (200,)), f"{r.request.url}: {r.status_code} {r.text}"
    return r.json()


class Clients:
    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self._alle: dict[tuple[str, int], httpx.AsyncClient] = {}

    def __call__(self, wie: str, server: int = 0) -> httpx.AsyncClient:
        if (wie, server) not in self._alle:
            self._alle[(wie, server)] = httpx.AsyncClient(
                base_url=self.servers[server].url, headers=token(wie), timeout=30.0
            )
        return self._alle[(wie, server)]

    async def sluit(self) -> None:
        for c in self._alle.values():
            await c.aclose()


async def _casus_in_maatwerk(c: Clients) -> tuple[str, str]:
    """A casus in fase maatwerk with deelnames vastgoed (joost) and sociaal-domein (sanne)."""
    sanne, karim = c("sanne"), c("karim")
    k = _ok(await sanne.post(f"{API}/casussen", json={"titel": "Race", "situatie": "x"}), 201)[
        "kenmerk"
    ]
    b = f"{API}/casussen/{k}"
    _ok(await sanne.post(f"{b}/regie", json={"medewerker": str(medewerker_id("karim"))}), 201)
    for afdeling, contact in (("vastgoed", "joost"), ("sociaal-domein", "sanne")):
        _ok(
            await karim.post(
                f"{b}/deelnames",
                json={"afdeling": afdeling, "contactpersoon": str(medewerker_id(contact))},
            ),
            201,
        )
    _ok(
        await karim.post(
            f"{b}/betrokkenen",
            json={"organisatie": "Corporatie", "leefgebied": "wonen", "kostenPerJaarCent": 100},
        ),
        201,
    )
    for naar in ("in_kaart", "perspectief"):
        _ok(await karim.post(f"{b}/fase-overgangen", json={"naar": naar}), 201)
    _ok(
        await karim.post(f"{b}/doelen", json={"leefgebied": "wonen", "tekst": "Warm en droog."}),
        201,
    )
    _ok(await karim.post(f"{b}/fase-overgangen", json={"naar": "afpellen"}), 201)
    for veld, naar in (("doorbraak", "maatwerk"),):
        r = await karim.get(b)
        _ok(
            await karim.patch(
                b, json={veld: "Warm en droog."}, headers={"If-Match": r.headers["ETag"]}
            )
        )
        if naar == "maatwerk":
            _ok(
                await karim.post(
                    f"{b}/knelpunten",
                    json={"soort": "proces", "niveau": "systeem", "omschrijving": "Offertes."},
                ),
                201,
            )
        _ok(await karim.post(f"{b}/fase-overgangen", json={"naar": naar}), 201)
    regel = _ok(
        await c("bram").post(
            f"{API}/regels",
            json={"titel": "Drie offertes", "regeling": "Inkoop", "artikel": "3", "soort": "wet"},
        ),
        201,
    )["id"]
    return b, regel


def _afwijking(besluit: str, regel: str) -> dict[str, Any]:
    return {
        "besluit": besluit,
        "regel": regel,
        "watDeRegelZegt": "Drie offertes.",
        "watWeDoen": "Eén.",
        "grondslag": "awb_4_84",
        "motivering": "Spoed.",
        "waardentoets": {"legitimiteit": "a", "rendement": "b", "betrokkenheid": "c"},
        "risico": "laag",
        "financieelBelangCent": 1000,
    }


async def _concept(c: Clients, b: str) -> str:
    besluit = _ok(
        await c("karim").post(f"{b}/besluiten", json={"omschrijving": "Dak", "motivering": "Kou"}),
        201,
    )["id"]
    return str(besluit)


async def test_vaststellen_races_keep_the_besluit_consistent(tmp_path: Path) -> None:
    await _verse_database()
    servers: list[Server] = []
    c: Clients | None = None
    try:
        for label in ("a", "b"):
            server = RaceServer(tmp_path, label)
            servers.append(server)
            await server.start()
        c = Clients(servers)
        b, regel = await _casus_in_maatwerk(c)

        # Pair 1: vaststellen (server a) against a new afwijking (server b).
        paar1: Counter[str] = Counter()
        for ronde in range(RONDES):
            besluit = await _concept(c, b)
            for afdeling, wie in (("vastgoed", "joost"), ("sociaal-domein", "sanne")):
                _ok(
                    await c(wie).post(
                        f"{b}/besluiten/{besluit}/reacties",
                        json={"afdeling": afdeling, "reactie": "akkoord"},
                    ),
                    201,
                )
            eerst, tweede = (0, 1) if ronde % 2 else (1, 0)  # alternate which process is which
            vast, afw = await asyncio.gather(
                c("karim", eerst).post(f"{b}/besluiten/{besluit}/vaststellen", json={}),
                c("karim", tweede).post(f"{b}/afwijkingen", json=_afwijking(besluit, regel)),
            )
            assert vast.status_code in (200, 409) and afw.status_code in (201, 409), (
                vast.text,
                afw.text,
            )
            status = _ok(await c("karim").get(f"{b}/besluiten/{besluit}"))["status"]
            open_afwijkingen = [
                a
                for a in _ok(await c("karim").get(f"{b}/afwijkingen?besluit={besluit}"))["results"]
                if a["status"] != "gedekt"
            ]
            if status == "vastgesteld" and open_afwijkingen:
                paar1["inconsistent"] += 1
            elif status == "vastgesteld":
                paar1["vaststellen eerst"] += 1
            else:
                paar1["afwijking eerst"] += 1

        # Pair 2: vaststellen without afweging against a new bezwaar of a passed-over afdeling.
        paar2: Counter[str] = Counter()
        for ronde in range(RONDES):
            besluit = await _concept(c, b)
            _ok(
                await c("sanne").post(
                    f"{b}/besluiten/{besluit}/reacties",
                    json={"afdeling": "sociaal-domein", "reactie": "akkoord"},
                ),
                201,
            )
            _ok(
                await c("karim").post(
                    f"{b}/besluiten/{besluit}/overslagen",
                    json={"afdeling": "vastgoed", "reden": "Geen reactie binnen de termijn."},
                ),
                201,
            )
            eerst, tweede = (0, 1) if ronde % 2 else (1, 0)
            vast, bezwaar = await asyncio.gather(
                c("karim", eerst).post(f"{b}/besluiten/{besluit}/vaststellen", json={}),
                c("joost", tweede).post(
                    f"{b}/besluiten/{besluit}/reacties",
                    json={"afdeling": "vastgoed", "reactie": "bezwaar", "toelichting": "Rapport."},
                ),
            )
            assert vast.status_code in (200, 400) and bezwaar.status_code in (201, 409), (
                vast.text,
                bezwaar.text,
            )
            gelezen = _ok(await c("karim").get(f"{b}/besluiten/{besluit}"))
            heeft_bezwaar = any(r["reactie"] == "bezwaar" for r in gelezen["reacties"])
            if gelezen["status"] == "vastgesteld" and heeft_bezwaar and not gelezen["afweging"]:
                paar2["inconsistent"] += 1
            elif gelezen["status"] == "vastgesteld":
                paar2["vaststellen eerst"] += 1
            else:
                paar2["bezwaar eerst"] += 1

        for naam, telling in (
            ("vaststellen vs nieuwe afwijking", paar1),
            ("vaststellen zonder afweging vs nieuw bezwaar", paar2),
        ):
            print(
                f"race {naam}: {RONDES} rondes, inconsistent={telling['inconsistent']}, "
                + ", ".join(f"{k}={v}" for k, v in sorted(telling.items()) if k != "inconsistent"),
                flush=True,
            )
        fouten = [r for s in servers for r in s.interne_fouten()]
        assert not fouten, fouten
        assert paar1["inconsistent"] == 0 and paar2["inconsistent"] == 0, (paar1, paar2)
    finally:
        if c is not None:
            await c.sluit()
        for server in servers:
            await server.stop()
            harness._GEBRUIKT.discard(server.poort)
        await _database_weg()


async def test_answer_and_withdrawal_of_a_rugdekkingsverzoek_never_both_succeed(
    tmp_path: Path,
) -> None:
    """Pair 3: the addressee answers a rugdekkingsverzoek (one process) while the regiehouder
    withdraws it (the other). Both take the besluit's row lock and re-read the verzoek, so
    exactly one succeeds: never a withdrawn verzoek whose afwijking got its rugdekking, never an
    answered one whose afwijking did not."""
    await _verse_database()
    servers: list[Server] = []
    c: Clients | None = None
    try:
        for label in ("a", "b"):
            server = RaceServer(tmp_path, label)
            servers.append(server)
            await server.start()
        c = Clients(servers)
        b, regel = await _casus_in_maatwerk(c)
        paar3: Counter[str] = Counter()
        besluit = await _concept(c, b)
        for ronde in range(RONDES):
            afwijking = _ok(
                await c("karim").post(f"{b}/afwijkingen", json=_afwijking(besluit, regel)), 201
            )["id"]
            verzoek = _ok(
                await c("karim").post(
                    f"{API}/rugdekkingsverzoeken",
                    json={"afwijking": afwijking, "aan": str(medewerker_id("marieke"))},
                ),
                201,
            )["id"]
            eerst, tweede = (0, 1) if ronde % 2 else (1, 0)
            antwoord, intrekking = await asyncio.gather(
                c("marieke", eerst).post(
                    f"{API}/rugdekkingsverzoeken/{verzoek}/beantwoorden",
                    json={"oordeel": "gedekt", "motivering": "Binnen mandaat."},
                ),
                c("karim", tweede).post(
                    f"{API}/rugdekkingsverzoeken/{verzoek}/intrekken", json={"reden": "Ander."}
                ),
            )
            assert antwoord.status_code in (200, 409) and intrekking.status_code in (200, 409), (
                antwoord.text,
                intrekking.text,
            )
            status = _ok(await c("karim").get(f"{API}/rugdekkingsverzoeken/{verzoek}"))["status"]
            gedekt = _ok(await c("karim").get(f"{b}/afwijkingen/{afwijking}"))["status"] == "gedekt"
            beide = antwoord.status_code == 200 and intrekking.status_code == 200
            if beide or (status == "beantwoord") != gedekt or status == "open":
                paar3["inconsistent"] += 1
            elif status == "beantwoord":
                paar3["antwoord eerst"] += 1
            else:
                paar3["intrekking eerst"] += 1
        print(
            f"race antwoord vs intrekken van een rugdekkingsverzoek: {RONDES} rondes, "
            f"inconsistent={paar3['inconsistent']}, "
            + ", ".join(f"{k}={v}" for k, v in sorted(paar3.items()) if k != "inconsistent"),
            flush=True,
        )
        fouten = [r for s in servers for r in s.interne_fouten()]
        assert not fouten, fouten
        assert paar3["inconsistent"] == 0, paar3
    finally:
        if c is not None:
            await c.sluit()
        for server in servers:
            await server.stop()
            harness._GEBRUIKT.discard(server.poort)
        await _database_weg()
