"""Peeling the case apart: betrokkenen (with yearly cost), stappen and knelpunten."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import (
    Fase,
    KnelpuntNiveau,
    KnelpuntSoort,
    KnelpuntStatus,
    Leefgebied,
    NazorgVanaf,
    StapSoort,
    StapStatus,
)


class Betrokkene(Base):
    __tablename__ = "betrokkenen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    organisatie: Mapped[str] = mapped_column(String(200))
    leefgebied: Mapped[Leefgebied] = mapped_column(Keuze(Leefgebied, 30))
    kosten_per_jaar_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("leefgebied", Leefgebied),)


class Stap(Base):
    __tablename__ = "stappen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    fase: Mapped[Fase] = mapped_column(Keuze(Fase, 20))
    afdeling_code: Mapped[str | None] = mapped_column(ForeignKey("afdelingen.code"), default=None)
    eigenaar_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    deadline_datum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[StapStatus] = mapped_column(Keuze(StapStatus, 20), default=StapStatus.open)
    bevinding: Mapped[str | None] = mapped_column(Text, default=None)
    soort: Mapped[StapSoort] = mapped_column(Keuze(StapSoort, 20), default=StapSoort.actie)
    # A nazorg moment: so many months after the first vastgesteld besluit or after closing.
    nazorg_vanaf: Mapped[NazorgVanaf | None] = mapped_column(Keuze(NazorgVanaf, 20), default=None)
    nazorg_maanden: Mapped[int | None] = mapped_column(Integer, default=None)
    # An owner outside the organisation: the household, one of its members, an external party.
    door_huishouden: Mapped[bool] = mapped_column(Boolean, default=False)
    huishoudlid_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("huishoudleden.id"), default=None
    )
    partijdeelname_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partijdeelnames.id"), default=None, index=True
    )
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    afgerond_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        # A medewerker's own work list: open steps by deadline.
        Index("ix_stappen_eigenaar_status_deadline", "eigenaar_id", "status", "deadline_datum"),
        keuzecontrole("fase", Fase),
        keuzecontrole("status", StapStatus),
        keuzecontrole("soort", StapSoort),
        keuzecontrole("nazorg_vanaf", NazorgVanaf),
    )


class Knelpunt(Base):
    __tablename__ = "knelpunten"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    soort: Mapped[KnelpuntSoort] = mapped_column(Keuze(KnelpuntSoort, 20))
    niveau: Mapped[KnelpuntNiveau] = mapped_column(Keuze(KnelpuntNiveau, 20))
    omschrijving: Mapped[str] = mapped_column(Text)
    regel_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("regels.id"), default=None, index=True
    )
    afdeling_code: Mapped[str | None] = mapped_column(ForeignKey("afdelingen.code"), default=None)
    status: Mapped[KnelpuntStatus] = mapped_column(
        Keuze(KnelpuntStatus, 20), default=KnelpuntStatus.open
    )
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        keuzecontrole("soort", KnelpuntSoort),
        keuzecontrole("niveau", KnelpuntNiveau),
        keuzecontrole("status", KnelpuntStatus),
    )
