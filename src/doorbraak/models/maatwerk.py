"""Maatwerk: the rule catalogue, besluiten with their reacties, and afwijkingen with rugdekking."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    Grondslag,
    ReactieOordeel,
    RegelSoort,
    Risico,
    RugdekkingOordeel,
)


class Regel(Base):
    """An entry of the rule catalogue: regeling + artikel."""

    __tablename__ = "regels"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    titel: Mapped[str] = mapped_column(String(200))
    regeling: Mapped[str] = mapped_column(String(200))
    artikel: Mapped[str] = mapped_column(String(100))
    soort: Mapped[RegelSoort] = mapped_column(Keuze(RegelSoort, 20))
    bron_url: Mapped[str | None] = mapped_column(String(500), default=None)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_regels_titel_id", "titel", "id"),
        keuzecontrole("soort", RegelSoort),
    )


class Regelversie(Base):
    """One wording of a regel, in force from `geldig_van` until the next version's `geldig_van`
    (`geldig_tot`, exclusive; null for the version in force). Version 1 is the regel as it was
    entered. A new version is written by beleid (or the beheerder) with the reason for the change;
    the beleidssignalen that led to it point here (`Beleidssignaal.regelversie_id`)."""

    __tablename__ = "regelversies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    regel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regels.id"))
    nummer: Mapped[int] = mapped_column()
    geldig_van: Mapped[dt.date] = mapped_column(Date)
    geldig_tot: Mapped[dt.date | None] = mapped_column(Date, default=None)
    tekst: Mapped[str] = mapped_column(Text)
    reden: Mapped[str | None] = mapped_column(Text, default=None)
    vastgesteld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("regel_id", "nummer"),)


class Besluit(Base):
    """A maatwerk decision of the regiehouder. Once vastgesteld it never changes again (only its
    status moves on to vervangen or ingetrokken)."""

    __tablename__ = "besluiten"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    motivering: Mapped[str] = mapped_column(Text)
    kosten_eenmalig_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    kosten_per_jaar_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    betalende_afdeling_code: Mapped[str | None] = mapped_column(
        ForeignKey("afdelingen.code"), default=None
    )
    status: Mapped[BesluitStatus] = mapped_column(
        Keuze(BesluitStatus, 20), default=BesluitStatus.concept
    )
    vervangt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("besluiten.id"), default=None, index=True
    )
    afweging: Mapped[str | None] = mapped_column(Text, default=None)
    opgesteld_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    vastgesteld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    vastgesteld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    intrekkingsreden: Mapped[str | None] = mapped_column(Text, default=None)
    # Before fase maatwerk a besluit is only possible as an explicit noodmaatregel with a reason.
    noodmaatregel: Mapped[bool] = mapped_column(Boolean, default=False)
    noodmaatregel_reden: Mapped[str | None] = mapped_column(Text, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_besluiten_status_vastgesteld_op", "status", "vastgesteld_op"),
        keuzecontrole("status", BesluitStatus),
    )


class Kostenaandeel(Base):
    """One afdeling's share of what a besluit costs; the shares add up to the besluit's totals."""

    __tablename__ = "kostenaandelen"

    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluiten.id"), primary_key=True)
    afdeling_code: Mapped[str] = mapped_column(ForeignKey("afdelingen.code"), primary_key=True)
    eenmalig_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    per_jaar_cent: Mapped[int] = mapped_column(BigInteger, default=0)


class Overslag(Base):
    """A participating afdeling that the regiehouder passed over, with a reason, before fixing a
    besluit without its reactie."""

    __tablename__ = "overslagen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluiten.id"))
    afdeling_code: Mapped[str] = mapped_column(ForeignKey("afdelingen.code"))
    reden: Mapped[str] = mapped_column(Text)
    door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("besluit_id", "afdeling_code"),)


class Reactie(Base):
    """An afdeling's reaction to a besluit; one per afdeling (a new one replaces it)."""

    __tablename__ = "reacties"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluiten.id"))
    afdeling_code: Mapped[str] = mapped_column(ForeignKey("afdelingen.code"))
    reactie: Mapped[ReactieOordeel] = mapped_column(Keuze(ReactieOordeel, 10))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Carried over from the besluit this one replaces: the besluit it was given on.
    gegeven_op_besluit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("besluiten.id"), default=None
    )
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        UniqueConstraint("besluit_id", "afdeling_code"),
        keuzecontrole("reactie", ReactieOordeel),
    )


class Afwijking(Base):
    """A deviation from a regel that a besluit needs, with its one rugdekking."""

    __tablename__ = "afwijkingen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), index=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluiten.id"), index=True)
    regel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regels.id"), index=True)
    # The version of the regel in force when the afwijking was proposed: the one it bends.
    regelversie_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regelversies.id"), index=True)
    wat_de_regel_zegt: Mapped[str] = mapped_column(Text)
    wat_we_doen: Mapped[str] = mapped_column(Text)
    grondslag: Mapped[Grondslag] = mapped_column(Keuze(Grondslag, 30))
    motivering: Mapped[str] = mapped_column(Text)
    waardentoets_legitimiteit: Mapped[str] = mapped_column(Text)
    waardentoets_rendement: Mapped[str] = mapped_column(Text)
    waardentoets_betrokkenheid: Mapped[str] = mapped_column(Text)
    risico: Mapped[Risico] = mapped_column(Keuze(Risico, 10))
    financieel_belang_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    # Flagged for beleid by the casusteam; beleid's handling lives in its Beleidssignaal.
    beleidssignaal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[AfwijkingStatus] = mapped_column(
        Keuze(AfwijkingStatus, 20), default=AfwijkingStatus.voorgesteld
    )
    voorgesteld_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    rugdekking_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    rugdekking_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    # The rugdekking decision itself, kept when the afwijking follows its besluit out of force.
    rugdekking_oordeel: Mapped[RugdekkingOordeel | None] = mapped_column(
        Keuze(RugdekkingOordeel, 20), default=None
    )
    rugdekking_toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    mandaat_referentie: Mapped[str | None] = mapped_column(String(200), default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        Index("ix_afwijkingen_aangemaakt_op_id", "aangemaakt_op", "id"),
        Index(
            "ix_afwijkingen_signaal",
            "aangemaakt_op",
            "id",
            sqlite_where=text("beleidssignaal AND status <> 'ingetrokken'"),
            postgresql_where=text("beleidssignaal AND status <> 'ingetrokken'"),
        ),
        keuzecontrole("grondslag", Grondslag),
        keuzecontrole("risico", Risico),
        keuzecontrole("status", AfwijkingStatus),
        keuzecontrole("rugdekking_oordeel", RugdekkingOordeel),
    )
