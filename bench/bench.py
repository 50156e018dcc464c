"""The benchmark: doorbraak as production runs it against the bare-FastAPI floor, in one run.

    .venv/bin/python bench/bench.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/perf_100k

1. picks test data from the database (casussen of karim, a deep cursor, open casussen for the
   phase moves, which close them with afsluitreden elders_belegd, each by a leidinggevende of
   a participating afdeling with an API token made for the run);
2. prints `EXPLAIN` of every query the hot GET endpoints send (captured from the app itself,
   in-process) and checks that detail and list never scan the casussen table sequentially;
3. starts `doorbraak serve --workers N` and the baseline (`uvicorn bench.baseline_app:app
   --workers N --http httptools --loop uvloop`), measuring cold start (spawn until the first
   200) and idle memory per worker, and prints the HTTP implementation and loop every worker
   reports (`serverstapel` lines in their logs);
4. measures the harness's ceiling (a static route on the baseline server); a baseline within
   20 % of it makes every ratio "capped";
5. runs wrk (Debian package `wrk`, Lua for tokens, paths and bodies) per scenario: a short
   warm-up, the baseline again right before each endpoint, then the measurement; throughput,
   p50/p95/p99 and the server's CPU time per request;
6. runs `doorbraak logboek verify` after the writes;
7. writes bench/uitkomst/resultaten.md and .json: each endpoint as a ratio to the baseline, and
   the goals of issue 19 met or missed.

The phase moves and creates change the data set (they are real writes, with tijdlijn and
logboek); a run closes a few thousand open casussen.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLAFOND = "plafond (statisch)"
BASELINE = "baseline"
# The baseline within this share of the ceiling: the harness, not the baseline's work, bounds it.
GEKAPT = 0.8
# The baseline does the same work in every measurement, so its server CPU per request is a
# reading of the host's speed: when it spreads by more than this factor within one run, the
# host slowed down or sped up under it and a ratio to a baseline measured seconds earlier is
# not a result (a virtual machine's CPU once did so by the minute, by up to 2.8x).
ONRUSTIG = 1.5

HIER = Path(__file__).resolve().parent
ROOT = HIER.parent
BIN = Path(sys.executable).parent
UIT = HIER / "uitkomst"

LUA = r"""
local teller = 0
function setup(thread)
  thread:set("nr", teller)
  teller = teller + 1
end
local paden = {}
local tokens = {}
function init(args)
  -- A line is a path, or a path, a tab and the bearer token of the one who asks for it.
  for regel in io.lines(%(paden)s) do
    local pad, token = regel:match("^([^\t]+)\t(.+)$")
    paden[#paden + 1] = pad or regel
    tokens[#paden] = token
  end
  i = nr * math.floor(#paden / %(threads)d)
end
local headers = %(headers)s
function request()
  i = i + 1
  local n = (i %% #paden) + 1
  if tokens[n] then headers["Authorization"] = "Bearer " .. tokens[n] end
  return wrk.format(%(methode)s, paden[n], headers, %(body)s)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%%d,"duur_us":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,' ..
    '"status_fouten":%%d,"andere_fouten":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Scenario:
    naam: str
    paden: list[str]
    wie: str | None = "karim"
    methode: str = "GET"
    body: dict[str, Any] | None = None
    verbindingen: int = 32
    baseline: bool = False  # served by the baseline server (the baseline and the ceiling)
    uitkomst: dict[str, Any] = field(default_factory=dict)


def lua_string(s: str) -> str:
    return json.dumps(s)  # a JSON string literal is a valid Lua string literal here


def cursor(waarden: list[Any]) -> str:
    raw = json.dumps(waarden, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def medewerker(sleutel: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.nl/demo/medewerker/{sleutel}"))


async def testdata(url: str) -> dict[str, Any]:
    import asyncpg

    conn = await asyncpg.connect(dsn(url))
    try:
        karim = medewerker("karim")
        kenmerken = [
            r["kenmerk"]
            for r in await conn.fetch(
                "SELECT kenmerk FROM casussen WHERE regiehouder_id = $1::uuid "
                "ORDER BY md5(kenmerk) LIMIT 500",
                karim,
            )
        ]
        gesloten = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM casussen WHERE regiehouder_id = $1::uuid AND fase = 'afgesloten' "
                "ORDER BY id DESC",
                karim,
            )
        ]
        # The fase moves close open casussen, each by a leidinggevende of an afdeling that takes
        # part (the policy lets them), so the sample spans every afdeling, not only peter's
        # sociaal-domein (~500 open casussen at 100k, too few for a run). Each leidinggevende
        # gets an API token of its own for the run, stored as the service stores one.
        rijen = await conn.fetch(
            "SELECT DISTINCT ON (c.id) c.kenmerk, m.id AS leider FROM casussen c "
            "JOIN deelnames d ON d.casus_id = c.id "
            "JOIN medewerkers m ON m.afdeling_code = d.afdeling_code AND m.actief "
            "AND m.rollen::jsonb ? 'leidinggevende' "
            "WHERE c.fase <> 'afgesloten' ORDER BY c.id DESC, m.id LIMIT 30000"
        )
        tokens: dict[str, str] = {}
        for leider in sorted({str(r["leider"]) for r in rijen}):
            tokens[leider] = "bench-" + secrets.token_urlsafe(32)
            await conn.execute(
                "INSERT INTO api_tokens (id, medewerker_id, naam, token_hash, aangemaakt_op, "
                "verloopt_op) VALUES ($1::uuid, $2::uuid, 'benchmark', $3, now(), "
                "now() + interval '1 day')",
                str(uuid.uuid4()), leider, hashlib.sha256(tokens[leider].encode()).hexdigest(),
            )  # fmt: skip
        open_casussen = [(r["kenmerk"], tokens[str(r["leider"])]) for r in rijen]
        aantal = await conn.fetchval("SELECT count(*) FROM casussen")
    finally:
        await conn.close()
    return {
        "kenmerken": kenmerken,
        "diep": gesloten[len(gesloten) // 2] if gesloten else None,
        "gesloten_van_karim": len(gesloten),
        "open": open_casussen,
        "casussen": aantal,
    }


def scenarios(data: dict[str, Any]) -> list[Scenario]:
    k = data["kenmerken"]
    lijst = "/api/v1/casussen?fase=afgesloten&limit=20"
    diep = f"{lijst}&cursor={cursor([data['diep']])}"
    detail = [f"/api/v1/casussen/{x}" for x in k]
    return [
        Scenario(PLAFOND, ["/baseline/statisch"], None, baseline=True),
        Scenario(BASELINE, [f"/baseline/casussen/{x}" for x in k], None, baseline=True),
        Scenario("casus detail", detail),
        Scenario("casus detail @1", detail, verbindingen=1),
        Scenario("casus detail @4", detail, verbindingen=4),
        Scenario("casus lijst, eerste pagina", [lijst]),
        Scenario("casus lijst @1", [lijst], verbindingen=1),
        Scenario("casus lijst @4", [lijst], verbindingen=4),
        Scenario("casus lijst, diepe pagina", [diep]),
        Scenario("casus lijst leidinggevende", ["/api/v1/casussen?open=true&limit=20"], "peter"),
        Scenario("tijdlijn", [f"/api/v1/casussen/{x}/tijdlijn" for x in k]),
        Scenario(
            "casus aanmelden",
            ["/api/v1/casussen"],
            methode="POST",
            body={"titel": "Benchmark", "situatie": "Gemeten.", "urgentie": "normaal"},
            verbindingen=16,
        ),
        Scenario(
            "fase-overgang",
            [f"/api/v1/casussen/{x}/fase-overgangen\t{token}" for x, token in data["open"]],
            None,
            methode="POST",
            body={"naar": "afgesloten", "afsluitreden": "elders_belegd"},
            verbindingen=16,
        ),
        Scenario("statistieken", ["/api/v1/statistieken"], "fatima", verbindingen=16),
        Scenario("register afwijkingen", ["/api/v1/afwijkingen"], "fatima"),
        Scenario("register beleidssignalen", ["/api/v1/beleidssignalen"], "fatima"),
    ]


# --- EXPLAIN of what the app really sends -----------------------------------------------------


async def explain(url: str, lijst: list[tuple[str, str, str]]) -> tuple[str, list[str]]:
    """Run each request in-process, capture its SELECTs, EXPLAIN (ANALYZE) them on the database."""
    import asyncpg
    import httpx
    from sqlalchemy import event

    from doorbraak.app import create_app

    app = create_app()
    gevangen: list[tuple[str, Any]] = []

    def vang(_c: Any, _cur: Any, stmt: str, params: Any, *_a: Any) -> None:
        gevangen.append((stmt, params))

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", vang)
    conn = await asyncpg.connect(dsn(url))
    tekst: list[str] = []
    fouten: list[str] = []
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            for naam, wie, pad in lijst:
                gevangen.clear()
                r = await client.get(pad, headers={"Authorization": f"Bearer demo-{wie}"})
                tekst.append(f"=== {naam}: GET {pad} -> {r.status_code}")
                for stmt, params in list(gevangen):
                    if not stmt.lstrip().upper().startswith("SELECT") or "pg_" in stmt:
                        continue
                    plan = await conn.fetch(
                        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt, *(params or ())
                    )
                    regels = [p[0] for p in plan]
                    eerste = " ".join(stmt.split())[:160]
                    tekst.append(f"--- {eerste}")
                    tekst.extend(regels)
                    if naam.startswith("casus") and any(
                        re.search(r"Seq Scan on casussen\b", x) for x in regels
                    ):
                        fouten.append(f"{naam}: sequential scan on casussen")
    finally:
        await conn.close()
        await app.state.engine.dispose()
    return "\n".join(tekst), fouten


# --- servers ----------------------------------------------------------------------------------


def wacht_op(url: str, begin: float, max_s: float = 60) -> float:
    while time.monotonic() - begin < max_s:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - begin
        except urllib.error.HTTPError as exc:
            if exc.code == 404:  # the baseline answers: the process is up
                return time.monotonic() - begin
        except Exception:
            time.sleep(0.02)
    raise RuntimeError(f"{url} kwam niet op")


def start(
    naam: str, cmd: list[str], env: dict[str, str], gezond: str
) -> tuple[subprocess.Popen[bytes], float]:
    begin = time.monotonic()
    with (UIT / f"{naam}.log").open("wb") as log:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return proc, wacht_op(gezond, begin)


def serverstapel(naam: str, workers: int, max_s: float = 60) -> list[str]:
    """What each worker reported at startup (`serverstapel pid=.. http=.. loop=..`, logged by
    doorbraak.kit.waarneming and by the baseline app): asked from the servers, not assumed."""
    begin = time.monotonic()
    while True:
        tekst = (UIT / f"{naam}.log").read_text(errors="replace")
        regels = re.findall(r'serverstapel pid=(\d+) http=(\S+) loop=([^"\n]+)', tekst)
        per_pid = {pid: f"http={http} loop={loop.strip()}" for pid, http, loop in regels}
        if len(per_pid) >= workers or time.monotonic() - begin > max_s:
            return sorted(set(per_pid.values())) or ["no report"]
        time.sleep(0.2)


# `doorbraak serve`'s one de-identification process (deduce), shared by the workers: a child of
# the supervisor as they are, but not a worker; reported on its own line.
GEDEELD = "doorbraak.leren.deidentificatie"


def _kinderen_rss(proc: subprocess.Popen[bytes]) -> list[tuple[float, str]]:
    uit = subprocess.run(
        ["ps", "-ww", "--ppid", str(proc.pid), "-o", "rss=,args="], capture_output=True, text=True
    ).stdout
    return [
        (int(regel.split()[0]) / 1024, regel)
        for regel in uit.splitlines()
        if regel.strip() and "resource_tracker" not in regel
    ]


def geheugen_per_worker(proc: subprocess.Popen[bytes]) -> list[float]:
    """RSS in MB of the worker processes (children of the uvicorn supervisor)."""
    return [mb for mb, regel in _kinderen_rss(proc) if GEDEELD not in regel]


def geheugen_gedeeld(proc: subprocess.Popen[bytes]) -> float | None:
    """RSS in MB of the shared de-identification process, if the server has one."""
    return next((mb for mb, regel in _kinderen_rss(proc) if GEDEELD in regel), None)


def cpu_seconden(proc: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by the server's processes: the supervisor and its
    workers. Unlike throughput, CPU per request hardly moves with the machine's load."""
    klok = os.sysconf("SC_CLK_TCK")
    pids = [proc.pid] + [
        int(p) for p in subprocess.run(
            ["ps", "--ppid", str(proc.pid), "-o", "pid="], capture_output=True, text=True
        ).stdout.split()
    ]  # fmt: skip
    totaal = 0
    for pid in pids:
        try:
            velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        totaal += int(velden[11]) + int(velden[12])  # utime, stime (fields 14 and 15)
    return totaal / klok


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# --- load -------------------------------------------------------------------------------------


def wrk(s: Scenario, basis: str, duur: int, threads: int) -> dict[str, Any]:
    UIT.mkdir(exist_ok=True)
    threads = min(threads, s.verbindingen)  # wrk wants at least one connection per thread
    naam = re.sub(r"[^a-z0-9]+", "-", s.naam)
    paden = UIT / f"{naam}.paden"
    paden.write_text("\n".join(s.paden) + "\n")
    headers = {"Content-Type": "application/json"}
    if s.wie:
        headers["Authorization"] = f"Bearer demo-{s.wie}"
    lua_headers = (
        "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    )
    script = UIT / f"{naam}.lua"
    script.write_text(
        LUA
        % {
            "paden": lua_string(str(paden)),
            "threads": threads,
            "methode": lua_string(s.methode),
            "headers": lua_headers,
            "body": lua_string(json.dumps(s.body)) if s.body else "nil",
        }
    )
    cmd = ["wrk", f"-t{threads}", f"-c{s.verbindingen}", f"-d{duur}s", "-s", str(script), basis]
    uit = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    regel = next(r for r in uit.splitlines() if r.startswith("RESULT "))
    r = json.loads(regel.removeprefix("RESULT "))
    r["rps"] = r["requests"] / (r["duur_us"] / 1e6)
    return r


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--duur", type=int, default=15, help="seconds per scenario")
    p.add_argument("--opwarmen", type=int, default=3, help="warm-up seconds per scenario")
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--poort", type=int, default=8510)
    p.add_argument("--baseline-poort", type=int, default=8511)
    p.add_argument("--alleen", default=None, help="only scenarios whose name contains this")
    p.add_argument(
        "--een-baseline", dest="baseline_ernaast", action="store_false",
        help="measure the baseline once, not again right before every endpoint",
    )  # fmt: skip
    p.add_argument(
        "--niet-verifieren", dest="verifieer", action="store_false",
        help="skip `doorbraak logboek verify` after the run",
    )  # fmt: skip
    args = p.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("the benchmark runs on PostgreSQL")
    os.environ["DOORBRAAK_DATABASE_URL"] = args.database_url
    env = dict(os.environ, DOORBRAAK_AUTH_MODE="dev", PYTHONPATH=str(ROOT))
    UIT.mkdir(exist_ok=True)

    data = asyncio.run(testdata(args.database_url))
    print(
        f"data set: {data['casussen']} casussen; karim: {len(data['kenmerken'])} sampled; "
        f"{len(data['open'])} open casussen for the fase moves, each by a leidinggevende of "
        f"its afdelingen ({len({t for _, t in data['open']})} tokens; each casus closes "
        "once: a run that needs more reports the fase moves as invalid)"
    )
    alle = scenarios(data)
    plan, plan_fouten = asyncio.run(
        explain(
            args.database_url,
            [(s.naam, s.wie or "karim", s.paden[0]) for s in alle if s.methode == "GET" and not s.baseline],
        )
    )  # fmt: skip
    (UIT / "explain.txt").write_text(plan + "\n")
    print(plan)
    print("EXPLAIN check:", "; ".join(plan_fouten) or "no sequential scan on casussen")

    app, koud_app = start(
        "doorbraak",
        [
            str(BIN / "doorbraak"),
            "serve",
            "--workers",
            str(args.workers),
            "--port",
            str(args.poort),
        ],
        env,
        f"http://127.0.0.1:{args.poort}/api/v1/health",
    )
    try:
        base, koud_base = start(
            "baseline",
            [str(BIN / "uvicorn"), "bench.baseline_app:app", "--workers", str(args.workers),
             "--port", str(args.baseline_poort), "--no-access-log",
             "--http", "httptools", "--loop", "uvloop"],
            env,
            f"http://127.0.0.1:{args.baseline_poort}/baseline/casussen/x",
        )  # fmt: skip
    except Exception:
        stop(app)
        raise
    try:
        stapels = {
            "doorbraak": serverstapel("doorbraak", args.workers),
            "baseline": serverstapel("baseline", args.workers),
        }
        for naam, stapel in stapels.items():
            print(f"{naam}: {args.workers} workers, {'; '.join(stapel)}", flush=True)
        time.sleep(3)
        geheugen_idle = geheugen_per_worker(app)
        gedeeld_idle = geheugen_gedeeld(app)
        base_url = f"http://127.0.0.1:{args.baseline_poort}"

        def gemeten_wrk(sc: Scenario, url: str, server: subprocess.Popen[bytes]) -> dict[str, Any]:
            voor = cpu_seconden(server)
            uitkomst = wrk(sc, url, args.duur, args.threads)
            cpu = cpu_seconden(server) - voor
            uitkomst["cpu_ms_per_verzoek"] = 1000 * cpu / max(uitkomst["requests"], 1)
            if sc.baseline and uitkomst["status_fouten"]:
                # A reference that answers errors (a 500 from a column the baseline still reads
                # after a migration, say) is fast for the wrong reason: no ratio to it means
                # anything, so the run stops instead of reporting one.
                raise SystemExit(
                    f"{sc.naam}: {uitkomst['status_fouten']} of {uitkomst['requests']} answers "
                    "were HTTP errors; fix the baseline before measuring against it"
                )
            return uitkomst

        baseline_scenario = next(s for s in alle if s.naam == BASELINE)
        baseline_cpu: list[float] = []
        for s in alle:
            if args.alleen and args.alleen not in s.naam and not s.baseline:
                continue
            basis = f"http://127.0.0.1:{args.baseline_poort if s.baseline else args.poort}"
            if args.opwarmen:
                # Reversed: the writes of the warm-up (closing casussen) must not use up the
                # casussen the measurement starts with.
                opwarmen = Scenario(s.naam, list(reversed(s.paden)), s.wie, s.methode, s.body,
                                    s.verbindingen, s.baseline)  # fmt: skip
                wrk(opwarmen, basis, args.opwarmen, args.threads)
            if args.baseline_ernaast and not s.baseline:
                # The load of a shared machine changes by the minute: each endpoint's ratio is
                # taken to a baseline measured right before it, not only to the first one.
                naast = gemeten_wrk(baseline_scenario, base_url, base)
                baseline_cpu.append(naast["cpu_ms_per_verzoek"])
                print(
                    f"  {'(baseline right before)':30s} {naast['rps']:8.1f} req/s  "
                    f"{naast['cpu_ms_per_verzoek']:.2f} ms CPU/request", flush=True,
                )  # fmt: skip
            s.uitkomst = gemeten_wrk(s, basis, base if s.baseline else app)
            u = s.uitkomst
            if args.baseline_ernaast and not s.baseline:
                u["baseline_rps"] = naast["rps"]
                u["baseline_cpu_ms"] = naast["cpu_ms_per_verzoek"]
            if s.naam == BASELINE:
                baseline_scenario = s
                baseline_cpu.append(u["cpu_ms_per_verzoek"])
            print(
                f"{s.naam:32s} {u['rps']:8.1f} req/s  p50 {ms(u['p50_us'])} ms  "
                f"p95 {ms(u['p95_us'])} ms  p99 {ms(u['p99_us'])} ms  "
                f"fouten {u['status_fouten']}/{u['andere_fouten']}  "
                f"{u['cpu_ms_per_verzoek']:.2f} ms CPU/request",
                flush=True,
            )
        geheugen_na = geheugen_per_worker(app)
        gedeeld_na = geheugen_gedeeld(app)
    finally:
        stop(app)
        stop(base)

    verificatie = logboek_verifieren(env) if args.verifieer else None
    rapport(alle, data, args, koud_app, koud_base, geheugen_idle, geheugen_na, plan_fouten,
            stapels, verificatie, (gedeeld_idle, gedeeld_na), baseline_cpu)  # fmt: skip
    return 0


def logboek_verifieren(env: dict[str, str]) -> dict[str, Any]:
    """`doorbraak logboek verify` after the writes: every entry of the run is in the chain."""
    begin = time.monotonic()
    r = subprocess.run(
        [str(BIN / "doorbraak"), "logboek", "verify"], env=env, cwd=ROOT, capture_output=True,
        text=True,
    )  # fmt: skip
    uitkomst = {
        "geslaagd": r.returncode == 0,
        "uitvoer": (r.stdout + r.stderr).strip().splitlines()[-1:],
        "duur_s": round(time.monotonic() - begin, 1),
    }
    print(f"logboek verify: {uitkomst}", flush=True)
    return uitkomst


def rapport(
    alle: list[Scenario], data: dict[str, Any], args: argparse.Namespace, koud_app: float,
    koud_base: float, idle: list[float], na: list[float], plan_fouten: list[str],
    stapels: dict[str, list[str]], verificatie: dict[str, Any] | None,
    gedeeld: tuple[float | None, float | None] = (None, None),
    baseline_cpu: list[float] | None = None,
) -> None:  # fmt: skip
    gemeten = {s.naam: s.uitkomst for s in alle if s.uitkomst}
    b = gemeten[BASELINE]["rps"]
    plafond = gemeten.get(PLAFOND, {}).get("rps")
    # The baseline within 20 % of the harness's ceiling: the ceiling, not the baseline's work,
    # bounds the reference, and a ratio to it would flatter the service.
    gekapt = plafond is not None and b >= GEKAPT * plafond
    baseline_cpu = [c for c in baseline_cpu or [] if c > 0]
    spreiding = max(baseline_cpu) / min(baseline_cpu) if len(baseline_cpu) >= 2 else 1.0
    onrustig = spreiding > ONRUSTIG
    belasting = os.getloadavg()
    regels = [
        f"Run: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {data['casussen']} casussen, "
        f"{args.workers} workers, wrk {args.threads} threads, {args.duur} s per scenario, "
        f"load average at the end {belasting[0]:.1f} / {belasting[1]:.1f} / {belasting[2]:.1f} "
        "(1/5/15 min)",
        "",
        *(f"- {naam}: {'; '.join(stapel)}" for naam, stapel in stapels.items()),
        "- harness ceiling (static route on the baseline server): "
        + (
            f"{plafond:.0f} req/s; baseline at {b / plafond:.2f} of it"
            if plafond
            else "not measured"
        )
        + (" -> CAPPED: ratios are not results" if gekapt else ""),
        "- host steadiness: the baseline's server CPU per request "
        + (
            f"ranged {min(baseline_cpu):.2f}-{max(baseline_cpu):.2f} ms over "
            f"{len(baseline_cpu)} measurements ({spreiding:.2f}x)"
            if len(baseline_cpu) >= 2
            else "was measured once"
        )
        + (" -> UNSTEADY: the host's speed changed, ratios are not results" if onrustig else ""),
        "",
        "| endpoint | conc. | req/s | baseline req/s (right before) | ratio to baseline "
        "| p50 ms | p95 ms | p99 ms | errors | server CPU ms/request | CPU ratio (baseline/endpoint) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def referentie(u: dict[str, Any]) -> float:
        return float(u.get("baseline_rps") or b)

    def cpu_referentie(u: dict[str, Any]) -> float:
        return float(u.get("baseline_cpu_ms") or gemeten[BASELINE]["cpu_ms_per_verzoek"])

    def cpu_verhouding(u: dict[str, Any]) -> str:
        return f"{cpu_referentie(u) / max(u['cpu_ms_per_verzoek'], 1e-9):.2f}"

    def ongeldig(u: dict[str, Any]) -> bool:
        # An endpoint that answered more than 1 % errors (the fase moves once ran out of open
        # casussen and answered 409 for four in five requests) was fast for the wrong reason.
        return bool(u["status_fouten"] > 0.01 * max(u["requests"], 1))

    def verhouding(u: dict[str, Any]) -> str:
        if ongeldig(u):
            return f"invalid ({u['status_fouten']} of {u['requests']} answers were errors)"
        if onrustig:
            return "unsteady"
        return "capped" if gekapt else f"{u['rps'] / referentie(u):.2f}"

    for s in alle:
        u = s.uitkomst
        if not u:
            continue
        regels.append(
            f"| {s.naam} | {s.verbindingen} | {u['rps']:.0f} | "
            f"{'-' if s.baseline else f'{referentie(u):.0f}'} | "
            f"{'-' if s.baseline else verhouding(u)} | "
            f"{ms(u['p50_us'])} | {ms(u['p95_us'])} | {ms(u['p99_us'])} | "
            f"{u['status_fouten'] + u['andere_fouten']} | {u['cpu_ms_per_verzoek']:.2f} | "
            f"{'-' if s.baseline else cpu_verhouding(u)} |"
        )
    doelen = []

    def doel(tekst: str, gehaald: bool | None, waarde: str) -> None:
        status = "n/a" if gehaald is None else ("met" if gehaald else "MISSED")
        doelen.append(f"| {tekst} | {waarde} | {status} |")

    def ratio_doel(naam: str, minimum: float) -> None:
        if (u := gemeten.get(naam)) is None:
            return
        if gekapt or onrustig:
            waarom = "capped" if gekapt else f"unsteady host ({spreiding:.2f}x)"
            doelen.append(f"| {naam} >= {minimum} x baseline | {waarom} | no result |")
            return
        if ongeldig(u):
            doelen.append(f"| {naam} >= {minimum} x baseline | {verhouding(u)} | no result |")
            return
        r = u["rps"] / referentie(u)
        doel(f"{naam} >= {minimum} x baseline", r >= minimum, f"{r:.2f}")

    def latentie_doel(naam: str, veld: str, grens_ms: float) -> None:
        if (u := gemeten.get(naam)) is not None and ongeldig(u):
            doelen.append(f"| {naam} {veld[:3]} <= {grens_ms:g} ms | {verhouding(u)} | no result |")
        elif u is not None:
            doel(f"{naam} {veld[:3]} <= {grens_ms:g} ms", u[veld] <= grens_ms * 1000,
                 f"{ms(u[veld])} ms")  # fmt: skip

    ratio_doel("casus detail", 0.5)
    ratio_doel("casus lijst, eerste pagina", 0.4)
    ratio_doel("casus lijst leidinggevende", 0.3)
    ratio_doel("tijdlijn", 0.4)
    ratio_doel("register afwijkingen", 0.4)
    ratio_doel("register beleidssignalen", 0.4)
    latentie_doel("casus detail @1", "p50_us", 3)
    latentie_doel("casus lijst @1", "p50_us", 4)
    latentie_doel("casus detail @4", "p99_us", 15)
    latentie_doel("casus lijst @4", "p99_us", 15)
    ratio_doel("casus aanmelden", 0.25)
    ratio_doel("fase-overgang", 0.3)
    latentie_doel("casus aanmelden", "p95_us", 100)
    latentie_doel("fase-overgang", "p95_us", 100)
    if verificatie is not None:
        doel("logboek verifies after the writes", verificatie["geslaagd"],
             f"{' '.join(verificatie['uitvoer'])} ({verificatie['duur_s']} s)")  # fmt: skip
    doel("cold start (spawn until the first 200) <= 1.5 s", koud_app <= 1.5,
         f"{koud_app:.2f} s (baseline {koud_base:.2f} s)")  # fmt: skip
    doel("idle memory <= 150 MB per worker", bool(idle) and max(idle) <= 150,
         " / ".join(f"{m:.0f} MB" for m in idle) + " (after load: "
         + " / ".join(f"{m:.0f}" for m in na) + ")")  # fmt: skip
    if gedeeld != (None, None):
        # Not a goal: what the workers no longer hold, so that the total stays in view.
        g_idle, g_na = (f"{m:.0f} MB" if m is not None else "-" for m in gedeeld)
        doelen.append(
            f"| shared de-identification process (deduce, not a worker) | {g_idle} (after load: "
            f"{g_na}); all {len(na)} workers and it after load: "
            f"{sum(na) + (gedeeld[1] or 0):.0f} MB | - |"
        )
    doel("EXPLAIN: no seq scan on casussen (detail/list)", not plan_fouten,
         "; ".join(plan_fouten) or "none")  # fmt: skip
    tekst = "\n".join([*regels, "", "| goal | measured | |", "|---|---|---|", *doelen])
    (UIT / "resultaten.md").write_text(tekst + "\n")
    (UIT / "resultaten.json").write_text(
        json.dumps(
            {
                "scenarios": gemeten,
                "plafond_rps": plafond,
                "gekapt": gekapt,
                "baseline_cpu_ms": baseline_cpu,
                "onrustig": onrustig,
                "serverstapels": stapels,
                "koude_start_s": koud_app,
                "geheugen_mb": idle,
                "geheugen_na_mb": na,
                "geheugen_gedeeld_mb": {"idle": gedeeld[0], "na": gedeeld[1]},
                "logboek": verificatie,
                "load_average": belasting,
            },
            indent=2,
        )
    )
    print()
    print(tekst)


if __name__ == "__main__":
    raise SystemExit(main())
