"""The casus summary and the bestuur memo in the browser: the same documents as the API, as HTML
to print or as PDF (`?formaat=pdf`, a link a browser can follow without an Accept header)."""

from __future__ import annotations

from fastapi import Query, Request, Response

from doorbraak.casussen.toegang import casus_toegang
from doorbraak.kit import document
from doorbraak.kit.document import Formaat
from doorbraak.samenvatting import lezen
from doorbraak.web.paginas.gedeeld import Kenmerk, pagina_router
from doorbraak.web.sessie import WebCtx

router = pagina_router()


def _formaat(formaat: str | None) -> Formaat:
    return Formaat.pdf if formaat == "pdf" else Formaat.html


@router.get("/casussen/{kenmerk}/samenvatting")
async def samenvatting(
    request: Request, ctx: WebCtx, kenmerk: Kenmerk, formaat: str | None = Query(None)
) -> Response:
    toegang = await casus_toegang(ctx, kenmerk)
    gewenst = _formaat(formaat)
    inhoud, _ = await lezen.samenvatting(ctx, toegang, gewenst)
    return document.antwoord(inhoud, gewenst, f"samenvatting-{toegang.casus.kenmerk}")


@router.get("/casussen/{kenmerk}/bestuursmemo")
async def bestuursmemo(
    request: Request, ctx: WebCtx, kenmerk: Kenmerk, formaat: str | None = Query(None)
) -> Response:
    toegang = await casus_toegang(ctx, kenmerk)
    gewenst = _formaat(formaat)
    inhoud, _ = await lezen.bestuursmemo(ctx, toegang, gewenst)
    return document.antwoord(inhoud, gewenst, f"bestuursmemo-{toegang.casus.kenmerk}")
