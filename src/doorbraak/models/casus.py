"""The casus aggregate: the case itself, its phase moves, its tijdlijn and explicit team members."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import Afsluitreden, Fase, Urgentie, Vertrouwelijkheid

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer, "sqlite")


class KenmerkTeller(Base):
    """Last kenmerk number per year; a row lock on it makes kenmerken gap- and duplicate-free."""

    __tablename__ = "kenmerk_tellers"

    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    laatste: Mapped[int] = mapped_column(Integer, default=0)


class Casus(Base):
    __tablename__ = "casussen"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kenmerk: Mapped[str] = mapped_column(String(20), unique=True)
    titel: Mapped[str] = mapped_column(String(200))
    situatie: Mapped[str] = mapped_column(Text, default="")
    huishouden_naam: Mapped[str | None] = mapped_column(String(200), default=None)
    urgentie: Mapped[Urgentie] = mapped_column(Keuze(Urgentie, 10))
    fase: Mapped[Fase] = mapped_column(Keuze(Fase, 20), default=Fase.aangemeld)
    vertrouwelijkheid: Mapped[Vertrouwelijkheid] = mapped_column(
        Keuze(Vertrouwelijkheid, 30), default=Vertrouwelijkheid.zaakvertrouwelijk
    )
    # The question the casus must answer, next to its answer (the doorbraak).
    doorbraakvraag: Mapped[str | None] = mapped_column(Text, default=None)
    doorbraak: Mapped[str | None] = mapped_column(Text, default=None)
    # The household agreed to its perspectiefplan: when, and who recorded it.
    instemming_datum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    instemming_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    bsn_versleuteld: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    bsn_zoekhash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    bsn_laatste4: Mapped[str | None] = mapped_column(String(4), default=None)
    aanmelder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    # Denormalised from the open regievoering (kept in the same transaction) for lists and filters.
    regiehouder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    aangemeld_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    afgesloten_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    afsluitreden: Mapped[Afsluitreden | None] = mapped_column(Keuze(Afsluitreden, 20), default=None)
    besluit_uiterlijk_datum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set by the retention job when the casus has been anonymised (free text and BSN removed).
    geanonimiseerd_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    # From the closing date and the retention period of the afsluitreden; the retention job
    # anonymises the casus after it.
    archiefactiedatum: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_casussen_fase_id", "fase", "id"),
        Index("ix_casussen_urgentie_id", "urgentie", "id"),
        Index("ix_casussen_aangemeld_op", "aangemeld_op"),
        # The visibility rule's branches, each a top-N by id (migration 0006).
        Index("ix_casussen_regiehouder_id_id", "regiehouder_id", "id"),
        Index("ix_casussen_aanmelder_id_id", "aanmelder_id", "id"),
        keuzecontrole("urgentie", Urgentie),
        keuzecontrole("fase", Fase),
        keuzecontrole("vertrouwelijkheid", Vertrouwelijkheid),
        keuzecontrole("afsluitreden", Afsluitreden),
    )


class FaseOvergang(Base):
    __tablename__ = "fase_overgangen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    van: Mapped[Fase | None] = mapped_column(Keuze(Fase, 20))
    naar: Mapped[Fase] = mapped_column(Keuze(Fase, 20))
    door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    afsluitreden: Mapped[Afsluitreden | None] = mapped_column(Keuze(Afsluitreden, 20), default=None)
    # A reopening because the household fell back: counted apart in the statistieken.
    terugval: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_fase_overgangen_casus_id_op_id", "casus_id", "op", "id"),
        keuzecontrole("van", Fase),
        keuzecontrole("naar", Fase),
        keuzecontrole("afsluitreden", Afsluitreden),
    )


class TijdlijnRegel(Base):
    """One change of a casus or one of its parts, as the casusteam sees it."""

    __tablename__ = "tijdlijn"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    door_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("medewerkers.id"))
    actie: Mapped[str] = mapped_column(String(60))
    object_soort: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    wijzigingen: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index("ix_tijdlijn_casus_id_id", "casus_id", "id"),)


class CasusteamLid(Base):
    """A medewerker added to the casusteam explicitly (the others follow from their role)."""

    __tablename__ = "casusteam_leden"

    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), primary_key=True)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), primary_key=True)
    toegevoegd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    toegevoegd_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))

    __table_args__ = (
        Index("ix_casusteam_leden_medewerker_id_casus_id", "medewerker_id", "casus_id"),
    )


class StatistiekenMomentopname(Base):
    """The statistieken as last computed: at national scale they are served from here (a full
    pass over millions of fase-overgangen takes seconds) and recomputed when older than allowed."""

    __tablename__ = "statistieken_momentopnamen"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    berekend_op: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    inhoud: Mapped[dict[str, Any]] = mapped_column(JSON)
