"""Rules for afdelingen and medewerkers (managed by a beheerder)."""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.models import Afdeling, Medewerker, Regel, Regelversie
from doorbraak.organisatie import rechten, repository
from doorbraak.organisatie.schemas import (
    AfdelingNieuw,
    AfdelingWijziging,
    MedewerkerNieuw,
    MedewerkerRef,
    MedewerkerUit,
    MedewerkerWijziging,
    RegelNieuw,
    RegelUit,
    RegelWijziging,
)
from doorbraak.werk.context import Werkcontext, pas_toe


def medewerker_uit(m: Medewerker) -> MedewerkerUit:
    return MedewerkerUit.model_validate(
        {
            "id": m.id,
            "naam": m.naam,
            "email": m.email,
            "afdeling": m.afdeling_code,
            "rollen": m.rollen,
            "mandaat": {
                "max_bedrag_cent": m.mandaat_max_bedrag_cent,
                "max_risico": m.mandaat_max_risico,
                "afdelingen": m.mandaat_afdelingen or [],
                "regelingen": m.mandaat_regelingen or [],
            },
            "actief": m.actief,
            "oidc_sub": m.oidc_sub,
            "aangemaakt_op": m.aangemaakt_op,
            "versie": m.versie,
        }
    )


async def afdeling_of_404(ctx: Werkcontext, code: str) -> Afdeling:
    afdeling = await repository.afdeling(ctx.session, code)
    if afdeling is None:
        raise NietGevonden("Deze afdeling bestaat niet.")
    return afdeling


async def bestaande_afdeling(ctx: Werkcontext, code: str, veld: str) -> Afdeling:
    """An afdeling named in input: unknown is invalid input (400), not a missing resource."""
    afdeling = await repository.afdeling(ctx.session, code)
    if afdeling is None or not afdeling.actief:
        raise OngeldigeInvoer(
            [
                {
                    "name": veld,
                    "code": "onbekende-afdeling",
                    "reason": "onbekende of inactieve afdeling",
                }
            ]
        )
    return afdeling


async def bestaande_medewerker(ctx: Werkcontext, medewerker_id: uuid.UUID, veld: str) -> Medewerker:
    medewerker = await repository.medewerker(ctx.session, medewerker_id)
    if medewerker is None or not medewerker.actief:
        raise OngeldigeInvoer(
            [
                {
                    "name": veld,
                    "code": "onbekende-medewerker",
                    "reason": "onbekende of inactieve medewerker",
                }
            ]
        )
    return medewerker


async def afdeling_toevoegen(ctx: Werkcontext, invoer: AfdelingNieuw) -> Afdeling:
    policy.mag_organisatie_beheren(ctx.actor)
    if await repository.afdeling(ctx.session, invoer.code) is not None:
        raise Conflict("Er bestaat al een afdeling met deze code.", code="bestaat-al")
    afdeling = Afdeling(code=invoer.code, naam=invoer.naam, actief=True)
    ctx.session.add(afdeling)
    await ctx.session.flush()
    return afdeling


async def afdeling_wijzigen(
    ctx: Werkcontext, code: str, invoer: AfdelingWijziging, versie: int | None
) -> Afdeling:
    policy.mag_organisatie_beheren(ctx.actor)
    afdeling = await afdeling_of_404(ctx, code)
    controleer_versie(versie, afdeling.versie)
    pas_toe(afdeling, invoer.model_dump(exclude_unset=True, exclude_none=True))
    await ctx.session.flush()
    return afdeling


async def medewerker_of_404(ctx: Werkcontext, medewerker_id: uuid.UUID) -> Medewerker:
    medewerker = await repository.medewerker(ctx.session, medewerker_id)
    if medewerker is None:
        raise NietGevonden("Deze medewerker bestaat niet.")
    return medewerker


def _mandaat_velden(mandaat: Any) -> dict[str, Any]:
    if mandaat is None:
        return {}
    return {
        "mandaat_max_bedrag_cent": mandaat.max_bedrag_cent,
        "mandaat_max_risico": mandaat.max_risico,
        "mandaat_afdelingen": list(mandaat.afdelingen),
        "mandaat_regelingen": list(mandaat.regelingen),
    }


async def _scope_afdelingen(ctx: Werkcontext, codes: list[str] | None) -> None:
    for i, code in enumerate(codes or []):
        await bestaande_afdeling(ctx, code, f"mandaat.afdelingen.{i}")


async def medewerker_toevoegen(ctx: Werkcontext, invoer: MedewerkerNieuw) -> Medewerker:
    policy.mag_organisatie_beheren(ctx.actor)
    mandaat = _mandaat_velden(invoer.mandaat)
    rechten.controleer_directe_wijziging(
        ctx.actor,
        None,
        [r.value for r in invoer.rollen],
        mandaat.get("mandaat_max_bedrag_cent"),
        mandaat.get("mandaat_max_risico"),
        invoer.mandaat is not None,
        mandaat.get("mandaat_afdelingen"),
        mandaat.get("mandaat_regelingen"),
    )
    await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    await _scope_afdelingen(ctx, mandaat.get("mandaat_afdelingen"))
    if await repository.medewerker_bij_email(ctx.session, invoer.email) is not None:
        raise Conflict("Er bestaat al een medewerker met dit e-mailadres.", code="bestaat-al")
    medewerker = Medewerker(
        naam=invoer.naam,
        email=invoer.email,
        afdeling_code=invoer.afdeling,
        rollen=list(invoer.rollen),
        actief=True,
        oidc_sub=invoer.oidc_sub,
        **_mandaat_velden(invoer.mandaat),
    )
    ctx.session.add(medewerker)
    await ctx.session.flush()
    return medewerker


async def medewerker_wijzigen(
    ctx: Werkcontext, medewerker_id: uuid.UUID, invoer: MedewerkerWijziging, versie: int | None
) -> Medewerker:
    policy.mag_organisatie_beheren(ctx.actor)
    medewerker = await medewerker_of_404(ctx, medewerker_id)
    controleer_versie(versie, medewerker.versie)
    velden: dict[str, Any] = {}
    rechten.controleer_identiteitswijziging(
        ctx.actor,
        medewerker,
        invoer.email if invoer.email not in (None, medewerker.email) else None,
        invoer.oidc_sub if invoer.oidc_sub not in (None, medewerker.oidc_sub) else None,
    )
    if invoer.naam is not None:
        velden["naam"] = invoer.naam
    if invoer.email is not None and invoer.email != medewerker.email:
        if await repository.medewerker_bij_email(ctx.session, invoer.email) is not None:
            raise Conflict("Er bestaat al een medewerker met dit e-mailadres.", code="bestaat-al")
        velden["email"] = invoer.email
    if invoer.afdeling is not None:
        await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
        velden["afdeling_code"] = invoer.afdeling
    if invoer.rollen is not None:
        velden["rollen"] = list(invoer.rollen)
    if invoer.actief is not None:
        velden["actief"] = invoer.actief
    if invoer.oidc_sub is not None:
        velden["oidc_sub"] = invoer.oidc_sub
    mandaat = _mandaat_velden(invoer.mandaat)
    await _scope_afdelingen(ctx, mandaat.get("mandaat_afdelingen"))
    rechten.controleer_directe_wijziging(
        ctx.actor,
        medewerker,
        velden.get("rollen"),
        mandaat.get("mandaat_max_bedrag_cent"),
        mandaat.get("mandaat_max_risico"),
        invoer.mandaat is not None,
        mandaat.get("mandaat_afdelingen"),
        mandaat.get("mandaat_regelingen"),
    )
    velden.update(mandaat)
    pas_toe(medewerker, velden)
    await ctx.session.flush()
    return medewerker


class Personen:
    """Resolves medewerker ids to `MedewerkerRef`s for a whole list with one query."""

    def __init__(self, rijen: dict[uuid.UUID, Any]) -> None:
        self._rijen = rijen

    @classmethod
    async def laad(cls, ctx: Werkcontext, ids: Any) -> Personen:
        return cls(await repository.refs(ctx.session, {i for i in ids if i is not None}))

    def ref(self, medewerker_id: uuid.UUID | None) -> MedewerkerRef | None:
        if medewerker_id is None or medewerker_id not in self._rijen:
            return None
        r = self._rijen[medewerker_id]
        return MedewerkerRef(id=r.id, naam=r.naam, afdeling=r.afdeling_code)

    def vereist(self, medewerker_id: uuid.UUID) -> MedewerkerRef:
        ref = self.ref(medewerker_id)
        assert ref is not None, "referenced medewerker must exist (foreign key)"
        return ref


# --- regels (the catalogue) --------------------------------------------------------------------


def regel_uit(regel: Regel, aantal_afwijkingen: int) -> RegelUit:
    return RegelUit(
        id=regel.id,
        titel=regel.titel,
        regeling=regel.regeling,
        artikel=regel.artikel,
        afdeling=regel.afdeling_code,
        soort=regel.soort,
        bron_url=regel.bron_url,
        toelichting=regel.toelichting,
        actief=regel.actief,
        aantal_afwijkingen=aantal_afwijkingen,
        aangemaakt_op=regel.aangemaakt_op,
        versie=regel.versie,
    )


async def regel_of_404(ctx: Werkcontext, regel_id: uuid.UUID) -> RegelUit:
    rij = await repository.regel_met_aantal(ctx.session, regel_id)
    if rij is None:
        raise NietGevonden("Deze regel bestaat niet.")
    return regel_uit(rij.Regel, rij.aantal_afwijkingen)


async def bestaande_regel(ctx: Werkcontext, regel_id: uuid.UUID, veld: str) -> Regel:
    """A regel named in input (a knelpunt, an afwijking): unknown is invalid input (400)."""
    regel = await repository.regel(ctx.session, regel_id)
    if regel is None:
        raise OngeldigeInvoer(
            [{"name": veld, "code": "onbekende-regel", "reason": "onbekende regel"}]
        )
    return regel


def _regel_velden(gegeven: dict[str, Any]) -> dict[str, Any]:
    velden = dict(gegeven)
    if "afdeling" in velden:
        velden["afdeling_code"] = velden.pop("afdeling")
    if velden.get("bron_url") is not None:
        velden["bron_url"] = str(velden["bron_url"])
    return velden


async def regel_toevoegen(ctx: Werkcontext, invoer: RegelNieuw) -> RegelUit:
    policy.mag_regels_beheren(ctx.actor)
    if invoer.afdeling is not None:
        await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    regel = Regel(
        aangemaakt_op=ctx.nu, actief=True, **_regel_velden(invoer.model_dump(exclude_unset=False))
    )
    ctx.session.add(regel)
    await ctx.session.flush()
    ctx.session.add(
        Regelversie(
            regel_id=regel.id,
            nummer=1,
            geldig_van=lokale_datum(ctx.nu),
            tekst=regel.toelichting or regel.titel,
            vastgesteld_door_id=ctx.actor.id,
            aangemaakt_op=ctx.nu,
        )
    )
    await ctx.session.flush()
    return regel_uit(regel, 0)


async def regelversie_op(ctx: Werkcontext, regel: Regel) -> Regelversie:
    """The version of the regel in force today (Europe/Amsterdam): the one a new afwijking
    bends. A regel without any version (entered outside the API) gets its version 1 now."""
    versie = await repository.regelversie_op(ctx.session, regel.id, lokale_datum(ctx.nu))
    if versie is None:
        versie = Regelversie(
            regel_id=regel.id,
            nummer=1,
            geldig_van=lokale_datum(regel.aangemaakt_op),
            tekst=regel.toelichting or regel.titel,
            aangemaakt_op=ctx.nu,
        )
        ctx.session.add(versie)
        await ctx.session.flush()
    return versie


async def regel_wijzigen(
    ctx: Werkcontext, regel_id: uuid.UUID, invoer: RegelWijziging, versie: int | None
) -> RegelUit:
    policy.mag_regels_beheren(ctx.actor)
    regel = await repository.regel(ctx.session, regel_id)
    if regel is None:
        raise NietGevonden("Deze regel bestaat niet.")
    controleer_versie(versie, regel.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    for verplicht in ("titel", "regeling", "artikel", "soort", "actief"):
        if verplicht in gegeven and gegeven[verplicht] is None:
            raise OngeldigeInvoer(
                [{"name": verplicht, "code": "verplicht", "reason": "mag niet leeg zijn"}]
            )
    if gegeven.get("afdeling") is not None:
        await bestaande_afdeling(ctx, gegeven["afdeling"], "afdeling")
    pas_toe(regel, _regel_velden(gegeven))
    await ctx.session.flush()
    return await regel_of_404(ctx, regel.id)
