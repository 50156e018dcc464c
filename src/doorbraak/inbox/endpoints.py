"""The inbox: what needs the caller's attention, across the casussen they may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from doorbraak.auth.dependencies import Ctx
from doorbraak.inbox import lezen
from doorbraak.inbox.schemas import InboxItemUit, InboxTellingUit
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.models.enums import InboxSoort
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("inbox")


@router.get(
    "/inbox",
    response_model=Pagina[InboxItemUit],
    responses=fouten(401),
    summary="What needs my attention: overdue stappen, besluit uiterlijk, reacties, rugdekking, ...",
    description="One list from every kind of work (`soort`), nearest deadline first (deadlines "
    "in working days, today in Europe/Amsterdam), then the items without one. Only work on "
    "casussen the caller may see, and only what the caller may do; an item carries the kind, "
    "the kenmerk, the deadline and a link, never case content.",
)
async def inbox(
    ctx: Ctx,
    vraag: PaginaDep,
    soort: Annotated[InboxSoort | None, Query(description="Only items of this kind.")] = None,
) -> Pagina[InboxItemUit]:
    return await lezen.inbox(ctx, vraag, soort)


@router.get(
    "/inbox/telling",
    response_model=InboxTellingUit,
    responses=fouten(401),
    summary="How many items my inbox holds, per kind (the counters in the web header)",
)
async def inbox_telling(ctx: Ctx) -> InboxTellingUit:
    return await lezen.telling(ctx)
