"""Afdelingen, medewerkers and their API tokens."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import Risico


class Afdeling(Base):
    __tablename__ = "afdelingen"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}


class Medewerker(Base):
    __tablename__ = "medewerkers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    afdeling_code: Mapped[str] = mapped_column(ForeignKey("afdelingen.code"), index=True)
    rollen: Mapped[list[str]] = mapped_column(JSON, default=list)
    mandaat_max_bedrag_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    mandaat_max_risico: Mapped[Risico | None] = mapped_column(Keuze(Risico, 10), default=None)
    # The mandaatscope: the afdelingen and regelingen the mandaat covers (empty: all).
    mandaat_afdelingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    mandaat_regelingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    # Subject claim of the identity provider, for OIDC sign-in.
    oidc_sub: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (keuzecontrole("mandaat_max_risico", Risico),)


class ApiToken(Base):
    """A bearer token for a system or script; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    verloopt_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
