"""rechtenverzoeken: four-eyes on granting beheerder, auditor, leidinggevende or more mandaat

Revision ID: 0010_seca
Revises: 0009_seca
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0010_seca"
down_revision: str | None = "0009_seca"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rechtenverzoeken",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_versie", sa.Integer(), nullable=False),
        sa.Column("rollen", sa.JSON(), nullable=False),
        sa.Column("mandaat_max_bedrag_cent", sa.BigInteger(), nullable=False),
        sa.Column("mandaat_max_risico", sa.String(length=10), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("aangevraagd_door_id", sa.Uuid(), nullable=False),
        sa.Column("aangevraagd_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("beoordeeld_door_id", sa.Uuid(), nullable=True),
        sa.Column("beoordeeld_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("beoordeling_toelichting", sa.Text(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aangevraagd_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_rechtenverzoeken_aangevraagd_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["beoordeeld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_rechtenverzoeken_beoordeeld_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_rechtenverzoeken_medewerker_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rechtenverzoeken")),
        sa.CheckConstraint(
            "mandaat_max_risico IN ('laag', 'midden', 'hoog')",
            name=op.f("ck_rechtenverzoeken_mandaat_max_risico"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'goedgekeurd', 'afgewezen')",
            name=op.f("ck_rechtenverzoeken_status"),
        ),
    )
    with op.batch_alter_table("rechtenverzoeken", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rechtenverzoeken_medewerker_id"), ["medewerker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rechtenverzoeken_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rechtenverzoeken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rechtenverzoeken_status"))
        batch_op.drop_index(batch_op.f("ix_rechtenverzoeken_medewerker_id"))
    op.drop_table("rechtenverzoeken")
