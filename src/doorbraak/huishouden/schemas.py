"""The perspectiefplan (huishoudleden, doelen, afspraken, instemming), external parties and
their deelnames, and nazorg moments, in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from doorbraak.kit.schema import (
    Code,
    Invoer,
    IsoDatum,
    Korttekst,
    PlanActies,
    Schema,
    Tekst,
    VerplichteTekst,
    WijzigVerwijderActies,
    weglaatbaar,
)
from doorbraak.models.enums import Leefgebied, PartijSoort
from doorbraak.organisatie.schemas import MedewerkerRef

Geboortejaar = Annotated[int, Field(ge=1900, le=2100)]
Telefoon = Annotated[str, StringConstraints(min_length=3, max_length=40, pattern=r"^[0-9+()\- ]+$")]


# --- huishoudleden ------------------------------------------------------------------------------


class HuishoudlidNieuw(Invoer):
    naam_of_rol: Korttekst = Field(description="A first name or a role (moeder, oudste zoon).")
    geboortejaar: Geboortejaar | None = None


class HuishoudlidWijziging(Invoer):
    naam_of_rol: Korttekst | None = weglaatbaar()
    geboortejaar: Geboortejaar | None = None


class HuishoudlidRef(Schema):
    id: uuid.UUID
    naam_of_rol: str


class HuishoudlidUit(Schema):
    id: uuid.UUID
    naam_of_rol: str
    geboortejaar: int | None
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigVerwijderActies


# --- doelen -------------------------------------------------------------------------------------


class DoelNieuw(Invoer):
    leefgebied: Leefgebied
    tekst: VerplichteTekst = Field(description="In the household's own words.")
    gezegd_door: uuid.UUID | None = Field(
        None, description="The huishoudlid who said it; null: the household together."
    )


class DoelWijziging(Invoer):
    leefgebied: Leefgebied | None = None
    tekst: VerplichteTekst | None = weglaatbaar()
    gezegd_door: uuid.UUID | None = None


class DoelUit(Schema):
    id: uuid.UUID
    leefgebied: Leefgebied
    tekst: str
    gezegd_door: HuishoudlidRef | None = Field(
        description="Who said it; null: the household together."
    )
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigVerwijderActies


# --- owners outside the organisation (afspraken, stappen) -----------------------------------------


class Eigenaar(Schema):
    """Who owns an afspraak or a stap outside the organisation's staff."""

    soort: str = Field(description="huishouden, huishoudlid, externe_partij or afdeling.")
    huishoudlid: HuishoudlidRef | None = None
    externe_partij: str | None = Field(None, description="Code of the external party.")
    afdeling: str | None = None
    naam: str = Field(description="For people: the household, the member, the party's name.")


class AfspraakNieuw(Invoer):
    tekst: VerplichteTekst
    huishouden: bool = Field(False, description="The household together owns it.")
    huishoudlid: uuid.UUID | None = None
    externe_partij: Code | None = Field(
        None, description="Code of an external party that takes part in the casus."
    )
    afdeling: Code | None = None


class AfspraakWijziging(Invoer):
    """Giving an owner replaces the one it had."""

    tekst: VerplichteTekst | None = weglaatbaar()
    huishouden: bool | None = None
    huishoudlid: uuid.UUID | None = None
    externe_partij: Code | None = None
    afdeling: Code | None = None


class AfspraakUit(Schema):
    id: uuid.UUID
    tekst: str
    eigenaar: Eigenaar
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigVerwijderActies


# --- the plan -----------------------------------------------------------------------------------


class InstemmingNieuw(Invoer):
    datum: IsoDatum = Field(description="The day the household agreed to the plan.")


class InstemmingUit(Schema):
    datum: dt.date
    vastgelegd_door: MedewerkerRef | None


class PerspectiefplanUit(Schema):
    kenmerk: str
    doorbraakvraag: str | None = Field(
        description="The question the casus answers (PATCH /casussen/{kenmerk})."
    )
    doorbraak: str | None
    huishoudleden: list[HuishoudlidUit]
    doelen: list[DoelUit]
    afspraken: list[AfspraakUit]
    instemming: InstemmingUit | None
    toegestane_acties: PlanActies


# --- external parties: the catalogue and the deelnames -------------------------------------------


class ExternePartijNieuw(Invoer):
    code: Code
    naam: Korttekst
    soort: PartijSoort


class ExternePartijWijziging(Invoer):
    naam: Korttekst | None = weglaatbaar()
    soort: PartijSoort | None = None
    actief: bool | None = None


class ExternePartijUit(Schema):
    code: str
    naam: str
    soort: PartijSoort
    actief: bool
    versie: int


class Contactpersoon(Invoer):
    naam: Korttekst
    telefoon: Telefoon | None = None
    email: EmailStr | None = None


class ContactpersoonUit(Schema):
    naam: str
    telefoon: str | None
    email: str | None


class PartijdeelnameNieuw(Invoer):
    partij: Code = Field(description="Code of the external party in the catalogue.")
    standpunt: Tekst = ""
    contactpersoon: Contactpersoon | None = None


class PartijdeelnameWijziging(Invoer):
    standpunt: Tekst | None = None
    contactpersoon: Contactpersoon | None = Field(None, description="null removes it.")


class Toezegging(Schema):
    """A stap the party owns: what it committed to."""

    stap: uuid.UUID
    titel: str
    status: str
    deadline_datum: dt.date | None


class PartijdeelnameUit(Schema):
    partij: ExternePartijUit
    standpunt: str
    contactpersoon: ContactpersoonUit | None = Field(
        description="Personal data: only for the casusteam, otherwise null."
    )
    toezeggingen: list[Toezegging]
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigVerwijderActies


# --- nazorg ----------------------------------------------------------------------------------


class NazorgMoment(Schema):
    """A nazorg stap that is due: for a medewerker's or a casusteam's work list."""

    stap: uuid.UUID
    kenmerk: str
    titel: str
    verwacht_op: dt.date
    eigenaar: MedewerkerRef | None
    casus_afgesloten: bool
