"""Afdelingen and medewerkers, in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, Field, StringConstraints, field_validator

from doorbraak.kit.schema import (
    ZONDER_STUURTEKENS,
    Code,
    Invoer,
    Korttekst,
    Schema,
    Tekst,
    VerplichteTekst,
    weglaatbaar,
)
from doorbraak.models.enums import RechtenverzoekStatus, RegelSoort, Risico, Rol

Email = Annotated[
    str,
    StringConstraints(
        pattern=r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$", max_length=254, to_lower=True
    ),
]

OidcSub = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$")]


class MedewerkerRef(Schema):
    """A medewerker as other resources show it."""

    id: uuid.UUID
    naam: str
    afdeling: str

    @classmethod
    def uit(
        cls, id_: uuid.UUID | None, naam: str | None, afdeling: str | None
    ) -> MedewerkerRef | None:
        """From the columns of an outer join: None when nobody is there."""
        if id_ is None or naam is None or afdeling is None:
            return None
        return cls(id=id_, naam=naam, afdeling=afdeling)


class AfdelingUit(Schema):
    code: str
    naam: str
    actief: bool
    versie: int


class AfdelingNieuw(Invoer):
    code: Code = Field(description="kebab-case, e.g. `sociaal-domein`; cannot change later.")
    naam: Korttekst


class AfdelingWijziging(Invoer):
    naam: Korttekst | None = None
    actief: bool | None = None


class Mandaat(Schema):
    max_bedrag_cent: int = Field(
        ge=0, le=10**13, description="Highest amount this medewerker may cover."
    )
    max_risico: Risico | None = Field(description="Highest risk level covered; null: none.")
    afdelingen: list[str] = Field(
        default_factory=list,
        description="Mandaatscope: the afdelingen whose regels this mandaat covers. With "
        "regelingen: a regel is covered when either list names it; both empty: every regel.",
    )
    regelingen: list[str] = Field(
        default_factory=list,
        description="Mandaatscope: the regelingen (laws, verordeningen, beleidsregels) covered.",
    )


class MandaatInvoer(Invoer):
    """The complete mandaat: amount, risk and scope (an omitted scope is empty: every regel)."""

    max_bedrag_cent: int = Field(ge=0, le=10**13)
    max_risico: Risico | None = None
    afdelingen: list[Code] = Field(default_factory=list, max_length=20)
    regelingen: list[Korttekst] = Field(default_factory=list, max_length=20)

    @field_validator("afdelingen", "regelingen")
    @classmethod
    def _uniek(cls, waarden: list[str]) -> list[str]:
        return sorted(set(waarden))


class MedewerkerUit(Schema):
    id: uuid.UUID
    naam: str
    email: str
    afdeling: str
    rollen: list[Rol]
    mandaat: Mandaat
    actief: bool
    oidc_sub: str | None = Field(
        description="Subject (`sub`) at the identity provider, used for OIDC sign-in."
    )
    aangemaakt_op: dt.datetime
    versie: int


def _unieke_rollen(rollen: list[Rol] | None) -> list[Rol] | None:
    if rollen is None:
        return None
    if not rollen:
        raise ValueError("minstens één rol")
    return sorted(set(rollen), key=list(Rol).index)


class MedewerkerNieuw(Invoer):
    naam: Korttekst
    email: Email
    afdeling: Code
    rollen: list[Rol] = Field(min_length=1, max_length=6)
    mandaat: MandaatInvoer | None = None
    oidc_sub: OidcSub | None = None

    _rollen = field_validator("rollen")(_unieke_rollen)


class MedewerkerWijziging(Invoer):
    naam: Korttekst | None = None
    email: Email | None = None
    afdeling: Code | None = None
    rollen: list[Rol] | None = Field(None, min_length=1, max_length=6)
    mandaat: MandaatInvoer | None = None
    actief: bool | None = None
    oidc_sub: OidcSub | None = None

    _rollen = field_validator("rollen")(_unieke_rollen)


# --- rechtenverzoeken: four-eyes on privileges ------------------------------------------------


class RechtenverzoekNieuw(Invoer):
    medewerker: uuid.UUID = Field(
        description="Whose roles, mandaat or identity change (never your own)."
    )
    rollen: list[Rol] | None = Field(
        None, min_length=1, max_length=6, description="The complete new set; unset: unchanged."
    )
    mandaat: MandaatInvoer | None = Field(None, description="The new mandaat; unset: unchanged.")
    email: Email | None = Field(
        None,
        description="The new e-mail address (sign-in with `DOORBRAAK_OIDC_CLAIM=email`); unset: "
        "unchanged. For a medewerker with beheerder, auditor, leidinggevende or privacy, or a "
        "mandaat, this is the only way to change it.",
    )
    oidc_sub: OidcSub | None = Field(
        None, description="The new subject at the identity provider; unset: unchanged. As `email`."
    )
    toelichting: VerplichteTekst = Field(description="Why: read by the approving beheerder.")

    _rollen = field_validator("rollen")(_unieke_rollen)


class RechtenverzoekOordeel(StrEnum):
    goedgekeurd = "goedgekeurd"
    afgewezen = "afgewezen"


class RechtenverzoekBeoordeling(Invoer):
    oordeel: RechtenverzoekOordeel
    toelichting: Tekst | None = None


class RechtenverzoekUit(Schema):
    id: uuid.UUID
    medewerker: uuid.UUID
    rollen: list[Rol] = Field(description="The roles after approval (complete set).")
    mandaat: Mandaat = Field(description="The mandaat after approval.")
    email: str | None = Field(description="The new e-mail address; null: unchanged.")
    oidc_sub: str | None = Field(description="The new OIDC subject; null: unchanged.")
    toelichting: str
    aangevraagd_door: uuid.UUID
    aangevraagd_op: dt.datetime
    status: RechtenverzoekStatus
    beoordeeld_door: uuid.UUID | None
    beoordeeld_op: dt.datetime | None
    beoordeling_toelichting: str | None
    versie: int


# --- regels ------------------------------------------------------------------------------------

BronUrl = Annotated[AnyHttpUrl, Field(description="Where the rule text is published (http/https).")]
Artikel = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=100, strip_whitespace=True, pattern=ZONDER_STUURTEKENS
    ),
]


class RegelRef(Schema):
    """A regel as other resources show it."""

    id: uuid.UUID
    titel: str
    regeling: str
    artikel: str


class RegelUit(Schema):
    id: uuid.UUID
    titel: str
    regeling: str = Field(description="The law, verordening, beleidsregel or werkinstructie.")
    artikel: str
    afdeling: str | None = Field(
        description="The afdeling that applies the regel (for the mandaatscope); null: none."
    )
    soort: RegelSoort
    bron_url: str | None
    toelichting: str | None
    actief: bool
    aantal_afwijkingen: int = Field(
        description="Afwijkingen from this regel across all casussen (not withdrawn)."
    )
    aangemaakt_op: dt.datetime
    versie: int


class RegelNieuw(Invoer):
    titel: Korttekst
    regeling: Korttekst
    artikel: Artikel
    afdeling: Code | None = Field(None, description="The afdeling that applies the regel.")
    soort: RegelSoort
    bron_url: BronUrl | None = None
    toelichting: Tekst | None = None


class RegelWijziging(Invoer):
    titel: Korttekst | None = weglaatbaar()
    regeling: Korttekst | None = weglaatbaar()
    artikel: Artikel | None = weglaatbaar()
    afdeling: Code | None = None
    soort: RegelSoort | None = weglaatbaar()
    bron_url: BronUrl | None = None
    toelichting: Tekst | None = None
    actief: bool | None = weglaatbaar()


# --- versions of a regel -------------------------------------------------------------------------


class RegelversieRef(Schema):
    """A version of a regel as other resources show it."""

    id: uuid.UUID
    regel: uuid.UUID
    nummer: int = Field(description="1 for the regel as it was entered, then 2, 3, ...")
    geldig_van: dt.date
    geldig_tot: dt.date | None = Field(
        description="The day the next version took over (exclusive); null while in force."
    )


class RegelversieUit(RegelversieRef):
    tekst: str = Field(description="What the regel says in this version.")
    reden: str | None = Field(description="Why the regel was changed (null for version 1).")
    signalen: list[uuid.UUID] = Field(
        description="The beleidssignalen that led to this version (GET /beleidssignalen/{id})."
    )
    afwijkingen_in_kracht: int = Field(
        description="Deviations in force from this version: gedekt afwijkingen of vastgestelde "
        "besluiten (the same count as the registers)."
    )
    aangemaakt_op: dt.datetime


class RegelversieNieuw(Invoer):
    tekst: VerplichteTekst = Field(description="What the regel says from now on.")
    reden: VerplichteTekst = Field(description="Why the regel changes.")
    geldig_van: dt.date | None = Field(
        None,
        description="First day in force (default today, Europe/Amsterdam); after the day the "
        "current version took effect.",
    )
    signalen: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=100,
        description="Beleidssignalen that led to the change: each is marked regel_aangepast "
        "with a link to this version.",
    )
