"""bijlagen: documents on a casus, their bytes in the database

Revision ID: bijlagen
Revises: logboek_actie
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "bijlagen"
down_revision: str | None = "logboek_actie"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bijlagen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bestandsnaam", sa.String(length=255), nullable=False),
        sa.Column("omschrijving", sa.String(length=500), nullable=True),
        sa.Column("mediatype", sa.String(length=120), nullable=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("inhoud", sa.LargeBinary(), nullable=False),
        sa.Column("toegevoegd_door_id", sa.Uuid(), nullable=False),
        sa.Column("toegevoegd_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_bijlagen_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["toegevoegd_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_bijlagen_toegevoegd_door_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bijlagen")),
    )
    op.create_index("ix_bijlagen_casus_id_toegevoegd_op", "bijlagen", ["casus_id", "toegevoegd_op"])


def downgrade() -> None:
    op.drop_index("ix_bijlagen_casus_id_toegevoegd_op", table_name="bijlagen")
    op.drop_table("bijlagen")
