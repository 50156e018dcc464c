"""Regie, deelnames and escalaties, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.kit.schema import Code, Invoer, Schema, Tekst, VerplichteTekst, WijzigVerwijderActies
from doorbraak.models.enums import EscalatieNiveau
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


class EscalatieNieuw(Invoer):
    niveau: EscalatieNiveau
    reden: VerplichteTekst


class EscalatieWijziging(Invoer):
    uitkomst: VerplichteTekst


class EscalatieUit(Schema):
    id: uuid.UUID
    niveau: EscalatieNiveau
    reden: str
    uitkomst: str | None
    aangevraagd_door: MedewerkerRef
    aangevraagd_op: dt.datetime
    afgehandeld_door: MedewerkerRef | None
    afgehandeld_op: dt.datetime | None
    versie: int
