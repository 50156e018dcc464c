"""rugdekkingsverzoeken; the mandaatscope; the afdeling that applies a regel

Revision ID: rug
Revises: huishouden
Create Date: 2026-12-01 12:30:00

A mandaat gets a scope: the afdelingen and regelingen it covers (empty lists: all, which is what
every existing mandaat keeps). A regel names the afdeling that applies it (none for existing
rules, covered only by a mandaat without an afdelingen scope). A rugdekkingsverzoek is the
regiehouder's request to one mandate holder.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "rug"
down_revision: str | None = "huishouden"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SCOPE = ("mandaat_afdelingen", "mandaat_regelingen")


def upgrade() -> None:
    for tabel in ("medewerkers", "rechtenverzoeken"):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for kolom in _SCOPE:
                batch_op.add_column(
                    sa.Column(kolom, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
                )
    with op.batch_alter_table("regels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("afdeling_code", sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_regels_afdeling_code_afdelingen"), "afdelingen", ["afdeling_code"], ["code"]
        )
    op.create_table(
        "rugdekkingsverzoeken",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.Integer(), nullable=False),
        sa.Column("afwijking_id", sa.Uuid(), nullable=False),
        sa.Column("aan_id", sa.Uuid(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verzonden_door_id", sa.Uuid(), nullable=False),
        sa.Column("verzonden_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("oordeel", sa.String(length=20), nullable=True),
        sa.Column("motivering", sa.Text(), nullable=True),
        sa.Column("beantwoord_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("gesloten_door_id", sa.Uuid(), nullable=True),
        sa.Column("gesloten_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("sluitingsreden", sa.Text(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'beantwoord', 'ingetrokken', 'vervallen')",
            name=op.f("ck_rugdekkingsverzoeken_status"),
        ),
        sa.CheckConstraint(
            "oordeel IN ('gedekt', 'afgewezen')", name=op.f("ck_rugdekkingsverzoeken_oordeel")
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_rugdekkingsverzoeken_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["afwijking_id"],
            ["afwijkingen.id"],
            name=op.f("fk_rugdekkingsverzoeken_afwijking_id_afwijkingen"),
        ),
        sa.ForeignKeyConstraint(
            ["aan_id"], ["medewerkers.id"], name=op.f("fk_rugdekkingsverzoeken_aan_id_medewerkers")
        ),
        sa.ForeignKeyConstraint(
            ["verzonden_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_rugdekkingsverzoeken_verzonden_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["gesloten_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_rugdekkingsverzoeken_gesloten_door_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rugdekkingsverzoeken")),
    )
    op.create_index(op.f("ix_rugdekkingsverzoeken_casus_id"), "rugdekkingsverzoeken", ["casus_id"])
    op.create_index(
        op.f("ix_rugdekkingsverzoeken_afwijking_id"), "rugdekkingsverzoeken", ["afwijking_id"]
    )
    op.create_index(
        "ix_rugdekkingsverzoeken_aan_id_status",
        "rugdekkingsverzoeken",
        ["aan_id", "status", "verzonden_op"],
    )
    op.create_index(
        "uq_rugdekkingsverzoeken_open",
        "rugdekkingsverzoeken",
        ["afwijking_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index("uq_rugdekkingsverzoeken_open", table_name="rugdekkingsverzoeken")
    op.drop_index("ix_rugdekkingsverzoeken_aan_id_status", table_name="rugdekkingsverzoeken")
    op.drop_index(op.f("ix_rugdekkingsverzoeken_afwijking_id"), table_name="rugdekkingsverzoeken")
    op.drop_index(op.f("ix_rugdekkingsverzoeken_casus_id"), table_name="rugdekkingsverzoeken")
    op.drop_table("rugdekkingsverzoeken")
    with op.batch_alter_table("regels", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_regels_afdeling_code_afdelingen"), type_="foreignkey")
        batch_op.drop_column("afdeling_code")
    for tabel in ("rechtenverzoeken", "medewerkers"):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for kolom in reversed(_SCOPE):
                batch_op.drop_column(kolom)
