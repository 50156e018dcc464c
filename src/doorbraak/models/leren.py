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

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import LeerpuntSoort, SignaalBron, SignaalStatus


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
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_leerpunten_delen_gedeeld_op", "delen", "gedeeld_op"),
        Index("ix_leerpunten_soort_aangemaakt_op_id", "soort", "aangemaakt_op", "id"),
        keuzecontrole("soort", LeerpuntSoort),
    )


class Beleidssignaal(Base):
    """A signal for beleid: a systeem-leerpunt or an afwijking flagged by the casusteam, with how
    beleid handled it. Its id is the id of the leerpunt or afwijking it comes from.

    Beleid owns this row: only beleid writes it (status, reactie, besloten_op, the regelversie
    that changed), also after the casus closed; the casusteam reads the outcome on the casus.
    `casus_id` serves that read and the afdeling filter; beleid never sees it."""

    __tablename__ = "beleidssignalen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    bron: Mapped[SignaalBron] = mapped_column(Keuze(SignaalBron, 20))
    leerpunt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("leerpunten.id"), unique=True, default=None
    )
    afwijking_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("afwijkingen.id"), unique=True, default=None
    )
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    status: Mapped[SignaalStatus] = mapped_column(
        Keuze(SignaalStatus, 20), default=SignaalStatus.nieuw
    )
    reactie: Mapped[str | None] = mapped_column(Text, default=None)
    besloten_op: Mapped[dt.date | None] = mapped_column(Date, default=None)
    regelversie_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("regelversies.id"), default=None, index=True
    )
    behandeld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    gemeld_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_beleidssignalen_gemeld_op_id", "gemeld_op", "id"),
        Index("ix_beleidssignalen_status_gemeld_op", "status", "gemeld_op"),
        keuzecontrole("bron", SignaalBron),
        keuzecontrole("status", SignaalStatus),
        CheckConstraint(
            "(bron = 'leerpunt' AND leerpunt_id IS NOT NULL AND afwijking_id IS NULL) OR "
            "(bron = 'afwijking' AND afwijking_id IS NOT NULL AND leerpunt_id IS NULL)",
            name="een_bron",
        ),
    )
