"""prestaties: indexes for the hot queries at national scale; the statistieken snapshot

Every list is a top-N by a key: the index gives the rows in that order, so a page costs the same
on the first page and deep in the result. The visibility rule of casus lists (regiehouder,
aanmelder, contactpersoon, explicit member, leidinggevende of a participating afdeling) reads one
composite index per branch; single-column indexes that a composite one starts with are dropped.

Revision ID: 0006
Revises: 0007
Create Date: 2026-11-29 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, dropped single-column index, its column, new composite index, its columns)
VERVANGEN = [
    ("casussen", "ix_casussen_regiehouder_id", "regiehouder_id", "ix_casussen_regiehouder_id_id",
     ["regiehouder_id", "id"]),
    ("casussen", "ix_casussen_aanmelder_id", "aanmelder_id", "ix_casussen_aanmelder_id_id",
     ["aanmelder_id", "id"]),
    ("deelnames", "ix_deelnames_contactpersoon_id", "contactpersoon_id",
     "ix_deelnames_contactpersoon_id_casus_id", ["contactpersoon_id", "casus_id"]),
    ("deelnames", "ix_deelnames_afdeling_code", "afdeling_code",
     "ix_deelnames_afdeling_code_casus_id", ["afdeling_code", "casus_id"]),
    ("casusteam_leden", "ix_casusteam_leden_medewerker_id", "medewerker_id",
     "ix_casusteam_leden_medewerker_id_casus_id", ["medewerker_id", "casus_id"]),
    ("fase_overgangen", "ix_fase_overgangen_casus_id", "casus_id",
     "ix_fase_overgangen_casus_id_op_id", ["casus_id", "op", "id"]),
    ("leerpunten", "ix_leerpunten_soort_aangemaakt_op", None,
     "ix_leerpunten_soort_aangemaakt_op_id", ["soort", "aangemaakt_op", "id"]),
    ("afwijkingen", "ix_afwijkingen_aangemaakt_op", None,
     "ix_afwijkingen_aangemaakt_op_id", ["aangemaakt_op", "id"]),
]  # fmt: skip

SIGNAAL = sa.text("beleidssignaal AND status <> 'ingetrokken'")


def upgrade() -> None:
    for tabel, oud, _kolom, nieuw, kolommen in VERVANGEN:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.create_index(nieuw, kolommen, unique=False)
            batch_op.drop_index(oud)
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        # The beleidssignalen register: flagged afwijkingen, newest first.
        batch_op.create_index(
            "ix_afwijkingen_signaal",
            ["aangemaakt_op", "id"],
            unique=False,
            sqlite_where=SIGNAAL,
            postgresql_where=SIGNAAL,
        )
    op.create_table(
        "statistieken_momentopnamen",
        sa.Column("naam", sa.String(length=40), nullable=False),
        sa.Column("berekend_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("inhoud", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_statistieken_momentopnamen")),
    )


def downgrade() -> None:
    op.drop_table("statistieken_momentopnamen")
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_afwijkingen_signaal", sqlite_where=SIGNAAL, postgresql_where=SIGNAAL
        )
    oude = {
        "ix_leerpunten_soort_aangemaakt_op": ["soort", "aangemaakt_op"],
        "ix_afwijkingen_aangemaakt_op": ["aangemaakt_op"],
    }
    for tabel, oud, kolom, nieuw, _kolommen in reversed(VERVANGEN):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.create_index(oud, [kolom] if kolom else oude[oud], unique=False)
            batch_op.drop_index(nieuw)
