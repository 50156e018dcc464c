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
from doorbraak.rapportage.schemas import AfwijkingenRegister, Leerrapport, Statistieken
from doorbraak.werk.router import AfdelingFilter, PaginaDep, Tot, Van, api_router

router = api_router("rapportage")


@router.get(
    "/afwijkingen",
    response_model=AfwijkingenRegister,
    responses=fouten(401, 403),
    summary="Register of afwijkingen across casussen: counts per regel, version, grondslag, month",
    description="`van`/`tot` filter on the day the afwijking was proposed (Europe/Amsterdam); "
    "`afdeling` on the casussen that afdeling takes part in.",
)
async def afwijkingen_register(
    ctx: Ctx,
    vraag: PaginaDep,
    regel: Annotated[uuid.UUID | None, Query(description="Only afwijkingen of this regel.")] = None,
    grondslag: Grondslag | None = None,
    van: Van = None,
    tot: Tot = None,
    afdeling: AfdelingFilter = None,
    gemeld_vanaf: Annotated[
        dt.date | None, Query(alias="gemeldVanaf", deprecated=True, description="Use van.")
    ] = None,
    gemeld_tot: Annotated[
        dt.date | None, Query(alias="gemeldTot", deprecated=True, description="Use tot.")
    ] = None,
) -> AfwijkingenRegister:
    periode = await lezen.periode_of_400(ctx, van or gemeld_vanaf, tot or gemeld_tot, afdeling)
    filter_ = Registerfilter(regel=regel, grondslag=grondslag, periode=periode)
    return await lezen.afwijkingen_register(ctx, filter_, vraag)


@router.get(
    "/statistieken",
    response_model=Statistieken,
    responses=fouten(401, 403),
    summary="KPIs: casussen per fase, lead times, costs, regels bent most, knelpunt kinds",
    description="Lead times in working days. With `van`/`tot` every figure counts what "
    "happened in the period, next to the period of the same length before; `afdeling` counts "
    "the casussen that afdeling takes part in.",
)
async def statistieken(
    ctx: Ctx, van: Van = None, tot: Tot = None, afdeling: AfdelingFilter = None
) -> Statistieken:
    return await lezen.statistieken(ctx, await lezen.periode_of_400(ctx, van, tot, afdeling))


@router.get(
    "/leerrapport",
    response_model=Leerrapport,
    responses=fouten(401, 403),
    summary="The learning report of a period (default: this calendar year), for beleid",
    description="Signals raised and handled, regels changed with the bends before and after, "
    "top knelpunten, cost and lead times in working days, next to the period before. The web "
    "serves it as HTML, PDF and CSV (/leerrapport); `doorbraak leerrapport` writes the files.",
)
async def leerrapport(
    ctx: Ctx, van: Van = None, tot: Tot = None, afdeling: AfdelingFilter = None
) -> Leerrapport:
    periode = await lezen.rapportperiode(ctx, van, tot, afdeling)
    return await lezen.leerrapport(ctx, periode)
