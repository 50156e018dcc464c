"""The security audit log (BIO 8.15): append-only, every entry carries the previous one's hash,
keyed (HMAC) with a key that is not in the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, UtcDateTime, utcnow

BigId = BigInteger().with_variant(Integer, "sqlite")
# The writer shortens a longer actie to this (`logboek.service.ingekorte_actie`).
ACTIE_LENGTE = 120


class LogboekRegel(Base):
    __tablename__ = "logboek"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tijdstempel: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(64))  # medewerker id, or null if unknown
    actie: Mapped[str] = mapped_column(String(ACTIE_LENGTE))  # "METHOD /route/template"
    object_soort: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    casus_id: Mapped[int | None] = mapped_column(BigId, default=None)
    resultaat: Mapped[str] = mapped_column(String(40))
    oorsprong: Mapped[str | None] = mapped_column(String(64))
    doelbinding: Mapped[str | None] = mapped_column(Text, default=None)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # How many requests one entry stands for: null for one, a count for the aggregated anonymous
    # refusals (docs/security.md).
    aantal: Mapped[int | None] = mapped_column(Integer, default=None)
    # The key the entry's HMAC was made with; null for entries from before the keyed chain.
    sleutel_id: Mapped[str | None] = mapped_column(String(16), default=None)
    vorige_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_logboek_casus_id", "casus_id", "id"),
        Index("ix_logboek_actor", "actor", "id"),
        Index("ix_logboek_tijdstempel", "tijdstempel"),
    )


# The database's identity (migration `installatie`), named in every logboek checkpoint. Set once by
# the migration and never changed, so it lives outside Base.metadata: nothing that works on "all
# tables" (the tests' reset, retention) empties it.
installatie = Table(
    "installatie",
    MetaData(),
    Column("database_id", String(36), primary_key=True),
    Column("aangemaakt_op", UtcDateTime, nullable=False),
)
