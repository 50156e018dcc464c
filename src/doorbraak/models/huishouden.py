"""The household's own plan (perspectiefplan) and the parties outside the municipality.

Huishoudleden carry a name or a role and at most a birth year (no BSN); doelen per leefgebied
are in the household's own words with who said it; afspraken have an owner that can be the
household, one of its members, an external party or an afdeling. External organisations are a
catalogue kept by the beheerder; a partijdeelname is one taking part in a casus, with its
standpunt and a contact person (personal data: casusteam only, never exported, anonymised).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import Leefgebied, PartijSoort


class ExternePartij(Base):
    __tablename__ = "externe_partijen"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    soort: Mapped[PartijSoort] = mapped_column(Keuze(PartijSoort, 30))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("soort", PartijSoort),)


class Partijdeelname(Base):
    __tablename__ = "partijdeelnames"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    partij_code: Mapped[str] = mapped_column(ForeignKey("externe_partijen.code"))
    standpunt: Mapped[str] = mapped_column(Text, default="")
    # The contact person at the party: personal data (casusteam only, never exported).
    contact_naam: Mapped[str | None] = mapped_column(String(200), default=None)
    contact_telefoon: Mapped[str | None] = mapped_column(String(40), default=None)
    contact_email: Mapped[str | None] = mapped_column(String(200), default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (UniqueConstraint("casus_id", "partij_code"),)


class Huishoudlid(Base):
    __tablename__ = "huishoudleden"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    naam_of_rol: Mapped[str] = mapped_column(String(200))
    geboortejaar: Mapped[int | None] = mapped_column(Integer, default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}


class Doel(Base):
    """A goal of the household for one leefgebied, in its own words."""

    __tablename__ = "doelen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    leefgebied: Mapped[Leefgebied] = mapped_column(Keuze(Leefgebied, 30))
    tekst: Mapped[str] = mapped_column(Text)
    # Who said it: a member, or (null) the household together.
    gezegd_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("huishoudleden.id"), default=None
    )
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("leefgebied", Leefgebied),)


class Afspraak(Base):
    """An agreement in the plan; exactly one owner: the household, a member, an external party
    taking part in the casus, or an afdeling."""

    __tablename__ = "afspraken"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    tekst: Mapped[str] = mapped_column(Text)
    door_huishouden: Mapped[bool] = mapped_column(Boolean, default=False)
    huishoudlid_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("huishoudleden.id"), default=None
    )
    partijdeelname_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partijdeelnames.id"), default=None
    )
    afdeling_code: Mapped[str | None] = mapped_column(ForeignKey("afdelingen.code"), default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (Index("ix_afspraken_partijdeelname_id", "partijdeelname_id"),)
