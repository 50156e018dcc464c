"""`doorbraak serve | migrate | demo | openapi | token | export | retentie | statistieken
vernieuwen | leerrapport | logboek verify`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import ipaddress
import json
import os
import shutil
import signal
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from doorbraak.config import Settings, get_settings
from doorbraak.migraties import alembic_config

if TYPE_CHECKING:
    # Imported where a command runs: `serve` must set up prometheus_client's multiprocess mode
    # before anything imports it (the unit of work imports the metrics).
    from doorbraak.werk.systeem import Omgeving

T = TypeVar("T")

__all__ = ["alembic_config", "main"]


def cmd_migrate(args: argparse.Namespace) -> int:
    # Imported here: `doorbraak serve` (whose workers import this module again) needs no Alembic.
    from alembic import command

    url = get_settings().database_url
    try:
        config = alembic_config()
    except FileNotFoundError as exc:
        # An installed package without migrations/ in the working directory: say where to look.
        print(f"doorbraak migrate: {exc}", file=sys.stderr)
        return 1
    if url.startswith("sqlite"):
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(config, args.revisie)
    print(f"database gemigreerd naar {args.revisie}")
    return 0


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.auth_mode == "dev" and not is_loopback(args.host):
        print(
            f"weigering: DOORBRAAK_AUTH_MODE=dev accepteert de openbare demo-tokens en mag alleen "
            f"op een loopback-adres luisteren, niet op {args.host}. Gebruik --host 127.0.0.1, of "
            f"zet DOORBRAAK_AUTH_MODE=oidc met DOORBRAAK_OIDC_ISSUER/_AUDIENCE/_JWKS_URL.",
            file=sys.stderr,
        )
        return 2
    try:
        from doorbraak.auth.oidc import controleer_instellingen

        controleer_instellingen(settings)
    except ValueError as exc:
        print(f"weigering: {exc}", file=sys.stderr)
        return 2
    if settings.auth_mode == "oidc" and (publiek := ontwikkelsleutels(settings)):
        print(
            f"weigering: {', '.join(publiek)} heeft de openbare ontwikkelwaarde uit de broncode; "
            "zet een eigen sleutel (docs/security.md).",
            file=sys.stderr,
        )
        return 2
    # Metrics of all workers add up through files in one folder (prometheus_client's
    # multiprocess mode); it must be chosen before prometheus_client is first imported, here
    # and in every worker (they inherit the environment). A fresh folder per start: values of
    # an earlier run must not be added to this one.
    if "prometheus_client" in sys.modules:
        print("interne fout: prometheus_client is al geladen voor `serve`", file=sys.stderr)
        return 1
    metrics_map = tempfile.mkdtemp(prefix="doorbraak-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_map
    try:
        return _serve(args, settings, metrics_map)
    finally:
        shutil.rmtree(metrics_map, ignore_errors=True)


def ontwikkelsleutels(settings: Settings) -> list[str]:
    """Secrets still at the development value that is public in the source code."""
    return [
        f"DOORBRAAK_{naam.upper()}"
        for naam in ("bsn_key", "pseudonym_key", "logboek_sleutel")
        if getattr(settings, naam) == Settings.model_fields[naam].default
    ]


def _stop(signum: int, frame: object) -> None:
    # SIGTERM is how an orchestrator asks for a stop: after uvicorn has finished the requests in
    # flight it raises the signal again for the previous handler, which is this one, so that a
    # graceful stop ends with exit code 0 (not "killed by SIGTERM").
    raise SystemExit(0)


WORKER_HEALTHCHECK_SECONDEN = 30


def http_stapel() -> tuple[str, str]:
    """The production HTTP stack: httptools and uvloop (`uvicorn[standard]`), named explicitly
    so a missing package shows as the fallback in the workers' `serverstapel` log line instead
    of silently; h11 and the asyncio loop only where they cannot be installed (uvloop has no
    Windows build)."""
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return http, loop


def _serve(args: argparse.Namespace, settings: Settings, metrics_map: str) -> int:
    from prometheus_client import start_http_server

    from doorbraak import metrics

    if args.metrics_port:
        # In this (supervising) process, so it lives as long as the server and reports all
        # workers; no token: bind it to an address only the scraper can reach.
        start_http_server(args.metrics_port, addr=args.metrics_host, registry=metrics.register())
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(
        f"doorbraak luistert op http://{args.host}:{args.port}  (API: /api/v1, OpenAPI: /api/v1/openapi.json)"
        + (
            f"; metrics op http://{args.metrics_host}:{args.metrics_port}/metrics"
            if args.metrics_port
            else ""
        ),
        flush=True,
    )
    from doorbraak.leren.deidentificatie import Bewaker

    # One de-identification process for all workers (deduce's tables are ~1.1 GB per process
    # that loads them); the workers inherit its socket through the environment.
    deidentificatie = Bewaker()
    deidentificatie.start()
    os.environ["DOORBRAAK_DEIDENTIFICATIE_SOCKET"] = deidentificatie.pad
    get_settings.cache_clear()  # one worker runs in this process and reads the settings again
    try:
        _uvicorn(args, settings)
    finally:
        deidentificatie.stop()
    return 0


def _uvicorn(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from doorbraak.kit.verbindingen import PROTOCOLLEN
    from doorbraak.logs import log_config

    http, loop = http_stapel()
    uvicorn.run(
        "doorbraak.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers or settings.workers,
        # uvicorn's protocol with a header timeout (kit/verbindingen.py), as an import string:
        # the workers import it themselves.
        http=PROTOCOLLEN[http],
        loop=loop,
        # X-Forwarded-For/-Proto are believed only from these addresses (the reverse proxy).
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=args.graceful_timeout,
        **verbindingslimieten(args),
        # The supervisor kills a worker that does not answer its health ping in time. A worker
        # answers only once it has imported the app; on a busy host that takes longer than
        # uvicorn's 5 s, and the worker is killed and restarted while it starts (measured:
        # docs/performance.md). A hung worker is still replaced, after this long.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDEN,
        log_config=log_config(settings),
        log_level=settings.log_level,
        access_log=False,
        server_header=False,
    )


# Largest request head (request line and headers) h11 buffers before answering 400.
MAX_KOP_BYTES = 16 * 1024


def verbindingslimieten(args: argparse.Namespace) -> dict[str, Any]:
    """What bounds the connections a worker holds (docs/security.md, "Robustness"): idle
    keep-alive connections close after `--timeout-keep-alive`; beyond `--limit-concurrency`
    connections and tasks a worker answers 503 instead of holding more; request heads are
    bounded in size here and in time by the protocol `serve` runs (kit/verbindingen.py,
    DOORBRAAK_KOP_TIMEOUT_SECONDEN). Slowly sent bodies are bounded by the reverse proxy."""
    return {
        "timeout_keep_alive": args.timeout_keep_alive,
        "limit_concurrency": args.limit_concurrency,
        "h11_max_incomplete_event_size": MAX_KOP_BYTES,
    }


def cmd_config_docs(args: argparse.Namespace) -> int:
    from doorbraak.config_docs import configuratie_markdown

    sys.stdout.write(configuratie_markdown())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.casussen is not None:
        from doorbraak import bulkdemo

        return bulkdemo.main(get_settings(), args.casussen, args.seed)
    from doorbraak import demo

    return asyncio.run(demo.laden(get_settings()))


def cmd_openapi(args: argparse.Namespace) -> int:
    from doorbraak.app import create_app

    app = create_app()
    json.dump(app.openapi(), sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")
    return 0


def _in_omgeving(werk: Callable[[Omgeving], Awaitable[T]]) -> T:
    """Run one command's work in the one environment of the command (werk/systeem.py)."""

    from doorbraak.werk.systeem import omgeving

    async def draai() -> T:
        async with omgeving(get_settings()) as omg:
            return await werk(omg)

    return asyncio.run(draai())


def cmd_medewerker_aanmaken(args: argparse.Namespace) -> int:
    from doorbraak.models.enums import Rol
    from doorbraak.organisatie import beheer

    medewerker_id = _in_omgeving(
        lambda omg: beheer.medewerker_aanmaken(
            omg,
            naam=args.naam,
            email=args.email,
            afdeling=args.afdeling,
            afdeling_naam=args.afdeling_naam,
            rollen=[Rol(r) for r in args.rol],
            oidc_sub=args.oidc_sub,
        )
    )
    print(medewerker_id)
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from doorbraak.auth import beheer

    maximum = get_settings().token_max_dagen
    dagen = maximum if args.dagen is None else args.dagen
    if not 1 <= dagen <= maximum:
        print(
            f"weigering: --dagen moet tussen 1 en {maximum} liggen (DOORBRAAK_TOKEN_MAX_DAGEN); "
            "een token dat nooit verloopt bestaat niet.",
            file=sys.stderr,
        )
        return 2
    verloopt = dt.datetime.now(dt.UTC) + dt.timedelta(days=dagen)
    token_id, token = _in_omgeving(
        lambda omg: beheer.token_aanmaken(omg, args.medewerker, args.naam, verloopt)
    )
    print(token)
    print(
        f"Token-id {token_id} (voor `doorbraak token revoke`). "
        "Bewaar het token nu: het wordt niet opnieuw getoond.",
        file=sys.stderr,
    )
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from doorbraak.auth import beheer

    try:
        token_id = uuid.UUID(args.id)
    except ValueError:
        print("geen geldig token-id (uuid)", file=sys.stderr)
        return 1
    ok = _in_omgeving(lambda omg: beheer.token_intrekken(omg, token_id))
    print("ingetrokken" if ok else "onbekend token", file=sys.stderr)
    return 0 if ok else 1


def cmd_token_list(args: argparse.Namespace) -> int:
    from doorbraak.auth import beheer

    for t in _in_omgeving(lambda omg: beheer.token_lijst(omg, args.medewerker)):
        status = (
            "ingetrokken"
            if t.ingetrokken_op
            else (
                "verlopen"
                if t.verloopt_op and t.verloopt_op <= dt.datetime.now(dt.UTC)
                else "geldig"
            )
        )
        verloopt = t.verloopt_op.isoformat() if t.verloopt_op else "-"
        print(
            f"{t.id}  {t.email}  {t.naam!r}  aangemaakt {t.aangemaakt_op.isoformat()}  verloopt {verloopt}  {status}"
        )
    return 0


def cmd_retentie(args: argparse.Namespace) -> int:
    from doorbraak.retentie import service as retentie

    peildatum = dt.date.fromisoformat(args.peildatum) if args.peildatum else None
    uitkomst = _in_omgeving(lambda omg: retentie.draai(omg, droog=args.droog, peildatum=peildatum))
    werkwoord = "zou anonimiseren" if uitkomst.droog else "geanonimiseerd"
    for kenmerk in uitkomst.datum_gezet:
        print(f"{kenmerk}  archiefactiedatum {'zou worden gezet' if uitkomst.droog else 'gezet'}")
    for kenmerk, datum in uitkomst.geanonimiseerd:
        print(f"{kenmerk}  archiefactiedatum {datum}  {werkwoord}")
    print(
        f"retentie{' (droog)' if uitkomst.droog else ''} op {uitkomst.peildatum}: "
        f"{len(uitkomst.geanonimiseerd)} casussen {werkwoord}"
    )
    return 0


def cmd_statistieken_vernieuwen(args: argparse.Namespace) -> int:
    from doorbraak.rapportage import momentopnamen

    namen = _in_omgeving(momentopnamen.vernieuwen)
    print(f"statistieken vernieuwd: {', '.join(namen)}")
    return 0


def cmd_leerrapport(args: argparse.Namespace) -> int:
    from doorbraak.kit.periode import Periode
    from doorbraak.kit.werkdagen import lokale_datum
    from doorbraak.rapportage import leerrapport

    if args.van or args.tot:
        periode = Periode(
            dt.date.fromisoformat(args.van) if args.van else None,
            dt.date.fromisoformat(args.tot) if args.tot else None,
            args.afdeling,
        )
    elif args.jaar:
        periode = Periode.jaar(args.jaar, args.afdeling)
    else:
        periode = leerrapport.standaardperiode(lokale_datum(dt.datetime.now(dt.UTC)))
        periode = Periode(periode.van, periode.tot, args.afdeling)
    geschreven = _in_omgeving(
        lambda omg: leerrapport.schrijf(omg, periode, Path(args.naar), pdf=not args.zonder_pdf)
    )
    for pad in geschreven:
        print(pad)
    return 0


def cmd_logboek_verify(args: argparse.Namespace) -> int:
    from doorbraak.logboek import beheer

    bronnen = [Path(p) for p in args.checkpoint or []]
    uitkomst = _in_omgeving(lambda omg: beheer.verifieer(omg, bronnen))
    for opmerking in uitkomst.opmerkingen:
        print(f"let op: {opmerking}")
    if uitkomst.geldig:
        anker = (
            f"; sluit op het checkpoint van regel {uitkomst.checkpoint_id}"
            if uitkomst.checkpoint_id is not None
            else ""
        )
        overgenomen = (
            f"; {uitkomst.ongesleuteld} ongesleutelde regels van voor de sleutel overgenomen"
            if uitkomst.ongesleuteld
            else ""
        )
        print(f"logboek in orde: {uitkomst.aantal} regels, keten sluit{anker}{overgenomen}")
        return 0
    waar = f" bij regel {uitkomst.eerste_fout_id}" if uitkomst.eerste_fout_id is not None else ""
    print(f"logboek GEBROKEN{waar}: {uitkomst.reden}")
    return 2


def cmd_logboek_checkpoint(args: argparse.Namespace) -> int:
    from doorbraak.logboek import beheer

    checkpoint, pad = _in_omgeving(beheer.checkpoint)
    print(f"checkpoint van regel {checkpoint.head_id} geschreven: {pad}")
    return 0


def cmd_logboek_sleutel(args: argparse.Namespace) -> int:
    from doorbraak.logboek.sleutels import SleutelFout, nieuwe_sleutel, sleutelring

    if args.nieuw:
        try:
            print(nieuwe_sleutel(args.nieuw))
        except SleutelFout as exc:
            print(str(exc), file=sys.stderr)
            return 1
        return 0
    for sleutel in sleutelring(get_settings()).sleutels:
        print(f"{sleutel.id}  ed25519 {sleutel.publieke_sleutel}")
    return 0


def _rollen() -> list[Any]:
    from doorbraak.models.enums import Rol

    return list(Rol)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="doorbraak", description=__doc__)
    sub = p.add_subparsers(dest="opdracht", required=True)

    s = sub.add_parser("serve", help="start the API server (uvicorn)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: DOORBRAAK_WORKERS, 1)"
    )
    s.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1,::1",
        help="comma-separated addresses/networks of trusted reverse proxies whose "
        "X-Forwarded-For/-Proto are believed (default: loopback only; never '*' unless only "
        "the proxy can reach this port)",
    )
    s.add_argument(
        "--timeout-keep-alive",
        type=int,
        default=5,
        help="seconds an idle keep-alive connection stays open (uvicorn)",
    )
    s.add_argument(
        "--limit-concurrency",
        type=int,
        default=1000,
        help="per worker: beyond this many connections and tasks answer 503 (uvicorn)",
    )
    s.add_argument(
        "--graceful-timeout",
        type=int,
        default=30,
        help="on SIGTERM: seconds to finish in-flight requests before they are cut off",
    )
    s.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="also serve /metrics without a token on this port (all workers together)",
    )
    s.add_argument(
        "--metrics-host", default="127.0.0.1", help="address of the --metrics-port server"
    )
    s.set_defaults(func=cmd_serve)

    m = sub.add_parser("migrate", help="bring the database schema to the latest revision")
    m.add_argument("revisie", nargs="?", default="head")
    m.set_defaults(func=cmd_migrate)

    d = sub.add_parser(
        "demo", help="load the demo data once (afdelingen, medewerkers, the leaking home)"
    )
    d.add_argument(
        "--casussen",
        type=int,
        default=None,
        help="instead: generate this many casussen with all their parts (bulk, for benchmarks)",
    )
    d.add_argument("--seed", type=int, default=9, help="seed of the generated data set")
    d.set_defaults(func=cmd_demo)

    cd = sub.add_parser(
        "config-docs", help="print the configuration reference (docs/configuration.md)"
    )
    cd.set_defaults(func=cmd_config_docs)

    o = sub.add_parser("openapi", help="print the OpenAPI document")
    o.set_defaults(func=cmd_openapi)

    mw = sub.add_parser("medewerker", help="medewerkers outside the API").add_subparsers(
        dest="medewerker_opdracht", required=True
    )
    ma = mw.add_parser(
        "aanmaken", help="create a medewerker, e.g. the first beheerder of an empty database"
    )
    ma.add_argument("--naam", required=True)
    ma.add_argument("--email", required=True)
    ma.add_argument("--afdeling", required=True, help="afdeling code (kebab-case)")
    ma.add_argument("--afdeling-naam", help="creates the afdeling when it does not exist yet")
    ma.add_argument(
        "--rol",
        action="append",
        required=True,
        choices=list(_rollen()),
        help="repeatable",
    )
    ma.add_argument("--oidc-sub", help="subject claim of the identity provider")
    ma.set_defaults(func=cmd_medewerker_aanmaken)

    t = sub.add_parser("token", help="API tokens").add_subparsers(
        dest="token_opdracht", required=True
    )
    tc = t.add_parser("create", help="create a token for a medewerker (printed once)")
    tc.add_argument("--medewerker", required=True, help="medewerker id or e-mail")
    tc.add_argument("--naam", required=True, help="what the token is for")
    tc.add_argument(
        "--dagen",
        type=int,
        default=None,
        help="expires after this many days (1 to DOORBRAAK_TOKEN_MAX_DAGEN, the default)",
    )
    tc.set_defaults(func=cmd_token_create)
    tl = t.add_parser("list", help="list tokens (never the tokens themselves)")
    tl.add_argument("--medewerker", default=None, help="only this medewerker (id or e-mail)")
    tl.set_defaults(func=cmd_token_list)
    tr = t.add_parser("revoke", help="revoke a token by its id")
    tr.add_argument("id")
    tr.set_defaults(func=cmd_token_revoke)

    from doorbraak.export.cli import registreer as export_registreren

    export_registreren(sub)

    from doorbraak.meldingen.cli import registreer as meldingen_registreren

    meldingen_registreren(sub)

    rt = sub.add_parser(
        "retentie", help="anonymise closed casussen whose archiefactiedatum has passed"
    )
    rt.add_argument("--droog", action="store_true", help="dry run: list what would happen")
    rt.add_argument("--peildatum", help="as of this date (YYYY-MM-DD; default today)")
    rt.set_defaults(func=cmd_retentie)

    st = sub.add_parser("statistieken", help="the statistieken snapshot").add_subparsers(
        dest="statistieken_opdracht", required=True
    )
    sv = st.add_parser(
        "vernieuwen",
        help="compute the statistieken and the afwijkingen register's totals now and store "
        "them (for cron, with DOORBRAAK_STATISTIEKEN_INTERVAL_SECONDEN=0 in the app)",
    )
    sv.set_defaults(func=cmd_statistieken_vernieuwen)

    lr = sub.add_parser(
        "leerrapport",
        help="write the learning report (HTML, PDF, CSV of its tables) for a scheduled run",
    )
    lr.add_argument("--naar", required=True, help="folder to write the files into")
    lr.add_argument("--jaar", type=int, help="a calendar year (default: the year so far; in "
                    "January the year that just ended)")  # fmt: skip
    lr.add_argument("--van", help="first day (YYYY-MM-DD), instead of --jaar")
    lr.add_argument("--tot", help="last day, inclusive (YYYY-MM-DD)")
    lr.add_argument("--afdeling", help="only casussen this afdeling takes part in")
    lr.add_argument("--zonder-pdf", action="store_true", help="HTML and CSV only")
    lr.set_defaults(func=cmd_leerrapport)

    lb = sub.add_parser("logboek", help="the audit log").add_subparsers(
        dest="logboek_opdracht", required=True
    )
    lv = lb.add_parser(
        "verify", help="verify the keyed hash chain against the newest signed checkpoint"
    )
    lv.add_argument(
        "--checkpoint",
        action="append",
        help="also a checkpoint file, folder or JSON log with checkpoint lines (repeatable)",
    )
    lv.set_defaults(func=cmd_logboek_verify)
    lc = lb.add_parser("checkpoint", help="write a signed checkpoint of the chain now")
    lc.set_defaults(func=cmd_logboek_checkpoint)
    ls = lb.add_parser(
        "sleutel", help="list the keys' ids and public checkpoint keys, or make a new key"
    )
    ls.add_argument("--nieuw", metavar="ID", help="print a new random key with this id")
    ls.set_defaults(func=cmd_logboek_sleutel)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
