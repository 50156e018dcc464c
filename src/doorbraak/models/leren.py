"""Leren: leerpunten of a casus; a shared succes is a verhaal, a systeem one a beleidssignaal.

There is deliberately no field that names a person: evaluation asks what to do differently,
never whose fault it was (who wrote a leerpunt is in the tijdlijn, not here)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import LeerpuntSoort, SignaalStatus


class Leerpunt(Base):
    __tablename__ = "leerpunten"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    soort: Mapped[LeerpuntSoort] = mapped_column(Keuze(LeerpuntSoort, 20))
    tekst: Mapped[str] = mapped_column(Text)
    voor_wie: Mapped[str | None] = mapped_column(String(200), default=None)
    delen: Mapped[bool] = mapped_column(Boolean, default=False)
    gedeeld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    signaal_status: Mapped[SignaalStatus | None] = mapped_column(
        Keuze(SignaalStatus, 20), default=None
    )
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_leerpunten_delen_gedeeld_op", "delen", "gedeeld_op"),
        Index("ix_leerpunten_soort_aangemaakt_op_id", "soort", "aangemaakt_op", "id"),
        keuzecontrole("soort", LeerpuntSoort),
        keuzecontrole("signaal_status", SignaalStatus),
    )
