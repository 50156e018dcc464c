"""Shared pydantic bases and text types: camelCase JSON, strict input, clean strings."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# NUL, other C0 controls (except tab/newline/CR) and lone surrogates: PostgreSQL cannot store
# some of them, and none of them belongs in a case file.
_VERBODEN_TEKENS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _schoon(value: str) -> str:
    if _VERBODEN_TEKENS.search(value):
        raise ValueError("bevat niet-toegestane tekens (zoals NUL of stuurtekens)")
    return value


Tekst = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_schoon)]
Korttekst = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, strip_whitespace=True),
    AfterValidator(_schoon),
]
Code = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=40)
]
Cent = Annotated[int, "euro cents"]


class Schema(BaseModel):
    """Output base: camelCase aliases, built from ORM objects or dicts."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class Invoer(BaseModel):
    """Input base: camelCase only, unknown fields refused (no mass assignment)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=False, extra="forbid")


VerplichteTekst = Annotated[
    str,
    StringConstraints(min_length=1, max_length=20_000, strip_whitespace=True),
    AfterValidator(_schoon),
]
