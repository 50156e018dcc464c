"""Keyset pagination with an opaque cursor: `{results, next}`, stable order, no OFFSET."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Self, TypeAlias, TypeVar
from urllib.parse import parse_qs, urlsplit

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Row, Select, and_, or_
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement
from starlette.datastructures import URL

from doorbraak.errors import OngeldigeInvoer

T = TypeVar("T")
# Any SELECT and any result row, whatever its columns.
Rij: TypeAlias = "Row[*tuple[Any, ...]]"
SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


class Volgende(BaseModel):
    """The link to the next page, twice: as the opaque cursor (the supported way: pass it as
    `cursor`, with the same filters and `limit`) and as a URL with exactly that cursor."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    next: str | None = Field(
        description="URL of the next page: this request's URL with `cursor` set to "
        "`nextCursor`; null on the last page."
    )
    next_cursor: str | None = Field(
        None,
        alias="nextCursor",
        description="Opaque cursor of the next page, for the `cursor` parameter (with the same "
        "filters and `limit`); null on the last page.",
    )

    @model_validator(mode="after")
    def _cursor_uit_next(self) -> Self:
        self.next_cursor = (
            None if self.next is None else parse_qs(urlsplit(self.next).query)["cursor"][0]
        )
        return self


class Pagina(Volgende, Generic[T]):
    results: list[T]


@dataclass(frozen=True)
class PaginaVraag:
    """What page is asked for; `adres` is the URL it was asked on (plain text, so that the
    repositories that receive this never see the HTTP request itself)."""

    limit: int
    cursor: list[Any] | None
    adres: str


def lees_cursor(raw: str) -> list[Any]:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as exc:
        raise OngeldigeInvoer(
            [{"name": "cursor", "code": "ongeldige-cursor", "reason": "onbekende cursor"}]
        ) from exc
    if not isinstance(value, list) or not value:
        raise OngeldigeInvoer(
            [{"name": "cursor", "code": "ongeldige-cursor", "reason": "onbekende cursor"}]
        )
    return value


def _encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    plain = [str(v) if isinstance(v, uuid.UUID) else v for v in plain]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def pagina_vraag(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size (max 100).")] = 20,
    cursor: Annotated[
        str | None,
        Query(
            max_length=500,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="Opaque cursor: the `nextCursor` of the previous page.",
        ),
    ] = None,
) -> PaginaVraag:
    return PaginaVraag(
        limit=limit, cursor=lees_cursor(cursor) if cursor else None, adres=str(request.url)
    )


@dataclass(frozen=True)
class Sleutel:
    """One column of the sort key; the last one must be unique."""

    kolom: ColumnElement[Any] | QueryableAttribute[Any]
    aflopend: bool = False


def _coerce(sleutel: Sleutel, value: Any) -> Any:
    python_type = sleutel.kolom.type.python_type
    try:
        if python_type is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if python_type is dt.date:
            return dt.date.fromisoformat(value)
        if python_type is uuid.UUID:
            return uuid.UUID(value)
        if python_type is int and not isinstance(value, bool):
            return int(value)
        if python_type is str:
            return str(value)
    except (TypeError, ValueError) as exc:
        raise OngeldigeInvoer(
            [{"name": "cursor", "code": "ongeldige-cursor", "reason": "onbekende cursor"}]
        ) from exc
    return value


def pagineer_select(stmt: SelectT, sleutels: list[Sleutel], vraag: PaginaVraag) -> SelectT:
    """Add keyset condition, order and limit (+1 to know whether a next page exists)."""
    if vraag.cursor is not None:
        if len(vraag.cursor) != len(sleutels):
            raise OngeldigeInvoer(
                [{"name": "cursor", "code": "ongeldige-cursor", "reason": "onbekende cursor"}]
            )
        waarden = [_coerce(s, v) for s, v in zip(sleutels, vraag.cursor, strict=True)]
        voorwaarden: list[ColumnElement[bool]] = []
        for i, sleutel in enumerate(sleutels):
            gelijk = [sleutels[j].kolom == waarden[j] for j in range(i)]
            verder = sleutel.kolom < waarden[i] if sleutel.aflopend else sleutel.kolom > waarden[i]
            voorwaarden.append(and_(*gelijk, verder))
        stmt = stmt.where(or_(*voorwaarden))
    order = [s.kolom.desc() if s.aflopend else s.kolom.asc() for s in sleutels]
    return stmt.order_by(*order).limit(vraag.limit + 1)


def volgende_url(vraag: PaginaVraag, rijen: Sequence[Any], sleutelwaarden: Any) -> str | None:
    """`sleutelwaarden(row)` gives the sort key of a row; the next URL keeps every other query key."""
    if len(rijen) <= vraag.limit:
        return None
    laatste = rijen[vraag.limit - 1]
    cursor = _encode_cursor(sleutelwaarden(laatste))
    return str(URL(vraag.adres).include_query_params(cursor=cursor, limit=vraag.limit))
