"""Regie across departments: regievoeringen, deelnames and escalaties."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import EscalatieNiveau, EscalatieUitkomst, LoketStatus


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
    """An escalatie about a besluit or some of its afwijkingen. Its outcome is recorded once and
    never changes; a correction is a new escalatie that `vervangt` it, with a reason."""

    __tablename__ = "escalaties"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    niveau: Mapped[EscalatieNiveau] = mapped_column(Keuze(EscalatieNiveau, 20))
    reden: Mapped[str] = mapped_column(Text)
    betreft_besluit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("besluiten.id"), default=None, index=True
    )
    # The outcome: soort, its voorwaarden, a reference (e.g. the collegebesluit) and a toelichting.
    uitkomst_soort: Mapped[EscalatieUitkomst | None] = mapped_column(
        Keuze(EscalatieUitkomst, 30), default=None
    )
    voorwaarden: Mapped[str | None] = mapped_column(Text, default=None)
    referentie: Mapped[str | None] = mapped_column(String(200), default=None)
    uitkomst: Mapped[str | None] = mapped_column(Text, default=None)
    vervangt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("escalaties.id"), default=None, unique=True
    )
    correctiereden: Mapped[str | None] = mapped_column(Text, default=None)
    # A landelijk escalatie: the national maatwerkloket's file.
    loket_referentie: Mapped[str | None] = mapped_column(String(200), default=None)
    loket_contact: Mapped[str | None] = mapped_column(String(200), default=None)
    loket_antwoord_verwacht: Mapped[dt.date | None] = mapped_column(Date, default=None)
    loket_status: Mapped[LoketStatus | None] = mapped_column(Keuze(LoketStatus, 20), default=None)
    aangevraagd_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    aangevraagd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    afgehandeld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    afgehandeld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        keuzecontrole("niveau", EscalatieNiveau),
        keuzecontrole("uitkomst_soort", EscalatieUitkomst),
        keuzecontrole("loket_status", LoketStatus),
    )


class EscalatieAfwijking(Base):
    """An afwijking that an escalatie concerns."""

    __tablename__ = "escalatie_afwijkingen"

    escalatie_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("escalaties.id"), primary_key=True)
    afwijking_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("afwijkingen.id"), primary_key=True, index=True
    )
