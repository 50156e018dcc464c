"""Notities on a casus (a conversation beside the tijdlijn, with @vermeldingen), e-mail
meldingen (an outbox written in the unit of work of the event, delivered after commit), the
medewerker's preference and the sent-log that keeps every mail from going out twice."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import MeldingSoort, MeldingVoorkeur


class Notitie(Base):
    """A note in the casus conversation: casus content, seen by whoever sees the casus."""

    __tablename__ = "notities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    auteur_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    tekst: Mapped[str] = mapped_column(Text)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_notities_casus_id_aangemaakt_op", "casus_id", "aangemaakt_op"),)


class Vermelding(Base):
    """An @vermelding of a medewerker in a notitie: in their inbox until they mark it seen."""

    __tablename__ = "vermeldingen"

    notitie_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notities.id"), primary_key=True)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medewerkers.id"), primary_key=True, index=True
    )
    gezien_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


class Meldingvoorkeur(Base):
    """A medewerker's choice; without a row the default (direct) holds."""

    __tablename__ = "meldingvoorkeuren"

    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), primary_key=True)
    voorkeur: Mapped[MeldingVoorkeur] = mapped_column(Keuze(MeldingVoorkeur, 10))
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("voorkeur", MeldingVoorkeur),)


class Melding(Base):
    """One event for one medewerker, in the outbox: written in the same transaction as the
    event (so none is lost and none exists for a rolled-back write), delivered after commit,
    directly or in the daily digest, as the preference at the time of the event said."""

    __tablename__ = "meldingen"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    soort: Mapped[MeldingSoort] = mapped_column(Keuze(MeldingSoort, 30))
    kenmerk: Mapped[str | None] = mapped_column(String(20), default=None)
    link: Mapped[str] = mapped_column(String(300))
    wijze: Mapped[MeldingVoorkeur] = mapped_column(Keuze(MeldingVoorkeur, 10))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Delivery: claimed by one sender until `geclaimd_tot`; retried with backoff on failure.
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    geclaimd_tot: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    laatste_fout: Mapped[str | None] = mapped_column(String(200), default=None)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    opgegeven_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    # The sent-log entry (`Verzending.sleutel`) of the mail that carried it.
    verzending: Mapped[str | None] = mapped_column(String(120), default=None)

    __table_args__ = (
        keuzecontrole("soort", MeldingSoort),
        keuzecontrole("wijze", MeldingVoorkeur),
        Index("ix_meldingen_wachtend", "verzonden_op", "wijze", "volgende_poging_op"),
        Index("ix_meldingen_medewerker_id", "medewerker_id"),
    )


class Verzending(Base):
    """The sent-log: one row per mail, with a unique key (`melding:<id>`, `digest:<medewerker>:
    <date>`) taken before the mail goes out, so two senders never send the same mail."""

    __tablename__ = "verzendlog"

    sleutel: Mapped[str] = mapped_column(String(120), primary_key=True)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), index=True)
    aantal: Mapped[int] = mapped_column(Integer, default=1)
    begonnen_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
