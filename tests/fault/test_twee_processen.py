"""Two app processes on one PostgreSQL database, the client alternating between them.

Everything that must hold across processes lives in the database, never in a process: the kenmerk
counter (row lock), the one current regiehouder (partial unique index), the versie of a casus
(checked in the UPDATE) and the Idempotency-Keys (a table). Each part is driven concurrently
through both servers.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from tests.fault.harness import (
    API,
    Server,
    Servers,
    database_weg,
    is_probleem,
    kenmerknummer,
    logboek_verify,
    meld,
    token,
    verbind,
    verse_database,
)
from tests.personas import medewerker_id

pytestmark = pytest.mark.slow

DB = "doorbraak_fault_twee"
N_KENMERKEN = 60
HANDOVER_RONDES = 8
ETAG_RONDES = 3
N_PATCHES = 20


class Twee:
    """Clients per demo medewerker for both servers; `client(wie, i)` alternates on i."""

    def __init__(self, servers: list[Server], stack: list[httpx.AsyncClient]) -> None:
        self.servers = servers
        self._clients: dict[tuple[str, int], httpx.AsyncClient] = {}
        self._stack = stack
        self.statussen: Counter[int] = Counter()

    def client(self, wie: str, i: int) -> httpx.AsyncClient:
        n = i % len(self.servers)
        if (wie, n) not in self._clients:
            c = httpx.AsyncClient(
                base_url=self.servers[n].url,
                headers=token(wie),
                timeout=httpx.Timeout(30.0),
                event_hooks={"response": [self._tel]},
            )
            self._stack.append(c)
            self._clients[(wie, n)] = c
        return self._clients[(wie, n)]

    async def _tel(self, r: httpx.Response) -> None:
        self.statussen[r.status_code] += 1


@asynccontextmanager
async def twee(servers: list[Server]) -> AsyncIterator[Twee]:
    stack: list[httpx.AsyncClient] = []
    try:
        yield Twee(servers, stack)
    finally:
        for c in stack:
            await c.aclose()


def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


async def post_tot_antwoord(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], sleutel: str
) -> tuple[list[int], httpx.Response]:
    """POST with an Idempotency-Key, retrying (same key) while the answer says to: the statuses
    seen and the final answer."""
    gezien: list[int] = []
    for _ in range(100):
        r = await client.post(url, json=body, headers={"Idempotency-Key": sleutel})
        gezien.append(r.status_code)
        opnieuw = r.status_code == 503 or (
            r.status_code == 409 and r.json().get("code") == "verzoek-loopt-nog"
        )
        if not opnieuw:
            return gezien, r
        assert is_probleem(r) and r.headers["Retry-After"], r.headers
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} {sleutel}: still not answered after {gezien}")


async def test_two_processes_share_kenmerken_regie_versies_and_keys(
    serverbeheer: Servers,
) -> None:
    begin = time.monotonic()
    run = uuid.uuid4().hex[:6]
    await verse_database(DB)
    servers = [await serverbeheer.start(DB, "a"), await serverbeheer.start(DB, "b")]
    async with twee(servers) as t:
        # --- (a) kenmerken: concurrent creates over both processes, consecutive, no gap ----
        # Not every demo casus is visible to one medewerker: read the counter itself.
        conn = await verbind(DB)
        try:
            laatste = await conn.fetchval(
                "SELECT laatste FROM kenmerk_tellers WHERE jaar = extract(year FROM now())::int"
            )
        finally:
            await conn.close()
        eerste = int(laatste or 0) + 1
        antwoorden = await asyncio.gather(
            *(
                post_tot_antwoord(
                    t.client("sanne", i),
                    f"{API}/casussen",
                    {"titel": f"twee {run} kenmerk {i}"},
                    f"{run}-kenmerk-{i}",
                )
                for i in range(N_KENMERKEN)
            )
        )
        kenmerk_pogingen = sum(len(g) for g, _ in antwoorden)
        kenmerken = [ok(r, 201)["kenmerk"] for _, r in antwoorden]
        nummers = sorted(kenmerknummer(k) for k in kenmerken)
        assert len(set(kenmerken)) == N_KENMERKEN, "duplicate kenmerk"
        assert nummers == list(range(eerste, eerste + N_KENMERKEN)), nummers
        conn = await verbind(DB)
        try:
            alle = sorted(
                kenmerknummer(k)
                for k in await conn.fetchval("SELECT array_agg(kenmerk) FROM casussen")
            )
        finally:
            await conn.close()
        assert alle == list(range(1, eerste + N_KENMERKEN)), alle

        # --- (b) handover race: the same casus handed over through both processes at once ---
        uitkomsten: Counter[str] = Counter()
        for ronde in range(HANDOVER_RONDES):
            sanne = t.client("sanne", ronde)
            k = ok(
                await sanne.post(f"{API}/casussen", json={"titel": f"twee {run} regie {ronde}"}),
                201,
            )["kenmerk"]
            ok(
                await sanne.post(
                    f"{API}/casussen/{k}/regie", json={"medewerker": str(medewerker_id("karim"))}
                ),
                201,
            )
            # Both of karim's connections are open before the race starts.
            for i in (0, 1):
                ok(await t.client("karim", i).get(f"{API}/casussen/{k}"))
            race = await asyncio.gather(
                *(
                    t.client("karim", i).post(
                        f"{API}/casussen/{k}/regie",
                        json={
                            "medewerker": str(medewerker_id(wie)),
                            "reden": "overdracht",
                            "overdrachtsnotitie": "zie dossier",
                        },
                    )
                    for i, wie in ((0, "eva"), (1, "peter"))
                )
            )
            statussen = sorted(r.status_code for r in race)
            # 409: both read karim as the regiehouder and the database let one win. 404: the
            # loser started after the winner committed, and karim (no longer regiehouder, no
            # other role in the casus) can no longer see it: the same outcome, told later.
            assert statussen in ([201, 409], [201, 404]), [r.text for r in race]
            verliezer = next(r for r in race if r.status_code != 201)
            assert is_probleem(verliezer), verliezer.headers
            if verliezer.status_code == 409:
                assert verliezer.json()["code"] == "regie-conflict", verliezer.json()
            uitkomsten[str(verliezer.status_code)] += 1
            winnaar = next(r for r in race if r.status_code == 201).json()
            regie = ok(await t.client("sanne", ronde + 1).get(f"{API}/casussen/{k}/regie"))
            open_ = [v for v in regie["historie"] if v["tot"] is None]
            assert len(open_) == 1 and len(regie["historie"]) == 2, regie
            assert regie["huidige"]["medewerker"]["id"] == winnaar["huidige"]["medewerker"]["id"]
        conn = await verbind(DB)
        try:
            dubbel_open = await conn.fetchval(
                "SELECT count(*) FROM (SELECT casus_id FROM regievoeringen WHERE tot IS NULL"
                " GROUP BY casus_id HAVING count(*) > 1) d"
            )
        finally:
            await conn.close()
        assert dubbel_open == 0

        # --- (c) ETag: 20 PATCHes with one ETag over both processes: one 200, nineteen 412 --
        etag: Counter[int] = Counter()
        for ronde in range(ETAG_RONDES):
            k = ok(
                await t.client("sanne", ronde).post(
                    f"{API}/casussen", json={"titel": f"twee {run} etag {ronde}"}
                ),
                201,
            )["kenmerk"]
            patches = await asyncio.gather(
                *(
                    t.client("sanne", i).patch(
                        f"{API}/casussen/{k}",
                        json={"titel": f"twee {run} etag {ronde} poging {i}"},
                        headers={"If-Match": '"1"'},
                    )
                    for i in range(N_PATCHES)
                )
            )
            statussen = sorted(r.status_code for r in patches)
            assert statussen == [200] + [412] * (N_PATCHES - 1), [r.text for r in patches]
            for r in patches:
                etag[r.status_code] += 1
                if r.status_code == 412:
                    assert is_probleem(r) and r.json()["code"] == "versie-conflict"
            winnaar = next(r for r in patches if r.status_code == 200).json()
            for i in (0, 1):
                casus = ok(await t.client("sanne", i).get(f"{API}/casussen/{k}"))
                assert casus["titel"] == winnaar["titel"] and casus["versie"] == 2, casus
            tijdlijn = ok(await t.client("sanne", 1).get(f"{API}/casussen/{k}/tijdlijn"))
            assert [r["actie"] for r in tijdlijn["results"]].count("casus.gewijzigd") == 1

        # --- (d) Idempotency-Key across processes ------------------------------------------
        idem_verzoeken = 0
        idem_replays = 0
        # Concurrently: the same key and body to both processes at once, three times each.
        body = {"titel": f"twee {run} idem gelijktijdig", "urgentie": "hoog"}
        gelijktijdig = await asyncio.gather(
            *(
                post_tot_antwoord(t.client("sanne", i), f"{API}/casussen", body, f"{run}-idem-1")
                for i in range(6)
            )
        )
        idem_verzoeken += sum(len(g) for g, _ in gelijktijdig)
        assert all(set(g) <= {201, 409} for g, _ in gelijktijdig), gelijktijdig
        finaal = [r for _, r in gelijktijdig]
        assert all(r.status_code == 201 for r in finaal)
        assert len({r.content for r in finaal}) == 1, "replays differ from the first answer"
        idem_replays += sum(r.headers.get("Idempotent-Replayed") == "true" for r in finaal)
        assert idem_replays == 5, [r.headers for r in finaal]
        # Sequentially: first through A, then through B and A again; another body through B.
        body2 = {"titel": f"twee {run} idem na elkaar", "situatie": "één keer"}
        eerste_antwoord = await t.client("sanne", 0).post(
            f"{API}/casussen", json=body2, headers={"Idempotency-Key": f"{run}-idem-2"}
        )
        ok(eerste_antwoord, 201)
        assert "Idempotent-Replayed" not in eerste_antwoord.headers
        for i in (1, 0, 1):
            r = await t.client("sanne", i).post(
                f"{API}/casussen", json=body2, headers={"Idempotency-Key": f"{run}-idem-2"}
            )
            idem_verzoeken += 1
            assert r.status_code == 201 and r.headers["Idempotent-Replayed"] == "true"
            assert r.content == eerste_antwoord.content
            for h in ("ETag", "Location"):
                assert r.headers[h] == eerste_antwoord.headers[h]
            idem_replays += 1
        anders = await t.client("sanne", 1).post(
            f"{API}/casussen",
            json={**body2, "titel": "anders"},
            headers={"Idempotency-Key": f"{run}-idem-2"},
        )
        idem_verzoeken += 1
        assert anders.status_code == 422 and anders.json()["code"] == "idempotency-key-hergebruikt"
        # A deelname POST with one key, concurrently through both processes.
        k = kenmerken[0]
        deelnames = await asyncio.gather(
            *(
                post_tot_antwoord(
                    t.client("sanne", i),
                    f"{API}/casussen/{k}/deelnames",
                    {"afdeling": "vastgoed"},
                    f"{run}-idem-3",
                )
                for i in range(4)
            )
        )
        idem_verzoeken += sum(len(g) for g, _ in deelnames)
        assert all(r.status_code == 201 for _, r in deelnames), deelnames
        assert len({r.content for _, r in deelnames}) == 1
        idem_replays += sum(r.headers.get("Idempotent-Replayed") == "true" for _, r in deelnames)

        conn = await verbind(DB)
        try:
            per_titel = {
                r["titel"]: r["n"]
                for r in await conn.fetch(
                    "SELECT titel, count(*) AS n FROM casussen WHERE titel = ANY($1::text[])"
                    " GROUP BY titel",
                    [body["titel"], body2["titel"], "anders"],
                )
            }
            n_deelnames = await conn.fetchval(
                "SELECT count(*) FROM deelnames d JOIN casussen c ON c.id = d.casus_id"
                " WHERE c.kenmerk = $1",
                k,
            )
        finally:
            await conn.close()
        assert per_titel == {body["titel"]: 1, body2["titel"]: 1}, per_titel
        assert n_deelnames == 1

    rc, uit = await logboek_verify(DB)
    fouten = [regel for s in servers for regel in s.interne_fouten()]
    meld(
        f"two-processes: servers=2 creates={N_KENMERKEN} create_requests={kenmerk_pogingen}"
        f" kenmerken={min(nummers)}..{max(nummers)} gaps=0 duplicates=0"
        f" handovers={HANDOVER_RONDES} (201={HANDOVER_RONDES}"
        f" 409={uitkomsten['409']} 404={uitkomsten['404']}) open_regie_per_casus=1"
        f" etag_rounds={ETAG_RONDES} (200={etag[200]} 412={etag[412]})"
        f" idempotency_requests={idem_verzoeken} replays={idem_replays} casussen_per_key=1"
        f" statuses={dict(sorted(t.statussen.items()))}"
        f" logboek_verify={rc} seconds={time.monotonic() - begin:.1f}"
    )
    assert rc == 0, uit
    assert 500 not in t.statussen, t.statussen
    assert not fouten, fouten
    await database_weg(DB)  # kept after a failure, for the post-mortem
