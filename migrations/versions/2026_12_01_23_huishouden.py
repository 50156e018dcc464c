"""huishouden: the perspectiefplan, external parties, nazorg stappen and terugval

Revision ID: huishouden
Revises: inbox
Create Date: 2026-12-01 12:30:00

The household's plan: huishoudleden, doelen per leefgebied (who said it), afspraken with an
owner (the household, a member, an external party or an afdeling), the doorbraakvraag and the
household's consent. External organisations (a catalogue) take part in a casus through
partijdeelnames. Stappen get a soort (actie, nazorg), a nazorg anchor and an owner outside the
organisation; a reopening can be a terugval.

Data: the free-text `perspectief` of every casus becomes one doel (leefgebied overig, said by
the household together); the downgrade puts the doelen of a casus back into `perspectief`
(joined by a blank line, oldest first), so a casus that only had the migrated doel gets its
text back unchanged.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from doorbraak.db import UtcDateTime

revision: str = "huishouden"
down_revision: str | None = "inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CasusId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Tijd = UtcDateTime(timezone=True)
LEEFGEBIEDEN = (
    "financien",
    "wonen",
    "werk",
    "onderwijs",
    "gezondheid",
    "zorg",
    "veiligheid",
    "justitie",
    "sociaal_netwerk",
    "overig",
)
PARTIJSOORTEN = (
    "woningcorporatie",
    "ggz",
    "uwv",
    "svb",
    "cak",
    "zorgverzekeraar",
    "zorgaanbieder",
    "schuldeiser",
    "onderwijs",
    "overig",
)


def _in(kolom: str, waarden: tuple[str, ...]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


def _fk(tabel: str, kolom: str, doel: str, doelkolom: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [kolom], [f"{doel}.{doelkolom}"], name=op.f(f"fk_{tabel}_{kolom}_{doel}")
    )


def upgrade() -> None:
    op.create_table(
        "externe_partijen",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(_in("soort", PARTIJSOORTEN), name=op.f("ck_externe_partijen_soort")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_externe_partijen")),
    )
    op.create_table(
        "huishoudleden",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", CasusId, nullable=False),
        sa.Column("naam_of_rol", sa.String(length=200), nullable=False),
        sa.Column("geboortejaar", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", Tijd, nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("huishoudleden", "casus_id", "casussen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_huishoudleden")),
    )
    op.create_index(op.f("ix_huishoudleden_casus_id"), "huishoudleden", ["casus_id"])
    op.create_table(
        "partijdeelnames",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", CasusId, nullable=False),
        sa.Column("partij_code", sa.String(length=40), nullable=False),
        sa.Column("standpunt", sa.Text(), nullable=False),
        sa.Column("contact_naam", sa.String(length=200), nullable=True),
        sa.Column("contact_telefoon", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("aangemaakt_op", Tijd, nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("partijdeelnames", "casus_id", "casussen"),
        _fk("partijdeelnames", "partij_code", "externe_partijen", "code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partijdeelnames")),
        sa.UniqueConstraint("casus_id", "partij_code", name=op.f("uq_partijdeelnames_casus_id")),
    )
    op.create_index(op.f("ix_partijdeelnames_casus_id"), "partijdeelnames", ["casus_id"])
    op.create_table(
        "afspraken",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", CasusId, nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("door_huishouden", sa.Boolean(), nullable=False),
        sa.Column("huishoudlid_id", sa.Uuid(), nullable=True),
        sa.Column("partijdeelname_id", sa.Uuid(), nullable=True),
        sa.Column("afdeling_code", sa.String(length=40), nullable=True),
        sa.Column("aangemaakt_op", Tijd, nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("afspraken", "afdeling_code", "afdelingen", "code"),
        _fk("afspraken", "casus_id", "casussen"),
        _fk("afspraken", "huishoudlid_id", "huishoudleden"),
        _fk("afspraken", "partijdeelname_id", "partijdeelnames"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afspraken")),
    )
    op.create_index(op.f("ix_afspraken_casus_id"), "afspraken", ["casus_id"])
    op.create_index("ix_afspraken_partijdeelname_id", "afspraken", ["partijdeelname_id"])
    op.create_table(
        "doelen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", CasusId, nullable=False),
        sa.Column("leefgebied", sa.String(length=30), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("gezegd_door_id", sa.Uuid(), nullable=True),
        sa.Column("aangemaakt_op", Tijd, nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(_in("leefgebied", LEEFGEBIEDEN), name=op.f("ck_doelen_leefgebied")),
        _fk("doelen", "casus_id", "casussen"),
        _fk("doelen", "gezegd_door_id", "huishoudleden"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doelen")),
    )
    op.create_index(op.f("ix_doelen_casus_id"), "doelen", ["casus_id"])

    with op.batch_alter_table("fase_overgangen") as batch_op:
        batch_op.add_column(
            sa.Column("terugval", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("stappen") as batch_op:
        batch_op.add_column(
            sa.Column("soort", sa.String(length=20), nullable=False, server_default="actie")
        )
        batch_op.add_column(sa.Column("nazorg_vanaf", sa.String(length=20)))
        batch_op.add_column(sa.Column("nazorg_maanden", sa.Integer()))
        batch_op.add_column(
            sa.Column("door_huishouden", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("huishoudlid_id", sa.Uuid()))
        batch_op.add_column(sa.Column("partijdeelname_id", sa.Uuid()))
        batch_op.create_index(op.f("ix_stappen_partijdeelname_id"), ["partijdeelname_id"])
        batch_op.create_foreign_key(
            op.f("fk_stappen_partijdeelname_id_partijdeelnames"),
            "partijdeelnames",
            ["partijdeelname_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            op.f("fk_stappen_huishoudlid_id_huishoudleden"),
            "huishoudleden",
            ["huishoudlid_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            op.f("ck_stappen_soort"), _in("soort", ("actie", "nazorg"))
        )
        batch_op.create_check_constraint(
            op.f("ck_stappen_nazorg_vanaf"), _in("nazorg_vanaf", ("vaststellen", "afsluiten"))
        )
    with op.batch_alter_table("casussen") as batch_op:
        batch_op.add_column(sa.Column("doorbraakvraag", sa.Text()))
        batch_op.add_column(sa.Column("instemming_datum", sa.Date()))
        batch_op.add_column(sa.Column("instemming_door_id", sa.Uuid()))
        batch_op.create_foreign_key(
            op.f("fk_casussen_instemming_door_id_medewerkers"),
            "medewerkers",
            ["instemming_door_id"],
            ["id"],
        )

    # The free-text perspectief becomes the plan's first doel, said by the household together.
    bind = op.get_bind()
    casussen = sa.table(
        "casussen",
        sa.column("id", CasusId),
        sa.column("perspectief", sa.Text()),
        sa.column("gewijzigd_op", Tijd),
    )
    doelen = _doelen_tabel()
    rijen = bind.execute(
        sa.select(casussen.c.id, casussen.c.perspectief, casussen.c.gewijzigd_op).where(
            casussen.c.perspectief.is_not(None), sa.func.trim(casussen.c.perspectief) != ""
        )
    ).all()
    for casus_id, tekst, op_ in rijen:
        bind.execute(
            doelen.insert().values(
                id=uuid.uuid4(),
                casus_id=casus_id,
                leefgebied="overig",
                tekst=tekst,
                gezegd_door_id=None,
                aangemaakt_op=op_,
                versie=1,
            )
        )
    with op.batch_alter_table("casussen") as batch_op:
        batch_op.drop_column("perspectief")


def _doelen_tabel() -> sa.TableClause:
    return sa.table(
        "doelen",
        sa.column("id", sa.Uuid()),
        sa.column("casus_id", CasusId),
        sa.column("leefgebied", sa.String()),
        sa.column("tekst", sa.Text()),
        sa.column("gezegd_door_id", sa.Uuid()),
        sa.column("aangemaakt_op", Tijd),
        sa.column("versie", sa.Integer()),
    )


def downgrade() -> None:
    with op.batch_alter_table("casussen") as batch_op:
        batch_op.add_column(sa.Column("perspectief", sa.Text(), nullable=True))
    bind = op.get_bind()
    doelen = _doelen_tabel()
    per_casus: dict[int, list[str]] = {}
    for casus_id, tekst in bind.execute(
        sa.select(doelen.c.casus_id, doelen.c.tekst).order_by(
            doelen.c.casus_id, doelen.c.aangemaakt_op, doelen.c.id
        )
    ).all():
        per_casus.setdefault(casus_id, []).append(tekst)
    casussen = sa.table("casussen", sa.column("id", CasusId), sa.column("perspectief", sa.Text()))
    for casus_id, teksten in per_casus.items():
        bind.execute(
            casussen.update()
            .where(casussen.c.id == casus_id)
            .values(perspectief="\n\n".join(teksten))
        )
    with op.batch_alter_table("casussen") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_casussen_instemming_door_id_medewerkers"), type_="foreignkey"
        )
        batch_op.drop_column("instemming_door_id")
        batch_op.drop_column("instemming_datum")
        batch_op.drop_column("doorbraakvraag")
    with op.batch_alter_table("stappen") as batch_op:
        batch_op.drop_constraint(op.f("ck_stappen_nazorg_vanaf"), type_="check")
        batch_op.drop_constraint(op.f("ck_stappen_soort"), type_="check")
        batch_op.drop_constraint(
            op.f("fk_stappen_huishoudlid_id_huishoudleden"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            op.f("fk_stappen_partijdeelname_id_partijdeelnames"), type_="foreignkey"
        )
        batch_op.drop_index(op.f("ix_stappen_partijdeelname_id"))
        for kolom in (
            "partijdeelname_id",
            "huishoudlid_id",
            "door_huishouden",
            "nazorg_maanden",
            "nazorg_vanaf",
            "soort",
        ):
            batch_op.drop_column(kolom)
    with op.batch_alter_table("fase_overgangen") as batch_op:
        batch_op.drop_column("terugval")
    op.drop_index("ix_afspraken_partijdeelname_id", table_name="afspraken")
    op.drop_index(op.f("ix_afspraken_casus_id"), table_name="afspraken")
    op.drop_table("afspraken")
    op.drop_index(op.f("ix_doelen_casus_id"), table_name="doelen")
    op.drop_table("doelen")
    op.drop_index(op.f("ix_partijdeelnames_casus_id"), table_name="partijdeelnames")
    op.drop_table("partijdeelnames")
    op.drop_index(op.f("ix_huishoudleden_casus_id"), table_name="huishoudleden")
    op.drop_table("huishoudleden")
    op.drop_table("externe_partijen")
