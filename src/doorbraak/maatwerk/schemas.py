"""Besluiten, reacties, afwijkingen and rugdekking, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.afpellen.schemas import MAX_CENT
from doorbraak.kit.schema import Code, Invoer, Korttekst, Schema, Tekst, VerplichteTekst
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    Grondslag,
    ReactieOordeel,
    Risico,
    RugdekkingOordeel,
    SignaalStatus,
)
from doorbraak.organisatie.schemas import MedewerkerRef, RegelRef


class BesluitNieuw(Invoer):
    omschrijving: VerplichteTekst = Field(description="What we do.")
    motivering: VerplichteTekst = Field(description="Why.")
    kosten_eenmalig_cent: int = Field(0, ge=0, le=MAX_CENT)
    kosten_per_jaar_cent: int = Field(0, ge=0, le=MAX_CENT)
    betalende_afdeling: Code | None = Field(
        None, description="Who pays; required when the besluit costs anything."
    )
    vervangt: uuid.UUID | None = Field(
        None, description="A vastgesteld besluit of this casus that this one replaces when fixed."
    )


class ReactieNieuw(Invoer):
    afdeling: Code
    reactie: ReactieOordeel
    toelichting: Tekst = Field("", description="Required with a bezwaar.")


class ReactieUit(Schema):
    id: uuid.UUID
    afdeling: str
    reactie: ReactieOordeel
    toelichting: str
    door: MedewerkerRef
    op: dt.datetime
    versie: int


class BesluitUit(Schema):
    id: uuid.UUID
    kenmerk: str = Field(description="The casus this besluit belongs to.")
    omschrijving: str
    motivering: str
    kosten_eenmalig_cent: int
    kosten_per_jaar_cent: int
    betalende_afdeling: str | None
    status: BesluitStatus
    vervangt: uuid.UUID | None
    reacties: list[ReactieUit] = Field(
        description="One per afdeling (a later reactie replaces the earlier one); never blocking."
    )
    afweging: str | None = Field(description="How the regiehouder weighed the bezwaren.")
    opgesteld_door: MedewerkerRef
    aangemaakt_op: dt.datetime
    vastgesteld_door: MedewerkerRef | None
    vastgesteld_op: dt.datetime | None
    ingetrokken_op: dt.datetime | None
    intrekkingsreden: str | None
    versie: int


class VaststellenInvoer(Invoer):
    afweging: Tekst | None = Field(
        None, description="Required when any reactie is a bezwaar: how it was weighed."
    )


class IntrekkenInvoer(Invoer):
    reden: VerplichteTekst


class WaardentoetsInvoer(Invoer):
    legitimiteit: VerplichteTekst
    rendement: VerplichteTekst = Field(description="Maatschappelijk rendement.")
    betrokkenheid: VerplichteTekst


class Waardentoets(Schema):
    legitimiteit: str
    rendement: str
    betrokkenheid: str


class AfwijkingNieuw(Invoer):
    besluit: uuid.UUID = Field(description="The (concept) besluit that needs this afwijking.")
    regel: uuid.UUID = Field(description="The regel of the catalogue that is bent.")
    wat_de_regel_zegt: VerplichteTekst
    wat_we_doen: VerplichteTekst
    grondslag: Grondslag
    motivering: VerplichteTekst
    waardentoets: WaardentoetsInvoer
    risico: Risico
    financieel_belang_cent: int = Field(ge=0, le=MAX_CENT)
    beleidssignaal: bool = Field(False, description="Flag the regel for policy: it should change.")


class Rugdekking(Schema):
    oordeel: RugdekkingOordeel
    door: MedewerkerRef
    op: dt.datetime
    toelichting: str | None
    mandaat_referentie: str | None


class RugdekkingNieuw(Invoer):
    oordeel: RugdekkingOordeel
    toelichting: VerplichteTekst
    mandaat_referentie: Korttekst | None = Field(
        None, description="Where the mandate is laid down (e.g. mandaatbesluit 2026, art. 3)."
    )


class AfwijkingUit(Schema):
    id: uuid.UUID
    kenmerk: str = Field(description="The casus this afwijking belongs to.")
    besluit: uuid.UUID
    regel: RegelRef
    wat_de_regel_zegt: str
    wat_we_doen: str
    grondslag: Grondslag
    motivering: str
    waardentoets: Waardentoets
    risico: Risico
    financieel_belang_cent: int
    status: AfwijkingStatus
    rugdekking: Rugdekking | None
    beleidssignaal: bool
    signaal_status: SignaalStatus | None
    voorgesteld_door: MedewerkerRef
    aangemaakt_op: dt.datetime
    versie: int
