"""The casussen list with its filters, and aanmelden of a new casus."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import policy
from doorbraak.casussen import lezen as casussen_lezen
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import CasusNieuw
from doorbraak.models.enums import Fase, Urgentie, Vertrouwelijkheid
from doorbraak.web import formulieren
from doorbraak.web.formulieren import formulier_met_fout, veldnamen
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import afdelingen, keuze, pagina_router, poging, relatief, vraag
from doorbraak.web.sessie import Csrf, WebCtx

router = pagina_router()


@router.get("/casussen", response_class=HTMLResponse)
async def casussen_lijst(
    request: Request,
    ctx: WebCtx,
    zoek: Annotated[str | None, Query(max_length=100)] = None,
    fase: Annotated[str | None, Query(max_length=20)] = None,
    urgentie: Annotated[str | None, Query(max_length=20)] = None,
    afdeling: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=10)] = None,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    gekozen_fase = keuze(fase, Fase)
    gekozen_urgentie = keuze(urgentie, Urgentie)
    alle_afdelingen = await afdelingen(ctx, request)
    gekozen_afdeling = afdeling if afdeling in {a.code for a in alle_afdelingen} else None
    filter_ = casussen_lezen.Casusfilter(
        fase=gekozen_fase,
        urgentie=gekozen_urgentie,
        afdeling=gekozen_afdeling,
        zoek=formulieren.schone_zoektekst(zoek),
        open={"open": True, "gesloten": False}.get(status or ""),
    )
    pagina = await casussen_lezen.casuspagina(ctx, filter_, vraag(request, 25, cursor))
    return render(
        request,
        "casussen.html",
        {
            "rijen": pagina.results,
            "volgende": relatief(pagina.next),
            "eerste": bool(cursor),
            "filter": {
                "zoek": zoek or "",
                "fase": gekozen_fase or "",
                "urgentie": gekozen_urgentie or "",
                "afdeling": gekozen_afdeling or "",
                "status": status if status in ("open", "gesloten") else "",
            },
            "fasen": list(Fase),
            "urgenties": list(Urgentie),
            "afdelingen": alle_afdelingen,
        },
    )


def nieuw_context() -> dict[str, Any]:
    return {"urgenties": list(Urgentie), "vertrouwelijkheden": list(Vertrouwelijkheid)}


@router.get("/casussen/nieuw", response_class=HTMLResponse)
async def casus_nieuw(request: Request, ctx: WebCtx) -> Response:
    policy.mag_casus_aanmelden(ctx.actor)
    return render(request, "casus_nieuw.html", nieuw_context())


@router.post("/casussen/nieuw", response_class=HTMLResponse, dependencies=[Csrf])
async def casus_aanmelden(request: Request, ctx: WebCtx) -> Response:
    form = await request.form()
    gemaakt: list[str] = []

    async def doe() -> None:
        casus = await casussen.aanmelden(ctx, formulieren.lees(CasusNieuw, form))
        gemaakt.append(casus.kenmerk)

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse(f"/casussen/{gemaakt[0]}", status_code=303)
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(CasusNieuw))
    return render(request, "casus_nieuw.html", nieuw_context(), status=fout.status, formulier=fm)
