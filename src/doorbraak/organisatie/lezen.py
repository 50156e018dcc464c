"""The read side of organisatie: afdelingen, medewerkers and the rule catalogue as lists, for
the API endpoints and the web pages alike. No HTTP."""

from __future__ import annotations

from doorbraak.auth import policy
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.models.enums import RechtenverzoekStatus, RegelSoort
from doorbraak.organisatie import rechten, repository
from doorbraak.organisatie.schemas import AfdelingUit, MedewerkerUit, RechtenverzoekUit, RegelUit
from doorbraak.organisatie.service import medewerker_uit, regel_uit
from doorbraak.werk.context import Werkcontext


async def afdelingen(
    ctx: Werkcontext, vraag: PaginaVraag, actief: bool | None = None
) -> Pagina[AfdelingUit]:
    rijen = await repository.afdelingen(ctx.session, vraag, actief)
    return Pagina(
        results=[AfdelingUit.model_validate(r) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.code]),
    )


async def medewerkers(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    *,
    afdeling: str | None = None,
    actief: bool | None = None,
) -> Pagina[MedewerkerUit]:
    rijen = await repository.medewerkers(ctx.session, vraag, afdeling=afdeling, actief=actief)
    return Pagina(
        results=[medewerker_uit(m) for m in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda m: [m.naam, m.id]),
    )


async def regels(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    *,
    soort: RegelSoort | None = None,
    actief: bool | None = None,
    zoek: str | None = None,
) -> Pagina[RegelUit]:
    rijen = await repository.regels(ctx.session, vraag, soort=soort, actief=actief, zoek=zoek)
    return Pagina(
        results=[regel_uit(r.Regel, r.aantal_afwijkingen) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.Regel.titel, r.Regel.id]),
    )


async def rechtenverzoeken(
    ctx: Werkcontext, vraag: PaginaVraag, status: RechtenverzoekStatus | None = None
) -> Pagina[RechtenverzoekUit]:
    """Rechtenverzoeken newest first: for beheerders only."""
    policy.mag_organisatie_beheren(ctx.actor)
    rijen = await repository.rechtenverzoeken(ctx.session, vraag, status)
    return Pagina(
        results=[rechten.verzoek_uit(v) for v in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda v: [v.aangevraagd_op, v.id]),
    )
