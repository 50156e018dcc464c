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
    KnelpuntNiveau,
    KnelpuntSoort,
    Risico,
    SignaalBron,
    SignaalStatus,
)
from doorbraak.organisatie.schemas import RegelRef, RegelversieRef


class PeriodeUit(Schema):
    van: dt.date | None = Field(description="First day (Europe/Amsterdam); null: from the start.")
    tot: dt.date | None = Field(description="Last day, inclusive; null: up to now.")
    afdeling: str | None = Field(description="Only casussen this afdeling takes part in.")


class RegelversieAantal(Schema):
    regel: RegelRef
    regelversie: RegelversieRef
    aantal: int


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
    per_regelversie: list[RegelversieAantal] = Field(
        description="Deviations in force per version of each regel: did bends fall after a change?"
    )
    per_grondslag: list[GrondslagAantal]
    per_maand: list[MaandAantal]
    results: list[RegisterAfwijking] = Field(description="This page of the entries, newest first.")


class FaseAantal(Schema):
    fase: Fase
    aantal: int


class Doorlooptijd(Schema):
    """Durations in working days: Monday to Friday without Dutch public holidays, counted on
    the calendar days in Europe/Amsterdam (a start on Thursday and an end on Tuesday after
    Easter Monday is 2 working days)."""

    aantal: int = Field(description="How many durations were measured.")
    mediaan_werkdagen: float | None = Field(description="Median in working days (null when none).")
    p90_werkdagen: float | None = Field(
        description="90th percentile in working days (null when none)."
    )


class MaandDoorlooptijd(Doorlooptijd):
    maand: str = Field(description="Month (Europe/Amsterdam) of the first besluit, YYYY-MM.")


class Kerncijfers(Schema):
    """The key figures of one period, for comparing it with the period before."""

    casussen_aangemeld: int
    besluiten_vastgesteld: int = Field(description="Vastgesteld in the period, still in force.")
    doorlooptijd_tot_besluit_mediaan_werkdagen: float | None
    afwijkingen_in_kracht: int = Field(description="Proposed in the period, gedekt, in force.")
    rugdekking_geweigerd: int
    signalen_gemeld: int
    signalen_afgehandeld: int = Field(
        description="Handled by beleid with a decision in the period."
    )
    kosten_doormodderen_per_jaar_cent: int
    kosten_doorbraak_cent: int


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


class KostenOverTijd(Schema):
    """The cost ledger over the casussen with a nulmeting (kosten/lezen.py has the rule); with a
    period, those aangemeld in it (and with a deelname of the afdeling asked), like
    `kostenDoormodderenPerJaarCent`."""

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
    """Percentiles interpolate linearly between the measured durations (like percentile_cont).
    With a period every figure counts what happened in it: casussen aangemeld in it, besluiten
    vastgesteld in it, afwijkingen proposed in it, stays in a fase that ended in it. Only
    deviations in force count (gedekt afwijkingen of vastgestelde besluiten)."""

    periode: PeriodeUit
    kerncijfers: Kerncijfers
    vorige_periode: PeriodeUit | None = Field(
        description="The period of the same length just before (null for an open period)."
    )
    kerncijfers_vorige_periode: Kerncijfers | None
    casussen_per_fase: list[FaseAantal]
    doorlooptijd_tot_besluit: Doorlooptijd = Field(
        description="KPI 1: from aangemeld to the first vastgesteld besluit, per casus that has "
        "one (in the period: whose first besluit was vastgesteld in it)."
    )
    doorlooptijd_per_maand: list[MaandDoorlooptijd] = Field(
        description="KPI 1 over time: per month of the first vastgesteld besluit."
    )
    tijd_per_fase: list[FaseDoorlooptijd] = Field(
        description="Time spent in each fase, over the stays that have ended, before any "
        "terugval (the months closed and a second round are not a lead time)."
    )
    open_casussen: int = Field(0, description="Casussen not afgesloten (terugvallen included).")
    open_zonder_terugval: int = Field(
        0, description="Open casussen that are not open again because of a terugval."
    )
    terugvallen: Terugvallen = Field(Terugvallen(heropeningen=0, casussen=0, open=0))
    kosten_doormodderen_per_jaar_cent: int = Field(
        description="Sum of the huidig yearly costs in force in the cost ledger (of the "
        "casussen aangemeld in the period)."
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
    berekend_op: dt.datetime = Field(
        description="When these figures were computed. Unfiltered: the time of the stored "
        "snapshot, which the service renews in the background (about once a minute by "
        "default), so a reader knows its age; with a period or afdeling: now (computed for "
        "this request)."
    )


class SignaalAantal(Schema):
    bron: SignaalBron
    signaal_status: SignaalStatus
    aantal: int


class KnelpuntAantal(Schema):
    soort: KnelpuntSoort
    niveau: KnelpuntNiveau
    aantal: int
    opgelost: int


class Regelwijziging(Schema):
    """A new version of a regel that took effect in the period, and the deviations in force
    from the regel in equally long stretches before and after the change."""

    regel: RegelRef
    regelversie: RegelversieRef
    reden: str | None
    dagen_vergeleken: int = Field(
        description="Length of each stretch: the days from the change to the end of the period "
        "(or today), at most 365."
    )
    afwijkingen_ervoor: int
    afwijkingen_erna: int


class Leerrapport(Schema):
    """The learning report of a period: for management and beleid. Counts and policy facts,
    no case content, no names."""

    periode: PeriodeUit
    vorige_periode: PeriodeUit | None
    opgesteld_op: dt.datetime
    kerncijfers: Kerncijfers
    kerncijfers_vorige_periode: Kerncijfers | None
    signalen_per_status: list[SignaalAantal] = Field(
        description="Signals raised in the period, by where beleid is with them now."
    )
    signaal_doorlooptijd: Doorlooptijd = Field(
        description="From raising a signal to beleid's decision (decided in the period)."
    )
    regelwijzigingen: list[Regelwijziging]
    top_regels: list[RegelAantal]
    top_knelpunten: list[KnelpuntAantal]
    doorlooptijd_tot_besluit: Doorlooptijd
    doorlooptijd_per_maand: list[MaandDoorlooptijd]
    tijd_per_fase: list[FaseDoorlooptijd]
    kosten_per_afdeling: list[AfdelingKosten]
