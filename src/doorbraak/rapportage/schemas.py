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


class Terugvallen(Schema):
    """Relapses: a closed casus reopened because the household fell back, counted apart so the
    lead times and the open casussen of the first round stay true."""

    heropeningen: int = Field(description="Reopenings marked as terugval.")
    casussen: int = Field(description="Distinct casussen that fell back at least once.")
    open: int = Field(description="Open now, reopened last because of a terugval.")


class Statistieken(Schema):
    """Percentiles interpolate linearly between the measured durations (like percentile_cont)."""

    casussen_per_fase: list[FaseAantal]
    doorlooptijd_tot_besluit: Doorlooptijd = Field(
        description="From aangemeld to the first vastgesteld besluit, per casus that has one."
    )
    tijd_per_fase: list[FaseDoorlooptijd] = Field(
        description="Time spent in each fase, over the stays that have ended, before any "
        "terugval (the months closed and a second round are not a lead time)."
    )
    doorlooptijd_tot_afsluiten: Doorlooptijd = Field(
        Doorlooptijd(aantal=0, mediaan_dagen=None, p90_dagen=None),
        description="From aangemeld to the first closing; a terugval does not stretch it.",
    )
    open_casussen: int = Field(0, description="Casussen not afgesloten (terugvallen included).")
    open_zonder_terugval: int = Field(
        0, description="Open casussen that are not open again because of a terugval."
    )
    terugvallen: Terugvallen = Field(Terugvallen(heropeningen=0, casussen=0, open=0))
    kosten_doormodderen_per_jaar_cent: int = Field(description="Sum over all betrokkenen.")
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
