"""Verhalen (every medewerker), the registers (beleid, leidinggevenden) and the dashboard."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import policy
from doorbraak.kit import document
from doorbraak.kit.periode import Periode
from doorbraak.leren import lezen as leren
from doorbraak.leren import service as leren_service
from doorbraak.leren.schemas import BeleidssignaalWijziging
from doorbraak.models.enums import SignaalStatus
from doorbraak.organisatie import service as organisatie_service
from doorbraak.organisatie.schemas import RegelversieNieuw
from doorbraak.rapportage import leerrapport
from doorbraak.rapportage import lezen as rapportage
from doorbraak.rapportage.lezen import Registerfilter
from doorbraak.rapportage.schemas import Leerrapport
from doorbraak.web import formulieren, grafieken
from doorbraak.web.formulieren import formulier_met_fout
from doorbraak.web.opmaak import euro, maand
from doorbraak.web.pagina import label, render
from doorbraak.web.paginas.gedeeld import (
    afdelingen,
    keuze,
    pagina_router,
    poging,
    relatief,
    vraag,
)
from doorbraak.web.sessie import Csrf, WebCtx
from doorbraak.werk.context import Werkcontext

router = pagina_router()
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/verhalen", response_class=HTMLResponse)
async def verhalen(request: Request, ctx: WebCtx, cursor: Cursor = None) -> Response:
    pagina = await leren.verhalen(ctx, vraag(request, 20, cursor))
    return render(
        request,
        "verhalen.html",
        {"verhalen": pagina.results, "volgende": relatief(pagina.next), "eerste": bool(cursor)},
    )


Datum = Annotated[str | None, Query(max_length=10)]
AfdelingCode = Annotated[str | None, Query(max_length=50)]
StatusFilter = Annotated[str | None, Query(max_length=30)]


def _datum(waarde: str | None) -> dt.date | None:
    """A date from the filter form; anything that is no date means no filter."""
    try:
        return dt.date.fromisoformat(waarde) if waarde else None
    except ValueError:
        return None


async def _registers_context(
    request: Request,
    ctx: Werkcontext,
    cursor: str | None,
    van: str | None,
    tot: str | None,
    afdeling: str | None,
    status: str | None,
) -> dict[str, Any]:
    policy.mag_registers_lezen(ctx.actor)
    afdelingscodes = {a.code: a.naam for a in await afdelingen(ctx, request)}
    periode = Periode(_datum(van), _datum(tot), afdeling if afdeling in afdelingscodes else None)
    if periode.van and periode.tot and periode.tot < periode.van:
        periode = Periode(None, None, periode.afdeling)
    signaalstatus = keuze(status, SignaalStatus)
    register = await rapportage.afwijkingen_register(
        ctx, Registerfilter(periode=periode), vraag(request, 1)
    )
    signalen = await leren.beleidssignalen(ctx, vraag(request, 25, cursor), signaalstatus, periode)
    return {
        "register": register,
        "signalen": signalen.results,
        "volgende": relatief(signalen.next),
        "eerste": bool(cursor),
        "filter": {
            "van": periode.van.isoformat() if periode.van else "",
            "tot": periode.tot.isoformat() if periode.tot else "",
            "afdeling": periode.afdeling or "",
            "status": signaalstatus.value if signaalstatus else "",
        },
        "afdeling_opties": list(afdelingscodes.items()),
        "status_opties": [(s.value, label(s.value)) for s in SignaalStatus],
        "regelversie_opties": await _versies_per_regel(ctx, signalen.results),
    }


async def _versies_per_regel(
    ctx: Werkcontext, signalen: list[Any]
) -> dict[str, list[tuple[str, str]]]:
    """The versions a signal about a regel can be linked to, per regel on this page."""
    regels = {s.regel.id for s in signalen if s.regel is not None}
    return {
        str(r): [
            (str(v.id), f"Versie {v.nummer}, vanaf {v.geldig_van:%d-%m-%Y}")
            for v in await leren.regelversies(ctx, r)
        ]
        for r in sorted(regels)
    }


@router.get("/registers", response_class=HTMLResponse)
async def registers(
    request: Request,
    ctx: WebCtx,
    cursor: Cursor = None,
    van: Datum = None,
    tot: Datum = None,
    afdeling: AfdelingCode = None,
    status: StatusFilter = None,
) -> Response:
    context = await _registers_context(request, ctx, cursor, van, tot, afdeling, status)
    return render(request, "registers.html", context)


def _versie(form: Any) -> int | None:
    waarde = form.get("versie")
    return int(waarde) if isinstance(waarde, str) and waarde.isdigit() else None


@router.post("/beleidssignalen/{id}/behandelen", response_class=HTMLResponse, dependencies=[Csrf])
async def signaal_behandelen(request: Request, ctx: WebCtx, id: uuid.UUID) -> Response:
    """Beleid's answer to one signal, from the registers page."""
    form = await request.form()

    async def doe() -> None:
        invoer = formulieren.lees(BeleidssignaalWijziging, form)
        await leren_service.signaal_behandelen(ctx, id, invoer, _versie(form))

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse(f"/registers#s-{id}", status_code=303)
    fm = formulier_met_fout(
        request.url.path, form, fout, formulieren.veldnamen(BeleidssignaalWijziging)
    )
    context = await _registers_context(request, ctx, None, None, None, None, None)
    return render(request, "registers.html", context, status=fout.status, formulier=fm)


@router.get("/regels/{id}", response_class=HTMLResponse)
async def regel_pagina(request: Request, ctx: WebCtx, id: uuid.UUID) -> Response:
    return render(request, "regel.html", await _regel_context(ctx, id))


async def _regel_context(ctx: Werkcontext, id: uuid.UUID) -> dict[str, Any]:
    regel = await organisatie_service.regel_of_404(ctx, id)
    wachtend = await leren.signalen_wachtend_op_beleid(ctx, 100)
    return {
        "regel": regel,
        "versies": await leren.regelversies(ctx, id),
        "mag_vaststellen": policy.kan_regelversie_vaststellen(ctx.actor.rollen),
        "signaal_opties": [
            (
                str(s.id),
                f"{s.gemeld_op:%d-%m-%Y} · "
                + (f"afwijking, {label(s.grondslag)}" if s.regel else (s.tekst or "")[:80]),
            )
            for s in wachtend
            if s.regel is None or s.regel.id == id
        ],
    }


@router.post("/regels/{id}/versies", response_class=HTMLResponse, dependencies=[Csrf])
async def regelversie_vaststellen(request: Request, ctx: WebCtx, id: uuid.UUID) -> Response:
    form = await request.form()

    async def doe() -> None:
        invoer = formulieren.lees(RegelversieNieuw, form)
        await leren_service.regelversie_vaststellen(ctx, id, invoer)

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse(f"/regels/{id}#versies", status_code=303)
    fm = formulier_met_fout(request.url.path, form, fout, formulieren.veldnamen(RegelversieNieuw))
    context = await _regel_context(ctx, id)
    return render(request, "regel.html", context, status=fout.status, formulier=fm)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    ctx: WebCtx,
    van: Datum = None,
    tot: Datum = None,
    afdeling: AfdelingCode = None,
) -> Response:
    policy.mag_registers_lezen(ctx.actor)
    afdelingscodes = {a.code: a.naam for a in await afdelingen(ctx, request)}
    periode = Periode(_datum(van), _datum(tot), afdeling if afdeling in afdelingscodes else None)
    if periode.van and periode.tot and periode.tot < periode.van:
        periode = Periode(None, None, periode.afdeling)
    stats = await rapportage.statistieken(ctx, periode)
    per_maand = [
        (m.maand, m.mediaan_werkdagen or 0.0, m.aantal) for m in stats.doorlooptijd_per_maand
    ]
    fasen = [(label(f.fase), float(f.aantal)) for f in stats.casussen_per_fase]
    regels = [(r.regel.titel, float(r.aantal)) for r in stats.top_regels]
    kosten = [
        ("Doormodderen (per jaar)", stats.kosten_doormodderen_per_jaar_cent / 100),
        ("Doorbraak (maatwerk)", stats.kosten_doorbraak_cent / 100),
    ]
    return render(
        request,
        "dashboard.html",
        {
            "stats": stats,
            "per_maand": per_maand,
            "grafiek_doorlooptijd": grafieken.lijndiagram(
                "g-doorlooptijd",
                "Doorlooptijd tot het eerste besluit in werkdagen, per maand",
                "Mediaan aantal werkdagen van aanmelding tot het eerste vastgestelde besluit, per "
                "maand waarin dat besluit viel. De tabel eronder geeft dezelfde getallen.",
                [(maand(m), d) for m, d, _ in per_maand],
                eenheid="",
            ),
            "grafiek_fasen": grafieken.staafdiagram(
                "g-fasen",
                "Casussen per fase",
                "Aantal casussen in elke fase. De tabel eronder geeft dezelfde getallen.",
                fasen,
            ),
            "grafiek_kosten": grafieken.staafdiagram(
                "g-kosten",
                "Doormodderen tegenover doorbraak",
                "Geschatte jaarlijkse kosten van doormodderen over alle casussen, tegenover de "
                "kosten van de vastgestelde maatwerkbesluiten, in euro.",
                kosten,
                kleuren=[grafieken.BALK_2, grafieken.BALK],
                opmaak=lambda w: euro(round(w * 100)),
            ),
            "grafiek_regels": grafieken.staafdiagram(
                "g-regels",
                "Regels waarvan het vaakst is afgeweken",
                "Aantal afwijkingen per regel, de tien meest gebogen regels.",
                regels,
            ),
            "fasen": fasen,
            "kosten": kosten,
            "filter": {
                "van": periode.van.isoformat() if periode.van else "",
                "tot": periode.tot.isoformat() if periode.tot else "",
                "afdeling": periode.afdeling or "",
            },
            "afdeling_opties": list(afdelingscodes.items()),
        },
    )


# --- the learning report: HTML, PDF and the CSV of its tables --------------------------------


async def _leerrapport(
    ctx: Werkcontext, request: Request, van: str | None, tot: str | None, afdeling: str | None
) -> Leerrapport:
    policy.mag_registers_lezen(ctx.actor)
    codes = {a.code for a in await afdelingen(ctx, request)}
    periode = await rapportage.rapportperiode(
        ctx, _datum(van), _datum(tot), afdeling if afdeling in codes else None
    )
    return await rapportage.leerrapport(ctx, periode)


@router.get("/leerrapport", response_class=HTMLResponse)
async def leerrapport_pagina(
    request: Request,
    ctx: WebCtx,
    van: Datum = None,
    tot: Datum = None,
    afdeling: AfdelingCode = None,
) -> Response:
    """The report as a print-ready HTML document, or as PDF (Accept: application/pdf)."""
    rapport = await _leerrapport(ctx, request, van, tot, afdeling)
    gewenst = document.formaat(request.headers.get("accept"))
    inhoud, _ = await leerrapport.maak(rapport, gewenst)
    return document.antwoord(inhoud, gewenst, leerrapport.bestandsnaam(rapport))


@router.get("/leerrapport.pdf")
async def leerrapport_pdf(
    request: Request,
    ctx: WebCtx,
    van: Datum = None,
    tot: Datum = None,
    afdeling: AfdelingCode = None,
) -> Response:
    rapport = await _leerrapport(ctx, request, van, tot, afdeling)
    inhoud, _ = await leerrapport.maak(rapport, document.Formaat.pdf)
    return document.antwoord(inhoud, document.Formaat.pdf, leerrapport.bestandsnaam(rapport))


@router.get("/leerrapport.zip")
async def leerrapport_csv(
    request: Request,
    ctx: WebCtx,
    van: Datum = None,
    tot: Datum = None,
    afdeling: AfdelingCode = None,
) -> Response:
    """The report's tables, one CSV each, in a zip."""
    rapport = await _leerrapport(ctx, request, van, tot, afdeling)
    naam = leerrapport.bestandsnaam(rapport)
    return Response(
        leerrapport.csv_zip(rapport),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{naam}-tabellen.zip"',
            "Cache-Control": "no-store",
        },
    )
