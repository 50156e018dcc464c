"""Betrokkenen, stappen and knelpunten, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.huishouden.schemas import Eigenaar
from doorbraak.kit.schema import (
    Code,
    Invoer,
    Korttekst,
    Schema,
    StapActies,
    Tekst,
    VerplichteTekst,
    weglaatbaar,
)
from doorbraak.models.enums import (
    Fase,
    KnelpuntNiveau,
    KnelpuntSoort,
    KnelpuntStatus,
    Leefgebied,
    NazorgVanaf,
    StapSoort,
    StapStatus,
)
from doorbraak.organisatie.schemas import MedewerkerRef

MAX_CENT = 10**11  # a billion euro: anything above is a typing error


class BetrokkeneNieuw(Invoer):
    organisatie: Korttekst
    leefgebied: Leefgebied
    kosten_per_jaar_cent: int = Field(ge=0, le=MAX_CENT)
    toelichting: Tekst | None = None


class BetrokkeneWijziging(Invoer):
    organisatie: Korttekst | None = None
    leefgebied: Leefgebied | None = None
    kosten_per_jaar_cent: int | None = Field(None, ge=0, le=MAX_CENT)
    toelichting: Tekst | None = None


class BetrokkeneUit(Schema):
    id: uuid.UUID
    organisatie: str
    leefgebied: Leefgebied
    kosten_per_jaar_cent: int
    toelichting: str | None
    aangemaakt_op: dt.datetime
    versie: int


class StapNieuw(Invoer):
    titel: Korttekst
    fase: Fase | None = Field(None, description="Default: the casus's current fase.")
    afdeling: Code | None = None
    eigenaar: uuid.UUID | None = None
    deadline_datum: dt.date | None = None
    status: StapStatus = StapStatus.open
    bevinding: Tekst | None = None
    soort: StapSoort = Field(
        StapSoort.actie,
        description="nazorg: an evaluation moment; does not block leaving uitvoering and is "
        "completed on a closed casus too.",
    )
    nazorg_vanaf: NazorgVanaf | None = Field(
        None, description="A nazorg moment counted from the first vastgesteld besluit or closing."
    )
    nazorg_maanden: int | None = Field(None, ge=1, le=60, description="Months after nazorgVanaf.")
    huishouden: bool = Field(False, description="The household together owns this stap.")
    huishoudlid: uuid.UUID | None = Field(None, description="A member of the household owns it.")
    externe_partij: Code | None = Field(
        None, description="An external party taking part in the casus owns it (a commitment)."
    )


class StapWijziging(Invoer):
    """On a closed casus only a nazorg stap changes, and only its status and bevinding."""

    titel: Korttekst | None = weglaatbaar()
    afdeling: Code | None = None
    eigenaar: uuid.UUID | None = None
    deadline_datum: dt.date | None = None
    status: StapStatus | None = None
    bevinding: Tekst | None = None
    huishouden: bool | None = None
    huishoudlid: uuid.UUID | None = None
    externe_partij: Code | None = None


class StapAfronding(Invoer):
    """Completing a stap: only its status and bevinding (for nazorg also on a closed casus)."""

    status: StapStatus
    bevinding: Tekst | None = None


class StapUit(Schema):
    id: uuid.UUID
    kenmerk: str = Field(description="The casus this step belongs to.")
    titel: str
    fase: Fase
    afdeling: str | None
    eigenaar: MedewerkerRef | None
    deadline_datum: dt.date | None
    status: StapStatus
    bevinding: str | None
    soort: StapSoort
    nazorg_vanaf: NazorgVanaf | None
    nazorg_maanden: int | None
    uitvoerder: Eigenaar | None = Field(
        description="An owner outside the organisation: the household, a member, an external party."
    )
    te_laat: bool = Field(description="Deadline passed while the step is still open or bezig.")
    aangemaakt_op: dt.datetime
    afgerond_op: dt.datetime | None
    versie: int
    toegestane_acties: StapActies = Field(
        description=(
            "What the caller may do with this step (auth/policy.py), in the casus's list and in "
            "the work list across casussen (GET /stappen) alike."
        ),
    )


class KnelpuntNieuw(Invoer):
    soort: KnelpuntSoort
    niveau: KnelpuntNiveau
    omschrijving: VerplichteTekst
    regel: uuid.UUID | None = Field(None, description="Id of the regel in the catalogue, if any.")
    afdeling: Code | None = None
    status: KnelpuntStatus = KnelpuntStatus.open


class KnelpuntWijziging(Invoer):
    soort: KnelpuntSoort | None = None
    niveau: KnelpuntNiveau | None = None
    omschrijving: VerplichteTekst | None = None
    regel: uuid.UUID | None = None
    afdeling: Code | None = None
    status: KnelpuntStatus | None = None


class KnelpuntUit(Schema):
    id: uuid.UUID
    soort: KnelpuntSoort
    niveau: KnelpuntNiveau
    omschrijving: str
    regel: uuid.UUID | None
    afdeling: str | None
    status: KnelpuntStatus
    aangemaakt_op: dt.datetime
    versie: int
