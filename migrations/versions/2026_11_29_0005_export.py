"""export: export_runs, export_watermerken, casussen.geanonimiseerd_op

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("modus", sa.String(length=20), nullable=False),
        sa.Column("watermerk_van", sa.BigInteger(), nullable=True),
        sa.Column("watermerk_tot", sa.BigInteger(), nullable=True),
        sa.Column("sinds_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("gestart_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("klaar_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("rijen", sa.BigInteger(), nullable=False),
        sa.Column("rijen_per_tabel", sa.JSON(), nullable=False),
        sa.Column("map", sa.String(length=500), nullable=True),
        sa.Column("fout", sa.Text(), nullable=True),
        sa.Column("proces", sa.String(length=200), nullable=False),
        sa.Column("gestart_door", sa.String(length=64), nullable=False),
        sa.Column("geleverd", sa.JSON(), nullable=False),
        sa.Column("geleverd_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("leverfout", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_runs")),
    )
    with op.batch_alter_table("export_runs", schema=None) as batch_op:
        batch_op.create_index("ix_export_runs_gestart_op_id", ["gestart_op", "id"], unique=False)
        batch_op.create_index(
            "uq_export_runs_bezig",
            ["status"],
            unique=True,
            sqlite_where=sa.text("status = 'bezig'"),
            postgresql_where=sa.text("status = 'bezig'"),
        )
    op.create_table(
        "export_watermerken",
        sa.Column("naam", sa.String(length=40), nullable=False),
        sa.Column(
            "tijdlijn_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("bijgewerkt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_export_watermerken")),
    )
    with op.batch_alter_table("casussen", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("geanonimiseerd_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("casussen", schema=None) as batch_op:
        batch_op.drop_column("geanonimiseerd_op")
    op.drop_table("export_watermerken")
    with op.batch_alter_table("export_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_export_runs_bezig")
        batch_op.drop_index("ix_export_runs_gestart_op_id")
    op.drop_table("export_runs")
