"""inbox: notities with vermeldingen, e-mail meldingen (outbox), preferences and the sent-log

Revision ID: inbox
Revises: kosten
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "inbox"
down_revision: str | None = "kosten"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOORTEN = "'genoemd', 'regie_toegewezen', 'escalatie_aangevraagd', 'reactie_gevraagd'"
VOORKEUREN = "'direct', 'dagelijks', 'uit'"


def upgrade() -> None:
    op.create_table(
        "notities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("auteur_id", sa.Uuid(), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["auteur_id"], ["medewerkers.id"], name=op.f("fk_notities_auteur_id_medewerkers")
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_notities_casus_id_casussen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notities")),
    )
    op.create_index("ix_notities_casus_id_aangemaakt_op", "notities", ["casus_id", "aangemaakt_op"])
    op.create_table(
        "vermeldingen",
        sa.Column("notitie_id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("gezien_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_vermeldingen_medewerker_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["notitie_id"], ["notities.id"], name=op.f("fk_vermeldingen_notitie_id_notities")
        ),
        sa.PrimaryKeyConstraint("notitie_id", "medewerker_id", name=op.f("pk_vermeldingen")),
    )
    op.create_index(op.f("ix_vermeldingen_medewerker_id"), "vermeldingen", ["medewerker_id"])
    op.create_table(
        "meldingvoorkeuren",
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("voorkeur", sa.String(length=10), nullable=False),
        sa.Column("gewijzigd_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            f"voorkeur IN ({VOORKEUREN})", name=op.f("ck_meldingvoorkeuren_voorkeur")
        ),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_meldingvoorkeuren_medewerker_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("medewerker_id", name=op.f("pk_meldingvoorkeuren")),
    )
    op.create_table(
        "meldingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("kenmerk", sa.String(length=20), nullable=True),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("wijze", sa.String(length=10), nullable=False),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("geclaimd_tot", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("laatste_fout", sa.String(length=200), nullable=True),
        sa.Column("verzonden_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("opgegeven_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.Column("verzending", sa.String(length=120), nullable=True),
        sa.CheckConstraint(f"soort IN ({SOORTEN})", name=op.f("ck_meldingen_soort")),
        sa.CheckConstraint(f"wijze IN ({VOORKEUREN})", name=op.f("ck_meldingen_wijze")),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_meldingen_medewerker_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldingen")),
    )
    op.create_index(
        "ix_meldingen_wachtend", "meldingen", ["verzonden_op", "wijze", "volgende_poging_op"]
    )
    op.create_index("ix_meldingen_medewerker_id", "meldingen", ["medewerker_id"])
    op.create_table(
        "verzendlog",
        sa.Column("sleutel", sa.String(length=120), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("begonnen_op", doorbraak.db.UtcDateTime(), nullable=False),
        sa.Column("verzonden_op", doorbraak.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["medewerker_id"],
            ["medewerkers.id"],
            name=op.f("fk_verzendlog_medewerker_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("sleutel", name=op.f("pk_verzendlog")),
    )
    op.create_index(op.f("ix_verzendlog_medewerker_id"), "verzendlog", ["medewerker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_verzendlog_medewerker_id"), table_name="verzendlog")
    op.drop_table("verzendlog")
    op.drop_index("ix_meldingen_medewerker_id", table_name="meldingen")
    op.drop_index("ix_meldingen_wachtend", table_name="meldingen")
    op.drop_table("meldingen")
    op.drop_table("meldingvoorkeuren")
    op.drop_index(op.f("ix_vermeldingen_medewerker_id"), table_name="vermeldingen")
    op.drop_table("vermeldingen")
    op.drop_index("ix_notities_casus_id_aangemaakt_op", table_name="notities")
    op.drop_table("notities")
