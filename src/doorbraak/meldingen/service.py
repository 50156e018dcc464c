"""Rules of meldingen: who gets one for an event (never the actor, never an inactive
medewerker, nobody whose preference is `uit`), written to the outbox in the event's own unit
of work; and setting one's own preference."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from doorbraak.kit.etag import controleer_versie
from doorbraak.meldingen import repository
from doorbraak.models import Melding, Meldingvoorkeur
from doorbraak.models.enums import MeldingSoort, MeldingVoorkeur
from doorbraak.werk.context import Werkcontext

STANDAARD = MeldingVoorkeur.direct


async def melden(
    ctx: Werkcontext,
    ontvangers: Iterable[uuid.UUID | None],
    soort: MeldingSoort,
    kenmerk: str | None,
    link: str,
) -> list[Melding]:
    """Queue a melding for each recipient. It is written with the event, so it commits or rolls
    back with it; the request boundary wakes the sender after the commit. Loading demo history
    queues none (`ctx.meldingen`)."""
    if not ctx.meldingen:
        return []
    ids = sorted({i for i in ontvangers if i is not None and i != ctx.actor.id})
    actief = [m.id for m in await repository.actieve(ctx.session, ids)]
    voorkeuren = await repository.voorkeuren(ctx.session, actief)
    nieuw = []
    for medewerker_id in actief:
        wijze = voorkeuren.get(medewerker_id, STANDAARD)
        if wijze == MeldingVoorkeur.uit:
            continue
        melding = Melding(
            medewerker_id=medewerker_id,
            soort=soort,
            kenmerk=kenmerk,
            link=link,
            wijze=wijze,
            aangemaakt_op=ctx.nu,
            pogingen=0,
        )
        ctx.session.add(melding)
        nieuw.append(melding)
    if nieuw:
        ctx.staat.meldingen = True
    return nieuw


async def voorkeur_zetten(
    ctx: Werkcontext, voorkeur: MeldingVoorkeur, versie: int | None
) -> Meldingvoorkeur:
    """One's own preference (If-Match: the version read, 0 while the default holds)."""
    huidig = await repository.voorkeur(ctx.session, ctx.actor.id)
    controleer_versie(versie, huidig.versie if huidig is not None else 0)
    if huidig is None:
        huidig = Meldingvoorkeur(medewerker_id=ctx.actor.id, voorkeur=voorkeur, gewijzigd_op=ctx.nu)
        ctx.session.add(huidig)
    else:
        huidig.voorkeur = voorkeur
        huidig.gewijzigd_op = ctx.nu
    await ctx.session.flush()
    return huidig


async def leidinggevenden_op_casus(ctx: Werkcontext, casus_id: int) -> list[uuid.UUID]:
    """Who records an escalatie's outcome: the leidinggevenden of participating afdelingen."""
    return await repository.leidinggevenden_van_deelnemers(ctx.session, casus_id)


async def contactpersonen_op_casus(ctx: Werkcontext, casus_id: int) -> list[uuid.UUID]:
    """Who is asked for a reactie on a new besluit: the contactpersonen of the deelnames."""
    return await repository.contactpersonen(ctx.session, casus_id)
