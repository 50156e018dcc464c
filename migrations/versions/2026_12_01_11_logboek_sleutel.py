"""logboek: keyed chain (key id per entry), aggregated entries, append-only on SQLite too

Existing entries keep their unkeyed SHA-256 link and get no key id: they are verified as they
were written, and the first keyed entry binds their last hash into its HMAC (docs/security.md,
"Taking over an existing chain").

Revision ID: 0009_seca
Revises: 0009_integ
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_seca"
down_revision: str | None = "0009_integ"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    "CREATE TRIGGER logboek_geen_wijziging BEFORE UPDATE ON logboek "
    "BEGIN SELECT RAISE(ABORT, 'logboek is append-only'); END",
    "CREATE TRIGGER logboek_geen_verwijdering BEFORE DELETE ON logboek "
    "BEGIN SELECT RAISE(ABORT, 'logboek is append-only'); END",
)


def upgrade() -> None:
    with op.batch_alter_table("logboek", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aantal", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sleutel_id", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS logboek_geen_wijziging")
        op.execute("DROP TRIGGER IF EXISTS logboek_geen_verwijdering")
    with op.batch_alter_table("logboek", schema=None) as batch_op:
        batch_op.drop_column("sleutel_id")
        batch_op.drop_column("aantal")
