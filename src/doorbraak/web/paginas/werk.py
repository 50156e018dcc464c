"""Mijn werk: the inbox (what needs my attention), my casussen, my open steps, and what waits for my reactie or my rugdekking."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from doorbraak.afpellen import lezen as afpellen
from doorbraak.inbox import lezen as inbox
from doorbraak.models.enums import StapStatus
from doorbraak.web import lezen as web
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import pagina_router, vraag
from doorbraak.web.sessie import WebCtx

router = pagina_router()


@router.get("/", response_class=HTMLResponse)
async def mijn_werk(request: Request, ctx: WebCtx) -> Response:
    ik = ctx.actor
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
            "inbox": await inbox.alle_items(ctx),
            "casussen": await web.mijn_casussen(ctx),
            "stappen": sorted(open_stappen, key=lambda s: (not s[2], str(s[0].deadline_datum))),
            "reacties": await web.wachten_op_reactie(ctx),
            "rugdekking": await web.wachten_op_rugdekking(ctx),
        },
    )
