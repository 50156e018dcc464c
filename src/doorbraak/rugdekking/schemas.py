"""Rugdekkingsverzoeken and the kandidaten for rugdekking, in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import Field

from doorbraak.kit.schema import ActieOordeel, Invoer, Korttekst, Schema, Tekst, VerplichteTekst
from doorbraak.models.enums import (
    AfwijkingStatus,
    Risico,
    RugdekkingOordeel,
    RugdekkingsverzoekStatus,
)
from doorbraak.organisatie.schemas import Mandaat, MedewerkerRef, RegelRef


class KandidaatUit(Schema):
    """A medewerker whose mandaat (amount, risk and scope) covers the afwijking and who is not
    involved in it: may be asked for its rugdekking."""

    medewerker: MedewerkerRef
    mandaat: Mandaat


class Aan(StrEnum):
    ik = "ik"


class RugdekkingsverzoekNieuw(Invoer):
    afwijking: uuid.UUID = Field(description="The afwijking that needs rugdekking.")
    aan: uuid.UUID = Field(
        description="The medewerker asked: one of GET .../afwijkingen/{id}/kandidaten."
    )
    toelichting: Tekst = Field("", description="The regiehouder's note to the addressee.")


class RugdekkingsverzoekAntwoord(Invoer):
    oordeel: RugdekkingOordeel
    motivering: VerplichteTekst = Field(description="Why: kept with the rugdekking.")
    mandaat_referentie: Korttekst | None = Field(
        None, description="Where the mandate is laid down (e.g. mandaatbesluit 2026, art. 3)."
    )


class RugdekkingsverzoekIntrekken(Invoer):
    reden: VerplichteTekst


class AfwijkingKort(Schema):
    """The afwijking a verzoek is about, as its addressee needs it in the list of requests."""

    id: uuid.UUID
    regel: RegelRef
    wat_we_doen: str
    risico: Risico
    financieel_belang_cent: int
    status: AfwijkingStatus


class RugdekkingsverzoekActies(Schema):
    """The permission set of a rugdekkingsverzoek (`toegestaneActies`)."""

    beantwoorden: ActieOordeel = Field(
        description="The addressee answers (gedekt or afgewezen) while the verzoek is open."
    )
    dekken: ActieOordeel = Field(
        description="The answer gedekt: as beantwoorden, and for an afwijking buiten kader only "
        "after a bestuur escalatie about it was toegekend (until then 409 "
        "`bestuur-escalatie-vereist`; afgewezen is still allowed)."
    )
    intrekken: ActieOordeel


class RugdekkingsverzoekUit(Schema):
    id: uuid.UUID
    kenmerk: str = Field(description="The casus of the afwijking.")
    afwijking: AfwijkingKort
    aan: MedewerkerRef
    toelichting: str
    status: RugdekkingsverzoekStatus
    verzonden_door: MedewerkerRef
    verzonden_op: dt.datetime
    oordeel: RugdekkingOordeel | None
    motivering: str | None
    beantwoord_op: dt.datetime | None
    gesloten_door: MedewerkerRef | None = Field(description="Who withdrew it (null: lapsed).")
    gesloten_op: dt.datetime | None
    sluitingsreden: str | None
    toegestane_acties: RugdekkingsverzoekActies = Field(
        description="What the caller may do with this verzoek now (auth/policy.py)."
    )
    versie: int
