"""Rules of leren: leerpunten without culprits, verhalen that identify nobody.

A `succes` with `delen=true` is a proposed verhaal: it needs the household's consent (recorded
with who recorded it and when) and is published organisation-wide only after a second medewerker
of the casus approved it (four-eyes: not its author, not the one who proposed to share it). A
change of its text takes the approval away again. The author, a leidinggevende or the privacy
officer can take a verhaal down at any time, also after the casus is closed.

A `systeem` leerpunt is a beleidssignaal, read across casussen by beleid. Both leave the casus, so
both are refused (400, naming what was found) when their text would identify someone: see
`anonimiteit` (Dutch de-identification; 503 while it is still warming up).
"""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, DoorbraakError, NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.repository import onderdeel
from doorbraak.leren import anonimiteit, repository
from doorbraak.leren.schemas import LeerpuntNieuw, LeerpuntWijziging
from doorbraak.models import Leerpunt
from doorbraak.models.enums import LeerpuntSoort, SignaalStatus
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


class DeidentificatieNietGereed(DoorbraakError):
    status = 503
    code = "deidentificatie-niet-gereed"

    def __init__(self, reden: str) -> None:
        if reden == "bezig":
            detail = (
                "De controle op herkenbare gegevens wordt nog opgestart (dat duurt na een "
                "herstart een minuut of twee). Probeer het zo opnieuw; er is niets opgeslagen."
            )
        else:
            detail = (
                "De controle op herkenbare gegevens is niet beschikbaar (het pakket deduce is "
                "niet geïnstalleerd of niet te laden). Een tekst die de casus verlaat kan nu "
                "niet worden opgeslagen; meld dit aan de beheerder."
            )
        super().__init__(detail)
        self.headers = {"Retry-After": "30"} if reden == "bezig" else {}


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
        try:
            gevonden = anonimiteit.vondsten(
                tekst,
                medewerkers=namen,
                huishouden_naam=toegang.casus.huishouden_naam,
                met_deduce=gaat_naar_buiten,
            )
        except anonimiteit.NietGereed as exc:
            raise DeidentificatieNietGereed(exc.reden) from exc
        for vondst in gevonden:
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
    _eis_toestemming(invoer.delen, invoer.toestemming_huishouden)
    nu = ctx.nu
    leerpunt = Leerpunt(
        casus_id=toegang.casus.id,
        soort=invoer.soort,
        tekst=invoer.tekst,
        voor_wie=invoer.voor_wie,
        delen=invoer.delen,
        gedeeld_op=None,
        auteur_id=ctx.actor.id,
        gedeeld_door_id=ctx.actor.id if invoer.delen else None,
        toestemming_op=nu if invoer.delen else None,
        toestemming_door_id=ctx.actor.id if invoer.delen else None,
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
    tekst_anders = velden.get("tekst", leerpunt.tekst) != leerpunt.tekst or velden.get(
        "voor_wie", leerpunt.voor_wie
    ) != (leerpunt.voor_wie)
    if delen and not leerpunt.delen:
        _eis_toestemming(True, bool(gegeven.get("toestemming_huishouden")))
        velden.update(
            gedeeld_door_id=ctx.actor.id,
            toestemming_op=ctx.nu,
            toestemming_door_id=ctx.actor.id,
            ingetrokken_op=None,
            ingetrokken_door_id=None,
        )
    if not delen and leerpunt.delen:
        velden.update(_niet_meer_gedeeld(ctx))
    elif delen and leerpunt.delen and tekst_anders:
        # Another text is another verhaal: it waits for a second pair of eyes again, and the
        # one who changed it now counts as its author for that approval.
        velden.update(
            gedeeld_op=None, goedgekeurd_op=None, goedgekeurd_door_id=None,
            gedeeld_door_id=ctx.actor.id,
        )  # fmt: skip
    diff = pas_toe(leerpunt, velden)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "leerpunt.gewijzigd", "leerpunt", leerpunt.id, diff)
        await ctx.session.flush()
    return leerpunt


def _eis_toestemming(delen: bool, toestemming: bool) -> None:
    if delen and not toestemming:
        raise OngeldigeInvoer(
            [
                {
                    "name": "toestemmingHuishouden",
                    "code": "toestemming-ontbreekt",
                    "reason": "een verhaal wordt alleen gedeeld met toestemming van het huishouden",
                }
            ],
            "Vraag het huishouden of dit verhaal gedeeld mag worden, en leg die toestemming vast.",
        )


def _niet_meer_gedeeld(ctx: Werkcontext) -> dict[str, Any]:
    return {
        "delen": False,
        "gedeeld_op": None,
        "goedgekeurd_op": None,
        "goedgekeurd_door_id": None,
        "ingetrokken_op": ctx.nu,
        "ingetrokken_door_id": ctx.actor.id,
    }


async def verhaal_goedkeuren(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> Leerpunt:
    """Publish a proposed verhaal: a second medewerker of the casus looked at it. Also after the
    casus closed (a story is often shared at the end). The text is checked again: the staff list
    may have grown since it was written."""
    leerpunt = await leerpunt_of_404(ctx, toegang, id_)
    policy.eis(toegang.rechten.bewerken, "U mag verhalen van deze casus niet goedkeuren.")
    controleer_versie(versie, leerpunt.versie)
    if leerpunt.soort != LeerpuntSoort.succes or not leerpunt.delen:
        raise Conflict("Dit leerpunt is niet voorgesteld om te delen.", code="niet-voorgesteld")
    if leerpunt.goedgekeurd_op is not None:
        raise Conflict("Dit verhaal is al goedgekeurd en gedeeld.", code="al-goedgekeurd")
    policy.mag_verhaal_goedkeuren(ctx.actor, toegang.rechten, leerpunt)
    await _eis_anoniem(
        ctx, toegang, {"tekst": leerpunt.tekst, "voorWie": leerpunt.voor_wie}, gaat_naar_buiten=True
    )
    diff = pas_toe(
        leerpunt,
        {"goedgekeurd_op": ctx.nu, "goedgekeurd_door_id": ctx.actor.id, "gedeeld_op": ctx.nu},
    )
    ctx.tijdlijn(toegang.casus.id, "leerpunt.goedgekeurd", "leerpunt", leerpunt.id, diff)
    await ctx.session.flush()
    return leerpunt


async def verhaal_intrekken(ctx: Werkcontext, id_: uuid.UUID) -> None:
    """Take a verhaal down (no longer shared, no longer in /verhalen or the export), whatever the
    casus's phase. Someone who may not see the casus gets 404 for one that is not published."""
    leerpunt = await repository.leerpunt(ctx.session, id_)
    if leerpunt is None or leerpunt.soort != LeerpuntSoort.succes or not leerpunt.delen:
        raise NietGevonden("Dit verhaal bestaat niet (meer).")
    if not policy.mag_verhaal_intrekken(ctx.actor, leerpunt):
        if leerpunt.gedeeld_op is None:
            raise NietGevonden("Dit verhaal bestaat niet (meer).")
        policy.eis(
            False,
            "Alleen de schrijver, een leidinggevende of de privacyfunctionaris trekt een verhaal in.",
        )
    diff = pas_toe(leerpunt, _niet_meer_gedeeld(ctx))
    ctx.tijdlijn(leerpunt.casus_id, "leerpunt.ingetrokken", "leerpunt", leerpunt.id, diff)
    await ctx.session.flush()
