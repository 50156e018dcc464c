"""API tokens, in and out. The token itself only ever leaves in the answer that made it."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import AwareDatetime, Field

from doorbraak.kit.schema import Invoer, Korttekst, Schema
from doorbraak.models.enums import TokenStatus
from doorbraak.organisatie.schemas import MedewerkerRef


class ApiTokenUit(Schema):
    """An API token as the beheerder sees it: never the token, only what it is and its state."""

    id: uuid.UUID
    naam: str = Field(description="What the token is for (the system or script using it).")
    medewerker: MedewerkerRef = Field(description="Whose rights the token carries.")
    aangemaakt_op: dt.datetime
    verloopt_op: dt.datetime = Field(
        description="When the token stops working: the expiry it was made with, and at the "
        "latest `aangemaaktOp` plus DOORBRAAK_TOKEN_MAX_DAGEN."
    )
    ingetrokken_op: dt.datetime | None
    status: TokenStatus


class ApiTokenAangemaakt(ApiTokenUit):
    token: str | None = Field(
        description="The token itself (`Authorization: Bearer ...`): in this answer only, once; "
        "only its SHA-256 is stored. Null when an Idempotency-Key replays the answer: the token "
        "is kept nowhere, revoke it and make a new one."
    )


class ApiTokenNieuw(Invoer):
    medewerker: uuid.UUID = Field(
        description="An active medewerker. One with the role beheerder, auditor, leidinggevende "
        "or privacy, or a mandaat, other than yourself: 403 `bevoorrechte-medewerker` (a token "
        "signs in as them; such a token is made on the server, `doorbraak token create`)."
    )
    naam: Korttekst = Field(description="What the token is for.")
    verloopt_op: AwareDatetime | None = Field(
        None,
        description="When it stops working: after now and at most DOORBRAAK_TOKEN_MAX_DAGEN days "
        "from now (the default).",
    )
