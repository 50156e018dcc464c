"""Rules of regie (assign and hand over in one step), deelnames and escalaties."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.models import Deelname, Escalatie, Regievoering
from doorbraak.organisatie.service import bestaande_afdeling, bestaande_medewerker
from doorbraak.regie import repository
from doorbraak.regie.schemas import (
    DeelnameNieuw,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieWijziging,
    RegieNieuw,
)
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


async def regie_toewijzen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: RegieNieuw
) -> Regievoering:
    """Assign the first regiehouder, or hand over: the old period ends as the new one starts."""
    toegang.acties.regie_toewijzen.eis()
    casus = toegang.casus
    nieuw = await bestaande_medewerker(ctx, invoer.medewerker, "medewerker")
    if not policy.kan_regie_voeren(nieuw):
        raise OngeldigeInvoer(
            [
                {
                    "name": "medewerker",
                    "code": "geen-casusregisseur",
                    "reason": "alleen een casusregisseur kan regie voeren",
                }
            ]
        )
    huidige = await repository.huidige_regievoering(ctx.session, casus.id)
    nu = ctx.nu
    if huidige is not None:
        if huidige.medewerker_id == nieuw.id:
            raise Conflict("Deze medewerker heeft de regie al.", code="al-regiehouder")
        ontbreekt = [
            {"name": veld, "code": "verplicht", "reason": "verplicht bij een overdracht"}
            for veld in ("reden", "overdrachtsnotitie")
            if not (getattr(invoer, veld) or "").strip()
        ]
        if ontbreekt:
            raise OngeldigeInvoer(
                ontbreekt, "Een overdracht vraagt een reden en een overdrachtsnotitie."
            )
        huidige.tot = nu
        # End the old period first: the unique index allows one open period per casus.
        await _flush_regie(ctx)
    voering = Regievoering(
        casus_id=casus.id,
        medewerker_id=nieuw.id,
        van=nu,
        reden=invoer.reden,
        overdrachtsnotitie=invoer.overdrachtsnotitie,
        toegewezen_door_id=ctx.actor.id,
    )
    ctx.session.add(voering)
    oud = casus.regiehouder_id
    casus.regiehouder_id = nieuw.id
    casus.gewijzigd_op = nu
    ctx.tijdlijn(
        casus.id,
        "regie.overgedragen" if huidige else "regie.toegewezen",
        "regie",
        voering.id,
        {
            "regiehouder": wijziging(str(oud) if oud else None, str(nieuw.id)),
            "regiehouderNaam": wijziging(None, nieuw.naam),
        },
    )
    await _flush_regie(ctx)
    return voering


async def _flush_regie(ctx: Werkcontext) -> None:
    """A concurrent handover changed the same rows first: one wins, the other gets a clear 409."""
    try:
        await ctx.session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "Iemand anders heeft tegelijk de regie toegewezen of overgedragen; haal de regie opnieuw op.",
            code="regie-conflict",
        ) from exc


# --- deelnames ---------------------------------------------------------------------------------


async def deelname_of_404(ctx: Werkcontext, toegang: CasusToegang, afdeling_code: str) -> Deelname:
    deelname = await repository.deelname(ctx.session, toegang.casus.id, afdeling_code)
    if deelname is None:
        raise NietGevonden("Deze afdeling neemt niet deel aan de casus.")
    return deelname


async def deelname_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: DeelnameNieuw
) -> Deelname:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    if invoer.contactpersoon is not None:
        await bestaande_medewerker(ctx, invoer.contactpersoon, "contactpersoon")
    if await repository.deelname(ctx.session, casus.id, invoer.afdeling) is not None:
        raise Conflict("Deze afdeling neemt al deel.", code="bestaat-al")
    deelname = Deelname(
        casus_id=casus.id,
        afdeling_code=invoer.afdeling,
        contactpersoon_id=invoer.contactpersoon,
        standpunt=invoer.standpunt,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(deelname)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "deelname.toegevoegd",
        "deelname",
        invoer.afdeling,
        {
            "afdeling": wijziging(None, invoer.afdeling),
            "contactpersoon": wijziging(None, invoer.contactpersoon),
            "standpunt": wijziging(None, invoer.standpunt),
        },
    )
    return deelname


async def deelname_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    afdeling_code: str,
    invoer: DeelnameWijziging,
    versie: int | None,
) -> Deelname:
    toegang.acties.wijzigen.eis()
    deelname = await deelname_of_404(ctx, toegang, afdeling_code)
    controleer_versie(versie, deelname.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    if "contactpersoon" in gegeven:
        if gegeven["contactpersoon"] is not None:
            await bestaande_medewerker(ctx, gegeven["contactpersoon"], "contactpersoon")
        velden["contactpersoon_id"] = gegeven["contactpersoon"]
    if gegeven.get("standpunt") is not None:
        velden["standpunt"] = gegeven["standpunt"]
    diff = pas_toe(deelname, velden)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "deelname.gewijzigd", "deelname", afdeling_code, diff)
        await ctx.session.flush()
    return deelname


async def deelname_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, afdeling_code: str, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    deelname = await deelname_of_404(ctx, toegang, afdeling_code)
    controleer_versie(versie, deelname.versie)
    # The row goes; its last state stays in the tijdlijn.
    ctx.tijdlijn(
        toegang.casus.id,
        "deelname.verwijderd",
        "deelname",
        afdeling_code,
        {
            "afdeling": wijziging(afdeling_code, None),
            "contactpersoon": wijziging(deelname.contactpersoon_id, None),
            "standpunt": wijziging(deelname.standpunt, None),
        },
    )
    await ctx.session.delete(deelname)
    await ctx.session.flush()


# --- escalaties --------------------------------------------------------------------------------


async def escalatie_of_404(
    ctx: Werkcontext, toegang: CasusToegang, escalatie_id: uuid.UUID
) -> Escalatie:
    escalatie = await repository.escalatie(ctx.session, toegang.casus.id, escalatie_id)
    if escalatie is None:
        raise NietGevonden("Deze escalatie bestaat niet.")
    return escalatie


async def escaleren(ctx: Werkcontext, toegang: CasusToegang, invoer: EscalatieNieuw) -> Escalatie:
    toegang.acties.wijzigen.eis()
    escalatie = Escalatie(
        casus_id=toegang.casus.id,
        niveau=invoer.niveau,
        reden=invoer.reden,
        aangevraagd_door_id=ctx.actor.id,
        aangevraagd_op=ctx.nu,
    )
    ctx.session.add(escalatie)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "escalatie.aangevraagd",
        "escalatie",
        escalatie.id,
        {"niveau": wijziging(None, escalatie.niveau), "reden": wijziging(None, escalatie.reden)},
    )
    return escalatie


async def escalatie_afhandelen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    escalatie_id: uuid.UUID,
    invoer: EscalatieWijziging,
    versie: int | None,
) -> Escalatie:
    toegang.eis_open()
    escalatie = await escalatie_of_404(ctx, toegang, escalatie_id)
    policy.mag_escalatie_afhandelen(ctx.actor, toegang.rechten, escalatie.niveau)
    controleer_versie(versie, escalatie.versie)
    diff = pas_toe(
        escalatie,
        {
            "uitkomst": invoer.uitkomst,
            "afgehandeld_door_id": ctx.actor.id,
            "afgehandeld_op": ctx.nu,
        },
    )
    ctx.tijdlijn(toegang.casus.id, "escalatie.afgehandeld", "escalatie", escalatie.id, diff)
    await ctx.session.flush()
    return escalatie
