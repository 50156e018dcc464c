"""kosten: the cost ledger (dated entries, never overwritten) and the nulmeting of a casus

Revision ID: kosten
Revises: leren
Create Date: 2026-12-01 12:00:00

Every betrokkene's yearly cost becomes the first entry of its post in the ledger (soort huidig,
dated on the day the betrokkene was added); `betrokkenen.kosten_per_jaar_cent` stays as the
denormalised current value. A casus already past in_kaart gets its nulmeting from those entries,
dated at the moment it left in_kaart (or now when that moment is not known). Down: the ledger's
current huidig yearly value of each betrokkene is written back to its column, then both tables go.
"""

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "kosten"
down_revision: str | None = "leren"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEEFGEBIEDEN = (
    "financien", "wonen", "werk", "onderwijs", "gezondheid", "zorg", "veiligheid", "justitie",
    "sociaal_netwerk", "overig",
)  # fmt: skip


def _in(kolom: str, waarden: Sequence[str]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "kostenregels",
        sa.Column("id", big, autoincrement=True, nullable=False),
        sa.Column("casus_id", big, nullable=False),
        sa.Column("post", sa.Uuid(), nullable=False),
        sa.Column("omschrijving", sa.String(length=200), nullable=False),
        sa.Column("leefgebied", sa.String(length=30), nullable=True),
        sa.Column("afdeling_code", sa.String(length=40), nullable=True),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("ritme", sa.String(length=20), nullable=False),
        sa.Column("bedrag_cent", sa.BigInteger(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("moment", sa.String(length=60), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("door_id", sa.Uuid(), nullable=True),
        sa.Column("op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("tot", doorbraak.db.UtcDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            _in("leefgebied", LEEFGEBIEDEN), name=op.f("ck_kostenregels_leefgebied")
        ),
        sa.CheckConstraint(
            _in("soort", ("huidig", "dreigend", "gerealiseerd")), name=op.f("ck_kostenregels_soort")
        ),
        sa.CheckConstraint(
            _in("ritme", ("jaarlijks", "eenmalig")), name=op.f("ck_kostenregels_ritme")
        ),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_kostenregels_casus_id_casussen")
        ),
        sa.ForeignKeyConstraint(
            ["afdeling_code"],
            ["afdelingen.code"],
            name=op.f("fk_kostenregels_afdeling_code_afdelingen"),
        ),
        sa.ForeignKeyConstraint(
            ["door_id"], ["medewerkers.id"], name=op.f("fk_kostenregels_door_id_medewerkers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kostenregels")),
    )
    op.create_index("ix_kostenregels_casus_id_id", "kostenregels", ["casus_id", "id"])
    op.create_index(
        "ix_kostenregels_in_kracht",
        "kostenregels",
        ["casus_id", "post", "soort"],
        sqlite_where=sa.text("tot IS NULL"),
        postgresql_where=sa.text("tot IS NULL"),
    )
    op.create_table(
        "kosten_nulmetingen",
        sa.Column("casus_id", big, nullable=False),
        sa.Column("op", doorbraak.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("huidig_per_jaar_cent", sa.BigInteger(), nullable=False),
        sa.Column("huidig_eenmalig_cent", sa.BigInteger(), nullable=False),
        sa.Column("dreigend_per_jaar_cent", sa.BigInteger(), nullable=False),
        sa.Column("dreigend_eenmalig_cent", sa.BigInteger(), nullable=False),
        sa.Column("posten", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["casus_id"], ["casussen.id"], name=op.f("fk_kosten_nulmetingen_casus_id_casussen")
        ),
        sa.PrimaryKeyConstraint("casus_id", name=op.f("pk_kosten_nulmetingen")),
    )
    _overnemen()


def _overnemen() -> None:
    """The betrokkenen's costs into the ledger, and the nulmeting of casussen past in_kaart."""
    verbinding = op.get_bind()
    regels = sa.table(
        "kostenregels",
        sa.column("casus_id", sa.Integer),
        sa.column("post", sa.Uuid),
        sa.column("omschrijving", sa.String),
        sa.column("leefgebied", sa.String),
        sa.column("soort", sa.String),
        sa.column("ritme", sa.String),
        sa.column("bedrag_cent", sa.BigInteger),
        sa.column("peildatum", sa.Date),
        sa.column("op", doorbraak.db.UtcDateTime(timezone=True)),
    )
    nulmetingen = sa.table(
        "kosten_nulmetingen",
        sa.column("casus_id", sa.Integer),
        sa.column("op", doorbraak.db.UtcDateTime(timezone=True)),
        sa.column("huidig_per_jaar_cent", sa.BigInteger),
        sa.column("huidig_eenmalig_cent", sa.BigInteger),
        sa.column("dreigend_per_jaar_cent", sa.BigInteger),
        sa.column("dreigend_eenmalig_cent", sa.BigInteger),
        sa.column("posten", sa.JSON),
    )
    betrokkenen = verbinding.execute(
        sa.text(
            "SELECT id, casus_id, organisatie, leefgebied, kosten_per_jaar_cent, aangemaakt_op "
            "FROM betrokkenen ORDER BY casus_id, aangemaakt_op, id"
        )
    ).all()
    nieuw = []
    per_casus: dict[int, list[dict[str, object]]] = {}
    for b in betrokkenen:
        aangemaakt = b.aangemaakt_op
        if isinstance(aangemaakt, str):
            aangemaakt = dt.datetime.fromisoformat(aangemaakt)
        if aangemaakt.tzinfo is None:
            aangemaakt = aangemaakt.replace(tzinfo=dt.UTC)
        post = b.id if isinstance(b.id, uuid.UUID) else uuid.UUID(str(b.id))
        nieuw.append(
            {
                "casus_id": b.casus_id,
                "post": post,
                "omschrijving": b.organisatie[:200],
                "leefgebied": b.leefgebied,
                "soort": "huidig",
                "ritme": "jaarlijks",
                "bedrag_cent": int(b.kosten_per_jaar_cent or 0),
                "peildatum": aangemaakt.date(),
                "op": aangemaakt,
            }
        )
        per_casus.setdefault(b.casus_id, []).append(
            {
                "post": str(post),
                "afdeling": None,
                "soort": "huidig",
                "ritme": "jaarlijks",
                "bedragCent": int(b.kosten_per_jaar_cent or 0),
            }
        )
    if nieuw:
        op.bulk_insert(regels, nieuw)
    verder = verbinding.execute(
        sa.text(
            "SELECT c.id, (SELECT MIN(f.op) FROM fase_overgangen f WHERE f.casus_id = c.id "
            "AND f.van = 'in_kaart') AS verlaten FROM casussen c "
            "WHERE c.fase NOT IN ('aangemeld', 'in_kaart')"
        )
    ).all()
    nu = dt.datetime.now(dt.UTC)
    metingen = []
    for c in verder:
        verlaten = c.verlaten
        if isinstance(verlaten, str):
            verlaten = dt.datetime.fromisoformat(verlaten)
        if verlaten is not None and verlaten.tzinfo is None:
            verlaten = verlaten.replace(tzinfo=dt.UTC)
        posten = per_casus.get(c.id, [])
        metingen.append(
            {
                "casus_id": c.id,
                "op": verlaten or nu,
                "huidig_per_jaar_cent": sum(int(str(p["bedragCent"])) for p in posten),
                "huidig_eenmalig_cent": 0,
                "dreigend_per_jaar_cent": 0,
                "dreigend_eenmalig_cent": 0,
                "posten": posten,
            }
        )
    if metingen:
        op.bulk_insert(nulmetingen, metingen)


def downgrade() -> None:
    # The column keeps the latest huidig yearly value of the betrokkene's post.
    op.execute(
        "UPDATE betrokkenen SET kosten_per_jaar_cent = COALESCE(("
        "SELECT r.bedrag_cent FROM kostenregels r WHERE r.post = betrokkenen.id "
        "AND r.soort = 'huidig' AND r.ritme = 'jaarlijks' AND r.tot IS NULL "
        "ORDER BY r.id DESC LIMIT 1), kosten_per_jaar_cent)"
    )
    op.drop_table("kosten_nulmetingen")
    op.drop_index("ix_kostenregels_in_kracht", table_name="kostenregels")
    op.drop_index("ix_kostenregels_casus_id_id", table_name="kostenregels")
    op.drop_table("kostenregels")
