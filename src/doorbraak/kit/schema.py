"""Shared pydantic bases and text types: camelCase JSON, strict input, clean strings."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from doorbraak.kit.bsn import bsns_in_tekst

# NUL, other C0 controls (except tab/newline/CR) and lone surrogates: PostgreSQL cannot store
# some of them, and none of them belongs in a case file.
_VERBODEN_TEKENS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


# The same rule as a JSON Schema pattern, so the OpenAPI document says what is accepted.
ZONDER_STUURTEKENS = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$"


def schoon(value: str) -> str:
    if _VERBODEN_TEKENS.search(value):
        raise ValueError("bevat niet-toegestane tekens (zoals NUL of stuurtekens)")
    return value


Tekst = Annotated[
    str, StringConstraints(max_length=20_000, pattern=ZONDER_STUURTEKENS), AfterValidator(schoon)
]
Korttekst = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=200, strip_whitespace=True, pattern=ZONDER_STUURTEKENS
    ),
    AfterValidator(schoon),
]
CODE_PATROON = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATROON, min_length=2, max_length=40)]
Cent = Annotated[int, "euro cents"]


def _zonder_null(schema: dict[str, Any]) -> None:
    varianten = schema.pop("anyOf", None)
    if varianten is not None:
        schema.update(next(v for v in varianten if v.get("type") != "null"))


def weglaatbaar() -> Any:
    """The default of a PATCH field that may be left out but never be null:
    `titel: Korttekst | None = weglaatbaar()`. Python sees `None` as "not given"; the OpenAPI
    document shows the field as not nullable, which is what the service enforces (a null answers
    400 with code `verplicht`)."""
    return Field(None, json_schema_extra=_zonder_null)


class Schema(BaseModel):
    """Output base: camelCase aliases, built from ORM objects or dicts."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class ActieOordeel(Schema):
    """One entry of a permission set (`toegestaneActies`): may the caller do this now?"""

    toegestaan: bool
    code: str | None = Field(
        None, description="When not allowed: the problem `code` the API answers with."
    )
    reden: str | None = Field(None, description="When not allowed: why, for people.")


class WijzigActies(Schema):
    """The permission set of a part that can be changed (`toegestaneActies`)."""

    wijzigen: ActieOordeel


class StapActies(Schema):
    """The permission set of a stap (`toegestaneActies`)."""

    wijzigen: ActieOordeel
    afronden: ActieOordeel = Field(
        description="Complete it (status, bevinding); for a nazorg stap also on a closed casus."
    )


class PlanActies(Schema):
    """The permission set of a perspectiefplan (`toegestaneActies`)."""

    wijzigen: ActieOordeel = Field(description="Huishoudleden, doelen and afspraken.")
    instemming_vastleggen: ActieOordeel


class BesluitActies(Schema):
    """The permission set of a besluit (`toegestaneActies`)."""

    vaststellen: ActieOordeel
    intrekken: ActieOordeel
    overslaan: ActieOordeel = Field(description="Pass over a participating afdeling.")
    afwijking_voorstellen: ActieOordeel


class AfwijkingActies(Schema):
    """The permission set of an afwijking (`toegestaneActies`)."""

    rugdekking_geven: ActieOordeel = Field(
        description="Give the rugdekking yourself (also a reconsideration after a refusal, once "
        "a higher level's escalatie about this afwijking was toegekend)."
    )
    rugdekking_vragen: ActieOordeel = Field(
        description="Send a rugdekkingsverzoek to one of the kandidaten (the regiehouder)."
    )
    heroverweging_vragen: ActieOordeel = Field(
        description="After a refusal: escalate this afwijking for reconsideration at a higher "
        "level (POST .../escalaties with betreft.afwijkingen)."
    )
    dekken: ActieOordeel = Field(
        description="The rugdekking with oordeel gedekt: as rugdekkingGeven, and an afwijking "
        "buiten kader waits for a toegekende bestuur escalatie about it (409 "
        "`bestuur-escalatie-vereist`); afgewezen stays open."
    )


class EscalatieActies(Schema):
    """The permission set of an escalatie (`toegestaneActies`)."""

    uitkomst_vastleggen: ActieOordeel
    corrigeren: ActieOordeel


class WijzigVerwijderActies(Schema):
    """The permission set of a part that can be changed and removed (`toegestaneActies`)."""

    wijzigen: ActieOordeel
    verwijderen: ActieOordeel


_ISO_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_datum(value: object) -> object:
    """Dates only as `YYYY-MM-DD`: no timestamps, no numbers that happen to parse as a date."""
    if isinstance(value, str) and not _ISO_DATUM.match(value):
        raise ValueError("verwacht een datum als JJJJ-MM-DD")
    if not isinstance(value, str | dt.date):
        raise ValueError("verwacht een datum als JJJJ-MM-DD")
    return value


IsoDatum = Annotated[dt.date, BeforeValidator(_iso_datum)]


def kern(annotatie: object) -> object:
    """`Annotated[int | None, ...]` -> int: the one concrete type of a field, if it has one."""
    while typing.get_origin(annotatie) is Annotated:
        annotatie = typing.get_args(annotatie)[0]
    if typing.get_origin(annotatie) in (typing.Union, types.UnionType):
        soorten = [a for a in typing.get_args(annotatie) if a is not type(None)]
        return kern(soorten[0]) if len(soorten) == 1 else None
    return annotatie


# The fields where a BSN or an identifier of the IdP belongs; every other text field refuses a BSN.
_BSN_TOEGESTAAN = frozenset({"bsn", "oidc_sub"})


def geen_bsn(value: str) -> str:
    """Free text never holds a BSN: it would be stored in plain text, searchable with `?zoek=`
    (a URL) and copied into exports. The BSN has its own encrypted field."""
    if bsns_in_tekst(value):
        raise PydanticCustomError(
            "bevat-bsn",
            "bevat een BSN (een nummer dat de 11-proef doorstaat); een BSN hoort alleen in het "
            "BSN-veld, nooit in vrije tekst",
        )
    return value


class Invoer(BaseModel):
    """Input base: camelCase only, unknown fields refused (no mass assignment), no lax
    conversions the schema does not promise ("5" for a number, "yes" for a boolean, 0 for a date),
    and no BSN in any text field but `bsn` (400 `bevat-bsn` naming the field)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=False, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _zoals_het_schema_zegt(cls, value: object, info: ValidationInfo) -> object:
        if value is None or info.field_name is None:
            return value
        if isinstance(value, str):
            # Every text field, whatever its declared constraints: no NUL or control characters,
            # and no BSN outside the BSN field.
            schoon(value)
        soort = kern(cls.model_fields[info.field_name].annotation)
        if isinstance(value, str) and soort is str and info.field_name not in _BSN_TOEGESTAAN:
            geen_bsn(value)
        if soort is bool and not isinstance(value, bool):
            raise ValueError("verwacht true of false")
        if soort in (int, float) and isinstance(value, str | bool):
            raise ValueError("verwacht een getal")
        if soort is dt.date:
            return _iso_datum(value)
        return value


VerplichteTekst = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=20_000, strip_whitespace=True, pattern=ZONDER_STUURTEKENS
    ),
    AfterValidator(schoon),
]
