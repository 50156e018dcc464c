"""Mijn werk: the inbox (what needs my attention), my casussen, my open steps, what waits for
my reactie or my rugdekking, the rugdekkingsverzoeken addressed to me (answered here: the
addressee may not see the whole casus), and how I get e-mail meldingen."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.afpellen import lezen as afpellen
from doorbraak.auth import policy
from doorbraak.inbox import lezen as inbox
from doorbraak.meldingen import lezen as meldingen_lezen
from doorbraak.meldingen import service as meldingen
from doorbraak.meldingen.schemas import MeldingvoorkeurInvoer
from doorbraak.models.enums import StapStatus
from doorbraak.rugdekking import lezen as rugdekking_lezen
from doorbraak.rugdekking import service as rugdekking
from doorbraak.rugdekking.schemas import RugdekkingsverzoekAntwoord
from doorbraak.web import formulieren
from doorbraak.web import lezen as web
from doorbraak.web.formulieren import Formulier, formulier_met_fout, veldnamen
from doorbraak.web.opmaak import AMSTERDAM
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import VERZOEK_OORDELEN, pagina_router, poging, vraag
from doorbraak.web.sessie import Csrf, WebCtx
from doorbraak.werk.context import Werkcontext

router = pagina_router()


def groet(moment: dt.datetime) -> str:
    """Goedemorgen, -middag, -avond or -nacht, by the hour in Amsterdam."""
    uur = moment.astimezone(AMSTERDAM).hour
    if 6 <= uur < 12:
        return "Goedemorgen"
    if 12 <= uur < 18:
        return "Goedemiddag"
    return "Goedenavond" if uur >= 18 else "Goedenacht"


@router.get("/", response_class=HTMLResponse)
async def mijn_werk(request: Request, ctx: WebCtx) -> Response:
    return await _pagina(request, ctx)


async def _pagina(
    request: Request, ctx: Werkcontext, formulier: Formulier | None = None, status: int = 200
) -> Response:
    ik = ctx.actor
    # Every role has an inbox (beleid: the beleidssignalen) and a meldingvoorkeur.
    gedeeld: dict[str, Any] = {
        "groet": groet(ctx.nu),
        "inbox": await inbox.alle_items(ctx),
        "meldingvoorkeur": await meldingen_lezen.voorkeur(ctx),
    }
    if not policy.kan_casus_aanmelden(ik):
        # Beleid, auditor, beheerder, privacy: no casework, so no four empty panels.
        return render(
            request,
            "mijn_werk.html",
            {
                **gedeeld,
                "casuswerk": False,
                "rollen": set(ik.rollen),
                "registerlezer_rol": policy.kan_registers_lezen(ik.rollen),
            },
            formulier=formulier,
            status=status,
        )
    stappen = await afpellen.werklijst(
        ctx, vraag(request), eigenaar=ik.id, te_laat=None, status=None
    )
    open_stappen = [
        (s, s.kenmerk, s.te_laat)
        for s in stappen.results
        if s.status in (StapStatus.open, StapStatus.bezig)
    ]
    return render(
        request,
        "mijn_werk.html",
        {
            **gedeeld,
            "casuswerk": True,
            "casussen": await web.mijn_casussen(ctx),
            "stappen": sorted(open_stappen, key=lambda s: (not s[2], str(s[0].deadline_datum))),
            "reacties": await web.wachten_op_reactie(ctx),
            "rugdekking": await web.wachten_op_rugdekking(ctx),
            "verzoeken": await rugdekking_lezen.open_verzoeken_aan(ctx, ik.id),
            "oordelen": VERZOEK_OORDELEN,
        },
        formulier=formulier,
        status=status,
    )


@router.post(
    "/rugdekkingsverzoeken/{id}/beantwoorden", response_class=HTMLResponse, dependencies=[Csrf]
)
async def verzoek_beantwoorden(request: Request, ctx: WebCtx, id: uuid.UUID) -> Response:
    """The addressee answers a rugdekkingsverzoek: the same service as the API (404 for anyone
    who may not know it, 403 for anyone else, 409 when it is no longer open)."""
    form = await request.form()

    async def doe() -> None:
        invoer = formulieren.lees(RugdekkingsverzoekAntwoord, form)
        # A final action, like rugdekking on the casus page: asked to confirm first.
        formulieren.eis_bevestiging(form)
        await rugdekking.beantwoorden(ctx, id, invoer)

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse("/#verzoeken", status_code=303)
    if fout.status == 404:
        raise fout
    velden = veldnamen(RugdekkingsverzoekAntwoord) | {"bevestigd"}
    fm = formulier_met_fout(request.url.path, form, fout, velden)
    return await _pagina(request, ctx, status=fout.status, formulier=fm)


@router.post("/meldingvoorkeur", response_class=HTMLResponse, dependencies=[Csrf])
async def meldingvoorkeur_zetten(request: Request, ctx: WebCtx) -> Response:
    """How I get e-mail meldingen (direct, dagelijks or uit), from the form on Mijn werk."""
    form = await request.form()
    waarde = form.get("versie")
    versie = int(waarde) if isinstance(waarde, str) and waarde.isdigit() else None

    async def doe() -> None:
        invoer = formulieren.lees(MeldingvoorkeurInvoer, form)
        await meldingen.voorkeur_zetten(ctx, invoer.voorkeur, versie)

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse("/?opgeslagen=meldingen#meldingen", status_code=303)
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(MeldingvoorkeurInvoer))
    return await _pagina(request, ctx, formulier=fm, status=fout.status)
