"""Bijlagen in and out. The upload itself is multipart/form-data (`bestand`, `omschrijving`);
these are its text fields as checked, and the metadata as the API shows it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from doorbraak.kit.schema import ZONDER_STUURTEKENS, ActieOordeel, Invoer, Schema
from doorbraak.organisatie.schemas import MedewerkerRef

Bestandsnaam = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=255, strip_whitespace=True, pattern=ZONDER_STUURTEKENS
    ),
]
Omschrijving = Annotated[
    str, StringConstraints(max_length=500, strip_whitespace=True, pattern=ZONDER_STUURTEKENS)
]


class BijlageGegevens(Invoer):
    """The text that comes with an upload (the file name is the part's own, without a path)."""

    bestandsnaam: Bestandsnaam
    omschrijving: Omschrijving | None = None


class BijlageActies(Schema):
    """The permission set of a bijlage (`toegestaneActies`)."""

    verwijderen: ActieOordeel


class BijlageUit(Schema):
    id: uuid.UUID
    bestandsnaam: str = Field(description="The uploaded file's name, without any path.")
    omschrijving: str | None
    mediatype: str = Field(
        description="Told from the content (magic bytes, the entries of an office document's "
        "ZIP container), never from the name or the Content-Type that was sent; the download "
        "is served with it."
    )
    grootte: int = Field(description="Size in bytes.")
    sha256: str = Field(description="SHA-256 of the content, hex.")
    toegevoegd_door: MedewerkerRef | None
    toegevoegd_op: dt.datetime
    versie: int
    inhoud: str = Field(description="Path of the download (`.../bijlagen/{id}/inhoud`).")
    toegestane_acties: BijlageActies
