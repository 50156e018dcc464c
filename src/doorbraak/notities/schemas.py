"""Notities in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.kit.schema import Invoer, Schema, VerplichteTekst
from doorbraak.organisatie.schemas import MedewerkerRef


class NotitieNieuw(Invoer):
    tekst: VerplichteTekst = Field(
        description="The note. `@naam` (the part of a medewerker's e-mail address before the @, "
        "e.g. `@karim`) mentions a medewerker who can see the casus: they get an inbox item and "
        "an e-mail melding (which names only the kenmerk)."
    )


class NotitieUit(Schema):
    id: uuid.UUID
    kenmerk: str
    auteur: MedewerkerRef | None
    tekst: str
    vermeld: list[MedewerkerRef] = Field(description="The medewerkers mentioned in the note.")
    aangemaakt_op: dt.datetime
    mij_vermeld: bool = Field(description="The caller is mentioned and has not marked it seen.")
