"""Four-eyes on privileges: nobody raises anyone's privileges alone, nobody their own.

Granting beheerder, auditor, leidinggevende or privacy, or raising a mandaat, is a rechtenverzoek of one
beheerder that a second beheerder approves; only the approval changes the medewerker. So is
changing the e-mail address or OIDC subject of a medewerker who holds such a role or a mandaat:
pointing that account at an identity of one's own would hand oneself its rights. Lowering
privileges stays a direct change (PATCH /medewerkers/{id}). Every step is in the logboek:
the request's own entry, and `rechten.aangevraagd` / `rechten.toegekend` / `rechten.afgewezen`
naming the medewerker concerned.
"""

from __future__ import annotations

import uuid

from doorbraak.auth import policy
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.models import Medewerker, Rechtenverzoek
from doorbraak.models.enums import RechtenverzoekStatus
from doorbraak.organisatie import repository
from doorbraak.organisatie.schemas import (
    Mandaat,
    RechtenverzoekBeoordeling,
    RechtenverzoekNieuw,
    RechtenverzoekOordeel,
    RechtenverzoekUit,
)
from doorbraak.werk.context import Werkcontext, pas_toe


def verzoek_uit(v: Rechtenverzoek) -> RechtenverzoekUit:
    return RechtenverzoekUit.model_validate(
        {
            "id": v.id,
            "medewerker": v.medewerker_id,
            "rollen": v.rollen,
            "mandaat": Mandaat.model_validate(
                {
                    "max_bedrag_cent": v.mandaat_max_bedrag_cent,
                    "max_risico": v.mandaat_max_risico,
                    "afdelingen": v.mandaat_afdelingen or [],
                    "regelingen": v.mandaat_regelingen or [],
                }
            ),
            "email": v.email,
            "oidc_sub": v.oidc_sub,
            "toelichting": v.toelichting,
            "aangevraagd_door": v.aangevraagd_door_id,
            "aangevraagd_op": v.aangevraagd_op,
            "status": v.status,
            "beoordeeld_door": v.beoordeeld_door_id,
            "beoordeeld_op": v.beoordeeld_op,
            "beoordeling_toelichting": v.beoordeling_toelichting,
            "versie": v.versie,
        }
    )


def controleer_directe_wijziging(
    actor: Medewerker,
    medewerker: Medewerker | None,
    rollen: list[str] | None,
    bedrag: int | None,
    risico: str | None,
    risico_gegeven: bool,
    afdelingen: list[str] | None = None,
    regelingen: list[str] | None = None,
) -> None:
    """A direct change (POST or PATCH of a medewerker) may lower privileges, never raise them,
    and never touch one's own."""
    huidig_rollen: list[str] = medewerker.rollen if medewerker else []
    huidig_bedrag = medewerker.mandaat_max_bedrag_cent if medewerker else 0
    huidig_risico = medewerker.mandaat_max_risico if medewerker else None
    nieuw_rollen = rollen if rollen is not None else huidig_rollen
    nieuw_bedrag = bedrag if bedrag is not None else huidig_bedrag
    nieuw_risico = risico if risico_gegeven else huidig_risico
    huidig_afd = list(medewerker.mandaat_afdelingen or []) if medewerker else []
    huidig_reg = list(medewerker.mandaat_regelingen or []) if medewerker else []
    nieuw_afd = afdelingen if afdelingen is not None else huidig_afd
    nieuw_reg = regelingen if regelingen is not None else huidig_reg
    verandert = (
        sorted(nieuw_rollen) != sorted(huidig_rollen)
        or nieuw_bedrag != huidig_bedrag
        or nieuw_risico != huidig_risico
        or sorted(nieuw_afd) != sorted(huidig_afd)
        or sorted(nieuw_reg) != sorted(huidig_reg)
    )
    if medewerker is not None and verandert:
        policy.mag_eigen_rechten_niet_wijzigen(actor, medewerker.id)
    # A new medewerker starts without a mandaat: any scope is then no widening of it.
    if policy.verhoogt_rechten(
        huidig_rollen, huidig_bedrag, huidig_risico, nieuw_rollen, nieuw_bedrag, nieuw_risico
    ) or (
        medewerker is not None
        and huidig_risico is not None
        and policy.verbreedt_scope(huidig_afd, huidig_reg, nieuw_afd, nieuw_reg)
    ):
        raise policy.vier_ogen_vereist()


def controleer_identiteitswijziging(
    actor: Medewerker, medewerker: Medewerker, email: str | None, oidc_sub: str | None
) -> None:
    """A direct change (PATCH) of the identity a medewerker signs in with: never one's own, and
    for a privileged medewerker only through a rechtenverzoek. `email`/`oidc_sub`: the new
    values where they differ from the current ones, else None."""
    if email is None and oidc_sub is None:
        return
    policy.mag_eigen_identiteit_niet_wijzigen(actor, medewerker.id)
    if policy.identiteit_vraagt_vier_ogen(medewerker):
        raise policy.vier_ogen_identiteit_vereist()


async def controleer_identiteit_vrij(
    ctx: Werkcontext, medewerker: Medewerker, email: str | None, oidc_sub: str | None
) -> None:
    """A new e-mail address or OIDC subject belongs to nobody else yet (409 `bestaat-al`)."""
    if email is not None:
        ander = await repository.medewerker_bij_email(ctx.session, email)
        if ander is not None and ander.id != medewerker.id:
            raise Conflict("Er bestaat al een medewerker met dit e-mailadres.", code="bestaat-al")
    if oidc_sub is not None:
        ander = await repository.medewerker_bij_oidc_sub(ctx.session, oidc_sub)
        if ander is not None and ander.id != medewerker.id:
            raise Conflict("Er bestaat al een medewerker met dit OIDC-subject.", code="bestaat-al")


async def aanvragen(ctx: Werkcontext, invoer: RechtenverzoekNieuw) -> Rechtenverzoek:
    policy.mag_organisatie_beheren(ctx.actor)
    medewerker = await repository.medewerker(ctx.session, invoer.medewerker)
    if medewerker is None or not medewerker.actief:
        raise OngeldigeInvoer(
            [
                {
                    "name": "medewerker",
                    "code": "onbekende-medewerker",
                    "reason": "onbekende of inactieve medewerker",
                }
            ]
        )
    policy.mag_eigen_rechten_niet_wijzigen(ctx.actor, medewerker.id)
    rollen = [r.value for r in invoer.rollen] if invoer.rollen is not None else medewerker.rollen
    if invoer.mandaat is not None:
        bedrag = invoer.mandaat.max_bedrag_cent
        risico = invoer.mandaat.max_risico
        afdelingen, regelingen = list(invoer.mandaat.afdelingen), list(invoer.mandaat.regelingen)
        onbekend = [
            {"name": f"mandaat.afdelingen.{i}", "code": "onbekende-afdeling", "reason": code}
            for i, code in enumerate(afdelingen)
            if await repository.afdeling(ctx.session, code) is None
        ]
        if onbekend:
            raise OngeldigeInvoer(onbekend)
    else:
        bedrag, risico = medewerker.mandaat_max_bedrag_cent, medewerker.mandaat_max_risico
        afdelingen = list(medewerker.mandaat_afdelingen or [])
        regelingen = list(medewerker.mandaat_regelingen or [])
    email = invoer.email if invoer.email not in (None, medewerker.email) else None
    oidc_sub = invoer.oidc_sub if invoer.oidc_sub not in (None, medewerker.oidc_sub) else None
    await controleer_identiteit_vrij(ctx, medewerker, email, oidc_sub)
    if (
        email is None
        and oidc_sub is None
        and sorted(rollen) == sorted(medewerker.rollen)
        and bedrag == medewerker.mandaat_max_bedrag_cent
        and risico == medewerker.mandaat_max_risico
        and afdelingen == sorted(medewerker.mandaat_afdelingen or [])
        and regelingen == sorted(medewerker.mandaat_regelingen or [])
    ):
        raise OngeldigeInvoer(
            [{"name": "rollen", "code": "geen-wijziging", "reason": "verandert niets"}]
        )
    verzoek = Rechtenverzoek(
        medewerker_id=medewerker.id,
        medewerker_versie=medewerker.versie,
        rollen=sorted(rollen),
        mandaat_max_bedrag_cent=bedrag,
        mandaat_max_risico=risico,
        mandaat_afdelingen=afdelingen,
        mandaat_regelingen=regelingen,
        email=email,
        oidc_sub=oidc_sub,
        toelichting=invoer.toelichting,
        aangevraagd_door_id=ctx.actor.id,
        aangevraagd_op=ctx.nu,
        status=RechtenverzoekStatus.open,
    )
    ctx.session.add(verzoek)
    await ctx.session.flush()
    ctx.logboek("rechten.aangevraagd", "medewerker", medewerker.id)
    return verzoek


async def verzoek_of_404(ctx: Werkcontext, verzoek_id: uuid.UUID) -> Rechtenverzoek:
    policy.mag_organisatie_beheren(ctx.actor)
    verzoek = await repository.rechtenverzoek(ctx.session, verzoek_id)
    if verzoek is None:
        raise NietGevonden("Dit rechtenverzoek bestaat niet.")
    return verzoek


async def beoordelen(
    ctx: Werkcontext,
    verzoek_id: uuid.UUID,
    invoer: RechtenverzoekBeoordeling,
) -> Rechtenverzoek:
    verzoek = await verzoek_of_404(ctx, verzoek_id)
    policy.mag_rechtenverzoek_beoordelen(
        ctx.actor, verzoek.aangevraagd_door_id, verzoek.medewerker_id
    )
    if verzoek.status is not RechtenverzoekStatus.open:
        raise Conflict("Dit rechtenverzoek is al beoordeeld.", code="verzoek-afgehandeld")
    if invoer.oordeel is RechtenverzoekOordeel.goedgekeurd:
        medewerker = await repository.medewerker(ctx.session, verzoek.medewerker_id)
        if medewerker is None or medewerker.versie != verzoek.medewerker_versie:
            raise Conflict(
                "De medewerker is gewijzigd sinds dit verzoek werd ingediend; dien een nieuw "
                "verzoek in.",
                code="rechtenverzoek-verouderd",
            )
        await controleer_identiteit_vrij(ctx, medewerker, verzoek.email, verzoek.oidc_sub)
        identiteit = {
            veld: waarde
            for veld, waarde in (("email", verzoek.email), ("oidc_sub", verzoek.oidc_sub))
            if waarde is not None
        }
        pas_toe(
            medewerker,
            {
                "rollen": list(verzoek.rollen),
                "mandaat_max_bedrag_cent": verzoek.mandaat_max_bedrag_cent,
                "mandaat_max_risico": verzoek.mandaat_max_risico,
                "mandaat_afdelingen": list(verzoek.mandaat_afdelingen or []),
                "mandaat_regelingen": list(verzoek.mandaat_regelingen or []),
                **identiteit,
            },
        )
        ctx.logboek("rechten.toegekend", "medewerker", medewerker.id)
    else:
        ctx.logboek("rechten.afgewezen", "medewerker", verzoek.medewerker_id)
    verzoek.status = RechtenverzoekStatus(invoer.oordeel.value)
    verzoek.beoordeeld_door_id = ctx.actor.id
    verzoek.beoordeeld_op = ctx.nu
    verzoek.beoordeling_toelichting = invoer.toelichting
    await ctx.session.flush()
    return verzoek
