"""Regie, deelnames and escalaties, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.kit.schema import (
    Code,
    EscalatieActies,
    Invoer,
    IsoDatum,
    Korttekst,
    Schema,
    Tekst,
    VerplichteTekst,
    WijzigVerwijderActies,
)
from doorbraak.models.enums import EscalatieNiveau, EscalatieUitkomst, LoketStatus
from doorbraak.organisatie.schemas import MedewerkerRef


class RegieNieuw(Invoer):
    medewerker: uuid.UUID
    reden: Tekst | None = None
    overdrachtsnotitie: Tekst | None = None


class RegievoeringUit(Schema):
    id: uuid.UUID
    medewerker: MedewerkerRef
    van: dt.datetime
    tot: dt.datetime | None
    reden: str | None
    overdrachtsnotitie: str | None
    toegewezen_door: MedewerkerRef


class RegieUit(Schema):
    huidige: RegievoeringUit | None
    historie: list[RegievoeringUit]


class DeelnameNieuw(Invoer):
    afdeling: Code
    contactpersoon: uuid.UUID | None = None
    standpunt: Tekst = ""


class DeelnameWijziging(Invoer):
    contactpersoon: uuid.UUID | None = None
    standpunt: Tekst | None = None


class DeelnameUit(Schema):
    id: uuid.UUID
    afdeling: str
    contactpersoon: MedewerkerRef | None
    standpunt: str
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigVerwijderActies = Field(
        description="What the caller may do with this deelname (auth/policy.py)."
    )


class Betreft(Invoer):
    """What an escalatie is about: one besluit, or one or more afwijkingen (one of the two)."""

    besluit: uuid.UUID | None = None
    afwijkingen: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class BetreftUit(Schema):
    besluit: uuid.UUID | None
    afwijkingen: list[uuid.UUID]


class LoketInvoer(Invoer):
    """The national maatwerkloket's file of a landelijk escalatie."""

    referentie: Korttekst | None = None
    contact: Korttekst | None = None
    antwoord_verwacht: IsoDatum | None = Field(None, description="Expected answer date.")
    status: LoketStatus | None = Field(
        None, description="ingediend or in_behandeling; beantwoord comes with the uitkomst."
    )


class LoketUit(Schema):
    referentie: str | None
    contact: str | None
    antwoord_verwacht: dt.date | None
    status: LoketStatus | None


class EscalatieNieuw(Invoer):
    niveau: EscalatieNiveau
    reden: VerplichteTekst
    betreft: Betreft | None = Field(
        None,
        description="Required for bestuur and landelijk: the besluit or the afwijkingen this "
        "escalatie decides on.",
    )
    loket: LoketInvoer | None = Field(None, description="Landelijk only.")


class UitkomstInvoer(Invoer):
    soort: EscalatieUitkomst
    voorwaarden: Tekst | None = Field(
        None, description="Required with toegekend_onder_voorwaarden."
    )
    referentie: Korttekst | None = Field(
        None,
        description="Where it is laid down, e.g. the collegebesluit number; required for bestuur "
        "and landelijk.",
    )
    toelichting: Tekst = ""


class EscalatieWijziging(Invoer):
    """Record the outcome (once), or, for a landelijk escalatie, the loket's progress."""

    uitkomst: UitkomstInvoer | None = None
    loket: LoketInvoer | None = None


class CorrectieNieuw(Invoer):
    uitkomst: UitkomstInvoer
    reden: VerplichteTekst = Field(description="Why the recorded outcome is corrected.")


class UitkomstUit(Schema):
    soort: EscalatieUitkomst | None = Field(
        description="Null only for an outcome recorded as free text before outcomes were "
        "structured."
    )
    voorwaarden: str | None
    referentie: str | None
    toelichting: str | None
    door: MedewerkerRef | None
    op: dt.datetime


class EscalatieUit(Schema):
    id: uuid.UUID
    niveau: EscalatieNiveau
    reden: str
    betreft: BetreftUit
    uitkomst: UitkomstUit | None = Field(description="Immutable once recorded.")
    loket: LoketUit | None
    vervangt: uuid.UUID | None = Field(description="The escalatie whose outcome this corrects.")
    correctiereden: str | None
    vervangen_door: uuid.UUID | None = Field(
        description="The correction that supersedes this escalatie's outcome."
    )
    aangevraagd_door: MedewerkerRef
    aangevraagd_op: dt.datetime
    afgehandeld_door: MedewerkerRef | None
    afgehandeld_op: dt.datetime | None
    versie: int
    toegestane_acties: EscalatieActies = Field(
        description="What the caller may do with this escalatie now (auth/policy.py)."
    )
