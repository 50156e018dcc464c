"""The meldingvoorkeur in and out."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from doorbraak.kit.schema import Invoer, Schema
from doorbraak.models.enums import MeldingVoorkeur


class MeldingvoorkeurUit(Schema):
    voorkeur: MeldingVoorkeur = Field(
        description="`direct`: an e-mail per event; `dagelijks`: one digest a day; `uit`: none. "
        "Mails name the kind of event, the kenmerk and a link, never case content."
    )
    gewijzigd_op: dt.datetime | None = Field(description="When it was last set; null: default.")
    versie: int = Field(description="Version for If-Match (0 while the default holds).")


class MeldingvoorkeurInvoer(Invoer):
    voorkeur: MeldingVoorkeur
