"""Crash safety: `kill -9` the real server mid-load, restart it, retry, and prove nothing is lost.

A client with several concurrent workers creates casussen (a unique titel and an Idempotency-Key per
operation), changes titels (PATCH with If-Match) and adds deelnames (POST with an Idempotency-Key).
The server is SIGKILLed three times while the load runs (each time while one write sleeps inside
its COMMIT, so it commits without an answer) and started again. Every operation without a 2xx
is retried: POSTs with the same Idempotency-Key, PATCHes by re-reading first (the intended titel
already there means the unanswered attempt committed; otherwise it is applied again with the
current ETag). The patches of one casus run one after another, so the re-read is decisive.

Then the database and the API must show every operation exactly once: one casus per create, one
`casus.gewijzigd` per PATCH in the order sent, one deelname (and `deelname.toegevoegd`) per POST,
kenmerken without gaps, and a logboek chain that verifies.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.fault.harness import (
    API,
    Server,
    Servers,
    alle_casussen,
    commitvertraging,
    commitvertraging_installeren,
    database_weg,
    kenmerknummer,
    logboek_verify,
    meld,
    token,
    verbind,
    verse_database,
    wacht_op_slapende_commit,
    wacht_tot_backends_weg,
)
from tests.personas import medewerker_id

pytestmark = pytest.mark.slow

DB = "doorbraak_fault_crash"
N_SEED = 30  # casussen created first; the PATCHes and deelnames go to these
N_CREATE = 260
PATCHES_PER_CASUS = 4
AFDELINGEN = ("vastgoed", "schuldhulp", "wonen")
WORKERS = 12
# SIGKILL when this fraction of the load is done, while a write of this kind sleeps in its COMMIT
KILLS = ((0.25, "casus.gewijzigd"), (0.5, "deelname.toegevoegd"), (0.75, "casus.aangemeld"))
COMMIT_SLAAP_MS = 400  # a write sleeps this long inside COMMIT when the kill comes
TIJDSLIMIET = 240.0


@dataclass
class Operatie:
    soort: str  # create | patch | deelname
    titel: str = ""
    kenmerk: str = ""
    afdeling: str = ""
    sleutel: str = ""
    pogingen: int = 0  # write requests sent
    onbeslist: int = 0  # of which no answer arrived (the server died under it)
    bevestigd: bool = False  # a 2xx answered a request of this operation
    herhaald: bool = False  # that 2xx was a replay of an earlier, unanswered attempt
    herlezen: bool = False  # a PATCH found applied on re-reading after an unanswered attempt


Taak = Callable[[], Awaitable[None]]


class Belasting:
    def __init__(self, server: Server, client: httpx.AsyncClient) -> None:
        self.server = server
        self.client = client
        self.up = asyncio.Event()
        self.up.set()
        self.verstuurd = 0
        self.klaar = 0
        self.statussen: Counter[int] = Counter()
        self.schrijvend = 0
        self.schrijvend_bij_kill: list[int] = []
        self.kills = 0
        self.grens = time.monotonic() + TIJDSLIMIET

    def _op_tijd(self) -> None:
        if time.monotonic() > self.grens:
            raise AssertionError(f"crash load did not finish within {TIJDSLIMIET}s")

    async def _http(self, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
        """One request; None when its answer never came (the server died under it)."""
        await self.up.wait()
        schrijft = method != "GET"
        self.schrijvend += schrijft
        try:
            r = await self.client.request(method, url, **kwargs)
        except httpx.TransportError:
            return None
        finally:
            self.schrijvend -= schrijft
        self.statussen[r.status_code] += 1
        return r

    @staticmethod
    def _opnieuw_na(r: httpx.Response) -> float | None:
        """Answers that ask for a retry: 503, and 409 while the same key is still running."""
        if r.status_code == 503 or (
            r.status_code == 409 and r.json().get("code") == "verzoek-loopt-nog"
        ):
            assert r.headers.get("Retry-After"), r.headers
            return 0.2
        return None

    async def _post(self, op: Operatie, url: str, body: dict[str, Any]) -> dict[str, Any]:
        while True:
            self._op_tijd()
            op.pogingen += 1
            self.verstuurd += 1
            r = await self._http("POST", url, json=body, headers={"Idempotency-Key": op.sleutel})
            if r is None:
                op.onbeslist += 1
                continue
            if r.status_code == 201:
                op.bevestigd = True
                op.herhaald = r.headers.get("Idempotent-Replayed") == "true"
                self.klaar += 1
                antwoord: dict[str, Any] = r.json()
                return antwoord
            wacht = self._opnieuw_na(r)
            if wacht is None:
                raise AssertionError(f"{op.soort} {op.sleutel}: {r.status_code} {r.text}")
            await asyncio.sleep(wacht)

    async def aanmaken(self, op: Operatie) -> None:
        antwoord = await self._post(
            op, f"{API}/casussen", {"titel": op.titel, "situatie": "crash", "urgentie": "hoog"}
        )
        assert antwoord["titel"] == op.titel, antwoord
        op.kenmerk = antwoord["kenmerk"]

    async def deelnemen(self, op: Operatie) -> None:
        antwoord = await self._post(
            op, f"{API}/casussen/{op.kenmerk}/deelnames", {"afdeling": op.afdeling}
        )
        assert antwoord["afdeling"] == op.afdeling, antwoord

    async def wijzigen(self, op: Operatie) -> None:
        url = f"{API}/casussen/{op.kenmerk}"
        while True:
            self._op_tijd()
            gelezen = await self._http("GET", url)
            if gelezen is None or self._opnieuw_na(gelezen) is not None:
                await asyncio.sleep(0.05)
                continue
            assert gelezen.status_code == 200, gelezen.text
            if gelezen.json()["titel"] == op.titel:
                # Titels are unique per operation: only an unanswered attempt can have set it.
                assert op.onbeslist, f"{op.titel} present before it was sent"
                op.herlezen = True
                self.klaar += 1
                return
            op.pogingen += 1
            self.verstuurd += 1
            r = await self._http(
                "PATCH",
                url,
                json={"titel": op.titel},
                headers={"If-Match": gelezen.headers["ETag"]},
            )
            if r is None:
                op.onbeslist += 1
                continue
            if r.status_code == 200:
                op.bevestigd = True
                self.klaar += 1
                return
            if r.status_code != 412 and self._opnieuw_na(r) is None:
                raise AssertionError(f"PATCH {op.titel}: {r.status_code} {r.text}")

    async def killer(self, totaal: int) -> None:
        """SIGKILL the server at the given fractions of the load, then start it again."""
        for fractie, actie in KILLS:
            while self.klaar < fractie * totaal:
                self._op_tijd()
                await asyncio.sleep(0.002)
            # Kill while a write sleeps inside its COMMIT: it commits, its answer never leaves.
            await commitvertraging(DB, COMMIT_SLAAP_MS, actie)
            if not await wacht_op_slapende_commit(DB, 5.0):
                # None of that kind came along (the load moved on): any write will do.
                await commitvertraging(DB, COMMIT_SLAAP_MS)
                assert await wacht_op_slapende_commit(DB), "no write reached its COMMIT"
            self.up.clear()
            self.schrijvend_bij_kill.append(self.schrijvend)
            await self.server.kill9()
            self.kills += 1
            # Judge only after PostgreSQL has resolved every transaction of the dead process.
            await wacht_tot_backends_weg(DB)
            await commitvertraging(DB, 0)
            await self.server.start()
            self.up.set()


async def draai(taken: list[Taak], workers: int) -> None:
    rij: asyncio.Queue[Taak] = asyncio.Queue()
    for taak in taken:
        rij.put_nowait(taak)

    async def worker() -> None:
        while not rij.empty():
            await (rij.get_nowait())()

    async with asyncio.TaskGroup() as tg:
        for _ in range(workers):
            tg.create_task(worker())


def _json(waarde: Any) -> Any:
    return json.loads(waarde) if isinstance(waarde, str) else waarde


async def test_kill_9_mid_load_loses_no_acknowledged_write(serverbeheer: Servers) -> None:
    begin = time.monotonic()
    run = uuid.uuid4().hex[:6]
    await verse_database(DB)
    await commitvertraging_installeren(DB)
    server = await serverbeheer.start(DB, "crash")
    async with httpx.AsyncClient(
        base_url=server.url,
        headers=token("sanne"),
        timeout=httpx.Timeout(30.0),
        limits=httpx.Limits(max_connections=WORKERS * 2),
    ) as client:
        belasting = Belasting(server, client)

        def aanmaak(naam: str) -> Operatie:
            return Operatie("create", titel=f"crash {run} {naam}", sleutel=f"{run}-{naam}")

        seeds = [aanmaak(f"seed-{i}") for i in range(N_SEED)]
        await draai([lambda op=op: belasting.aanmaken(op) for op in seeds], WORKERS)

        creates = [aanmaak(f"nieuw-{i}") for i in range(N_CREATE)]
        ketens = [
            [
                Operatie("patch", titel=f"crash {run} {s.kenmerk} wijziging {j}", kenmerk=s.kenmerk)
                for j in range(PATCHES_PER_CASUS)
            ]
            for s in seeds
        ]
        deelnames = [
            Operatie("deelname", kenmerk=s.kenmerk, afdeling=a, sleutel=f"{run}-{s.kenmerk}-{a}")
            for s in seeds
            for a in AFDELINGEN
        ]

        async def keten(ops: list[Operatie]) -> None:
            for op in ops:  # one casus's PATCHes in order: the re-read after a crash is decisive
                await belasting.wijzigen(op)

        taken: list[Taak] = [
            *(lambda op=op: belasting.aanmaken(op) for op in creates),
            *(lambda k=k: keten(k) for k in ketens),
            *(lambda op=op: belasting.deelnemen(op) for op in deelnames),
        ]
        random.shuffle(taken)
        belasting.klaar = 0
        totaal = len(creates) + len(deelnames) + sum(len(k) for k in ketens)
        async with asyncio.TaskGroup() as tg:
            tg.create_task(belasting.killer(totaal))
            tg.create_task(draai(taken, WORKERS))

        ops = [*seeds, *creates, *(op for k in ketens for op in k), *deelnames]
        assert belasting.kills == len(KILLS)
        assert all(op.bevestigd or op.herlezen for op in ops)

        # --- the proof, from the database itself -------------------------------------------
        conn = await verbind(DB)
        try:
            casussen = await conn.fetch("SELECT id, kenmerk, titel, versie FROM casussen")
            tijdlijn = await conn.fetch(
                "SELECT casus_id, actie, object_id, wijzigingen FROM tijdlijn ORDER BY id"
            )
            deelname_rijen = await conn.fetch("SELECT casus_id, afdeling_code FROM deelnames")
            sleutels = await conn.fetch(
                "SELECT sleutel, status FROM idempotentie_sleutels WHERE medewerker_id = $1",
                medewerker_id("sanne"),
            )
        finally:
            await conn.close()

        per_id = {r["id"]: r for r in casussen}
        per_kenmerk = {r["kenmerk"]: r for r in casussen}
        aangemeld_per_titel: dict[str, list[int]] = {}
        aangemeld_per_casus: Counter[int] = Counter()
        gewijzigd: dict[int, list[str]] = {}
        toegevoegd: Counter[tuple[int, str]] = Counter()
        for t in tijdlijn:
            w = _json(t["wijzigingen"])
            if t["actie"] == "casus.aangemeld":
                aangemeld_per_casus[t["casus_id"]] += 1
                aangemeld_per_titel.setdefault(w["titel"]["nieuw"], []).append(t["casus_id"])
            elif t["actie"] == "casus.gewijzigd" and "titel" in w:
                # (the demo data's own changes touch other fields)
                gewijzigd.setdefault(t["casus_id"], []).append(w["titel"]["nieuw"])
            elif t["actie"] == "deelname.toegevoegd":
                toegevoegd[(t["casus_id"], t["object_id"])] += 1

        gevonden = dubbel = kwijt = 0
        fouten: list[str] = []
        for op in [*seeds, *creates]:
            ids = aangemeld_per_titel.get(op.titel, [])
            dubbel += max(0, len(ids) - 1)
            if not ids:
                kwijt += 1
                fouten.append(f"create lost: {op.titel}")
            elif len(ids) == 1 and per_id[ids[0]]["kenmerk"] == op.kenmerk:
                gevonden += 1
            else:
                fouten.append(f"create {op.titel}: casussen {ids}, answered {op.kenmerk}")
        for k in ketens:
            casus = per_kenmerk[k[0].kenmerk]
            titels = gewijzigd.get(casus["id"], [])
            for op in k:
                n = titels.count(op.titel)
                gevonden += n == 1
                dubbel += max(0, n - 1)
                kwijt += n == 0
            if titels != [op.titel for op in k]:
                fouten.append(f"{casus['kenmerk']}: casus.gewijzigd {titels}")
            if casus["titel"] != k[-1].titel or casus["versie"] != 1 + len(k):
                fouten.append(
                    f"{casus['kenmerk']}: titel {casus['titel']} versie {casus['versie']}"
                )
        rijen = Counter((r["casus_id"], r["afdeling_code"]) for r in deelname_rijen)
        for op in deelnames:
            paar = (per_kenmerk[op.kenmerk]["id"], op.afdeling)
            n = min(rijen[paar], toegevoegd[paar])
            gevonden += n == 1
            dubbel += max(0, rijen[paar] - 1, toegevoegd[paar] - 1)
            kwijt += n == 0
            if rijen[paar] != 1 or toegevoegd[paar] != 1:
                fouten.append(f"deelname {paar}: rows {rijen[paar]}, tijdlijn {toegevoegd[paar]}")

        # One casus per create (the harness loads no demo casussen), each with one
        # casus.aangemeld; kenmerken without a gap (a killed transaction gives its number back).
        if len(casussen) != len(seeds) + len(creates):
            fouten.append(f"{len(casussen)} casussen for {len(seeds) + len(creates)} creates")
        if any(aangemeld_per_casus[r["id"]] != 1 for r in casussen):
            fouten.append(f"casus.aangemeld per casus: {set(aangemeld_per_casus.values())}")
        nummers = sorted(kenmerknummer(r["kenmerk"]) for r in casussen)
        if nummers != list(range(1, len(casussen) + 1)):
            fouten.append(f"kenmerken not gap-free: {nummers}")
        if len(deelname_rijen) != len(deelnames):
            fouten.append(f"{len(deelname_rijen)} deelnames for {len(deelnames)} operations")
        eigen = {op.sleutel for op in [*seeds, *creates, *deelnames]}
        bewaard = {r["sleutel"]: r["status"] for r in sleutels}
        if {s for s in eigen if bewaard.get(s) != 201}:
            fouten.append("an Idempotency-Key without its stored 201")

        # --- and as a client sees it ----------------------------------------------------------
        zichtbaar = await alle_casussen(client)
        kenmerken = [c["kenmerk"] for c in zichtbaar]
        if len(set(kenmerken)) != len(kenmerken) or len(kenmerken) != len(casussen):
            fouten.append(f"API list: {len(kenmerken)} casussen, {len(set(kenmerken))} distinct")
        seed_kenmerken = {s.kenmerk for s in seeds}
        sem = asyncio.Semaphore(8)

        async def tijdlijn_klopt(kenmerk: str) -> None:
            async with sem:
                r = await client.get(f"{API}/casussen/{kenmerk}/tijdlijn?limit=100")
            assert r.status_code == 200, r.text
            acties = Counter(t["actie"] for t in r.json()["results"])
            verwacht = (
                (1, PATCHES_PER_CASUS, len(AFDELINGEN)) if kenmerk in seed_kenmerken else (1, 0, 0)
            )
            echt = (
                acties["casus.aangemeld"],
                acties["casus.gewijzigd"],
                acties["deelname.toegevoegd"],
            )
            if echt != verwacht:
                fouten.append(f"tijdlijn {kenmerk}: {dict(acties)}")

        await asyncio.gather(*(tijdlijn_klopt(k) for k in kenmerken))

    rc, uit = await logboek_verify(DB)
    duur = time.monotonic() - begin
    meld(
        f"crash: ops={len(ops)} sent={belasting.verstuurd}"
        f" acknowledged={sum(op.bevestigd for op in ops)}"
        f" retried={sum(op.pogingen > 1 for op in ops)}"
        f" in_doubt={sum(op.onbeslist > 0 for op in ops)}"
        f" replayed={sum(op.herhaald for op in ops)}"
        f" reread_applied={sum(op.herlezen for op in ops)}"
        f" found={gevonden} duplicates={dubbel} lost={kwijt}"
        f" kills={belasting.kills} writes_in_flight_at_kill={belasting.schrijvend_bij_kill}"
        f" statuses={dict(sorted(belasting.statussen.items()))}"
        f" logboek_verify={rc} seconds={duur:.1f}"
    )
    assert not fouten, "\n".join(fouten[:40])
    assert gevonden == len(ops) and dubbel == 0 and kwijt == 0
    # Every kill hit a write inside its COMMIT: committed without an answer, then retried.
    assert sum(op.herhaald or op.herlezen for op in ops) >= belasting.kills
    assert rc == 0, uit
    assert 500 not in belasting.statussen, belasting.statussen
    assert not server.interne_fouten(), server.interne_fouten()
    await database_weg(DB)  # kept after a failure, for the post-mortem
