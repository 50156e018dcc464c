"""Idempotency keys of POST requests, kept in the database so every app process sees them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, UtcDateTime, utcnow


class IdempotentieSleutel(Base):
    __tablename__ = "idempotentie_sleutels"

    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(255), primary_key=True)
    verzoek: Mapped[str] = mapped_column(String(300))  # "POST /api/v1/casussen"
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    verloopt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_idempotentie_sleutels_verloopt_op", "verloopt_op"),)
