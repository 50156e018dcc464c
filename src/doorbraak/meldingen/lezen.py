"""The read side of meldingen: one's own preference."""

from __future__ import annotations

from doorbraak.meldingen import repository
from doorbraak.meldingen.schemas import MeldingvoorkeurUit
from doorbraak.meldingen.service import STANDAARD
from doorbraak.models import Meldingvoorkeur
from doorbraak.werk.context import Werkcontext


def voorkeur_uit(v: Meldingvoorkeur | None) -> MeldingvoorkeurUit:
    if v is None:
        return MeldingvoorkeurUit(voorkeur=STANDAARD, gewijzigd_op=None, versie=0)
    return MeldingvoorkeurUit(voorkeur=v.voorkeur, gewijzigd_op=v.gewijzigd_op, versie=v.versie)


async def voorkeur(ctx: Werkcontext) -> MeldingvoorkeurUit:
    return voorkeur_uit(await repository.voorkeur(ctx.session, ctx.actor.id))
