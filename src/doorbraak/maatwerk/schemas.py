"""Besluiten, reacties, afwijkingen and rugdekking, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.afpellen.schemas import MAX_CENT
from doorbraak.kit.schema import (
    AfwijkingActies,
    BesluitActies,
    Code,
    Invoer,
    Korttekst,
    Schema,
    Tekst,
    VerplichteTekst,
)
from doorbraak.leren.schemas import SignaalUitkomst
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    Grondslag,
    ReactieOordeel,
    Risico,
    RugdekkingOordeel,
    SignaalStatus,
)
from doorbraak.organisatie.schemas import MedewerkerRef, RegelRef, RegelversieRef


class KostenaandeelInvoer(Invoer):
    afdeling: Code = Field(description="A participating afdeling that pays this share.")
    eenmalig_cent: int = Field(0, ge=0, le=MAX_CENT)
    per_jaar_cent: int = Field(0, ge=0, le=MAX_CENT)


class KostenaandeelUit(Schema):
    afdeling: str
    eenmalig_cent: int
    per_jaar_cent: int


class BesluitNieuw(Invoer):
    omschrijving: VerplichteTekst = Field(description="What we do.")
    motivering: VerplichteTekst = Field(description="Why.")
    kosten_eenmalig_cent: int = Field(0, ge=0, le=MAX_CENT)
    kosten_per_jaar_cent: int = Field(0, ge=0, le=MAX_CENT)
    betalende_afdeling: Code | None = Field(
        None,
        description="Who pays all of it (shorthand for a kostenverdeling of one share); one of "
        "the two is required when the besluit costs anything.",
    )
    kostenverdeling: list[KostenaandeelInvoer] | None = Field(
        None,
        max_length=50,
        description="The cost split over participating afdelingen: the shares add up to "
        "kostenEenmaligCent and kostenPerJaarCent.",
    )
    vervangt: uuid.UUID | None = Field(
        None,
        description="A vastgesteld besluit of this casus that this one replaces when fixed; its "
        "reacties carry over (marked as given on that besluit).",
    )
    noodmaatregel: bool = Field(
        False,
        description="A besluit before fase maatwerk: only as an explicit noodmaatregel with a "
        "reason.",
    )
    noodmaatregel_reden: Tekst | None = None


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
    gegeven_op_besluit: uuid.UUID | None = Field(
        description="Carried over: the earlier besluit this reactie was given on (null: given on "
        "this one)."
    )
    versie: int


class OverslagNieuw(Invoer):
    afdeling: Code
    reden: VerplichteTekst = Field(description="Why the besluit is fixed without its reactie.")


class OverslagUit(Schema):
    afdeling: str
    reden: str
    door: MedewerkerRef
    op: dt.datetime


class BesluitUit(Schema):
    id: uuid.UUID
    kenmerk: str = Field(description="The casus this besluit belongs to.")
    omschrijving: str
    motivering: str
    kosten_eenmalig_cent: int
    kosten_per_jaar_cent: int
    betalende_afdeling: str | None = Field(
        description="The afdeling with the largest share of the kostenverdeling."
    )
    kostenverdeling: list[KostenaandeelUit]
    status: BesluitStatus
    vervangt: uuid.UUID | None
    noodmaatregel: bool
    noodmaatregel_reden: str | None
    reacties: list[ReactieUit] = Field(
        description="One per afdeling (a later reactie replaces the earlier one), including "
        "those carried over from the besluit this one replaces."
    )
    overgeslagen: list[OverslagUit] = Field(
        description="Participating afdelingen passed over explicitly, with the reason."
    )
    niet_gehoord: list[str] = Field(
        description="Participating afdelingen without a reactie and not passed over: the besluit "
        "cannot be fixed while this list is not empty."
    )
    toegestane_acties: BesluitActies = Field(
        description="What the caller may do with this besluit now (auth/policy.py)."
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
        None, description="Required when any reactie in force is a bezwaar: how it was weighed."
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
    regelversie: RegelversieRef = Field(
        description="The version of the regel in force when it was proposed: the one it bends."
    )
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
    signaal_status: SignaalStatus | None = Field(
        description="When flagged: how far beleid has come (only beleid sets it)."
    )
    signaal: SignaalUitkomst | None = Field(
        description="When flagged: how beleid handled it (GET /beleidssignalen/{id})."
    )
    voorgesteld_door: MedewerkerRef
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: AfwijkingActies = Field(
        description="What the caller may do with this afwijking now (auth/policy.py)."
    )
