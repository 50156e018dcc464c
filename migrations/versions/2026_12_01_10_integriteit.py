"""integriteit: escalaties bound to what they decide, structured and immutable outcomes, cost
split, passed-over afdelingen, carried-over reacties, noodmaatregelen; afwijkingen follow their
besluit (a data correction of existing rows)

Revision ID: 0009_integ
Revises: 0009_arch
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0009_integ"
down_revision: str | None = "0009_arch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


AFWIJKING_STATUS_OUD = ("voorgesteld", "gedekt", "afgewezen", "ingetrokken")
AFWIJKING_STATUS = (*AFWIJKING_STATUS_OUD, "vervangen")
# New vocabulary columns and their values (frozen here on purpose, as in 0009_arch).
CONTROLES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "afwijkingen": [("rugdekking_oordeel", ("gedekt", "afgewezen"))],
    "escalaties": [
        ("uitkomst_soort", ("toegekend", "afgewezen", "toegekend_onder_voorwaarden")),
        ("loket_status", ("ingediend", "in_behandeling", "beantwoord")),
    ],
}


def _voorwaarde(kolom: str, waarden: tuple[str, ...]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


def _afwijking_status(waarden: tuple[str, ...]) -> None:
    with op.batch_alter_table("afwijkingen", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_afwijkingen_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_afwijkingen_status"), _voorwaarde("status", waarden)
        )


def upgrade() -> None:
    _afwijking_status(AFWIJKING_STATUS)
    with op.batch_alter_table("besluiten", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("noodmaatregel", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("noodmaatregel_reden", sa.Text(), nullable=True))
    with op.batch_alter_table("reacties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gegeven_op_besluit_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reacties_gegeven_op_besluit_id_besluiten"),
            "besluiten",
            ["gegeven_op_besluit_id"],
            ["id"],
        )
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rugdekking_oordeel", sa.String(length=20), nullable=True))
    with op.batch_alter_table("escalaties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("betreft_besluit_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("uitkomst_soort", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("voorwaarden", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("referentie", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("vervangt_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("correctiereden", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("loket_referentie", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("loket_contact", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("loket_antwoord_verwacht", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("loket_status", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_escalaties_betreft_besluit_id_besluiten"),
            "besluiten",
            ["betreft_besluit_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_escalaties_vervangt_id_escalaties"),
            "escalaties",
            ["vervangt_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_escalaties_betreft_besluit_id"), ["betreft_besluit_id"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_escalaties_vervangt_id"), ["vervangt_id"])
    op.create_table(
        "escalatie_afwijkingen",
        sa.Column("escalatie_id", sa.Uuid(), nullable=False),
        sa.Column("afwijking_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["afwijking_id"],
            ["afwijkingen.id"],
            name=op.f("fk_escalatie_afwijkingen_afwijking_id_afwijkingen"),
        ),
        sa.ForeignKeyConstraint(
            ["escalatie_id"],
            ["escalaties.id"],
            name=op.f("fk_escalatie_afwijkingen_escalatie_id_escalaties"),
        ),
        sa.PrimaryKeyConstraint(
            "escalatie_id", "afwijking_id", name=op.f("pk_escalatie_afwijkingen")
        ),
    )
    op.create_index(
        op.f("ix_escalatie_afwijkingen_afwijking_id"),
        "escalatie_afwijkingen",
        ["afwijking_id"],
        unique=False,
    )
    op.create_table(
        "kostenaandelen",
        sa.Column("besluit_id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_code", sa.String(length=40), nullable=False),
        sa.Column("eenmalig_cent", sa.BigInteger(), nullable=False),
        sa.Column("per_jaar_cent", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["afdeling_code"],
            ["afdelingen.code"],
            name=op.f("fk_kostenaandelen_afdeling_code_afdelingen"),
        ),
        sa.ForeignKeyConstraint(
            ["besluit_id"], ["besluiten.id"], name=op.f("fk_kostenaandelen_besluit_id_besluiten")
        ),
        sa.PrimaryKeyConstraint("besluit_id", "afdeling_code", name=op.f("pk_kostenaandelen")),
    )
    op.create_table(
        "overslagen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("besluit_id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_code", sa.String(length=40), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("door_id", sa.Uuid(), nullable=False),
        sa.Column("op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["afdeling_code"],
            ["afdelingen.code"],
            name=op.f("fk_overslagen_afdeling_code_afdelingen"),
        ),
        sa.ForeignKeyConstraint(
            ["besluit_id"], ["besluiten.id"], name=op.f("fk_overslagen_besluit_id_besluiten")
        ),
        sa.ForeignKeyConstraint(
            ["door_id"], ["medewerkers.id"], name=op.f("fk_overslagen_door_id_medewerkers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overslagen")),
        sa.UniqueConstraint("besluit_id", "afdeling_code", name=op.f("uq_overslagen_besluit_id")),
    )
    for tabel, kolommen in CONTROLES.items():
        with op.batch_alter_table(tabel, recreate="auto") as batch_op:
            for kolom, waarden in kolommen:
                batch_op.create_check_constraint(
                    op.f(f"ck_{tabel}_{kolom}"), _voorwaarde(kolom, waarden)
                )
    # --- data: what the existing rows mean under the new rules ---------------------------------
    # The rugdekking decision is kept apart from the status, which now follows the besluit.
    op.execute(
        "UPDATE afwijkingen SET rugdekking_oordeel = status "
        "WHERE rugdekking_door_id IS NOT NULL AND status IN ('gedekt', 'afgewezen')"
    )
    # Afwijkingen of withdrawn besluiten were withdrawn with them; of replaced ones, replaced.
    for besluitstatus, afwijkingstatus in (
        ("ingetrokken", "ingetrokken"),
        ("vervangen", "vervangen"),
    ):
        op.execute(
            f"UPDATE afwijkingen SET status = '{afwijkingstatus}' "
            "WHERE status IN ('voorgesteld', 'gedekt', 'afgewezen') AND besluit_id IN "
            f"(SELECT id FROM besluiten WHERE status = '{besluitstatus}')"
        )
    # The one paying afdeling of a besluit pays all of it.
    op.execute(
        "INSERT INTO kostenaandelen (besluit_id, afdeling_code, eenmalig_cent, per_jaar_cent) "
        "SELECT id, betalende_afdeling_code, kosten_eenmalig_cent, kosten_per_jaar_cent "
        "FROM besluiten WHERE betalende_afdeling_code IS NOT NULL"
    )
    # The snapshots of the statistieken and register totals counted by the old rule: recompute.
    op.execute("DELETE FROM statistieken_momentopnamen")
    # A landelijk escalatie starts as ingediend at the loket; a decided one was answered.
    op.execute(
        "UPDATE escalaties SET loket_status = CASE WHEN afgehandeld_op IS NULL "
        "THEN 'ingediend' ELSE 'beantwoord' END WHERE niveau = 'landelijk'"
    )


def downgrade() -> None:
    # Back to one status per afwijking: a decided one shows its rugdekking decision again.
    op.execute(
        "UPDATE afwijkingen SET status = rugdekking_oordeel "
        "WHERE status = 'vervangen' AND rugdekking_oordeel IS NOT NULL"
    )
    op.execute("UPDATE afwijkingen SET status = 'ingetrokken' WHERE status = 'vervangen'")
    _afwijking_status(AFWIJKING_STATUS_OUD)
    for tabel, kolommen in reversed(CONTROLES.items()):
        with op.batch_alter_table(tabel, recreate="auto") as batch_op:
            for kolom, _waarden in reversed(kolommen):
                batch_op.drop_constraint(op.f(f"ck_{tabel}_{kolom}"), type_="check")
    op.drop_table("overslagen")
    op.drop_table("kostenaandelen")
    op.drop_index(op.f("ix_escalatie_afwijkingen_afwijking_id"), table_name="escalatie_afwijkingen")
    op.drop_table("escalatie_afwijkingen")
    # Corrections are separate rows; the older decided version goes with the columns.
    op.execute("DELETE FROM escalaties WHERE vervangt_id IS NOT NULL")
    with op.batch_alter_table("escalaties", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_escalaties_vervangt_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_escalaties_betreft_besluit_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_escalaties_vervangt_id_escalaties"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_escalaties_betreft_besluit_id_besluiten"), type_="foreignkey"
        )
        for kolom in (
            "loket_status",
            "loket_antwoord_verwacht",
            "loket_contact",
            "loket_referentie",
            "correctiereden",
            "vervangt_id",
            "referentie",
            "voorwaarden",
            "uitkomst_soort",
            "betreft_besluit_id",
        ):
            batch_op.drop_column(kolom)
    with op.batch_alter_table("afwijkingen", schema=None) as batch_op:
        batch_op.drop_column("rugdekking_oordeel")
    with op.batch_alter_table("reacties", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reacties_gegeven_op_besluit_id_besluiten"), type_="foreignkey"
        )
        batch_op.drop_column("gegeven_op_besluit_id")
    with op.batch_alter_table("besluiten", schema=None) as batch_op:
        batch_op.drop_column("noodmaatregel_reden")
        batch_op.drop_column("noodmaatregel")
