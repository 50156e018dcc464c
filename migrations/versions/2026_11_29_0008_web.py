"""web: server-side sessions of the web frontend

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sessies",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("oidc_state", sa.String(length=64), nullable=True),
        sa.Column("oidc_nonce", sa.String(length=64), nullable=True),
        sa.Column("oidc_verifier", sa.String(length=128), nullable=True),
        sa.Column("terug_naar", sa.String(length=500), nullable=True),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_web_sessies_medewerker_id_medewerkers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessies")),
    )
    with op.batch_alter_table("web_sessies", schema=None) as batch_op:
        batch_op.create_index("ix_web_sessies_medewerker_id", ["medewerker_id"], unique=False)
        batch_op.create_index("ix_web_sessies_verloopt_op", ["verloopt_op"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_sessies", schema=None) as batch_op:
        batch_op.drop_index("ix_web_sessies_verloopt_op")
        batch_op.drop_index("ix_web_sessies_medewerker_id")
    op.drop_table("web_sessies")
