"""The casus summary and the bestuur memo as documents: `Accept: text/html` or `application/pdf`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.kit import document
from doorbraak.kit.openapi import fouten
from doorbraak.samenvatting import lezen
from doorbraak.werk.router import api_router

router = api_router("samenvatting")

DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document, as asked for with the Accept header.",
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **fouten(401, 404, 406),
}
AcceptHeader = Annotated[
    str | None,
    Header(description="`text/html` (default, with a print stylesheet) or `application/pdf`."),
]


@router.get(
    "/casussen/{kenmerk}/samenvatting",
    response_class=Response,
    responses=DOCUMENT,
    summary="The casus summary for the doorbraaktafel, as HTML or PDF",
    description="Situatie, perspectief, doorbraak, standpunten side by side, the cost comparison, "
    "knelpunten, the proposed besluit with its afwijkingen and waardentoets, and who has (not "
    "yet) reacted. The BSN is masked; staff are named only for a reader on the casusteam. Each "
    "generation is written to the logboek. 503 `pdf-niet-beschikbaar` when this installation "
    "cannot make PDFs.",
)
async def samenvatting_lezen(
    ctx: Ctx, toegang: CasusFromPath, accept: AcceptHeader = None
) -> Response:
    formaat = document.formaat(accept)
    inhoud, _ = await lezen.samenvatting(ctx, toegang, formaat)
    return document.antwoord(inhoud, formaat, f"samenvatting-{toegang.casus.kenmerk}")


@router.get(
    "/casussen/{kenmerk}/bestuursmemo",
    response_class=Response,
    responses={**DOCUMENT, **fouten(401, 404, 406, 409)},
    summary="The bestuur memo for a besluit with afwijkingen buiten kader, as HTML or PDF",
    description="409 `geen-afwijking-buiten-kader` when the besluit on the table has none. No "
    "household name and no BSN in it.",
)
async def bestuursmemo_lezen(
    ctx: Ctx, toegang: CasusFromPath, accept: AcceptHeader = None
) -> Response:
    formaat = document.formaat(accept)
    inhoud, _ = await lezen.bestuursmemo(ctx, toegang, formaat)
    return document.antwoord(inhoud, formaat, f"bestuursmemo-{toegang.casus.kenmerk}")
