"""`GET /logboek` and `GET /logboek/verificatie`: the audit log for the auditor only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Query

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.logboek import lezen
from doorbraak.logboek.schemas import LogboekRegelUit, LogboekVerificatie
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("logboek")


def _utc(waarde: dt.datetime | None, naam: str) -> dt.datetime | None:
    if waarde is None:
        return None
    if waarde.tzinfo is None:
        raise OngeldigeInvoer(
            [{"name": naam, "code": "tijdzone-ontbreekt", "reason": "geef een tijdzone (Z)"}]
        )
    return waarde.astimezone(dt.UTC)


@router.get(
    "/logboek",
    response_model=Pagina[LogboekRegelUit],
    responses=fouten(401, 403),
    summary="The security audit log (auditor only), newest first",
    description=(
        "Every request that touches personal data, reads and refusals included. Whether the hash "
        "chain is intact is reported by `GET /logboek/verificatie`."
    ),
)
async def logboek_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    casus: Annotated[
        str | None, Query(pattern=KENMERK_PATROON, description="Kenmerk of a casus.")
    ] = None,
    actor: Annotated[uuid.UUID | None, Query(description="Medewerker id.")] = None,
    vanaf: Annotated[
        dt.datetime | None, Query(description="From this instant (inclusive, with zone).")
    ] = None,
    tot: Annotated[
        dt.datetime | None, Query(description="Up to this instant (exclusive, with zone).")
    ] = None,
) -> Pagina[LogboekRegelUit]:
    filter_ = lezen.Logboekfilter(
        casus_kenmerk=casus,
        actor=str(actor) if actor else None,
        vanaf=_utc(vanaf, "vanaf"),
        tot=_utc(tot, "tot"),
    )
    return await lezen.regels(ctx, filter_, vraag)


@router.get(
    "/logboek/verificatie",
    response_model=LogboekVerificatie,
    responses=fouten(401, 403),
    summary="Verify the keyed hash chain of the logboek (auditor only)",
    description=(
        "Walks the whole chain, checks every entry's HMAC, and holds the chain against the "
        "newest signed checkpoint in the checkpoint folder: reports the first entry whose link "
        "or content is off, and a chain that was cut short, emptied or recomputed."
    ),
)
async def logboek_verificatie(ctx: Ctx) -> LogboekVerificatie:
    return await lezen.verificatie(ctx)
