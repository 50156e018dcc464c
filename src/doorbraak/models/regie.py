"""Regie across departments: regievoeringen, deelnames and escalaties."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import EscalatieNiveau


class Regievoering(Base):
    """One period of regie by one medewerker; the open one (tot IS NULL) is the current regie."""

    __tablename__ = "regievoeringen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), index=True)
    van: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    tot: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    reden: Mapped[str | None] = mapped_column(Text, default=None)
    overdrachtsnotitie: Mapped[str | None] = mapped_column(Text, default=None)
    toegewezen_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_regievoeringen_casus_id_van", "casus_id", "van"),
        # Regie is handed over, never shared: the database itself allows one open period.
        Index(
            "uq_regievoeringen_huidige",
            "casus_id",
            unique=True,
            sqlite_where=text("tot IS NULL"),
            postgresql_where=text("tot IS NULL"),
        ),
    )


class Deelname(Base):
    __tablename__ = "deelnames"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    afdeling_code: Mapped[str] = mapped_column(ForeignKey("afdelingen.code"))
    contactpersoon_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    standpunt: Mapped[str] = mapped_column(Text, default="")
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        UniqueConstraint("casus_id", "afdeling_code"),
        Index("ix_deelnames_contactpersoon_id_casus_id", "contactpersoon_id", "casus_id"),
        Index("ix_deelnames_afdeling_code_casus_id", "afdeling_code", "casus_id"),
    )


class Escalatie(Base):
    __tablename__ = "escalaties"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    niveau: Mapped[EscalatieNiveau] = mapped_column(Keuze(EscalatieNiveau, 20))
    reden: Mapped[str] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(Text, default=None)
    aangevraagd_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    aangevraagd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    afgehandeld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    afgehandeld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("niveau", EscalatieNiveau),)
