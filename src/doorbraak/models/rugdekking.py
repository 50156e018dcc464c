"""Rugdekkingsverzoeken: the regiehouder asks one named mandate holder to cover an afwijking."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import RugdekkingOordeel, RugdekkingsverzoekStatus


class Rugdekkingsverzoek(Base):
    """A request for rugdekking to one medewerker. While it is open the addressee reads the
    casus for this purpose only; the answer is recorded through the rugdekking rules of the
    afwijking and kept here, readable by the addressee afterwards."""

    __tablename__ = "rugdekkingsverzoeken"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    afwijking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("afwijkingen.id"), index=True)
    aan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RugdekkingsverzoekStatus] = mapped_column(
        Keuze(RugdekkingsverzoekStatus, 20), default=RugdekkingsverzoekStatus.open
    )
    verzonden_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    verzonden_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    oordeel: Mapped[RugdekkingOordeel | None] = mapped_column(
        Keuze(RugdekkingOordeel, 20), default=None
    )
    motivering: Mapped[str | None] = mapped_column(Text, default=None)
    beantwoord_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    # Withdrawn by the regiehouder, or lapsed: who or what closed it, when and why.
    gesloten_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    gesloten_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    sluitingsreden: Mapped[str | None] = mapped_column(Text, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        # The addressee's inbox: open requests addressed to them, newest first.
        Index("ix_rugdekkingsverzoeken_aan_id_status", "aan_id", "status", "verzonden_op"),
        # One open request per afwijking: ask someone else after withdrawing it.
        Index(
            "uq_rugdekkingsverzoeken_open",
            "afwijking_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        keuzecontrole("status", RugdekkingsverzoekStatus),
        keuzecontrole("oordeel", RugdekkingOordeel),
    )
