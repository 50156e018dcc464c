"""Cross-case registers and statistieken: counts and policy facts, no case content, no names."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.kit.pagination import Volgende
from doorbraak.kit.schema import Schema
from doorbraak.models.enums import (
    AfwijkingStatus,
    Fase,
    Grondslag,
    KnelpuntSoort,
    Risico,
)
from doorbraak.organisatie.schemas import RegelRef


class RegelAantal(Schema):
    regel: RegelRef
    aantal: int


class GrondslagAantal(Schema):
    grondslag: Grondslag
    aantal: int


class MaandAantal(Schema):
    maand: str = Field(description="Calendar month (UTC) as YYYY-MM.", examples=["2026-11"])
    aantal: int


class RegisterAfwijking(Schema):
    """One afwijking in the register: the rule and how it was covered, nothing of the casus."""

    id: uuid.UUID
    regel: RegelRef
    grondslag: Grondslag
    risico: Risico
    status: AfwijkingStatus
    financieel_belang_cent: int
    beleidssignaal: bool
    noodmaatregel: bool = Field(description="Its besluit was a noodmaatregel before fase maatwerk.")
    gemeld_op: dt.datetime
    rugdekking_op: dt.datetime | None


class AfwijkingenRegister(Schema, Volgende):
    aantal: int = Field(
        description="Deviations in force matching the filters: gedekt afwijkingen of vastgestelde "
        "besluiten (not proposals, refusals, or afwijkingen of withdrawn or replaced besluiten)."
    )
    rugdekking_geweigerd: int = Field(
        description="Afwijkingen matching the filters whose rugdekking was refused (a signal too)."
    )
    per_regel: list[RegelAantal]
    per_grondslag: list[GrondslagAantal]
    per_maand: list[MaandAantal]
    results: list[RegisterAfwijking] = Field(description="This page of the entries, newest first.")


class FaseAantal(Schema):
    fase: Fase
    aantal: int


class Doorlooptijd(Schema):
    aantal: int = Field(description="How many durations were measured.")
    mediaan_dagen: float | None = Field(description="Median in days (null when none).")
    p90_dagen: float | None = Field(description="90th percentile in days (null when none).")


class FaseDoorlooptijd(Doorlooptijd):
    fase: Fase


class KnelpuntSoortAantal(Schema):
    soort: KnelpuntSoort
    aantal: int


class AfdelingKosten(Schema):
    afdeling: str
    eenmalig_cent: int
    per_jaar_cent: int


class KostenOverTijd(Schema):
    """The cost ledger over all casussen with a nulmeting (kosten/lezen.py has the rule)."""

    casussen_met_nulmeting: int
    nulmeting_per_jaar_cent: int = Field(
        description="Sum of the nulmetingen's huidig yearly costs."
    )
    casussen_gemeten: int = Field(description="Of those, the ones with a gerealiseerd cost.")
    gerealiseerd_per_jaar_cent: int = Field(
        description="What muddling on still costs per year in the measured casussen."
    )
    besparing_een_jaar_cent: int = Field(description="Doormodderen minus doorbraak, 1 year.")
    besparing_drie_jaar_cent: int = Field(description="Doormodderen minus doorbraak, 3 years.")


class Statistieken(Schema):
    """Percentiles interpolate linearly between the measured durations (like percentile_cont)."""

    casussen_per_fase: list[FaseAantal]
    doorlooptijd_tot_besluit: Doorlooptijd = Field(
        description="From aangemeld to the first vastgesteld besluit, per casus that has one."
    )
    tijd_per_fase: list[FaseDoorlooptijd] = Field(
        description="Time spent in each fase, over the stays that have ended."
    )
    kosten_doormodderen_per_jaar_cent: int = Field(
        description="Sum of the huidig yearly costs in force in the cost ledger."
    )
    kosten_doorbraak_cent: int = Field(
        description="Sum over all vastgestelde besluiten (one-off plus yearly)."
    )
    kosten_per_afdeling: list[AfdelingKosten] = Field(
        description="The cost split of the vastgestelde besluiten, per paying afdeling."
    )
    top_regels: list[RegelAantal] = Field(
        description="Regels bent most often (max 10): deviations in force only."
    )
    rugdekking_geweigerd: int = Field(description="Afwijkingen whose rugdekking was refused.")
    noodmaatregelen: int = Field(
        description="Vastgestelde besluiten taken as noodmaatregel before fase maatwerk."
    )
    knelpunt_soorten: list[KnelpuntSoortAantal]
    kosten_over_tijd: KostenOverTijd | None = Field(
        None, description="Nulmeting, gerealiseerd and horizon figures (null in an older snapshot)."
    )
