"""`CasusFromPath`: loads the casus of the URL and applies the visibility rule (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen import repository
from doorbraak.casussen.repository import GeladenCasus
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.errors import Conflict, NietGevonden
from doorbraak.models import Casus
from doorbraak.models.enums import Fase


@dataclass
class CasusToegang:
    geladen: GeladenCasus
    rechten: policy.Casusrechten

    @property
    def casus(self) -> Casus:
        return self.geladen.casus

    def eis_open(self) -> None:
        """A closed casus is read-only until it is reopened."""
        if self.casus.fase == Fase.afgesloten:
            raise Conflict("De casus is afgesloten en alleen nog te lezen.", code="casus-gesloten")


async def casus_uit_pad(
    ctx: Ctx,
    kenmerk: Annotated[str, Path(pattern=KENMERK_PATROON, description="e.g. DB-2026-0042")],
) -> CasusToegang:
    geladen = await repository.laad_casus(ctx.session, ctx.actor, kenmerk)
    if geladen is None:
        raise NietGevonden("Deze casus bestaat niet of is niet zichtbaar voor u.")
    casus = geladen.casus
    ctx.staat.casus_id = casus.id
    laatste = None
    if casus.fase == Fase.afgesloten:
        laatste = await repository.laatste_regiehouder(ctx.session, casus.id)
    rechten = policy.casusrechten(
        ctx.actor,
        casus,
        contactpersoon=geladen.contactpersoon,
        expliciet_lid=geladen.expliciet_lid,
        leidinggevende_deelnemer=geladen.leidinggevende_deelnemer,
        laatste_regiehouder_id=laatste,
    )
    if not rechten.zien:
        raise NietGevonden("Deze casus bestaat niet of is niet zichtbaar voor u.")
    return CasusToegang(geladen=geladen, rechten=rechten)


CasusFromPath = Annotated[CasusToegang, Depends(casus_uit_pad)]
