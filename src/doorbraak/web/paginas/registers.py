"""Verhalen (every medewerker), the registers (beleid, leidinggevenden) and the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse

from doorbraak.auth import policy
from doorbraak.leren import lezen as leren
from doorbraak.rapportage import lezen as rapportage
from doorbraak.rapportage.lezen import Registerfilter
from doorbraak.web import grafieken
from doorbraak.web import lezen as web
from doorbraak.web.opmaak import euro
from doorbraak.web.pagina import label, render
from doorbraak.web.paginas.gedeeld import pagina_router, relatief, vraag
from doorbraak.web.sessie import WebCtx

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


@router.get("/registers", response_class=HTMLResponse)
async def registers(request: Request, ctx: WebCtx, cursor: Cursor = None) -> Response:
    policy.mag_registers_lezen(ctx.actor)
    register = await rapportage.afwijkingen_register(ctx, Registerfilter(), vraag(request, 1))
    signalen = await leren.beleidssignalen(ctx, vraag(request, 25, cursor))
    return render(
        request,
        "registers.html",
        {
            "register": register,
            "signalen": signalen.results,
            "volgende": relatief(signalen.next),
            "eerste": bool(cursor),
        },
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, ctx: WebCtx) -> Response:
    stats = await rapportage.statistieken(ctx)
    per_maand = await web.doorlooptijd_per_maand(ctx)
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
                "Doorlooptijd tot het eerste besluit in dagen, per maand",
                "Gemiddeld aantal dagen van aanmelding tot het eerste vastgestelde besluit, per "
                "maand waarin dat besluit viel. De tabel eronder geeft dezelfde getallen.",
                [(m, d) for m, d, _ in per_maand],
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
        },
    )
