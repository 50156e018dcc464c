"""Prometheus metrics: requests per route template, the database pool, export runs.

Labels are bounded on purpose: the route *template* (`/api/v1/casussen/{kenmerk}`, never the
URL), the method and the status; a path that matches no route counts as `onbekend`.

`doorbraak serve` runs its workers in prometheus_client's multiprocess mode (each process writes
its values to files in one folder, a scrape adds them up), so any worker's `/metrics`, and the
`--metrics-port` server in the supervising process, report the whole server, not one worker.
Without that mode (tests, an app embedded elsewhere) the process's own registry is used.

The export (issue 9) reports its runs through `export_gestart()` and `export_afgerond(...)`.
"""

from __future__ import annotations

import os
from typing import Literal

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from sqlalchemy.ext.asyncio import AsyncEngine

CONTENT_TYPE = CONTENT_TYPE_LATEST
ONBEKEND = "onbekend"

HTTP_VERZOEKEN = Counter(
    "doorbraak_http_requests_total",
    "HTTP requests answered, per route template, method and status.",
    ["route", "method", "status"],
)
HTTP_DUUR = Histogram(
    "doorbraak_http_request_duration_seconds",
    "Time from request to the end of the response, per route template, method and status.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
# Pool gauges add up over the live processes: the server's connections to the database.
POOL_GROOTTE = Gauge(
    "doorbraak_db_pool_size",
    "Configured connections per pool (pool_size), summed over the app processes.",
    multiprocess_mode="livesum",
)
POOL_UITGELEEND = Gauge(
    "doorbraak_db_pool_checked_out",
    "Connections in use by a request right now, summed over the app processes.",
    multiprocess_mode="livesum",
)
POOL_OVERLOOP = Gauge(
    "doorbraak_db_pool_overflow",
    "Connections beyond pool_size (negative: not yet opened), summed over the app processes.",
    multiprocess_mode="livesum",
)
EXPORT_RUNS = Counter(
    "doorbraak_export_runs_total",
    "Export runs, by outcome (gestart, geslaagd, mislukt).",
    ["uitkomst"],
)
EXPORT_DUUR = Histogram(
    "doorbraak_export_duration_seconds",
    "Duration of finished export runs.",
    ["uitkomst"],
    buckets=(1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0),
)
EXPORT_RECORDS = Counter(
    "doorbraak_export_records_total", "Records written by successful export runs."
)


def multiprocess_actief() -> bool:
    # prometheus_client decides once, at import, from PROMETHEUS_MULTIPROC_DIR (set by
    # `doorbraak serve`); asking it, rather than the environment, gives its actual choice.
    return values.ValueClass is not values.MutexValue


def verzoek(route: str | None, method: str, status: int, duur: float) -> None:
    labels = (route or ONBEKEND, method, str(status))
    HTTP_VERZOEKEN.labels(*labels).inc()
    HTTP_DUUR.labels(*labels).observe(duur)


def pool_bijwerken(engine: AsyncEngine) -> None:
    """Copy the pool's counters into the gauges (cheap: no I/O); pools without a fixed size
    (SQLite's per-file pool is a queue too, a NullPool is not) leave them alone."""
    pool = engine.sync_engine.pool
    try:
        grootte, uitgeleend, overloop = pool.size(), pool.checkedout(), pool.overflow()  # type: ignore[attr-defined]
    except AttributeError:
        return
    POOL_GROOTTE.set(grootte)
    POOL_UITGELEEND.set(uitgeleend)
    POOL_OVERLOOP.set(overloop)


KOP_TIMEOUTS = Counter(
    "doorbraak_http_header_timeouts_total",
    "Connections closed because their request head was not complete in time "
    "(DOORBRAAK_KOP_TIMEOUT_SECONDEN, kit/verbindingen.py).",
)


def kop_timeout() -> None:
    KOP_TIMEOUTS.inc()


DOCUMENTEN = Counter(
    "doorbraak_documents_total",
    "Documents rendered (kit/document.py), per kind (samenvatting, ...) and format (html, pdf).",
    ["soort", "formaat"],
)
DOCUMENT_DUUR = Histogram(
    "doorbraak_document_duration_seconds",
    "Time to render a document, per format.",
    ["formaat"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def document_gemaakt(soort: str, formaat: str, duur: float) -> None:
    DOCUMENTEN.labels(soort, formaat).inc()
    DOCUMENT_DUUR.labels(formaat).observe(duur)


def export_gestart() -> None:
    EXPORT_RUNS.labels("gestart").inc()


def export_afgerond(uitkomst: Literal["geslaagd", "mislukt"], duur: float, records: int) -> None:
    EXPORT_RUNS.labels(uitkomst).inc()
    EXPORT_DUUR.labels(uitkomst).observe(duur)
    if uitkomst == "geslaagd":
        EXPORT_RECORDS.inc(records)


def register() -> CollectorRegistry:
    if not multiprocess_actief():
        return REGISTRY
    verzameling = CollectorRegistry()
    multiprocess.MultiProcessCollector(verzameling)  # type: ignore[no-untyped-call]
    return verzameling


def tekst() -> bytes:
    """The exposition text of every metric (all processes in multiprocess mode)."""
    return generate_latest(register())


def proces_stopt() -> None:
    """At a worker's shutdown: its `live*` gauges no longer count."""
    if multiprocess_actief():
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
