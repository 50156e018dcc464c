"""The casussen list with its filters, and aanmelden of a new casus."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import policy
from doorbraak.casussen import lezen as casussen_lezen
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import CasusNieuw
from doorbraak.kit.bsn import bsns_in_tekst, elfproef, zoekhash
from doorbraak.models.enums import Fase, Urgentie, Vertrouwelijkheid
from doorbraak.web import formulieren
from doorbraak.web.formulieren import formulier_met_fout, veldnamen
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import afdelingen, keuze, pagina_router, poging, relatief, vraag
from doorbraak.web.sessie import Csrf, WebCtx

router = pagina_router()
MAX_GESORTEERD = 200
URGENTIE_ORDE = {u: i for i, u in enumerate(reversed(list(Urgentie)))}
DAG_MAX = dt.date.max
# How the list can be ordered: newest first pages through everything; the others order the
# first MAX_GESORTEERD casussen.
SORTERINGEN: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "nieuwste": ("Nieuwste eerst", lambda r: 0),
    "deadline": (
        "Besluit uiterlijk, eerst",
        lambda r: (r.besluit_uiterlijk_datum is None, r.besluit_uiterlijk_datum or DAG_MAX),
    ),
    "urgentie": (
        "Urgentie, hoogste eerst",
        lambda r: (URGENTIE_ORDE.get(r.urgentie, 99), r.kenmerk),
    ),
    "kenmerk": ("Kenmerk", lambda r: r.kenmerk),
}


@router.get("/casussen", response_class=HTMLResponse)
async def casussen_lijst(
    request: Request,
    ctx: WebCtx,
    zoek: Annotated[str | None, Query(max_length=100)] = None,
    fase: Annotated[str | None, Query(max_length=20)] = None,
    urgentie: Annotated[str | None, Query(max_length=20)] = None,
    afdeling: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=10)] = None,
    sorteer: Annotated[str | None, Query(max_length=20)] = None,
    mijn: Annotated[str | None, Query(max_length=5)] = None,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    # A BSN is searched through the POST form below, never through a URL: not searched, not
    # echoed, and the page says where to type it.
    melding = None
    if zoek and bsns_in_tekst(zoek):
        zoek = None
        melding = (
            "Een BSN zoekt u met het veld 'Zoek op BSN'. Een BSN hoort niet in het adres van "
            "een pagina; er is niet op gezocht."
        )
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
        regiehouder=ctx.actor.id if mijn == "ja" else None,
    )
    volgorde = sorteer if sorteer in SORTERINGEN else "nieuwste"
    if volgorde == "nieuwste":
        pagina = await casussen_lezen.casuspagina(ctx, filter_, vraag(request, 25, cursor))
        rijen, volgende = pagina.results, relatief(pagina.next)
    else:
        # Another order than newest first: the first MAX_GESORTEERD in that order, one page.
        pagina = await casussen_lezen.casuspagina(ctx, filter_, vraag(request, MAX_GESORTEERD))
        rijen, volgende = sorted(pagina.results, key=SORTERINGEN[volgorde][1]), None
    aantal = await casussen_lezen.casusaantal(ctx, filter_)
    gefilterd = any((zoek, gekozen_fase, gekozen_urgentie, gekozen_afdeling, status, mijn))
    return render(
        request,
        "casussen.html",
        {
            "rijen": rijen,
            "volgende": volgende,
            "eerste": bool(cursor),
            "aantal": aantal,
            "gefilterd": gefilterd,
            "sorteringen": [(k, v[0]) for k, v in SORTERINGEN.items()],
            "afgekapt": volgorde != "nieuwste" and aantal > MAX_GESORTEERD,
            "max_gesorteerd": MAX_GESORTEERD,
            "mag_aanmelden": policy.kan_casus_aanmelden(ctx.actor),
            "filter": {
                "zoek": zoek or "",
                "fase": gekozen_fase or "",
                "urgentie": gekozen_urgentie or "",
                "afdeling": gekozen_afdeling or "",
                "status": status if status in ("open", "gesloten") else "",
                "sorteer": volgorde,
                "mijn": mijn == "ja",
            },
            "fasen": list(Fase),
            "urgenties": list(Urgentie),
            "afdelingen": alle_afdelingen,
            "melding": melding,
        },
    )


@router.post("/casussen/_zoek", response_class=HTMLResponse, dependencies=[Csrf])
async def casussen_op_bsn(request: Request, ctx: WebCtx) -> Response:
    """Search by BSN as the API's `POST /casussen/_zoek` does: in the body, never echoed back."""
    form = await request.form()
    bsn = re.sub(r"[\s.\-]", "", str(form.get("bsn") or ""))
    rijen: list[Any] = []
    geldig = elfproef(bsn)
    if not geldig:
        melding = "Dit is geen geldig BSN (het moet 9 cijfers zijn en de 11-proef doorstaan)."
    else:
        filter_ = casussen_lezen.Casusfilter(bsn_zoekhash=zoekhash(ctx.settings, bsn))
        rijen = (await casussen_lezen.casuspagina(ctx, filter_, vraag(request, 25))).results
        melding = f"Gezocht op het ingevulde BSN: {len(rijen)} casus(sen) gevonden."
    return render(
        request,
        "casussen.html",
        {
            "rijen": rijen,
            "volgende": None,
            "eerste": False,
            "aantal": len(rijen),
            "gefilterd": True,
            "sorteringen": [(k, v[0]) for k, v in SORTERINGEN.items()],
            "afgekapt": False,
            "max_gesorteerd": MAX_GESORTEERD,
            "mag_aanmelden": policy.kan_casus_aanmelden(ctx.actor),
            "filter": {
                "zoek": "",
                "fase": "",
                "urgentie": "",
                "afdeling": "",
                "status": "",
                "sorteer": "nieuwste",
                "mijn": False,
            },
            "fasen": list(Fase),
            "urgenties": list(Urgentie),
            "afdelingen": await afdelingen(ctx, request),
            "melding": melding,
        },
        status=200 if geldig else 400,
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
        return RedirectResponse(
            f"/casussen/{gemaakt[0]}?gelukt=casus-aangemeld#melding", status_code=303
        )
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(CasusNieuw))
    return render(request, "casus_nieuw.html", nieuw_context(), status=fout.status, formulier=fm)
