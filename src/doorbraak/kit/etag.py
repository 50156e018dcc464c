"""ETags from the `versie` column; If-Match is required on PATCH and DELETE."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from doorbraak.errors import VersieConflict, VersieOntbreekt


def etag(versie: int) -> str:
    return f'"{versie}"'


def zet_etag(response: Response, versie: int) -> None:
    response.headers["ETag"] = etag(versie)


ETAG_PATROON = r'^(W/)?"[0-9]{1,11}"$'


async def if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            pattern=ETAG_PATROON,
            description="The ETag of the version being changed. Required: without it the answer is 428.",
        ),
    ] = None,
) -> int | None:
    # A missing header is answered (428) by `controleer_versie`, after the other input is
    # validated, so that a request with several faults hears about all of them at once.
    if if_match is None:
        return None
    return int(if_match.removeprefix("W/").strip('"'))


def controleer_versie(verwacht: int | None, huidig: int) -> None:
    """Fail fast on a missing or stale ETag; the UPDATE itself also checks it (version_id_col)."""
    if verwacht is None:
        raise VersieOntbreekt()
    if verwacht != huidig:
        raise VersieConflict()


IfMatch = Annotated[int | None, Depends(if_match)]
