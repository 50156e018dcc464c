"""The read side of afpellen: betrokkenen, stappen (with the work list) and knelpunten, built
here once per resource for the API endpoints and the web pages. No rules, no HTTP."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from doorbraak.afpellen import repository
from doorbraak.afpellen.schemas import BetrokkeneUit, KnelpuntUit, StapUit
from doorbraak.afpellen.service import te_laat
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit import werkdagen
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, volgende_url
from doorbraak.kit.schema import WijzigActies
from doorbraak.models import Betrokkene, Knelpunt, Stap
from doorbraak.models.enums import StapStatus
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext


def vandaag(ctx: Werkcontext) -> dt.date:
    """Today in Amsterdam on the request's clock: "te laat" turns at local midnight."""
    return werkdagen.lokale_datum(ctx.nu)


def betrokkene(b: Betrokkene) -> BetrokkeneUit:
    return BetrokkeneUit.model_validate(b)


async def betrokkenen(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[BetrokkeneUit]:
    rijen = await repository.betrokkenen(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[betrokkene(b) for b in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda b: [b.aangemaakt_op, b.id]),
    )


def _stap(s: Stap, kenmerk: str, p: Personen, dag: dt.date, acties: WijzigActies | None) -> StapUit:
    return StapUit(
        id=s.id,
        kenmerk=kenmerk,
        titel=s.titel,
        fase=s.fase,
        afdeling=s.afdeling_code,
        eigenaar=p.ref(s.eigenaar_id),
        deadline_datum=s.deadline_datum,
        status=s.status,
        bevinding=s.bevinding,
        te_laat=te_laat(s, dag),
        aangemaakt_op=s.aangemaakt_op,
        afgerond_op=s.afgerond_op,
        versie=s.versie,
        toegestane_acties=acties,
    )


def _acties(toegang: CasusToegang) -> WijzigActies:
    return WijzigActies.model_validate(toegang.onderdeel_acties)


async def stap(ctx: Werkcontext, toegang: CasusToegang, s: Stap) -> StapUit:
    personen = await Personen.laad(ctx, [s.eigenaar_id])
    return _stap(s, toegang.casus.kenmerk, personen, vandaag(ctx), _acties(toegang))


async def stappen(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag, *, te_laat: bool | None = None
) -> Pagina[StapUit]:
    dag, acties = vandaag(ctx), _acties(toegang)
    rijen = await repository.stappen(
        ctx.session, toegang.casus.id, vraag, te_laat=te_laat, vandaag=dag
    )
    p = await Personen.laad(ctx, [s.eigenaar_id for s in rijen])
    return Pagina(
        results=[_stap(s, toegang.casus.kenmerk, p, dag, acties) for s in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda s: [s.aangemaakt_op, s.id]),
    )


async def werklijst(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    *,
    eigenaar: uuid.UUID | None,
    te_laat: bool | None,
    status: StapStatus | None,
) -> Pagina[StapUit]:
    """Steps across the casussen the actor may see (the policy's visibility rule as SQL)."""
    dag = vandaag(ctx)
    rijen: Sequence[Rij] = await repository.werklijst(
        ctx.session,
        ctx.actor,
        vraag,
        eigenaar=eigenaar,
        te_laat=te_laat,
        status=status,
        vandaag=dag,
    )
    p = await Personen.laad(ctx, [r.Stap.eigenaar_id for r in rijen])
    return Pagina(
        results=[_stap(r.Stap, r.kenmerk, p, dag, None) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.Stap.aangemaakt_op, r.Stap.id]),
    )


def knelpunt(k: Knelpunt) -> KnelpuntUit:
    return KnelpuntUit(
        id=k.id,
        soort=k.soort,
        niveau=k.niveau,
        omschrijving=k.omschrijving,
        regel=k.regel_id,
        afdeling=k.afdeling_code,
        status=k.status,
        aangemaakt_op=k.aangemaakt_op,
        versie=k.versie,
    )


async def knelpunten(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[KnelpuntUit]:
    rijen = await repository.knelpunten(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[knelpunt(k) for k in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda k: [k.aangemaakt_op, k.id]),
    )
