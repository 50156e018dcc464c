"""Export runs (the nightly export to municipal reporting) and the watermark of the last one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, UtcDateTime, utcnow


class ExportRun(Base):
    """One export run: what was asked, how far it came, and where its files are."""

    __tablename__ = "export_runs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(20), default="bezig")
    modus: Mapped[str] = mapped_column(String(20))  # volledig | incrementeel
    # The period: tijdlijn ids (van exclusive, tot inclusive), or a moment for `--sinds <tijd>`.
    watermerk_van: Mapped[int | None] = mapped_column(BigInteger, default=None)
    watermerk_tot: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sinds_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    gestart_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    klaar_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    rijen: Mapped[int] = mapped_column(BigInteger, default=0)
    rijen_per_tabel: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    map: Mapped[str | None] = mapped_column(String(500), default=None)
    fout: Mapped[str | None] = mapped_column(Text, default=None)
    # host:pid of the process running it, to recognise a run whose process died (SQLite).
    proces: Mapped[str] = mapped_column(String(200))
    gestart_door: Mapped[str] = mapped_column(String(64))  # "cli" or a medewerker id
    # Delivery: files acknowledged by the receiver (name -> sha256), and when all were.
    geleverd: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    geleverd_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    leverfout: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        Index("ix_export_runs_gestart_op_id", "gestart_op", "id"),
        # One run at a time, on both databases: at most one row may be `bezig`.
        Index(
            "uq_export_runs_bezig",
            "status",
            unique=True,
            sqlite_where=text("status = 'bezig'"),
            postgresql_where=text("status = 'bezig'"),
        ),
    )


class ExportWatermerk(Base):
    """Up to which tijdlijn entry the last completed run exported (one row per export stream)."""

    __tablename__ = "export_watermerken"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    tijdlijn_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    run_id: Mapped[uuid.UUID] = mapped_column()
    bijgewerkt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
