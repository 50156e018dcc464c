"""Bijlagen: documents on a casus. Upload as multipart/form-data, download as an attachment
with the type told from its content."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from doorbraak.auth.dependencies import Ctx
from doorbraak.bijlagen import lezen, service, soorten
from doorbraak.bijlagen.schemas import BijlageUit
from doorbraak.casussen.dependencies import CasusFromPath
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.document import download
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("bijlagen")

UPLOAD: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["bestand"],
                    "properties": {
                        "bestand": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file; its name is kept without any path. "
                            f"Accepted by content: {soorten.TOEGESTAAN}.",
                        },
                        "omschrijving": {
                            "type": "string",
                            "maxLength": 500,
                            "description": "What the document is (optional).",
                        },
                    },
                }
            }
        },
    }
}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The content, as an attachment, with the media type told from it.",
        "headers": {
            "Content-Disposition": {
                "description": "`attachment` with the file name.",
                "schema": {"type": "string"},
            }
        },
        # Every type the sniffing accepts (bijlagen/soorten.py), as served: the file's own.
        "content": {
            mediatype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for mediatype in (
                soorten.PDF,
                soorten.PNG,
                soorten.JPEG,
                soorten.DOCX,
                soorten.XLSX,
                soorten.ODT,
                soorten.ODS,
                soorten.TEKST,
            )
        },
    },
    **fouten(401, 404),
}


async def formulier(request: Request, max_velden: int = 1) -> Any:
    """The parsed multipart body: at most one file and `max_velden` text fields. A malformed
    body is a 400; one over the limit stops while it streams in (TransportMiddleware, 413)."""
    try:
        return await request.form(
            max_files=1, max_fields=max_velden, max_part_size=service.MAX_VELD
        )
    except StarletteHTTPException as exc:
        raise OngeldigeInvoer(
            [{"name": "bestand", "code": "ongeldig-formulier", "reason": str(exc.detail)}],
            "Stuur het bestand als multipart/form-data met een deel `bestand`.",
        ) from exc


@router.get(
    "/casussen/{kenmerk}/bijlagen",
    response_model=Pagina[BijlageUit],
    responses=fouten(401, 404),
    summary="The documents of a casus, oldest first (metadata, not the content)",
)
async def bijlagen_lijst(ctx: Ctx, toegang: CasusFromPath, vraag: PaginaDep) -> Pagina[BijlageUit]:
    return await lezen.bijlagen(ctx, toegang, vraag)


@router.post(
    "/casussen/{kenmerk}/bijlagen",
    status_code=201,
    response_model=BijlageUit,
    responses=fouten(401, 403, 404, 409, 413, 415),
    summary="Add a document to a casus (multipart/form-data: `bestand`, optional `omschrijving`)",
    description="The file is typed by its content, not its name or the Content-Type sent: "
    f"{soorten.TOEGESTAAN}. Anything else, a program renamed to `.pdf` included, is a 415 "
    "(`bestandstype-niet-toegestaan`); an empty file a 400 (`leeg-bestand`). Larger than the "
    "setting `bijlage_max_bytes` (default 20 MB): 413 `te-groot`, while the body streams in. "
    "Casusteam only (others 404), on an open casus (409 `casus-gesloten`).",
    openapi_extra=UPLOAD,
)
async def bijlage_toevoegen(
    ctx: Ctx, toegang: CasusFromPath, request: Request, response: Response
) -> BijlageUit:
    service.eis_toevoegen(toegang)
    form = await formulier(request)
    try:
        invoer = await service.uit_formulier(form, ctx.settings)
    finally:
        await form.close()
    bijlage = await service.toevoegen(ctx, toegang, invoer)
    zet_etag(response, bijlage.versie)
    return await lezen.bijlage(ctx, toegang, bijlage)


@router.get(
    "/casussen/{kenmerk}/bijlagen/{id}",
    response_model=BijlageUit,
    responses=fouten(401, 404),
    summary="The metadata of one document",
)
async def bijlage_lezen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, response: Response
) -> BijlageUit:
    bijlage = await service.bijlage_of_404(ctx, toegang, id)
    zet_etag(response, bijlage.versie)
    return await lezen.bijlage(ctx, toegang, bijlage)


@router.get(
    "/casussen/{kenmerk}/bijlagen/{id}/inhoud",
    response_class=Response,
    responses=DOWNLOAD,
    summary="Download a document (an attachment, never shown inline)",
    description="Also on a closed casus, for the casusteam; each download is in the tijdlijn "
    "and the logboek.",
)
async def bijlage_downloaden(ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID) -> Response:
    bijlage, inhoud = await service.downloaden(ctx, toegang, id)
    return download(inhoud, bijlage.mediatype, bijlage.bestandsnaam)


@router.delete(
    "/casussen/{kenmerk}/bijlagen/{id}",
    status_code=204,
    responses=fouten(401, 403, 404, 409, 412, 428),
    summary="Remove a document (final; the tijdlijn keeps that it existed)",
)
async def bijlage_verwijderen(
    ctx: Ctx, toegang: CasusFromPath, id: uuid.UUID, versie: IfMatch
) -> Response:
    await service.verwijderen(ctx, toegang, id, versie)
    return Response(status_code=204)
