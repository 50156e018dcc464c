"""Mijn werk: my casussen, my open steps, and what waits for my reactie or my rugdekking."""

from __future__ import annotations

import datetime as dt

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from doorbraak.afpellen import lezen as afpellen
from doorbraak.auth import policy
from doorbraak.models.enums import StapStatus
from doorbraak.web import lezen as web
from doorbraak.web.opmaak import AMSTERDAM
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import pagina_router, vraag
from doorbraak.web.sessie import WebCtx

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
    ik = ctx.actor
    if not policy.kan_casus_aanmelden(ik):
        # Beleid, auditor, beheerder, privacy: no casework, so no four empty panels.
        return render(
            request,
            "mijn_werk.html",
            {
                "groet": groet(ctx.nu),
                "casuswerk": False,
                "rollen": set(ik.rollen),
                "registerlezer_rol": policy.kan_registers_lezen(ik.rollen),
            },
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
            "groet": groet(ctx.nu),
            "casuswerk": True,
            "casussen": await web.mijn_casussen(ctx),
            "stappen": sorted(open_stappen, key=lambda s: (not s[2], str(s[0].deadline_datum))),
            "reacties": await web.wachten_op_reactie(ctx),
            "rugdekking": await web.wachten_op_rugdekking(ctx),
        },
    )
