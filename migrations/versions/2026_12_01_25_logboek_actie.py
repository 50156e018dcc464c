"""logboek: room for the longest route in an entry's actie (120 characters)

An entry names its request as "METHOD /route/template"; routes of the perspectiefplan and the
external parties are longer than 60 characters, which PostgreSQL refused (the request's entry
was lost; SQLite does not check lengths). Widening the column rewrites no entry, so the chain
and its HMACs stay as they are; on SQLite the declared length is not enforced and the table (with
its append-only triggers) is left alone.

Revision ID: logboek_actie
Revises: rug
Create Date: 2026-12-01 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "logboek_actie"
down_revision: str | None = "rug"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("logboek", "actie", type_=sa.String(120), existing_type=sa.String(60))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Cutting an entry to 60 characters would break its HMAC: refuse instead.
        lang = op.get_bind().scalar(
            sa.text("SELECT count(*) FROM logboek WHERE length(actie) > 60")
        )
        if lang:
            raise RuntimeError(
                f"{lang} logboek entries have an actie longer than 60 characters; narrowing the "
                "column would change them and break the chain"
            )
        op.alter_column("logboek", "actie", type_=sa.String(60), existing_type=sa.String(120))
