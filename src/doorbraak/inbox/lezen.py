"""The inbox, read: every source (`BRONNEN`, one per kind of item) asked for the actor's items,
merged in one order (deadline first, then kind and id) and paged with a cursor like every list.

A source is a function (ctx, vandaag) -> items. Most are one query of the inbox repository
(`_uit_query`: the query, the sentence and the casus page's section). Another area plugs in by
adding one: its package's `lezen.py` offers the read, a source here turns its rows into
`InboxItemUit`s with `item` (through a `Bronrij` when the read returns schemas). Every
source answers within need-to-know (the visibility SQL of `auth/policy.py`) and says no more
than the kind, the kenmerk, what is due and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.huishouden import lezen as huishouden_lezen
from doorbraak.inbox import repository
from doorbraak.inbox.schemas import InboxItemUit, InboxTellingUit
from doorbraak.kit import werkdagen
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, ongeldige_cursor, volgende_url
from doorbraak.leren import lezen as leren_lezen
from doorbraak.models import Medewerker
from doorbraak.models.enums import InboxSoort
from doorbraak.rugdekking import lezen as rugdekking_lezen
from doorbraak.werk.context import Werkcontext

# Within this many working days a besluit uiterlijk shows up in the inbox.
BESLUIT_VOORUIT_WERKDAGEN = 5
GEEN_DEADLINE = dt.date(9999, 12, 31)


def vandaag(ctx: Werkcontext) -> dt.date:
    """Today in Amsterdam on the request's clock."""
    return werkdagen.lokale_datum(ctx.nu)


@dataclass(frozen=True)
class Bronrij:
    """An item's row when a source reads through another package's read module (schemas, not
    rows): the four fields `item` reads, so that every item is built in one way."""

    id: object
    kenmerk: str | None
    sinds: dt.datetime
    uiterlijk: dt.date | None = None


def item(
    soort: InboxSoort,
    rij: Any,
    vandaag_: dt.date,
    wat: str,
    link: str,
    *,
    met_termijn: bool = False,
) -> InboxItemUit:
    """`rij` has id, kenmerk, uiterlijk and sinds (a query row or a `Bronrij`); `met_termijn`
    adds how many working days are left to `wat`."""
    uiterlijk: dt.date | None = rij.uiterlijk
    over = None if uiterlijk is None else werkdagen.werkdagen_over(vandaag_, uiterlijk)
    return InboxItemUit(
        soort=soort,
        kenmerk=rij.kenmerk,
        object_id=str(rij.id),
        wat=wat + _termijn(over) if met_termijn else wat,
        uiterlijk=uiterlijk,
        werkdagen_over=over,
        te_laat=uiterlijk is not None and werkdagen.te_laat(uiterlijk, vandaag_),
        sinds=rij.sinds,
        link=link,
    )


def _termijn(over: int | None) -> str:
    if over is None:
        return ""
    if over < 0:
        return f" ({-over} werkdag{'en' if over < -1 else ''} te laat)"
    if over == 0:
        return " (vandaag)"
    return f" (over {over} werkdag{'en' if over > 1 else ''})"


Bron = Callable[[Werkcontext, dt.date], Awaitable[list[InboxItemUit]]]


async def _stappen(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
    grens = werkdagen.laatste_gemiste_deadline(dag)
    rijen = await repository.stappen_te_laat(ctx.session, ctx.actor, grens)
    return [
        item(
            InboxSoort.stap_te_laat, r, dag, "Uw stap is te laat", f"/casussen/{r.kenmerk}#stappen"
        )
        for r in rijen
    ]


async def _besluit_uiterlijk(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
    grens = werkdagen.plus_werkdagen(dag, BESLUIT_VOORUIT_WERKDAGEN)
    rijen = await repository.besluit_uiterlijk(ctx.session, ctx.actor, grens)
    return [
        item(
            InboxSoort.besluit_uiterlijk,
            r,
            dag,
            "Besluit uiterlijk",
            f"/casussen/{r.kenmerk}#besluiten",
            met_termijn=True,
        )
        for r in rijen
    ]


async def _rugdekking(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
    """Rugdekkingsverzoeken addressed to me (read through rugdekking), and the afwijkingen of my
    casusteams that my mandaat may cover now without a verzoek."""
    verzoeken = await rugdekking_lezen.open_verzoeken_aan(ctx, ctx.actor.id)
    gevraagd = {v.afwijking.id for v in verzoeken}
    rijen = await repository.rugdekking_gevraagd(ctx.session, ctx.actor)
    return [
        item(
            InboxSoort.rugdekking_gevraagd,
            Bronrij(id=v.id, kenmerk=v.kenmerk, sinds=v.verzonden_op),
            dag,
            "Een rugdekkingsverzoek is aan u gericht",
            "/#verzoeken",
        )
        for v in verzoeken
    ] + [
        item(
            InboxSoort.rugdekking_gevraagd,
            r,
            dag,
            "Een afwijking wacht op uw rugdekking",
            f"/casussen/{r.kenmerk}#afwijkingen",
        )
        for r in rijen
        if r.id not in gevraagd
    ]


async def _beleidssignalen(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
    """Beleid's work list, read through leren (signals not handled yet; no kenmerk)."""
    signalen = await leren_lezen.signalen_wachtend_op_beleid(ctx, repository.PER_BRON)
    return [
        item(
            InboxSoort.beleidssignaal,
            Bronrij(id=s.id, kenmerk=None, sinds=s.gemeld_op),
            dag,
            "Een beleidssignaal wacht op beleid",
            "/registers#k-signalen",
        )
        for s in signalen
    ]


async def _nazorg(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
    """Nazorg moments due on the actor's casusteams, closed casussen included (the team
    completes them without reopening), read through huishouden."""
    momenten = await huishouden_lezen.nazorg_te_doen(ctx, tot=dag, limit=repository.PER_BRON)
    return [
        item(
            InboxSoort.nazorg,
            Bronrij(
                id=m.stap,
                kenmerk=m.kenmerk,
                uiterlijk=m.verwacht_op,
                # Waiting since the moment came due.
                sinds=dt.datetime.combine(m.verwacht_op, dt.time(), tzinfo=werkdagen.TIJDZONE),
            ),
            dag,
            "Een nazorgmoment is aan de beurt",
            f"/casussen/{m.kenmerk}#stappen",
            met_termijn=True,
        )
        for m in momenten
    ]


@dataclass(frozen=True)
class Inbronning:
    soort: InboxSoort
    bron: Bron


Query = Callable[[AsyncSession, Medewerker], Awaitable[Sequence[Rij]]]


def _uit_query(soort: InboxSoort, query: Query, wat: str, anker: str) -> Inbronning:
    """A source that is one query of the inbox repository: every row an item saying `wat`,
    linking to the casus page at `anker`."""

    async def bron(ctx: Werkcontext, dag: dt.date) -> list[InboxItemUit]:
        rijen = await query(ctx.session, ctx.actor)
        return [item(soort, r, dag, wat, f"/casussen/{r.kenmerk}#{anker}") for r in rijen]

    return Inbronning(soort, bron)


# One source per kind. A kind whose area is not built yet has no source (its items never show).
BRONNEN: list[Inbronning] = [
    Inbronning(InboxSoort.stap_te_laat, _stappen),
    Inbronning(InboxSoort.besluit_uiterlijk, _besluit_uiterlijk),
    _uit_query(
        InboxSoort.reactie_gevraagd,
        repository.reacties_gevraagd,
        "Een besluit wacht op de reactie van uw afdeling",
        "besluiten",
    ),
    Inbronning(InboxSoort.rugdekking_gevraagd, _rugdekking),
    _uit_query(
        InboxSoort.escalatie_afhandelen,
        repository.escalaties_af_te_handelen,
        "Een escalatie wacht op uw uitkomst",
        "regie",
    ),
    Inbronning(InboxSoort.nazorg, _nazorg),
    Inbronning(InboxSoort.beleidssignaal, _beleidssignalen),
    _uit_query(
        InboxSoort.verhaal_beoordelen,
        repository.verhalen_te_beoordelen,
        "Een verhaal wacht op uw goedkeuring",
        "leerpunten",
    ),
    _uit_query(
        InboxSoort.zonder_regiehouder,
        repository.zonder_regiehouder,
        "Casus zonder regiehouder",
        "regie",
    ),
    _uit_query(
        InboxSoort.genoemd, repository.vermeldingen, "U bent genoemd in een notitie", "notities"
    ),
]


def _sleutel(i: InboxItemUit) -> tuple[str, str, str]:
    return ((i.uiterlijk or GEEN_DEADLINE).isoformat(), i.soort.value, i.object_id)


async def alle_items(ctx: Werkcontext, soort: InboxSoort | None = None) -> list[InboxItemUit]:
    """Every item of the actor, in inbox order: the nearest deadline first, then the rest."""
    dag = vandaag(ctx)
    items: list[InboxItemUit] = []
    for b in BRONNEN:
        if soort is None or b.soort == soort:
            items.extend(await b.bron(ctx, dag))
    return sorted(items, key=_sleutel)


def _na_cursor(items: Sequence[InboxItemUit], cursor: list[Any]) -> list[InboxItemUit]:
    if len(cursor) != 3 or not all(isinstance(v, str) for v in cursor):
        raise ongeldige_cursor()
    grens = (cursor[0], cursor[1], cursor[2])
    return [i for i in items if _sleutel(i) > grens]


async def inbox(
    ctx: Werkcontext, vraag: PaginaVraag, soort: InboxSoort | None = None
) -> Pagina[InboxItemUit]:
    items = await alle_items(ctx, soort)
    if vraag.cursor is not None:
        items = _na_cursor(items, vraag.cursor)
    return Pagina(
        results=items[: vraag.limit],
        next=volgende_url(vraag, items, lambda i: list(_sleutel(i))),
    )


def telling_van(items: Sequence[InboxItemUit]) -> InboxTellingUit:
    per_soort: dict[InboxSoort, int] = {}
    for i in items:
        per_soort[i.soort] = per_soort.get(i.soort, 0) + 1
    return InboxTellingUit(
        totaal=len(items), te_laat=sum(1 for i in items if i.te_laat), per_soort=per_soort
    )


async def telling(ctx: Werkcontext) -> InboxTellingUit:
    return telling_van(await alle_items(ctx))
