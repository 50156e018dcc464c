"""The read side of casussen: every output of the package is built here, once per resource,
for the API endpoints and the web pages alike. No rules (those are in service.py), no HTTP."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen import fasen, repository
from doorbraak.casussen.repository import Casusfilter
from doorbraak.casussen.schemas import (
    CasusActies,
    CasusSamenvatting,
    CasusUit,
    DeelnameKort,
    FaseOvergangUit,
    TeamlidUit,
    TijdlijnRegelUit,
    VolgendeFase,
    Voorwaarde,
)
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit import bsn as bsn_kit
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, volgende_url
from doorbraak.models import Casus, FaseOvergang
from doorbraak.models.enums import Fase
from doorbraak.organisatie.schemas import MedewerkerRef
from doorbraak.werk.context import Werkcontext

__all__ = [
    "Casusfilter",
    "casus",
    "casuspagina",
    "fase_overgang",
    "fase_overgangen",
    "team",
    "tijdlijn",
    "volgende_fase",
]


async def volgende_fase(
    ctx: Werkcontext, casus: Casus, feiten: fasen.Feiten | None = None
) -> VolgendeFase | None:
    volgende = fasen.volgende_fase(Fase(casus.fase))
    if volgende is None:
        return None
    if feiten is None:
        feiten = await repository.feiten(ctx.session, casus)
    return VolgendeFase(
        fase=volgende,
        open_voorwaarden=[
            Voorwaarde(code=v.code, omschrijving=v.omschrijving)
            for v in fasen.open_voorwaarden(Fase(casus.fase), feiten)
        ],
    )


async def casus(ctx: Werkcontext, toegang: CasusToegang, *, toon_bsn: bool = False) -> CasusUit:
    """The casus as the API and the web show it, with what the actor may do with it."""
    geladen = toegang.geladen
    casus = geladen.casus
    cijfers = await repository.cijfers(ctx.session, casus)
    deelnames = await repository.deelnames_met_namen(ctx.session, casus.id)
    bsn = bsn_kit.maskeer(casus.bsn_laatste4)
    if toon_bsn and casus.bsn_versleuteld is not None:
        policy.eis(toegang.rechten.is_teamlid, "Alleen het casusteam mag het volledige BSN zien.")
        bsn = bsn_kit.ontsleutel(ctx.settings, casus.bsn_versleuteld)
        ctx.logboek("bsn.inzien", "casus", casus.kenmerk, casus.id)
    return CasusUit(
        **_kolommen(casus, CasusUit),
        bsn=bsn,
        regiehouder=MedewerkerRef.model_validate(geladen.regiehouder)
        if geladen.regiehouder
        else None,
        aanmelder=MedewerkerRef.model_validate(geladen.aanmelder),
        deelnames=[
            DeelnameKort(
                afdeling=d.afdeling_code,
                contactpersoon=MedewerkerRef.uit(d.contact_id, d.contact_naam, d.contact_afdeling),
                standpunt=d.standpunt,
            )
            for d in deelnames
        ],
        archiefactie_datum=casus.archiefactiedatum,
        kosten_doormodderen_per_jaar_cent=cijfers.kosten_doormodderen,
        kosten_doorbraak_cent=cijfers.kosten_doorbraak,
        open_escalaties=cijfers.open_escalaties,
        volgende_fase=await volgende_fase(ctx, casus, cijfers.feiten),
        toegestane_acties=CasusActies.model_validate(toegang.acties),
    )


# The columns of a casus that its outputs show under the same name: a new column appears in
# CasusUit / CasusSamenvatting by adding the field to the schema, nothing more.
KOLOMMEN = frozenset(Casus.__table__.columns.keys())
SAMENVATTING = [n for n in CasusSamenvatting.model_fields if n in KOLOMMEN]


def _kolommen(casus: Casus, schema: type[CasusUit]) -> dict[str, Any]:
    return {n: getattr(casus, n) for n in schema.model_fields if n in KOLOMMEN}


def samenvatting(r: Rij) -> CasusSamenvatting:
    return CasusSamenvatting.model_validate(
        {
            **{n: getattr(r, n) for n in SAMENVATTING},
            "regiehouder": MedewerkerRef.uit(r.rh_id, r.rh_naam, r.rh_afdeling),
        }
    )


async def casuspagina(
    ctx: Werkcontext, filter_: Casusfilter, vraag: PaginaVraag
) -> Pagina[CasusSamenvatting]:
    """The casussen this actor may see (the policy's visibility rule, as SQL), newest first."""
    rijen = await repository.lijst(ctx.session, ctx.actor, filter_, vraag, SAMENVATTING)
    return Pagina(
        results=[samenvatting(r) for r in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


async def casusaantal(ctx: Werkcontext, filter_: Casusfilter) -> int:
    """How many casussen the list would show in all (the visibility rule and the filters)."""
    return await repository.aantal(ctx.session, ctx.actor, filter_)


def fase_overgang(overgang: FaseOvergang, door: MedewerkerRef) -> FaseOvergangUit:
    return FaseOvergangUit(
        id=overgang.id,
        van=overgang.van,
        naar=overgang.naar,
        door=door,
        op=overgang.op,
        toelichting=overgang.toelichting,
        afsluitreden=overgang.afsluitreden,
    )


async def fase_overgangen(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[FaseOvergangUit]:
    rijen = await repository.fase_overgangen(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[
            FaseOvergangUit(
                id=r.id,
                van=r.van,
                naar=r.naar,
                door=MedewerkerRef(id=r.door_id, naam=r.door_naam, afdeling=r.door_afdeling),
                op=r.op,
                toelichting=r.toelichting,
                afsluitreden=r.afsluitreden,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.op, r.id]),
    )


async def laatste_wijziging(
    ctx: Werkcontext, toegang: CasusToegang
) -> tuple[str | None, dt.datetime] | None:
    """Who last changed the casus itself and when (for the page of a version conflict)."""
    rij = await repository.laatste_casuswijziging(ctx.session, toegang.casus.id)
    return None if rij is None else (rij.door_naam, rij.op)


async def tijdlijn(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[TijdlijnRegelUit]:
    rijen = await repository.tijdlijn(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=[
            TijdlijnRegelUit(
                id=r.id,
                op=r.op,
                door=MedewerkerRef.uit(r.door_id, r.door_naam, r.door_afdeling),
                actie=r.actie,
                object_soort=r.object_soort,
                object_id=r.object_id,
                wijzigingen=r.wijzigingen,
                toelichting=r.toelichting,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.id]),
    )


async def team(ctx: Werkcontext, toegang: CasusToegang) -> list[TeamlidUit]:
    """Everyone on the casusteam, each once, with every reason they are on it."""
    leden: dict[uuid.UUID, TeamlidUit] = {}
    for r in await repository.casusteam(ctx.session, toegang.casus):
        lid = leden.setdefault(
            r.id,
            TeamlidUit(
                medewerker=MedewerkerRef(id=r.id, naam=r.naam, afdeling=r.afdeling_code), rollen=[]
            ),
        )
        if r.rol not in lid.rollen:
            lid.rollen.append(r.rol)
    return list(leden.values())
