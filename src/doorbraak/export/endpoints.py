"""Export runs: `POST /exports` starts one (beheerder), `GET /exports` lists them."""

from __future__ import annotations

import uuid

from fastapi import BackgroundTasks, Request, Response

from doorbraak.auth.dependencies import Ctx
from doorbraak.export import service
from doorbraak.export.schemas import ExportNieuw, ExportRunUit
from doorbraak.kit.openapi import API_PREFIX, fouten
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.werk.appstaat import appstaat
from doorbraak.werk.router import PaginaDep, api_router
from doorbraak.werk.systeem import Omgeving

router = api_router("exports")


@router.post(
    "/exports",
    status_code=202,
    response_model=ExportRunUit,
    responses=fouten(401, 403, 409),
    summary="Start an export run; it runs after the answer (poll `GET /exports/{id}`)",
)
async def export_starten(
    ctx: Ctx,
    invoer: ExportNieuw,
    request: Request,
    response: Response,
    achtergrond: BackgroundTasks,
) -> ExportRunUit:
    app = appstaat(request)
    run, opdracht = await service.starten(ctx, invoer, ctx.settings, app.engine)
    # Runs once the response is sent, so after the request boundary committed the claim.
    achtergrond.add_task(
        service.achtergrond,
        Omgeving(settings=ctx.settings, engine=app.engine, maker=app.sessionmaker),
        app.http,
        run.id,
        opdracht,
        invoer.leveren,
    )
    response.headers["Location"] = f"{API_PREFIX}/exports/{run.id}"
    return service.run_uit(run)


@router.get("/exports", response_model=Pagina[ExportRunUit], responses=fouten(401, 403))
async def exports_lijst(ctx: Ctx, vraag: PaginaDep) -> Pagina[ExportRunUit]:
    rijen = await service.runs(ctx, vraag)
    return Pagina(
        results=[service.run_uit(r) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.gestart_op, r.id]),
    )


@router.get("/exports/{id}", response_model=ExportRunUit, responses=fouten(401, 403, 404))
async def export_lezen(ctx: Ctx, id: uuid.UUID) -> ExportRunUit:
    return service.run_uit(await service.run_of_404(ctx, id))
