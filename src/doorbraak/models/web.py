"""Web sessions: server-side, in the database, so that several app processes share them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from doorbraak.db import Base, UtcDateTime, utcnow


class WebSessie(Base):
    """One browser session. The cookie carries a random token; only its SHA-256 is stored.

    A session without a medewerker is a sign-in in progress: it holds the CSRF token of the
    sign-in page, or the OIDC state, nonce and PKCE verifier until the IdP calls back."""

    __tablename__ = "web_sessies"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    medewerker_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("medewerkers.id", ondelete="CASCADE"), index=True, default=None
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    oidc_state: Mapped[str | None] = mapped_column(String(64), default=None)
    oidc_nonce: Mapped[str | None] = mapped_column(String(64), default=None)
    oidc_verifier: Mapped[str | None] = mapped_column(String(128), default=None)
    terug_naar: Mapped[str | None] = mapped_column(String(500), default=None)
    # The IdP's ID token of this sign-in: sent as id_token_hint when signing out at the IdP.
    oidc_id_token: Mapped[str | None] = mapped_column(Text, default=None)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    verloopt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
