"""leren: beleidssignalen owned by beleid; versions of a regel, and the version an afwijking bends

Every regel gets version 1 (its toelichting, else its titel, in force since it was entered); every
existing afwijking links to that version. Every systeem-leerpunt and every afwijking flagged as
beleidssignaal gets a row in `beleidssignalen` with the id of its source and its old status
(verwerkt -> werkwijze_aangepast: the old status did not say whether the regel changed;
niet_overgenomen -> niet_aangepast). The old `signaal_status` columns, written by the casusteam,
go: beleid alone handles a signal now. Downgrade maps the statuses back (the regel and werkwijze
outcomes to verwerkt) and drops what the old schema cannot hold (reactie, versions > 1).

Revision ID: leren
Revises: installatie
Create Date: 2026-12-01 12:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "leren"
down_revision: str | None = "installatie"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUD = ("nieuw", "in_behandeling", "verwerkt", "niet_overgenomen")
NIEUW = ("nieuw", "in_behandeling", "regel_aangepast", "werkwijze_aangepast", "niet_aangepast")
NAAR_NIEUW = {"verwerkt": "werkwijze_aangepast", "niet_overgenomen": "niet_aangepast"}
NAAR_OUD = {
    "regel_aangepast": "verwerkt",
    "werkwijze_aangepast": "verwerkt",
    "niet_aangepast": "niet_overgenomen",
}


def _in(kolom: str, waarden: tuple[str, ...]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


def _status_sql(kolom: str, mapping: dict[str, str], leeg: str | None) -> str:
    takken = " ".join(f"WHEN {kolom} = '{a}' THEN '{b}'" for a, b in mapping.items())
    anders = f"COALESCE({kolom}, '{leeg}')" if leeg else kolom
    return f"CASE {takken} ELSE {anders} END"


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "regelversies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("regel_id", sa.Uuid(), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("geldig_van", sa.Date(), nullable=False),
        sa.Column("geldig_tot", sa.Date(), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("vastgesteld_door_id", sa.Uuid(), nullable=True),
        sa.Column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["regel_id"], ["regels.id"], name=op.f("fk_regelversies_regel_id_regels")
        ),
        sa.ForeignKeyConstraint(
            ["vastgesteld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_regelversies_vastgesteld_door_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regelversies")),
        sa.UniqueConstraint("regel_id", "nummer", name=op.f("uq_regelversies_regel_id")),
    )
    regelversies = sa.table(
        "regelversies",
        sa.column("id", sa.Uuid()),
        sa.column("regel_id", sa.Uuid()),
        sa.column("nummer", sa.Integer()),
        sa.column("geldig_van", sa.Date()),
        sa.column("tekst", sa.Text()),
        sa.column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True)),
    )
    regels_tabel = sa.table(
        "regels",
        sa.column("id", sa.Uuid()),
        sa.column("titel", sa.String()),
        sa.column("toelichting", sa.Text()),
        sa.column("aangemaakt_op", doorbraak.db.UtcDateTime(timezone=True)),
    )
    regels = bind.execute(
        sa.select(
            regels_tabel.c.id,
            regels_tabel.c.titel,
            regels_tabel.c.toelichting,
            regels_tabel.c.aangemaakt_op,
        )
    ).all()
    rijen = []
    for rid, titel, toelichting, op_ in regels:
        vid = uuid.uuid4()
        rijen.append(
            {
                "id": vid,
                "regel_id": rid,
                "nummer": 1,
                "geldig_van": op_.date(),
                "tekst": toelichting or titel,
                "aangemaakt_op": op_,
            }
        )
    if rijen:
        op.bulk_insert(regelversies, rijen)

    with op.batch_alter_table("afwijkingen", recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("regelversie_id", sa.Uuid(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE afwijkingen SET regelversie_id = (SELECT v.id FROM regelversies v "
            "WHERE v.regel_id = afwijkingen.regel_id AND v.nummer = 1)"
        )
    )

    op.create_table(
        "beleidssignalen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bron", sa.String(length=20), nullable=False),
        sa.Column("leerpunt_id", sa.Uuid(), nullable=True),
        sa.Column("afwijking_id", sa.Uuid(), nullable=True),
        sa.Column("casus_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reactie", sa.Text(), nullable=True),
        sa.Column("besloten_op", sa.Date(), nullable=True),
        sa.Column("regelversie_id", sa.Uuid(), nullable=True),
        sa.Column("behandeld_door_id", sa.Uuid(), nullable=True),
        sa.Column("gemeld_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("gewijzigd_op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            _in("bron", ("leerpunt", "afwijking")), name=op.f("ck_beleidssignalen_bron")
        ),
        sa.CheckConstraint(_in("status", NIEUW), name=op.f("ck_beleidssignalen_status")),
        sa.CheckConstraint(
            "(bron = 'leerpunt' AND leerpunt_id IS NOT NULL AND afwijking_id IS NULL) OR "
            "(bron = 'afwijking' AND afwijking_id IS NOT NULL AND leerpunt_id IS NULL)",
            name=op.f("ck_beleidssignalen_een_bron"),
        ),
        sa.ForeignKeyConstraint(
            ["leerpunt_id"],
            ["leerpunten.id"],
            name=op.f("fk_beleidssignalen_leerpunt_id_leerpunten"),
        ),
        sa.ForeignKeyConstraint(
            ["afwijking_id"],
            ["afwijkingen.id"],
            name=op.f("fk_beleidssignalen_afwijking_id_afwijkingen"),
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_beleidssignalen_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["regelversie_id"],
            ["regelversies.id"],
            name=op.f("fk_beleidssignalen_regelversie_id_regelversies"),
        ),
        sa.ForeignKeyConstraint(
            ["behandeld_door_id"],
            ["medewerkers.id"],
            name=op.f("fk_beleidssignalen_behandeld_door_id_medewerkers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beleidssignalen")),
        sa.UniqueConstraint("leerpunt_id", name=op.f("uq_beleidssignalen_leerpunt_id")),
        sa.UniqueConstraint("afwijking_id", name=op.f("uq_beleidssignalen_afwijking_id")),
    )
    op.create_index(
        op.f("ix_beleidssignalen_casus_id"), "beleidssignalen", ["casus_id"], unique=False
    )
    op.create_index(
        op.f("ix_beleidssignalen_regelversie_id"), "beleidssignalen", ["regelversie_id"]
    )
    op.create_index("ix_beleidssignalen_gemeld_op_id", "beleidssignalen", ["gemeld_op", "id"])
    op.create_index(
        "ix_beleidssignalen_status_gemeld_op", "beleidssignalen", ["status", "gemeld_op"]
    )
    status = _status_sql("signaal_status", NAAR_NIEUW, "nieuw")
    bind.execute(
        sa.text(
            "INSERT INTO beleidssignalen (id, bron, leerpunt_id, afwijking_id, casus_id, status, "
            f"gemeld_op, gewijzigd_op, versie) SELECT id, 'leerpunt', id, NULL, casus_id, {status}, "
            "aangemaakt_op, aangemaakt_op, 1 FROM leerpunten WHERE soort = 'systeem'"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO beleidssignalen (id, bron, leerpunt_id, afwijking_id, casus_id, status, "
            f"gemeld_op, gewijzigd_op, versie) SELECT id, 'afwijking', NULL, id, casus_id, "
            f"{status}, aangemaakt_op, aangemaakt_op, 1 FROM afwijkingen WHERE beleidssignaal"
        )
    )

    with op.batch_alter_table("afwijkingen", recreate="auto") as batch_op:
        batch_op.alter_column("regelversie_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_afwijkingen_regelversie_id_regelversies"),
            "regelversies",
            ["regelversie_id"],
            ["id"],
        )
        batch_op.create_index(op.f("ix_afwijkingen_regelversie_id"), ["regelversie_id"])
        batch_op.drop_constraint(op.f("ck_afwijkingen_signaal_status"), type_="check")
        batch_op.drop_column("signaal_status")
    with op.batch_alter_table("leerpunten", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_leerpunten_signaal_status"), type_="check")
        batch_op.drop_column("signaal_status")


def downgrade() -> None:
    bind = op.get_bind()
    for tabel in ("leerpunten", "afwijkingen"):
        with op.batch_alter_table(tabel, recreate="auto") as batch_op:
            batch_op.add_column(sa.Column("signaal_status", sa.String(length=20), nullable=True))
            batch_op.create_check_constraint(
                op.f(f"ck_{tabel}_signaal_status"), _in("signaal_status", OUD)
            )
    status = _status_sql("s.status", NAAR_OUD, None)
    bind.execute(
        sa.text(
            f"UPDATE leerpunten SET signaal_status = (SELECT {status} FROM beleidssignalen s "
            "WHERE s.leerpunt_id = leerpunten.id)"
        )
    )
    bind.execute(
        sa.text(
            f"UPDATE afwijkingen SET signaal_status = (SELECT {status} FROM beleidssignalen s "
            "WHERE s.afwijking_id = afwijkingen.id)"
        )
    )
    op.drop_index("ix_beleidssignalen_status_gemeld_op", table_name="beleidssignalen")
    op.drop_index("ix_beleidssignalen_gemeld_op_id", table_name="beleidssignalen")
    op.drop_index(op.f("ix_beleidssignalen_regelversie_id"), table_name="beleidssignalen")
    op.drop_index(op.f("ix_beleidssignalen_casus_id"), table_name="beleidssignalen")
    op.drop_table("beleidssignalen")
    with op.batch_alter_table("afwijkingen", recreate="auto") as batch_op:
        batch_op.drop_index(op.f("ix_afwijkingen_regelversie_id"))
        batch_op.drop_constraint(
            op.f("fk_afwijkingen_regelversie_id_regelversies"), type_="foreignkey"
        )
        batch_op.drop_column("regelversie_id")
    op.drop_table("regelversies")
