"""The read side of afpellen: betrokkenen, stappen (with the work list) and knelpunten, built
here once per resource for the API endpoints and the web pages. No rules, no HTTP."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from doorbraak.afpellen import repository
from doorbraak.afpellen.schemas import BetrokkeneUit, KnelpuntUit, StapUit
from doorbraak.afpellen.service import te_laat
from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.huishouden.lezen import Namen
from doorbraak.kit import werkdagen
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, volgende_url
from doorbraak.kit.schema import StapActies
from doorbraak.models import Betrokkene, Casus, Knelpunt, Stap
from doorbraak.models.enums import StapSoort, StapStatus
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


def _acties(s: Stap, casus: Casus, rechten: policy.Casusrechten) -> StapActies:
    return StapActies.model_validate(
        policy.stap_acties(casus, rechten, nazorg=s.soort == StapSoort.nazorg)
    )


def _stap(
    s: Stap,
    kenmerk: str,
    p: Personen,
    dag: dt.date,
    acties: StapActies,
    namen: Namen,
) -> StapUit:
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
        soort=s.soort,
        nazorg_vanaf=s.nazorg_vanaf,
        nazorg_maanden=s.nazorg_maanden,
        uitvoerder=namen.eigenaar(
            door_huishouden=s.door_huishouden,
            huishoudlid_id=s.huishoudlid_id,
            partijdeelname_id=s.partijdeelname_id,
        ),
        te_laat=te_laat(s, dag),
        aangemaakt_op=s.aangemaakt_op,
        afgerond_op=s.afgerond_op,
        versie=s.versie,
        toegestane_acties=acties,
    )


async def _namen(ctx: Werkcontext, stappen: Sequence[Stap]) -> Namen:
    return await Namen.laad(
        ctx, [s.huishoudlid_id for s in stappen], [s.partijdeelname_id for s in stappen]
    )


async def stap(ctx: Werkcontext, toegang: CasusToegang, s: Stap) -> StapUit:
    personen = await Personen.laad(ctx, [s.eigenaar_id])
    acties = _acties(s, toegang.casus, toegang.rechten)
    return _stap(s, toegang.casus.kenmerk, personen, vandaag(ctx), acties, await _namen(ctx, [s]))


async def stappen(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag, *, te_laat: bool | None = None
) -> Pagina[StapUit]:
    dag = vandaag(ctx)
    rijen = await repository.stappen(
        ctx.session, toegang.casus.id, vraag, te_laat=te_laat, vandaag=dag
    )
    p = await Personen.laad(ctx, [s.eigenaar_id for s in rijen])
    namen = await _namen(ctx, rijen)
    return Pagina(
        results=[
            _stap(
                s,
                toegang.casus.kenmerk,
                p,
                dag,
                _acties(s, toegang.casus, toegang.rechten),
                namen,
            )
            for s in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda s: [s.aangemaakt_op, s.id]),
    )


def _rechten(ctx: Werkcontext, rij: Rij) -> policy.Casusrechten:
    """The actor's rights on the casus of a work-list row, as `casus_toegang` derives them
    (a stap's set does not depend on who may reopen the casus)."""
    return policy.casusrechten(
        ctx.actor,
        rij.Casus,
        contactpersoon=bool(rij.contactpersoon),
        expliciet_lid=bool(rij.expliciet_lid),
        leidinggevende_deelnemer=bool(rij.leidinggevende_deelnemer),
    )


async def werklijst(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    *,
    eigenaar: uuid.UUID | None,
    te_laat: bool | None,
    status: StapStatus | None,
) -> Pagina[StapUit]:
    """Steps across the casussen the actor may see (the policy's visibility rule as SQL), each
    with the permission set the casus-level list gives it (rights from the actor's relation to
    each casus, selected with the stap)."""
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
    namen = await _namen(ctx, [r.Stap for r in rijen])
    return Pagina(
        results=[
            _stap(r.Stap, r.kenmerk, p, dag, _acties(r.Stap, r.Casus, _rechten(ctx, r)), namen)
            for r in rijen[: vraag.limit]
        ],
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
