"""Requests to raise someone's privileges, or to change the identity (e-mail address, OIDC
subject) of a privileged medewerker: applied only after a second beheerder approves."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.enums import RechtenverzoekStatus, Risico


class Rechtenverzoek(Base):
    """A beheerder asks for new roles and/or a new mandaat of a medewerker (not themself); a
    different beheerder, not the medewerker concerned either, approves or rejects it. The
    request holds the complete new values and the medewerker's version when asked, so an
    approval never silently overwrites a change made in between."""

    __tablename__ = "rechtenverzoeken"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    medewerker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"), index=True)
    medewerker_versie: Mapped[int]
    rollen: Mapped[list[str]] = mapped_column(JSON)
    mandaat_max_bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    mandaat_max_risico: Mapped[Risico | None] = mapped_column(Keuze(Risico, 10), default=None)
    mandaat_afdelingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    mandaat_regelingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The new identity by which the medewerker signs in; null: unchanged. Pointing a privileged
    # account at another identity hands its rights to whoever holds that identity.
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    oidc_sub: Mapped[str | None] = mapped_column(String(255), default=None)
    toelichting: Mapped[str] = mapped_column(Text)
    aangevraagd_door_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medewerkers.id"))
    aangevraagd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[RechtenverzoekStatus] = mapped_column(
        Keuze(RechtenverzoekStatus, 20), default=RechtenverzoekStatus.open, index=True
    )
    beoordeeld_door_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id"), default=None
    )
    beoordeeld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    beoordeling_toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    versie: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": versie}
    __table_args__ = (
        keuzecontrole("mandaat_max_risico", Risico),
        keuzecontrole("status", RechtenverzoekStatus),
    )
