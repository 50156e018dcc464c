"""Leerpunten, verhalen and beleidssignalen, in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import Field

from doorbraak.kit.schema import Invoer, Korttekst, Schema, VerplichteTekst, WijzigActies
from doorbraak.models.enums import Grondslag, LeerpuntSoort, Risico, SignaalStatus
from doorbraak.organisatie.schemas import RegelRef


class LeerpuntNieuw(Invoer):
    soort: LeerpuntSoort
    tekst: VerplichteTekst = Field(description="What worked, or what we do differently next time.")
    voor_wie: Korttekst | None = Field(
        None, description="Who should learn from it (a team, a process), never a culprit."
    )
    delen: bool = Field(
        False,
        description="Only for succes: share it organisation-wide as an anonymised verhaal.",
    )
    signaal_status: SignaalStatus | None = Field(
        None, description="Only for systeem: how far policy has come (default nieuw)."
    )


class LeerpuntWijziging(Invoer):
    tekst: VerplichteTekst | None = None
    voor_wie: Korttekst | None = None
    delen: bool | None = None
    signaal_status: SignaalStatus | None = None


class LeerpuntUit(Schema):
    id: uuid.UUID
    kenmerk: str
    soort: LeerpuntSoort
    tekst: str
    voor_wie: str | None
    delen: bool
    gedeeld_op: dt.datetime | None
    signaal_status: SignaalStatus | None
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigActies = Field(
        description="What the caller may do with this leerpunt (auth/policy.py)."
    )


class VerhaalUit(Schema):
    """A shared success, anonymised: no kenmerk, no names (checked when it was shared)."""

    id: uuid.UUID
    tekst: str
    voor_wie: str | None
    gedeeld_op: dt.datetime


class BeleidssignaalUit(Schema):
    """A systeem-leerpunt or an afwijking flagged for policy; no case content, no names."""

    id: uuid.UUID
    bron: Literal["leerpunt", "afwijking"]
    tekst: str | None = Field(description="The leerpunt's text (checked for names when written).")
    voor_wie: str | None
    regel: RegelRef | None = Field(description="The regel an afwijking bent.")
    grondslag: Grondslag | None
    risico: Risico | None
    signaal_status: SignaalStatus | None
    gemeld_op: dt.datetime
