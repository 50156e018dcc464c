"""Cross-case registers and statistieken (beleid, leidinggevenden)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Query

from doorbraak.auth.dependencies import Ctx
from doorbraak.kit.openapi import fouten
from doorbraak.models.enums import Grondslag
from doorbraak.rapportage import lezen
from doorbraak.rapportage.lezen import Registerfilter
from doorbraak.rapportage.schemas import AfwijkingenRegister, Statistieken
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("rapportage")


@router.get(
    "/afwijkingen",
    response_model=AfwijkingenRegister,
    responses=fouten(401, 403),
    summary="Register of afwijkingen across casussen: counts per regel, grondslag and month",
)
async def afwijkingen_register(
    ctx: Ctx,
    vraag: PaginaDep,
    regel: Annotated[uuid.UUID | None, Query(description="Only afwijkingen of this regel.")] = None,
    grondslag: Grondslag | None = None,
    gemeld_vanaf: Annotated[dt.date | None, Query(alias="gemeldVanaf")] = None,
    gemeld_tot: Annotated[dt.date | None, Query(alias="gemeldTot")] = None,
) -> AfwijkingenRegister:
    filter_ = Registerfilter(
        regel=regel,
        grondslag=grondslag,
        vanaf=gemeld_vanaf,
        tot=gemeld_tot,
    )
    return await lezen.afwijkingen_register(ctx, filter_, vraag)


@router.get(
    "/statistieken",
    response_model=Statistieken,
    responses=fouten(401, 403),
    summary="KPIs: casussen per fase, lead times, costs, regels bent most, knelpunt kinds",
)
async def statistieken(ctx: Ctx) -> Statistieken:
    return await lezen.statistieken(ctx)
