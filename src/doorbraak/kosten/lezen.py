"""The cost ledger as the API, the web and the summary show it: doormodderen against doorbraak
over one and three years, in total and per paying afdeling.

The rule, counted by hand in tests/test_kosten.py:
- doormodderen (n years) = the nulmeting's huidig costs: yearly x n + one-off (before the nulmeting
  exists: the current estimates). Dreigend costs are a scenario: `doormodderenMetDreiging` adds
  their current estimates, nothing else does.
- doorbraak (n years) = the besluiten (one-off + yearly x n; the vastgestelde, before any the
  newest concept) + what muddling on still costs: per post its latest gerealiseerd cost, else
  its current huidig estimate.
- besparing = doormodderen - doorbraak. Per afdeling the same with the post's paying afdeling and
  the besluiten's kostenverdeling (a besluit without one: its betalende afdeling pays all).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.kit.periode import Periode
from doorbraak.kosten import repository
from doorbraak.kosten.repository import Besluitkosten
from doorbraak.kosten.schemas import (
    AfdelingBesparing,
    Horizon,
    KostenActies,
    KostenoverzichtUit,
    KostenregelUit,
    NulmetingUit,
)
from doorbraak.kosten.service import acties
from doorbraak.models import Kostennulmeting, Kostenregel
from doorbraak.models.enums import Kostenritme, Kostensoort
from doorbraak.organisatie.schemas import MedewerkerRef
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext

HORIZONNEN = (1, 3)


@dataclass(frozen=True)
class Post:
    """One cost as the comparison counts it."""

    post: str
    afdeling: str | None
    soort: Kostensoort
    ritme: Kostenritme
    bedrag_cent: int


def _bedrag(posten: Iterable[Post], jaren: int) -> int:
    return sum(p.bedrag_cent * (jaren if p.ritme == Kostenritme.jaarlijks else 1) for p in posten)


def _besluiten(besluiten: Sequence[Besluitkosten], jaren: int, afdeling: Any = ...) -> int:
    totaal = 0
    for b in besluiten:
        if afdeling is ...:
            totaal += b.eenmalig_cent + b.per_jaar_cent * jaren
        elif b.aandelen:
            totaal += sum(e + j * jaren for a, e, j in b.aandelen if a == afdeling)
        elif b.betalende_afdeling == afdeling:
            totaal += b.eenmalig_cent + b.per_jaar_cent * jaren
    return totaal


@dataclass
class Vergelijking:
    doormodderen: dict[int, int]
    scenario: dict[int, int]
    doorbraak: dict[int, int]
    besparing: dict[int, int]
    nakosten_per_jaar_cent: int | None
    nakosten_peildatum: dt.date | None
    huidig_per_jaar_cent: int
    huidig_eenmalig_cent: int
    dreigend_per_jaar_cent: int
    dreigend_eenmalig_cent: int
    per_afdeling: list[dict[str, Any]] = field(default_factory=list)


def posten_van(regels: Iterable[Kostenregel]) -> list[Post]:
    return [Post(str(r.post), r.afdeling_code, r.soort, r.ritme, r.bedrag_cent) for r in regels]


def posten_van_nulmeting(meting: Kostennulmeting) -> list[Post]:
    return [
        Post(
            str(p["post"]),
            p.get("afdeling"),
            Kostensoort(p["soort"]),
            Kostenritme(p["ritme"]),
            int(p["bedragCent"]),
        )
        for p in meting.posten
    ]


def nakosten(in_kracht: Sequence[Post]) -> list[Post]:
    """What muddling on still costs: per post its gerealiseerd cost in force, else its huidig."""
    gemeten = {p.post for p in in_kracht if p.soort == Kostensoort.gerealiseerd}
    return [
        p
        for p in in_kracht
        if p.soort == Kostensoort.gerealiseerd
        or (p.soort == Kostensoort.huidig and p.post not in gemeten)
    ]


def vergelijk(
    in_kracht: Sequence[Post],
    basis: Sequence[Post] | None,
    besluiten: Sequence[Besluitkosten],
    *,
    gemeten_op: dt.date | None = None,
) -> Vergelijking:
    """The comparison from plain values (`basis`: the nulmeting's posts, None before it)."""
    voor = (
        list(basis)
        if basis is not None
        else [p for p in in_kracht if p.soort != Kostensoort.gerealiseerd]
    )
    huidig = [p for p in voor if p.soort == Kostensoort.huidig]
    # A threat is a scenario about what is still ahead: its current estimate counts.
    dreigend = [p for p in in_kracht if p.soort == Kostensoort.dreigend]
    na = nakosten(in_kracht)
    doormodderen = {n: _bedrag(huidig, n) for n in HORIZONNEN}
    scenario = {n: doormodderen[n] + _bedrag(dreigend, n) for n in HORIZONNEN}
    doorbraak = {n: _besluiten(besluiten, n) + _bedrag(na, n) for n in HORIZONNEN}
    afdelingen = sorted(
        {p.afdeling for p in [*huidig, *na]}
        | {a for b in besluiten for a, _, _ in b.aandelen}
        | {b.betalende_afdeling for b in besluiten if not b.aandelen and b.betalende_afdeling},
        key=lambda a: (a is None, a or ""),
    )
    per_afdeling = []
    for afdeling in afdelingen:
        mod = {n: _bedrag([p for p in huidig if p.afdeling == afdeling], n) for n in HORIZONNEN}
        brk = {
            n: _besluiten(besluiten, n, afdeling)
            + _bedrag([p for p in na if p.afdeling == afdeling], n)
            for n in HORIZONNEN
        }
        per_afdeling.append(
            {
                "afdeling": afdeling,
                "doormodderen": mod,
                "doorbraak": brk,
                "besparing": {n: mod[n] - brk[n] for n in HORIZONNEN},
            }
        )
    huidig_nu = [p for p in in_kracht if p.soort == Kostensoort.huidig]
    dreigend_nu = [p for p in in_kracht if p.soort == Kostensoort.dreigend]
    return Vergelijking(
        doormodderen=doormodderen,
        scenario=scenario,
        doorbraak=doorbraak,
        besparing={n: doormodderen[n] - doorbraak[n] for n in HORIZONNEN},
        nakosten_per_jaar_cent=(
            sum(p.bedrag_cent for p in na if p.ritme == Kostenritme.jaarlijks)
            if gemeten_op is not None
            else None
        ),
        nakosten_peildatum=gemeten_op,
        huidig_per_jaar_cent=sum(
            p.bedrag_cent for p in huidig_nu if p.ritme == Kostenritme.jaarlijks
        ),
        huidig_eenmalig_cent=sum(
            p.bedrag_cent for p in huidig_nu if p.ritme == Kostenritme.eenmalig
        ),
        dreigend_per_jaar_cent=sum(
            p.bedrag_cent for p in dreigend_nu if p.ritme == Kostenritme.jaarlijks
        ),
        dreigend_eenmalig_cent=sum(
            p.bedrag_cent for p in dreigend_nu if p.ritme == Kostenritme.eenmalig
        ),
        per_afdeling=per_afdeling,
    )


def _horizon(bedragen: dict[int, int]) -> Horizon:
    return Horizon(een_jaar_cent=bedragen[1], drie_jaar_cent=bedragen[3])


def regel_uit(r: Kostenregel, door: MedewerkerRef | None) -> KostenregelUit:
    return KostenregelUit(
        id=r.id,
        post=r.post,
        omschrijving=r.omschrijving,
        leefgebied=r.leefgebied,
        afdeling=r.afdeling_code,
        soort=r.soort,
        ritme=r.ritme,
        bedrag_cent=r.bedrag_cent,
        peildatum=r.peildatum,
        moment=r.moment,
        toelichting=r.toelichting,
        door=door,
        op=r.op,
        tot=r.tot,
    )


async def regel(ctx: Werkcontext, r: Kostenregel) -> KostenregelUit:
    p = await Personen.laad(ctx, [r.door_id])
    return regel_uit(r, p.ref(r.door_id))


async def geschiedenis(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[KostenregelUit]:
    rijen = await repository.regels(ctx.session, toegang.casus.id, vraag)
    p = await Personen.laad(ctx, [r.door_id for r in rijen])
    return Pagina(
        results=[regel_uit(r, p.ref(r.door_id)) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


async def vergelijking(
    ctx: Werkcontext, casus_id: int
) -> tuple[Vergelijking, Kostennulmeting | None, Sequence[Kostenregel]]:
    regels = await repository.in_kracht(ctx.session, casus_id)
    meting = await repository.nulmeting(ctx.session, casus_id)
    gemeten = [r.peildatum for r in regels if r.soort == Kostensoort.gerealiseerd]
    uitkomst = vergelijk(
        posten_van(regels),
        posten_van_nulmeting(meting) if meting is not None else None,
        await repository.besluitkosten(ctx.session, casus_id),
        gemeten_op=max(gemeten) if gemeten else None,
    )
    return uitkomst, meting, regels


async def overzicht(ctx: Werkcontext, toegang: CasusToegang) -> KostenoverzichtUit:
    v, meting, regels = await vergelijking(ctx, toegang.casus.id)
    p = await Personen.laad(ctx, [r.door_id for r in regels])
    return KostenoverzichtUit(
        kenmerk=toegang.casus.kenmerk,
        in_kracht=[regel_uit(r, p.ref(r.door_id)) for r in regels],
        nulmeting=NulmetingUit.model_validate(meting) if meting is not None else None,
        huidig_per_jaar_cent=v.huidig_per_jaar_cent,
        huidig_eenmalig_cent=v.huidig_eenmalig_cent,
        dreigend_per_jaar_cent=v.dreigend_per_jaar_cent,
        dreigend_eenmalig_cent=v.dreigend_eenmalig_cent,
        nakosten_per_jaar_cent=v.nakosten_per_jaar_cent,
        gerealiseerd_peildatum=v.nakosten_peildatum,
        doormodderen=_horizon(v.doormodderen),
        doormodderen_met_dreiging=_horizon(v.scenario),
        doorbraak=_horizon(v.doorbraak),
        besparing=_horizon(v.besparing),
        per_afdeling=[
            AfdelingBesparing(
                afdeling=a["afdeling"],
                doormodderen=_horizon(a["doormodderen"]),
                doorbraak=_horizon(a["doorbraak"]),
                besparing=_horizon(a["besparing"]),
            )
            for a in v.per_afdeling
        ],
        toegestane_acties=KostenActies.model_validate(acties(toegang)),
    )


@dataclass
class Totalen:
    """The statistieken's cost figures over all casussen."""

    nulmeting_per_jaar_cent: int
    casussen_met_nulmeting: int
    gerealiseerd_per_jaar_cent: int
    casussen_gemeten: int
    besparing: dict[int, int]


async def totalen(ctx: Werkcontext, periode: Periode = Periode()) -> Totalen:
    """Over the casussen with a nulmeting (those aangemeld in the period, if one is given): its
    sum, the nakosten where measured, and the besparing over one and three years."""
    metingen = await repository.nulmetingen(ctx.session, periode)
    gemeten = set(await repository.gemeten_casussen(ctx.session))
    ids = [m.casus_id for m in metingen]
    per_casus: dict[int, list[Kostenregel]] = defaultdict(list)
    for r in await repository.in_kracht_van(ctx.session, ids):
        per_casus[r.casus_id].append(r)
    besluiten = await repository.besluitkosten_per_casus(ctx.session, ids)
    besparing = dict.fromkeys(HORIZONNEN, 0)
    gerealiseerd = 0
    for m in metingen:
        regels = per_casus.get(m.casus_id, [])
        data = [r.peildatum for r in regels if r.soort == Kostensoort.gerealiseerd]
        v = vergelijk(
            posten_van(regels),
            posten_van_nulmeting(m),
            besluiten.get(m.casus_id, []),
            gemeten_op=max(data) if data else None,
        )
        for n in HORIZONNEN:
            besparing[n] += v.besparing[n]
        if m.casus_id in gemeten and v.nakosten_per_jaar_cent is not None:
            gerealiseerd += v.nakosten_per_jaar_cent
    return Totalen(
        nulmeting_per_jaar_cent=sum(m.huidig_per_jaar_cent for m in metingen),
        casussen_met_nulmeting=len(metingen),
        gerealiseerd_per_jaar_cent=gerealiseerd,
        casussen_gemeten=len(gemeten & {m.casus_id for m in metingen}),
        besparing=besparing,
    )
