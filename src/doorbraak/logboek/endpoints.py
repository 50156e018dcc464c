"""`GET /logboek` and `GET /logboek/verificatie`: the audit log for the auditor only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Query, Request

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.db import utcnow
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina, volgende_url
from doorbraak.logboek import beheer, repository
from doorbraak.logboek.schemas import LogboekRegelUit, LogboekVerificatie
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("logboek")


def _utc(waarde: dt.datetime | None, naam: str) -> dt.datetime | None:
    if waarde is None:
        return None
    if waarde.tzinfo is None:
        raise OngeldigeInvoer(
            [{"name": naam, "code": "tijdzone-ontbreekt", "reason": "geef een tijdzone (Z)"}]
        )
    return waarde.astimezone(dt.UTC)


@router.get(
    "/logboek",
    response_model=Pagina[LogboekRegelUit],
    responses=fouten(401, 403),
    summary="The security audit log (auditor only), newest first",
    description=(
        "Every request that touches personal data, reads and refusals included. Whether the hash "
        "chain is intact is reported by `GET /logboek/verificatie`."
    ),
)
async def logboek_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    casus: Annotated[
        str | None, Query(pattern=KENMERK_PATROON, description="Kenmerk of a casus.")
    ] = None,
    actor: Annotated[uuid.UUID | None, Query(description="Medewerker id.")] = None,
    vanaf: Annotated[
        dt.datetime | None, Query(description="From this instant (inclusive, with zone).")
    ] = None,
    tot: Annotated[
        dt.datetime | None, Query(description="Up to this instant (exclusive, with zone).")
    ] = None,
) -> Pagina[LogboekRegelUit]:
    policy.mag_logboek_lezen(ctx.actor)
    filter_ = repository.Logboekfilter(
        casus_kenmerk=casus,
        actor=str(actor) if actor else None,
        vanaf=_utc(vanaf, "vanaf"),
        tot=_utc(tot, "tot"),
    )
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


@router.get(
    "/logboek/verificatie",
    response_model=LogboekVerificatie,
    responses=fouten(401, 403),
    summary="Verify the keyed hash chain of the logboek (auditor only)",
    description=(
        "Walks the whole chain, checks every entry's HMAC, and holds the chain against the "
        "newest signed checkpoint in the checkpoint folder: reports the first entry whose link "
        "or content is off, and a chain that was cut short, emptied or recomputed."
    ),
)
async def logboek_verificatie(ctx: Ctx, request: Request) -> LogboekVerificatie:
    policy.mag_logboek_lezen(ctx.actor)
    uitkomst = await beheer.verifieer_met_checkpoint(ctx.session, request.app.state.settings)
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
