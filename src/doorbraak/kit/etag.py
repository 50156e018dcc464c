"""ETags from the `versie` column; If-Match is required on PATCH and DELETE."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from doorbraak.errors import VersieConflict, VersieOntbreekt


def etag(versie: int) -> str:
    return f'"{versie}"'


def zet_etag(response: Response, versie: int) -> None:
    response.headers["ETag"] = etag(versie)


def _versie(waarde: str) -> int | None:
    waarde = waarde.strip()
    if waarde.startswith("W/"):
        waarde = waarde[2:]
    waarde = waarde.strip('"')
    return int(waarde) if waarde.isdigit() and len(waarde) < 12 else None


def if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            max_length=100,
            description="The ETag of the version being changed (required).",
        ),
    ] = None,
) -> int:
    if not if_match:
        raise VersieOntbreekt()
    versie = _versie(if_match)
    if versie is None:
        raise VersieConflict("If-Match bevat geen ETag van deze resource.")
    return versie


def controleer_versie(verwacht: int, huidig: int) -> None:
    """Fail fast on a stale ETag; the UPDATE itself also checks it (version_id_col)."""
    if verwacht != huidig:
        raise VersieConflict()


IfMatch = Annotated[int, Depends(if_match)]
