"""Rules of notities: the casusteam (whoever may change the casus) writes them while it is open;
an @vermelding names a medewerker who can see the casus (need-to-know: a note never reaches
someone outside it), who gets an inbox item and a melding."""

from __future__ import annotations

import re
import uuid

from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.meldingen import service as meldingen
from doorbraak.models import Medewerker, Notitie, Vermelding
from doorbraak.models.enums import MeldingSoort
from doorbraak.notities import repository
from doorbraak.notities.schemas import NotitieNieuw
from doorbraak.werk.context import Werkcontext

# `@karim`, `@p.visser`: the part of an e-mail address before the @, not inside an address.
VERMELDING = re.compile(r"(?<![\w.@])@([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)", re.IGNORECASE)
MAX_VERMELDINGEN = 20


def namen_in(tekst: str) -> list[str]:
    gezien: dict[str, None] = {}
    for naam in VERMELDING.findall(tekst):
        gezien.setdefault(naam.lower(), None)
    return list(gezien)


def _fout(code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": "tekst", "code": code, "reason": reden}])


async def vermelde_medewerkers(
    ctx: Werkcontext, toegang: CasusToegang, tekst: str
) -> list[Medewerker]:
    namen = namen_in(tekst)
    if len(namen) > MAX_VERMELDINGEN:
        raise _fout("te-veel-vermeldingen", f"hoogstens {MAX_VERMELDINGEN} @vermeldingen")
    gevonden = await repository.medewerkers_met_naam(ctx.session, namen)
    per_naam: dict[str, list[Medewerker]] = {}
    for m in gevonden:
        per_naam.setdefault(m.email.split("@", 1)[0].lower(), []).append(m)
    uit: list[Medewerker] = []
    for naam in namen:
        kandidaten = per_naam.get(naam, [])
        if not kandidaten:
            raise _fout("onbekende-vermelding", f"@{naam} is geen actieve medewerker")
        if len(kandidaten) > 1:
            raise _fout("dubbelzinnige-vermelding", f"@{naam} past bij meer dan één medewerker")
        medewerker = kandidaten[0]
        if not await repository.ziet_casus(ctx.session, medewerker, toegang.casus.id):
            raise Conflict(
                f"@{naam} kan deze casus niet zien; voeg eerst iemand toe aan het casusteam "
                "voordat u hem of haar noemt.",
                code="vermelding-buiten-casus",
            )
        uit.append(medewerker)
    return uit


async def notitie_plaatsen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: NotitieNieuw
) -> Notitie:
    toegang.acties.wijzigen.eis()
    vermeld = await vermelde_medewerkers(ctx, toegang, invoer.tekst)
    notitie = Notitie(
        casus_id=toegang.casus.id, auteur_id=ctx.actor.id, tekst=invoer.tekst, aangemaakt_op=ctx.nu
    )
    ctx.session.add(notitie)
    await ctx.session.flush()
    for m in vermeld:
        ctx.session.add(Vermelding(notitie_id=notitie.id, medewerker_id=m.id))
    # The tijdlijn records that a note was placed, not what it says (the conversation is not
    # the audit trail).
    ctx.tijdlijn(toegang.casus.id, "notitie.geplaatst", "notitie", notitie.id, {})
    kenmerk = toegang.casus.kenmerk
    await meldingen.melden(
        ctx, [m.id for m in vermeld], MeldingSoort.genoemd, kenmerk, f"/casussen/{kenmerk}#notities"
    )
    await ctx.session.flush()
    return notitie


async def gezien(ctx: Werkcontext, toegang: CasusToegang, notitie_id: uuid.UUID) -> Notitie:
    """Mark one's own vermelding in a note as seen: it leaves the inbox."""
    if toegang.rechten.alleen_lezen:
        toegang.acties.wijzigen.eis()
    notitie = await repository.notitie(ctx.session, toegang.casus.id, notitie_id)
    if notitie is None:
        raise NietGevonden("Deze notitie bestaat niet bij deze casus.")
    vermelding = await repository.vermelding(ctx.session, notitie.id, ctx.actor.id)
    if vermelding is None:
        raise Conflict("U bent in deze notitie niet genoemd.", code="niet-vermeld")
    if vermelding.gezien_op is None:
        vermelding.gezien_op = ctx.nu
    await ctx.session.flush()
    return notitie
