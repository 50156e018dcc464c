"""maatwerk: regels, besluiten, reacties, afwijkingen, leerpunten; FK knelpunten.regel_id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:30:00.425487
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "regels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("titel", sa.String(length=200), nullable=False),
        sa.Column("regeling", sa.String(length=200), nullable=False),
        sa.Column("artikel", sa.String(length=100), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("bron_url", sa.String(length=500), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regels")),
    )
    with op.batch_alter_table("regels", schema=None) as batch_op:
        batch_op.create_index("ix_regels_titel_id", ["titel", "id"], unique=False)

    op.create_table(
        "besluiten",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=False),
        sa.Column("kosten_eenmalig_cent", sa.BigInteger(), nullable=False),
        sa.Column("kosten_per_jaar_cent", sa.BigInteger(), nullable=False),
        sa.Column("betalende_afdeling_code", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("vervangt_id", sa.Uuid(), nullable=True),
        sa.Column("afweging", sa.Text(), nullable=True),
        sa.Column("opgesteld_door_id", sa.Uuid(), nullable=False),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("vastgesteld_door_id", sa.Uuid(), nullable=True),
        sa.Column("vastgesteld_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ingetrokken_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("intrekkingsreden", sa.Text(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["betalende_afdeling_code"],
            ["afdelingen.code"],
            name=op.f("fk_besluiten_betalende_afdeling_code_afdelingen"),
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_besluiten_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["opgesteld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_besluiten_opgesteld_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["vastgesteld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_besluiten_vastgesteld_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["vervangt_id"], ["besluiten.id"], name=op.f("fk_besluiten_vervangt_id_besluiten")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluiten")),
    )
    with op.batch_alter_table("besluiten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_besluiten_casus_id"), ["casus_id"], unique=False)
        batch_op.create_index(
            "ix_besluiten_status_vastgesteld_op", ["status", "vastgesteld_op"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_besluiten_vervangt_id"), ["vervangt_id"], unique=False)

    op.create_table(
        "leerpunten",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("voor_wie", sa.String(length=200), nullable=True),
        sa.Column("delen", sa.Boolean(), nullable=False),
        sa.Column("gedeeld_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("signaal_status", sa.String(length=20), nullable=True),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_leerpunten_casus_id_casussen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leerpunten")),
    )
    with op.batch_alter_table("leerpunten", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leerpunten_casus_id"), ["casus_id"], unique=False)
        batch_op.create_index(
            "ix_leerpunten_delen_gedeeld_op", ["delen", "gedeeld_op"], unique=False
        )
        batch_op.create_index(
            "ix_leerpunten_soort_aangemaakt_op", ["soort", "aangemaakt_op"], unique=False
        )

    op.create_table(
        "afwijkingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("besluit_id", sa.Uuid(), nullable=False),
        sa.Column("regel_id", sa.Uuid(), nullable=False),
        sa.Column("wat_de_regel_zegt", sa.Text(), nullable=False),
        sa.Column("wat_we_doen", sa.Text(), nullable=False),
        sa.Column("grondslag", sa.String(length=30), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=False),
        sa.Column("waardentoets_legitimiteit", sa.Text(), nullable=False),
        sa.Column("waardentoets_rendement", sa.Text(), nullable=False),
        sa.Column("waardentoets_betrokkenheid", sa.Text(), nullable=False),
        sa.Column("risico", sa.String(length=10), nullable=False),
        sa.Column("financieel_belang_cent", sa.BigInteger(), nullable=False),
        sa.Column("beleidssignaal", sa.Boolean(), nullable=False),
        sa.Column("signaal_status", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("voorgesteld_door_id", sa.Uuid(), nullable=False),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("rugdekking_door_id", sa.Uuid(), nullable=True),
        sa.Column("rugdekking_op", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("rugdekking_toelichting", sa.Text(), nullable=True),
        sa.Column("mandaat_referentie", sa.String(length=200), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["besluit_id"], ["besluiten.id"], name=op.f("fk_afwijkingen_besluit_id_besluiten")
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_afwijkingen_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["regel_id"], ["regels.id"], name=op.f("fk_afwijkingen_regel_id_regels")
        ),
        sa.ForeignKeyConstraint(
            ["rugdekking_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_afwijkingen_rugdekking_door_id_medewerkers"),
        ),
        sa.ForeignKeyConstraint(
            ["voorgesteld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_afwijkingen_voorgesteld_door_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afwijkingen")),
    )
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        batch_op.create_index("ix_afwijkingen_aangemaakt_op", ["aangemaakt_op"], unique=False)
        batch_op.create_index(batch_op.f("ix_afwijkingen_besluit_id"), ["besluit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_afwijkingen_casus_id"), ["casus_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_afwijkingen_regel_id"), ["regel_id"], unique=False)

    op.create_table(
        "reacties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("besluit_id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_code", sa.String(length=40), nullable=False),
        sa.Column("reactie", sa.String(length=10), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("door_id", sa.Uuid(), nullable=False),
        sa.Column("op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["afdeling_code"],
            ["afdelingen.code"],
            name=op.f("fk_reacties_afdeling_code_afdelingen"),
        ),
        sa.ForeignKeyConstraint(
            ["besluit_id"], ["besluiten.id"], name=op.f("fk_reacties_besluit_id_besluiten")
        ),
        sa.ForeignKeyConstraint(
            ["door_id"], ["medewerkers.id"], name=op.f("fk_reacties_door_id_medewerkers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reacties")),
        sa.UniqueConstraint("besluit_id", "afdeling_code", name=op.f("uq_reacties_besluit_id")),
    )
    # The knelpunten reference to the catalogue existed since 0001; now it can be enforced.
    # Batch mode: SQLite adds a constraint only by copying the table.
    with op.batch_alter_table("knelpunten", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_knelpunten_regel_id_regels"), "regels", ["regel_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("knelpunten", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_knelpunten_regel_id_regels"), type_="foreignkey")

    op.drop_table("reacties")
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afwijkingen_regel_id"))
        batch_op.drop_index(batch_op.f("ix_afwijkingen_casus_id"))
        batch_op.drop_index(batch_op.f("ix_afwijkingen_besluit_id"))
        batch_op.drop_index("ix_afwijkingen_aangemaakt_op")

    op.drop_table("afwijkingen")
    with op.batch_alter_table("leerpunten", schema=None) as batch_op:
        batch_op.drop_index("ix_leerpunten_soort_aangemaakt_op")
        batch_op.drop_index("ix_leerpunten_delen_gedeeld_op")
        batch_op.drop_index(batch_op.f("ix_leerpunten_casus_id"))

    op.drop_table("leerpunten")
    with op.batch_alter_table("besluiten", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_besluiten_vervangt_id"))
        batch_op.drop_index("ix_besluiten_status_vastgesteld_op")
        batch_op.drop_index(batch_op.f("ix_besluiten_casus_id"))

    op.drop_table("besluiten")
    with op.batch_alter_table("regels", schema=None) as batch_op:
        batch_op.drop_index("ix_regels_titel_id")

    op.drop_table("regels")
