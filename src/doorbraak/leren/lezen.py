"""The read side of leren: leerpunten of a casus, shared verhalen and beleidssignalen, built
here once per resource for the API endpoints and the web pages. No HTTP."""

from __future__ import annotations

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, volgende_url
from doorbraak.kit.schema import WijzigActies
from doorbraak.leren import repository
from doorbraak.leren.schemas import BeleidssignaalUit, LeerpuntUit, VerhaalUit
from doorbraak.models import Leerpunt
from doorbraak.models.enums import SignaalStatus
from doorbraak.organisatie.schemas import RegelRef
from doorbraak.werk.context import Werkcontext


def leerpunt(toegang: CasusToegang, lp: Leerpunt) -> LeerpuntUit:
    return LeerpuntUit(
        id=lp.id,
        kenmerk=toegang.casus.kenmerk,
        soort=lp.soort,
        tekst=lp.tekst,
        voor_wie=lp.voor_wie,
        delen=lp.delen,
        gedeeld_op=lp.gedeeld_op,
        signaal_status=lp.signaal_status,
        aangemaakt_op=lp.aangemaakt_op,
        versie=lp.versie,
        toegestane_acties=WijzigActies.model_validate(toegang.onderdeel_acties),
    )


async def leerpunten(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[LeerpuntUit]:
    rijen = await repository.leerpunten(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[leerpunt(toegang, lp) for lp in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda lp: [lp.aangemaakt_op, lp.id]),
    )


async def verhalen(ctx: Werkcontext, vraag: PaginaVraag) -> Pagina[VerhaalUit]:
    policy.mag_verhalen_lezen(ctx.actor)
    rijen = await repository.verhalen(ctx.session, vraag)
    return Pagina(
        results=[
            VerhaalUit(id=r.id, tekst=r.tekst, voor_wie=r.voor_wie, gedeeld_op=r.gedeeld_op)
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.gedeeld_op, r.id]),
    )


def _signaal(r: Rij) -> BeleidssignaalUit:
    regel = None
    if r.regel_id is not None:
        regel = RegelRef(id=r.regel_id, titel=r.regel_titel, regeling=r.regeling, artikel=r.artikel)
    return BeleidssignaalUit(
        id=r.id,
        bron=r.bron,
        tekst=r.tekst,
        voor_wie=r.voor_wie,
        regel=regel,
        grondslag=r.grondslag,
        risico=r.risico,
        signaal_status=r.signaal_status,
        gemeld_op=r.gemeld_op,
    )


async def beleidssignalen(
    ctx: Werkcontext, vraag: PaginaVraag, signaal_status: SignaalStatus | None = None
) -> Pagina[BeleidssignaalUit]:
    policy.mag_registers_lezen(ctx.actor)
    rijen = await repository.beleidssignalen(ctx.session, vraag, signaal_status)
    return Pagina(
        results=[_signaal(r) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.gemeld_op, r.id]),
    )
