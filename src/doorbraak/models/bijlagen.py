"""Bijlagen: documents on a casus (a beschikking, an offerte, a collegebesluit).

The bytes live in the database next to their metadata (PostgreSQL `bytea`, SQLite `BLOB`), so
the backup of the database is the backup of the documents and a transaction covers both. The
content column is deferred: lists and metadata never load it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, UtcDateTime, utcnow


class Bijlage(Base):
    __tablename__ = "bijlagen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    # The uploader's file name, cleaned (no path, no control characters): casus content, it may
    # name the household; never in a URL or the export.
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    omschrijving: Mapped[str | None] = mapped_column(String(500), default=None)
    # Sniffed from the content (bijlagen/soorten.py), never the client's Content-Type.
    mediatype: Mapped[str] = mapped_column(String(120))
    grootte: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    inhoud: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    toegevoegd_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    toegevoegd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (Index("ix_bijlagen_casus_id_toegevoegd_op", "casus_id", "toegevoegd_op"),)
