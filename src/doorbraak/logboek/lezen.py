"""The read side of the logboek for the auditor: a page of entries and the chain's verification,
as output schemas. The API calls these; the policy check comes first in each."""

from __future__ import annotations

from doorbraak.auth import policy
from doorbraak.db import utcnow
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.logboek import beheer, repository
from doorbraak.logboek.repository import Logboekfilter as Logboekfilter
from doorbraak.logboek.schemas import LogboekRegelUit, LogboekVerificatie
from doorbraak.werk.context import Werkcontext


async def regels(
    ctx: Werkcontext, filter_: Logboekfilter, vraag: PaginaVraag
) -> Pagina[LogboekRegelUit]:
    policy.mag_logboek_lezen(ctx.actor)
    rijen = await repository.regels(ctx.session, filter_, vraag)
    return Pagina(
        results=[
            LogboekRegelUit(
                id=r.id,
                tijdstempel=r.tijdstempel,
                actor=r.actor,
                actie=r.actie,
                object_soort=r.object_soort,
                object_id=r.object_id,
                casus=r.casus_kenmerk,
                resultaat=r.resultaat,
                oorsprong=r.oorsprong,
                doelbinding=r.doelbinding,
                request_id=r.request_id,
                aantal=r.aantal,
                sleutel_id=r.sleutel_id,
                vorige_hash=r.vorige_hash,
                hash=r.hash,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


async def verificatie(ctx: Werkcontext) -> LogboekVerificatie:
    policy.mag_logboek_lezen(ctx.actor)
    uitkomst = await beheer.verifieer_met_checkpoint(ctx.session, ctx.settings)
    return LogboekVerificatie(
        geldig=uitkomst.geldig,
        aantal_regels=uitkomst.aantal,
        eerste_fout_id=uitkomst.eerste_fout_id,
        reden=uitkomst.reden,
        checkpoint_id=uitkomst.checkpoint_id,
        ongesleuteld=uitkomst.ongesleuteld,
        opmerkingen=uitkomst.opmerkingen,
        gecontroleerd_op=utcnow(),
    )
