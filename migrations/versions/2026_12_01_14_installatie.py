"""installatie: the database's own identity, set once, for the logboek's checkpoints

A checkpoint names the database it was made of, so that verify holds a chain only against the
checkpoints of its own database: two installations writing to one checkpoint folder, or a test
database next to production, no longer read as a replaced entry. The identity is a random id made
here, by the owner of the tables; the app's role may only read it (`migraties.app_rol_rechten`).

Revision ID: installatie
Revises: 0009_secb
Create Date: 2026-12-01 12:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "installatie"
down_revision: str | None = "0009_secb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    "CREATE TRIGGER installatie_geen_wijziging BEFORE UPDATE ON installatie "
    "BEGIN SELECT RAISE(ABORT, 'installatie is fixed'); END",
    "CREATE TRIGGER installatie_geen_verwijdering BEFORE DELETE ON installatie "
    "BEGIN SELECT RAISE(ABORT, 'installatie is fixed'); END",
)


def upgrade() -> None:
    tabel = op.create_table(
        "installatie",
        sa.Column("database_id", sa.String(length=36), primary_key=True),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(), nullable=False),
    )
    op.bulk_insert(
        tabel,
        [{"database_id": str(uuid.uuid4()), "aangemaakt_op": doorbraak.db.utcnow()}],
    )
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    op.drop_table("installatie")
