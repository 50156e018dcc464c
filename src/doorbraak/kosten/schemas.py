"""The cost ledger in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from doorbraak.kit.schema import (
    ZONDER_STUURTEKENS,
    ActieOordeel,
    Code,
    Invoer,
    IsoDatum,
    Korttekst,
    Schema,
    Tekst,
)
from doorbraak.models.enums import Kostenritme, Kostensoort, Leefgebied
from doorbraak.organisatie.schemas import MedewerkerRef

MAX_CENT = 10**11  # a billion euro: anything above is a typing error
Momenttekst = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=60, strip_whitespace=True, pattern=ZONDER_STUURTEKENS
    ),
]


class KostenregelNieuw(Invoer):
    post: uuid.UUID | None = Field(
        None,
        description="An existing post of this casus: the entry is its new value of this soort "
        "(the one in force is kept, with `tot`). Omitted: a new post.",
    )
    omschrijving: Korttekst = Field(description="What the cost is, e.g. the organisation.")
    leefgebied: Leefgebied | None = None
    afdeling: Code | None = Field(None, description="The afdeling that pays this cost.")
    soort: Kostensoort = Field(
        description="`huidig` (muddling on now), `dreigend` (a scenario: never summed with "
        "huidig) or `gerealiseerd` (measured at an evaluation moment; needs `moment`)."
    )
    ritme: Kostenritme = Kostenritme.jaarlijks
    bedrag_cent: int = Field(ge=0, le=MAX_CENT)
    peildatum: IsoDatum | None = Field(None, description="The date it is about; default today.")
    moment: Momenttekst | None = Field(
        None, description="The evaluation moment of a gerealiseerd cost (e.g. `6 maanden`)."
    )
    toelichting: Tekst | None = None


class KostenregelUit(Schema):
    id: int
    post: uuid.UUID
    omschrijving: str
    leefgebied: Leefgebied | None
    afdeling: str | None
    soort: Kostensoort
    ritme: Kostenritme
    bedrag_cent: int
    peildatum: dt.date
    moment: str | None
    toelichting: str | None
    door: MedewerkerRef | None
    op: dt.datetime
    tot: dt.datetime | None = Field(description="Replaced by a later entry (or ended) at.")


class Horizon(Schema):
    """An amount over one and over three years (one-off costs counted once)."""

    een_jaar_cent: int
    drie_jaar_cent: int


class NulmetingUit(Schema):
    op: dt.datetime = Field(description="When the casus left in_kaart.")
    huidig_per_jaar_cent: int
    huidig_eenmalig_cent: int
    dreigend_per_jaar_cent: int
    dreigend_eenmalig_cent: int


class AfdelingBesparing(Schema):
    afdeling: str | None = Field(description="The paying afdeling (null: not assigned).")
    doormodderen: Horizon
    doorbraak: Horizon
    besparing: Horizon


class KostenActies(Schema):
    """The permission set of the cost ledger (`toegestaneActies`)."""

    toevoegen: ActieOordeel = Field(description="Add an estimate (huidig, dreigend).")
    meten: ActieOordeel = Field(description="Record a gerealiseerd cost (also when closed).")


class KostenoverzichtUit(Schema):
    kenmerk: str
    in_kracht: list[KostenregelUit] = Field(
        description="The entries in force: the current value of every post and soort."
    )
    nulmeting: NulmetingUit | None = Field(
        description="The baseline, taken when the casus left in_kaart."
    )
    huidig_per_jaar_cent: int
    huidig_eenmalig_cent: int
    dreigend_per_jaar_cent: int
    dreigend_eenmalig_cent: int
    nakosten_per_jaar_cent: int | None = Field(
        description="What muddling on still costs per year after the doorbraak: per post the "
        "latest gerealiseerd cost, else its current estimate; null before any measurement."
    )
    gerealiseerd_peildatum: dt.date | None
    doormodderen: Horizon = Field(description="The nulmeting's huidig costs (else the current).")
    doormodderen_met_dreiging: Horizon = Field(description="The same plus the dreigend costs.")
    doorbraak: Horizon = Field(
        description="The besluiten (vastgesteld; before any, the newest concept) plus what "
        "muddling on still costs."
    )
    besparing: Horizon = Field(description="Doormodderen minus doorbraak.")
    per_afdeling: list[AfdelingBesparing]
    toegestane_acties: KostenActies
