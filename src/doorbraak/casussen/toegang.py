"""Access to one casus: load it, apply the visibility rule of the policy (404 otherwise), and
carry what the actor may do with it. No HTTP here: services, the web and jobs share it."""

from __future__ import annotations

from dataclasses import dataclass

from doorbraak.auth import policy
from doorbraak.casussen import repository
from doorbraak.casussen.repository import GeladenCasus
from doorbraak.errors import NietGevonden
from doorbraak.models import Casus
from doorbraak.models.enums import Fase
from doorbraak.werk.context import Werkcontext

NIET_ZICHTBAAR = "Deze casus bestaat niet of is niet zichtbaar voor u."


@dataclass
class CasusToegang:
    geladen: GeladenCasus
    rechten: policy.Casusrechten

    @property
    def casus(self) -> Casus:
        return self.geladen.casus

    @property
    def acties(self) -> policy.CasusActies:
        """What the actor may do with this casus (the set the API and the web show)."""
        return policy.casus_acties(self.casus, self.rechten)

    @property
    def onderdeel_acties(self) -> policy.OnderdeelActies:
        """What the actor may do with a part of this casus (stap, leerpunt, deelname, ...)."""
        return policy.onderdeel_acties(self.casus, self.rechten)

    def eis_open(self) -> None:
        """A closed casus is read-only until it is reopened."""
        policy.zolang_open(self.casus, policy.TOEGESTAAN).eis()


async def casus_toegang(
    ctx: Werkcontext,
    kenmerk: str,
    *,
    doelbinding: str | None = None,
    lezen: bool = True,
    voor_rugdekking: bool = False,
) -> CasusToegang:
    """Load a casus and what the actor may do with it; 404 when it is not visible.

    `voor_rugdekking`: this read serves a rugdekkingsverzoek (the casus, its besluiten and
    afwijkingen): the addressee of an open verzoek on the casus reads it, with the verzoek as the
    doelbinding in the logboek. Their access ends when the verzoek is closed."""
    geladen = await repository.laad_casus(ctx.session, ctx.actor, kenmerk)
    if geladen is None:
        raise NietGevonden(NIET_ZICHTBAAR)
    casus = geladen.casus
    ctx.staat.casus_id = casus.id
    laatste = geladen.laatste_regiehouder_id if casus.fase == Fase.afgesloten else None
    rechten = policy.casusrechten(
        ctx.actor,
        casus,
        contactpersoon=geladen.contactpersoon,
        expliciet_lid=geladen.expliciet_lid,
        leidinggevende_deelnemer=geladen.leidinggevende_deelnemer,
        laatste_regiehouder_id=laatste,
    )
    if not rechten.zien and voor_rugdekking and lezen:
        verzoek_id = await repository.open_rugdekkingsverzoek(ctx.session, casus.id, ctx.actor.id)
        if verzoek_id is not None:
            ctx.staat.doelbinding = f"rugdekkingsverzoek {verzoek_id}"
            return CasusToegang(geladen=geladen, rechten=policy.rugdekking_inzage(verzoek_id))
    if not rechten.zien:
        inzage = policy.auditor_inzage(ctx.actor, doelbinding, lezen=lezen)
        if inzage is None:
            raise NietGevonden(NIET_ZICHTBAAR)
        rechten = inzage
    return CasusToegang(geladen=geladen, rechten=rechten)


async def casus_voor_verzoek(ctx: Werkcontext, kenmerk: str, verzoek_id: object) -> CasusToegang:
    """The casus of a rugdekkingsverzoek, for its addressee (the caller checked that): their own
    rights when they see the casus anyway, otherwise only the verzoek's purpose."""
    try:
        return await casus_toegang(ctx, kenmerk, lezen=False)
    except NietGevonden:
        geladen = await repository.laad_casus(ctx.session, ctx.actor, kenmerk)
        if geladen is None:
            raise
        ctx.staat.casus_id = geladen.casus.id
        ctx.staat.doelbinding = f"rugdekkingsverzoek {verzoek_id}"
        return CasusToegang(geladen=geladen, rechten=policy.rugdekking_inzage(verzoek_id))
