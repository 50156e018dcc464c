"""rechtenverzoeken: a new e-mail address or OIDC subject (four-eyes on identity changes)

Changing the identity a privileged medewerker signs in with (beheerder, auditor, leidinggevende,
privacy, or a mandaat) is a rechtenverzoek a second beheerder approves, as granting those rights
is. The request holds the new values; null is unchanged. Existing requests keep null (they
changed no identity).

Revision ID: identiteitsverzoek
Revises: bijlagen
Create Date: 2026-12-01 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identiteitsverzoek"
down_revision: str | None = "bijlagen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rechtenverzoeken") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("oidc_sub", sa.String(255), nullable=True))


def downgrade() -> None:
    # An open request for a new identity would, without these columns, read as a request for
    # nothing and could be approved as such: refuse while one is open.
    open_verzoeken = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM rechtenverzoeken WHERE status = 'open' "
            "AND (email IS NOT NULL OR oidc_sub IS NOT NULL)"
        )
    )
    if open_verzoeken:
        raise RuntimeError(
            f"{open_verzoeken} open rechtenverzoeken ask for a new e-mail address or OIDC "
            "subject; judge them before downgrading"
        )
    with op.batch_alter_table("rechtenverzoeken") as batch:
        batch.drop_column("oidc_sub")
        batch.drop_column("email")
