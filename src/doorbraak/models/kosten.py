"""The cost ledger of a casus: dated entries that are never overwritten, and the nulmeting."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, Keuze, UtcDateTime, keuzecontrole, utcnow
from doorbraak.models.casus import BigId
from doorbraak.models.enums import Kostenritme, Kostensoort, Leefgebied


class Kostenregel(Base):
    """One dated cost of one post (a line of cost, e.g. a betrokkene's yearly cost). A new value
    of the same post and soort is a new entry; the one it replaces gets `tot`, nothing else."""

    __tablename__ = "kostenregels"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"))
    # The cost line: a betrokkene's id for its cost, otherwise an id of its own.
    post: Mapped[uuid.UUID] = mapped_column()
    omschrijving: Mapped[str] = mapped_column(String(200))
    leefgebied: Mapped[Leefgebied | None] = mapped_column(Keuze(Leefgebied, 30), default=None)
    # Who pays it: savings per afdeling compare this with the besluiten's kostenverdeling.
    afdeling_code: Mapped[str | None] = mapped_column(ForeignKey("afdelingen.code"), default=None)
    soort: Mapped[Kostensoort] = mapped_column(Keuze(Kostensoort, 20))
    ritme: Mapped[Kostenritme] = mapped_column(Keuze(Kostenritme, 20))
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    # The date the amount is about (for gerealiseerd: the evaluation moment's date).
    peildatum: Mapped[dt.date] = mapped_column(Date)
    # The evaluation moment of a gerealiseerd cost, e.g. "6 maanden na vaststellen".
    moment: Mapped[str | None] = mapped_column(String(60), default=None)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    door_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("medewerkers.id"), default=None)
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set when a later entry of the same post and soort replaces it, or the post ends.
    tot: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)

    __table_args__ = (
        Index("ix_kostenregels_casus_id_id", "casus_id", "id"),
        Index(
            "ix_kostenregels_in_kracht",
            "casus_id",
            "post",
            "soort",
            sqlite_where=text("tot IS NULL"),
            postgresql_where=text("tot IS NULL"),
        ),
        keuzecontrole("leefgebied", Leefgebied),
        keuzecontrole("soort", Kostensoort),
        keuzecontrole("ritme", Kostenritme),
    )


class Kostennulmeting(Base):
    """The costs as they stood when the casus left in_kaart: the baseline of before/after. Taken
    once; later changes of the ledger never touch it."""

    __tablename__ = "kosten_nulmetingen"

    casus_id: Mapped[int] = mapped_column(ForeignKey("casussen.id"), primary_key=True)
    op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    huidig_per_jaar_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    huidig_eenmalig_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    dreigend_per_jaar_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    dreigend_eenmalig_cent: Mapped[int] = mapped_column(BigInteger, default=0)
    # The entries in force at that moment: [{post, afdeling, soort, ritme, bedragCent}].
    posten: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
