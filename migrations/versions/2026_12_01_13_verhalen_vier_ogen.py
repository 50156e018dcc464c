"""verhalen: four-eyes approval, the household's consent, takedown; the ID token of a web session

Revision ID: 0009_secb
Revises: 0010_seca
Create Date: 2026-12-01 09:00:00

A shared succes is published only after a second medewerker approved it. Verhalen shared before
this revision were published without that approval: they go back to waiting for one (`gedeeld_op`
cleared, `delen` kept), so nothing stays public that no second person looked at.

A web session keeps the ID token of its OIDC sign-in, for the id_token_hint of the IdP's logout.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import doorbraak.db

revision: str = "0009_secb"
down_revision: str | None = "0010_seca"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MEDEWERKER_KOLOMMEN = (
    "auteur_id",
    "gedeeld_door_id",
    "toestemming_door_id",
    "goedgekeurd_door_id",
    "ingetrokken_door_id",
)
_TIJD_KOLOMMEN = ("toestemming_op", "goedgekeurd_op", "ingetrokken_op")


def upgrade() -> None:
    with op.batch_alter_table("leerpunten", schema=None) as batch_op:
        for kolom in _MEDEWERKER_KOLOMMEN:
            batch_op.add_column(sa.Column(kolom, sa.Uuid(), nullable=True))
            batch_op.create_foreign_key(
                op.f(f"fk_leerpunten_{kolom}_medewerkers"), "medewerkers", [kolom], ["id"]
            )
        for kolom in _TIJD_KOLOMMEN:
            batch_op.add_column(
                sa.Column(kolom, doorbraak.db.UtcDateTime(timezone=True), nullable=True)
            )
    op.execute(
        "UPDATE leerpunten SET gedeeld_op = NULL WHERE delen = true AND goedgekeurd_op IS NULL"
    )
    with op.batch_alter_table("web_sessies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_id_token", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessies", schema=None) as batch_op:
        batch_op.drop_column("oidc_id_token")
    # Back to the old rule, where shared meant published: only what was approved stays shared.
    op.execute("UPDATE leerpunten SET delen = false WHERE delen = true AND goedgekeurd_op IS NULL")
    with op.batch_alter_table("leerpunten", schema=None) as batch_op:
        for kolom in reversed(_TIJD_KOLOMMEN):
            batch_op.drop_column(kolom)
        for kolom in reversed(_MEDEWERKER_KOLOMMEN):
            batch_op.drop_constraint(op.f(f"fk_leerpunten_{kolom}_medewerkers"), type_="foreignkey")
            batch_op.drop_column(kolom)
