"""Rules of leren: leerpunten without culprits, verhalen that identify nobody.

A `succes` with `delen=true` is a verhaal, readable organisation-wide. A `systeem` leerpunt is a
beleidssignaal, read across casussen by beleid. Both leave the casus, so both are refused (400,
naming what was found) when their text would identify someone: see `anonimiteit`.
"""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.repository import onderdeel
from doorbraak.leren import anonimiteit, repository
from doorbraak.leren.schemas import LeerpuntNieuw, LeerpuntWijziging
from doorbraak.models import Leerpunt
from doorbraak.models.enums import LeerpuntSoort, SignaalStatus
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


def _bewerkbaar(toegang: CasusToegang) -> None:
    toegang.acties.wijzigen.eis()


async def leerpunt_of_404(ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID) -> Leerpunt:
    leerpunt = await onderdeel(ctx.session, Leerpunt, toegang.casus.id, id_)
    if leerpunt is None:
        raise NietGevonden("Dit leerpunt bestaat niet.")
    return leerpunt


def _regels_van_soort(soort: str, delen: bool, signaal_status: SignaalStatus | None) -> None:
    fouten: list[dict[str, str]] = []
    if delen and soort != LeerpuntSoort.succes:
        fouten.append(
            {
                "name": "delen",
                "code": "alleen-bij-succes",
                "reason": "alleen een succes wordt gedeeld",
            }
        )
    if signaal_status is not None and soort != LeerpuntSoort.systeem:
        fouten.append(
            {
                "name": "signaalStatus",
                "code": "alleen-bij-systeem",
                "reason": "alleen een systeem-leerpunt is een beleidssignaal",
            }
        )
    if fouten:
        raise OngeldigeInvoer(fouten)


async def _eis_anoniem(
    ctx: Werkcontext,
    toegang: CasusToegang,
    velden: dict[str, str | None],
    *,
    gaat_naar_buiten: bool,
) -> None:
    """Refuse a text that leaves the casus when it would identify someone. A BSN is refused in
    every leerpunt: a lesson never needs one, and a BSN may only live in its encrypted field."""
    namen = await repository.medewerkernamen(ctx.session) if gaat_naar_buiten else []
    fouten: list[dict[str, str]] = []
    soorten: list[str] = []
    for veld, tekst in velden.items():
        if not tekst:
            continue
        for vondst in anonimiteit.vondsten(
            tekst, medewerkers=namen, huishouden_naam=toegang.casus.huishouden_naam
        ):
            if not gaat_naar_buiten and vondst != anonimiteit.BSN:
                continue
            fouten.append(
                {"name": veld, "code": vondst.code, "reason": f"bevat {vondst.omschrijving}"}
            )
            if vondst.omschrijving not in soorten:
                soorten.append(vondst.omschrijving)
    if fouten:
        raise OngeldigeInvoer(
            fouten,
            "Deze tekst gaat buiten de casus en mag niemand herkenbaar maken; hij bevat "
            + ", ".join(soorten)
            + ". Haal dat weg en probeer het opnieuw.",
        )


async def leerpunt_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: LeerpuntNieuw
) -> Leerpunt:
    _bewerkbaar(toegang)
    _regels_van_soort(invoer.soort, invoer.delen, invoer.signaal_status)
    systeem = invoer.soort == LeerpuntSoort.systeem
    await _eis_anoniem(
        ctx,
        toegang,
        {"tekst": invoer.tekst, "voorWie": invoer.voor_wie},
        gaat_naar_buiten=invoer.delen or systeem,
    )
    nu = ctx.nu  # one clock reading: shared when written means gedeeld_op == aangemaakt_op
    leerpunt = Leerpunt(
        casus_id=toegang.casus.id,
        soort=invoer.soort,
        tekst=invoer.tekst,
        voor_wie=invoer.voor_wie,
        delen=invoer.delen,
        gedeeld_op=nu if invoer.delen else None,
        signaal_status=(invoer.signaal_status or SignaalStatus.nieuw) if systeem else None,
        aangemaakt_op=nu,
    )
    ctx.session.add(leerpunt)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "leerpunt.toegevoegd",
        "leerpunt",
        leerpunt.id,
        {
            "soort": wijziging(None, leerpunt.soort),
            "tekst": wijziging(None, leerpunt.tekst),
            "delen": wijziging(None, leerpunt.delen),
        },
    )
    return leerpunt


async def leerpunt_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: LeerpuntWijziging,
    versie: int | None,
) -> Leerpunt:
    _bewerkbaar(toegang)
    leerpunt = await leerpunt_of_404(ctx, toegang, id_)
    controleer_versie(versie, leerpunt.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    if gegeven.get("tekst") is not None:
        velden["tekst"] = gegeven["tekst"]
    if "voor_wie" in gegeven:
        velden["voor_wie"] = gegeven["voor_wie"]
    if gegeven.get("delen") is not None:
        velden["delen"] = gegeven["delen"]
    if gegeven.get("signaal_status") is not None:
        velden["signaal_status"] = gegeven["signaal_status"]
    delen = velden.get("delen", leerpunt.delen)
    _regels_van_soort(leerpunt.soort, delen, gegeven.get("signaal_status"))
    await _eis_anoniem(
        ctx,
        toegang,
        {
            "tekst": velden.get("tekst", leerpunt.tekst),
            "voorWie": velden.get("voor_wie", leerpunt.voor_wie),
        },
        gaat_naar_buiten=delen or leerpunt.soort == LeerpuntSoort.systeem,
    )
    if delen != leerpunt.delen:
        velden["gedeeld_op"] = ctx.nu if delen else None
    diff = pas_toe(leerpunt, velden)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "leerpunt.gewijzigd", "leerpunt", leerpunt.id, diff)
        await ctx.session.flush()
    return leerpunt
