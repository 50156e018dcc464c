"""Structured logs: one JSON object per line, each carrying the request id of its request.

What a line may carry is fixed here, not left to each call: time, level, logger, message, and the
request fields the access log sets (request id, method, route *template*, status, duration). Never
the URL (query strings hold search terms), never a body, never a client address. An exception is
written as its type and stack frames only: the message of an exception can hold the values that
caused it (a name, a BSN), so it stays out of the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from contextvars import ContextVar
from typing import Any

from doorbraak.config import Settings

# Set by the transport middleware for the duration of a request, so that every line logged while
# it runs (a database warning, an unexpected error) names the request it belongs to.
REQUEST_ID: ContextVar[str | None] = ContextVar("doorbraak_request_id", default=None)

# Attributes of a LogRecord that become fields of the JSON line (set with `extra=`).
VELDEN = ("request_id", "method", "route", "status", "duration_ms")


def _stapel(exc_info: Any) -> list[str]:
    _, _, tb = exc_info
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        regel: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or REQUEST_ID.get()
        if rid:
            regel["request_id"] = rid
        for veld in VELDEN[1:]:
            waarde = getattr(record, veld, None)
            if waarde is not None:
                regel[veld] = waarde
        if record.exc_info and record.exc_info[0] is not None:
            regel["exception"] = record.exc_info[0].__name__
            regel["stack"] = _stapel(record.exc_info)
        return json.dumps(regel, ensure_ascii=False, default=str)


class TekstFormatter(logging.Formatter):
    """For a terminal: the same fields on one readable line, with the same restraint."""

    def format(self, record: logging.LogRecord) -> str:
        tijd = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%H:%M:%S")
        rid = getattr(record, "request_id", None) or REQUEST_ID.get()
        extra = " ".join(
            f"{veld}={getattr(record, veld)}"
            for veld in VELDEN[1:]
            if getattr(record, veld, None) is not None
        )
        tekst = f"{tijd} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if extra:
            tekst += f" {extra}"
        if rid:
            tekst += f" [{rid}]"
        if record.exc_info and record.exc_info[0] is not None:
            tekst += f" ({record.exc_info[0].__name__} at {' <- '.join(_stapel(record.exc_info)[::-1][:3])})"
        return tekst


def log_config(settings: Settings) -> dict[str, Any]:
    """`logging.config.dictConfig` for `doorbraak serve` (uvicorn applies it in every worker).

    uvicorn's own access log stays off: the app writes its own access line with the route
    template instead of the URL."""
    formatter = "json" if settings.log_format == "json" else "tekst"
    niveau = settings.log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "doorbraak.logs.JsonFormatter"},
            "tekst": {"()": "doorbraak.logs.TekstFormatter"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": niveau},
        "loggers": {
            "uvicorn": {"handlers": [], "level": niveau, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": niveau, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # Statements and their parameters never reach the log, whatever the level.
            "sqlalchemy.engine": {"level": "WARNING"},
            # httpx logs every request (with its full URL: a JWKS or delivery address, maybe a
            # query) at info; failures reach our log through the callers, without the URL.
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
        },
    }
