"""Rules of the cost ledger: entries are added, never changed; the nulmeting is taken once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.kosten import repository
from doorbraak.kosten.schemas import KostenregelNieuw
from doorbraak.models import Betrokkene, Casus, Kostennulmeting, Kostenregel
from doorbraak.models.enums import Kostenritme, Kostensoort
from doorbraak.organisatie.service import bestaande_afdeling
from doorbraak.werk.context import Werkcontext, wijziging

RAMINGEN = (Kostensoort.huidig, Kostensoort.dreigend)


def _fout(veld: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": veld, "code": code, "reason": reden}])


def acties(toegang: CasusToegang) -> policy.KostenActies:
    return policy.kosten_acties(toegang.casus, toegang.rechten)


async def _boeken(ctx: Werkcontext, casus_id: int, regel: Kostenregel) -> Kostenregel:
    """Add an entry as the new value of its post and soort: the one in force gets `tot`."""
    await repository.casus_vergrendeld(ctx.session, casus_id)
    await repository.sluit(ctx.session, casus_id, regel.post, [regel.soort], ctx.nu)
    ctx.session.add(regel)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus_id,
        "kosten.geboekt",
        "kostenregel",
        regel.id,
        {
            "post": wijziging(None, regel.post),
            "soort": wijziging(None, regel.soort),
            "ritme": wijziging(None, regel.ritme),
            "bedragCent": wijziging(None, regel.bedrag_cent),
            "peildatum": wijziging(None, regel.peildatum),
        },
    )
    return regel


async def regel_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: KostenregelNieuw
) -> Kostenregel:
    mag = acties(toegang)
    if invoer.soort == Kostensoort.gerealiseerd:
        mag.meten.eis()
        if not invoer.moment:
            raise _fout("moment", "verplicht", "een gerealiseerde kost hoort bij een moment")
    else:
        mag.toevoegen.eis()
        if invoer.moment:
            raise _fout(
                "moment", "alleen-gerealiseerd", "alleen een gerealiseerde kost heeft een moment"
            )
    if invoer.afdeling is not None:
        await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    casus = toegang.casus
    if invoer.post is not None and not await repository.post_bestaat(
        ctx.session, casus.id, invoer.post
    ):
        raise _fout("post", "onbekende-post", "deze casus heeft geen kostenpost met dit id")
    regel = Kostenregel(
        casus_id=casus.id,
        post=invoer.post or uuid.uuid4(),
        omschrijving=invoer.omschrijving,
        leefgebied=invoer.leefgebied,
        afdeling_code=invoer.afdeling,
        soort=invoer.soort,
        ritme=invoer.ritme,
        bedrag_cent=invoer.bedrag_cent,
        peildatum=invoer.peildatum or lokale_datum(ctx.nu),
        moment=invoer.moment,
        toelichting=invoer.toelichting,
        door_id=None if ctx.systeem else ctx.actor.id,
        op=ctx.nu,
    )
    await _boeken(ctx, casus.id, regel)
    if regel.soort == Kostensoort.huidig and regel.ritme == Kostenritme.jaarlijks:
        betrokkene = await ctx.session.get(Betrokkene, regel.post)
        if betrokkene is not None and betrokkene.casus_id == casus.id:
            # The betrokkene shows the current value of its post (denormalised, same transaction).
            betrokkene.kosten_per_jaar_cent = regel.bedrag_cent
            await ctx.session.flush()
    return regel


async def betrokkene_geboekt(ctx: Werkcontext, betrokkene: Betrokkene, nieuw: bool) -> None:
    """A betrokkene's yearly cost, given or changed: the new value of its post."""
    await _boeken(
        ctx,
        betrokkene.casus_id,
        Kostenregel(
            casus_id=betrokkene.casus_id,
            post=betrokkene.id,
            omschrijving=betrokkene.organisatie[:200],
            leefgebied=betrokkene.leefgebied,
            soort=Kostensoort.huidig,
            ritme=Kostenritme.jaarlijks,
            bedrag_cent=betrokkene.kosten_per_jaar_cent,
            peildatum=lokale_datum(ctx.nu),
            door_id=None if ctx.systeem else ctx.actor.id,
            op=ctx.nu,
            toelichting=None if nieuw else "gewijzigd bij de betrokkene",
        ),
    )


async def betrokkene_weg(ctx: Werkcontext, betrokkene: Betrokkene) -> None:
    """A removed betrokkene ends its post's estimates; its history stays in the ledger."""
    await repository.casus_vergrendeld(ctx.session, betrokkene.casus_id)
    await repository.sluit(ctx.session, betrokkene.casus_id, betrokkene.id, RAMINGEN, ctx.nu)


def _som(regels: Sequence[Kostenregel], soort: Kostensoort, ritme: Kostenritme) -> int:
    return sum(r.bedrag_cent for r in regels if r.soort == soort and r.ritme == ritme)


async def nulmeting_nemen(ctx: Werkcontext, casus: Casus) -> Kostennulmeting | None:
    """The baseline, when the casus first leaves in_kaart; a later pass takes none again."""
    if await repository.nulmeting(ctx.session, casus.id) is not None:
        return None
    await repository.casus_vergrendeld(ctx.session, casus.id)
    regels = [r for r in await repository.in_kracht(ctx.session, casus.id) if r.soort in RAMINGEN]
    meting = Kostennulmeting(
        casus_id=casus.id,
        op=ctx.nu,
        huidig_per_jaar_cent=_som(regels, Kostensoort.huidig, Kostenritme.jaarlijks),
        huidig_eenmalig_cent=_som(regels, Kostensoort.huidig, Kostenritme.eenmalig),
        dreigend_per_jaar_cent=_som(regels, Kostensoort.dreigend, Kostenritme.jaarlijks),
        dreigend_eenmalig_cent=_som(regels, Kostensoort.dreigend, Kostenritme.eenmalig),
        posten=[
            {
                "post": str(r.post),
                "afdeling": r.afdeling_code,
                "soort": str(r.soort),
                "ritme": str(r.ritme),
                "bedragCent": r.bedrag_cent,
            }
            for r in regels
        ],
    )
    ctx.session.add(meting)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "kosten.nulmeting",
        "casus",
        casus.kenmerk,
        {
            "huidigPerJaarCent": wijziging(None, meting.huidig_per_jaar_cent),
            "dreigendPerJaarCent": wijziging(None, meting.dreigend_per_jaar_cent),
        },
    )
    return meting
