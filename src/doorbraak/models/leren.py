"""Leren: leerpunten of a casus; a shared succes is a verhaal, a systeem one a beleidssignaal.

No field says whose fault anything was: evaluation asks what to do differently. The medewerker ids
below serve only the rules around sharing (four-eyes: the one who approves a verhaal is neither
its author nor the one who proposed to share it; takedown by the author), and are never shown
with a verhaal, nor exported.

A shared succes goes through: proposed (`delen`, with the household's consent recorded in
`toestemming_*`), approved by a second medewerker (`goedgekeurd_*`; only then `gedeeld_op` is set
and it is published), and may be taken down at any time (`ingetrokken_*`, `delen` false again)."""

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
    auteur_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("medewerkers.id"), default=None)
    gedeeld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    toestemming_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    toestemming_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    goedgekeurd_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    goedgekeurd_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    ingetrokken_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
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
