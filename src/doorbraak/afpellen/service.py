"""Rules of betrokkenen (yearly cost), stappen and knelpunten."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

from doorbraak.afpellen import repository
from doorbraak.afpellen.schemas import (
    BetrokkeneNieuw,
    BetrokkeneWijziging,
    KnelpuntNieuw,
    KnelpuntWijziging,
    StapNieuw,
    StapWijziging,
)
from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import NietGevonden, OngeldigeInvoer
from doorbraak.huishouden import service as huishouden_service
from doorbraak.kit import werkdagen
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.repository import onderdeel
from doorbraak.kosten import service as kosten
from doorbraak.models import Betrokkene, Knelpunt, Stap
from doorbraak.models.enums import StapSoort, StapStatus
from doorbraak.organisatie.service import (
    bestaande_afdeling,
    bestaande_medewerker,
    bestaande_regel,
)
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging

T = TypeVar("T", Betrokkene, Stap, Knelpunt)
NAMEN = {Betrokkene: "betrokkene", Stap: "stap", Knelpunt: "knelpunt"}


def _bewerkbaar(toegang: CasusToegang) -> None:
    toegang.acties.wijzigen.eis()


async def onderdeel_of_404(
    ctx: Werkcontext, toegang: CasusToegang, model: type[T], id_: uuid.UUID
) -> T:
    gevonden = await onderdeel(ctx.session, model, toegang.casus.id, id_)
    if gevonden is None:
        raise NietGevonden(f"Deze {NAMEN[model]} bestaat niet.")
    return gevonden


def _creatie_diff(velden: dict[str, Any]) -> dict[str, Any]:
    return {k: wijziging(None, v) for k, v in velden.items() if v is not None and v is not False}


async def _nieuw(ctx: Werkcontext, toegang: CasusToegang, obj: T, velden: dict[str, Any]) -> T:
    ctx.session.add(obj)
    await ctx.session.flush()
    naam = NAMEN[type(obj)]
    ctx.tijdlijn(toegang.casus.id, f"{naam}.toegevoegd", naam, obj.id, _creatie_diff(velden))
    return obj


async def _wijzig(
    ctx: Werkcontext, toegang: CasusToegang, obj: T, velden: dict[str, Any], versie: int | None
) -> T:
    controleer_versie(versie, obj.versie)
    diff = pas_toe(obj, velden)
    if diff:
        naam = NAMEN[type(obj)]
        ctx.tijdlijn(toegang.casus.id, f"{naam}.gewijzigd", naam, obj.id, diff)
        await ctx.session.flush()
    return obj


# --- betrokkenen -------------------------------------------------------------------------------


async def betrokkene_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: BetrokkeneNieuw
) -> Betrokkene:
    _bewerkbaar(toegang)
    velden = {
        "organisatie": invoer.organisatie,
        "leefgebied": invoer.leefgebied,
        "kosten_per_jaar_cent": invoer.kosten_per_jaar_cent,
        "toelichting": invoer.toelichting,
    }
    betrokkene = await _nieuw(
        ctx, toegang, Betrokkene(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden), velden
    )
    # The cost goes into the ledger as the first value of the betrokkene's post.
    await kosten.betrokkene_geboekt(ctx, betrokkene, nieuw=True)
    return betrokkene


async def betrokkene_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: BetrokkeneWijziging,
    versie: int | None,
) -> Betrokkene:
    _bewerkbaar(toegang)
    betrokkene = await onderdeel_of_404(ctx, toegang, Betrokkene, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden = {k: v for k, v in gegeven.items() if v is not None or k == "toelichting"}
    oude_kosten = betrokkene.kosten_per_jaar_cent
    betrokkene = await _wijzig(ctx, toegang, betrokkene, velden, versie)
    if betrokkene.kosten_per_jaar_cent != oude_kosten:
        # A new dated value in the ledger; the old one (and the nulmeting) stay as they were.
        await kosten.betrokkene_geboekt(ctx, betrokkene, nieuw=False)
    return betrokkene


async def betrokkene_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> None:
    _bewerkbaar(toegang)
    betrokkene = await onderdeel_of_404(ctx, toegang, Betrokkene, id_)
    controleer_versie(versie, betrokkene.versie)
    ctx.tijdlijn(
        toegang.casus.id,
        "betrokkene.verwijderd",
        "betrokkene",
        betrokkene.id,
        {
            "organisatie": wijziging(betrokkene.organisatie, None),
            "kostenPerJaarCent": wijziging(betrokkene.kosten_per_jaar_cent, None),
        },
    )
    await kosten.betrokkene_weg(ctx, betrokkene)
    await ctx.session.delete(betrokkene)
    await ctx.session.flush()


# --- stappen -----------------------------------------------------------------------------------


BUITEN_DE_ORGANISATIE = ("huishouden", "huishoudlid", "externe_partij")
AFRONDEN = frozenset({"status", "bevinding"})


async def _stap_verwijzingen(
    ctx: Werkcontext, toegang: CasusToegang, gegeven: dict[str, Any]
) -> dict[str, Any]:
    """The afdeling and the owner: a medewerker, or one outside the organisation (the
    household, a member, an external party in the casus). One owner: naming one clears any
    other."""
    buiten = {k: gegeven[k] for k in BUITEN_DE_ORGANISATIE if k in gegeven}
    velden: dict[str, Any] = await huishouden_service.eigenaar_velden(
        ctx, toegang, buiten, met_afdeling=False
    )
    gekozen_buiten = any(v not in (None, False) for v in buiten.values())
    if gekozen_buiten and gegeven.get("eigenaar") is not None:
        raise OngeldigeInvoer(
            [
                {
                    "name": "eigenaar",
                    "code": "een-eigenaar",
                    "reason": "één eigenaar: een medewerker, het huishouden, een huishoudlid of "
                    "een externe partij",
                }
            ]
        )
    if gekozen_buiten:
        velden["eigenaar_id"] = None
    elif gegeven.get("eigenaar") is not None:
        velden.update(door_huishouden=False, huishoudlid_id=None, partijdeelname_id=None)
    if "afdeling" in gegeven:
        if gegeven["afdeling"] is not None:
            await bestaande_afdeling(ctx, gegeven["afdeling"], "afdeling")
        velden["afdeling_code"] = gegeven["afdeling"]
    if "eigenaar" in gegeven:
        if gegeven["eigenaar"] is not None:
            eigenaar = await bestaande_medewerker(ctx, gegeven["eigenaar"], "eigenaar")
            # An owner who cannot see the casus cannot see her own stap either.
            if not await repository.ziet_casus(ctx.session, eigenaar, toegang.casus.id):
                raise OngeldigeInvoer(
                    [
                        {
                            "name": "eigenaar",
                            "code": "eigenaar-niet-in-team",
                            "reason": "de eigenaar hoort bij het casusteam (voeg haar eerst toe)",
                        }
                    ]
                )
        velden["eigenaar_id"] = gegeven["eigenaar"]
    return velden


def _status_velden(
    ctx: Werkcontext, status: StapStatus | None, huidig: str | None
) -> dict[str, Any]:
    if status is None or status == huidig:
        return {}
    klaar = status in (StapStatus.afgerond, StapStatus.vervallen)
    return {"status": status, "afgerond_op": ctx.nu if klaar else None}


def _ongeldig(naam: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": naam, "code": code, "reason": reden}])


async def _nazorg_velden(
    ctx: Werkcontext, toegang: CasusToegang, invoer: StapNieuw
) -> dict[str, Any]:
    anker = invoer.nazorg_vanaf is not None or invoer.nazorg_maanden is not None
    if invoer.soort != StapSoort.nazorg:
        if anker:
            raise _ongeldig("nazorgVanaf", "alleen-nazorg", "hoort bij een stap van soort nazorg")
        return {}
    if not anker:
        return {}
    if invoer.nazorg_vanaf is None or invoer.nazorg_maanden is None:
        raise _ongeldig("nazorgMaanden", "samen", "nazorgVanaf en nazorgMaanden horen samen")
    if invoer.deadline_datum is not None:
        raise _ongeldig(
            "deadlineDatum", "volgt-uit-nazorg", "de datum volgt uit nazorgVanaf en nazorgMaanden"
        )
    datum = await huishouden_service.nazorg_datum(
        ctx, toegang, invoer.nazorg_vanaf, invoer.nazorg_maanden
    )
    return {
        "nazorg_vanaf": invoer.nazorg_vanaf,
        "nazorg_maanden": invoer.nazorg_maanden,
        "deadline_datum": datum,
    }


async def stap_toevoegen(ctx: Werkcontext, toegang: CasusToegang, invoer: StapNieuw) -> Stap:
    _bewerkbaar(toegang)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {
        "titel": invoer.titel,
        "fase": (invoer.fase if invoer.fase else toegang.casus.fase),
        "deadline_datum": invoer.deadline_datum,
        "bevinding": invoer.bevinding,
        "status": invoer.status,
        "soort": invoer.soort,
        **await _stap_verwijzingen(ctx, toegang, gegeven),
        **await _nazorg_velden(ctx, toegang, invoer),
    }
    if invoer.status in (StapStatus.afgerond, StapStatus.vervallen):
        velden["afgerond_op"] = ctx.nu
    return await _nieuw(
        ctx, toegang, Stap(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden), velden
    )


async def stap_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: StapWijziging,
    versie: int | None,
) -> Stap:
    stap = await onderdeel_of_404(ctx, toegang, Stap, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    acties = policy.stap_acties(
        toegang.casus, toegang.rechten, nazorg=stap.soort == StapSoort.nazorg
    )
    # Completing (status, bevinding) is its own action: for nazorg also on a closed casus.
    (acties.afronden if gegeven and set(gegeven) <= AFRONDEN else acties.wijzigen).eis()
    if "titel" in gegeven and gegeven["titel"] is None:
        raise OngeldigeInvoer(
            [{"name": "titel", "code": "verplicht", "reason": "mag niet leeg zijn"}]
        )
    velden: dict[str, Any] = {
        k: gegeven[k] for k in ("titel", "deadline_datum", "bevinding") if k in gegeven
    }
    velden.update(await _stap_verwijzingen(ctx, toegang, gegeven))
    velden.update(_status_velden(ctx, invoer.status, stap.status))
    return await _wijzig(ctx, toegang, stap, velden, versie)


def te_laat(stap: Stap, vandaag: dt.date) -> bool:
    """An open step whose deadline passed on `vandaag` (a date in Amsterdam), in working days:
    a deadline on a weekend or holiday runs to the next working day."""
    return (
        stap.status in (StapStatus.open, StapStatus.bezig)
        and stap.deadline_datum is not None
        and werkdagen.te_laat(stap.deadline_datum, vandaag)
    )


# --- knelpunten --------------------------------------------------------------------------------


async def knelpunt_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: KnelpuntNieuw
) -> Knelpunt:
    _bewerkbaar(toegang)
    if invoer.regel is not None:
        await bestaande_regel(ctx, invoer.regel, "regel")
    if invoer.afdeling is not None:
        await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    velden: dict[str, Any] = {
        "soort": invoer.soort,
        "niveau": invoer.niveau,
        "omschrijving": invoer.omschrijving,
        "regel_id": invoer.regel,
        "afdeling_code": invoer.afdeling,
        "status": invoer.status,
    }
    return await _nieuw(
        ctx, toegang, Knelpunt(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden), velden
    )


async def knelpunt_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: KnelpuntWijziging,
    versie: int | None,
) -> Knelpunt:
    _bewerkbaar(toegang)
    knelpunt = await onderdeel_of_404(ctx, toegang, Knelpunt, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    for naam in ("soort", "niveau", "status"):
        if gegeven.get(naam) is not None:
            velden[naam] = gegeven[naam]
    if gegeven.get("omschrijving") is not None:
        velden["omschrijving"] = gegeven["omschrijving"]
    if "regel" in gegeven:
        if gegeven["regel"] is not None:
            await bestaande_regel(ctx, gegeven["regel"], "regel")
        velden["regel_id"] = gegeven["regel"]
    if "afdeling" in gegeven:
        if gegeven["afdeling"] is not None:
            await bestaande_afdeling(ctx, gegeven["afdeling"], "afdeling")
        velden["afdeling_code"] = gegeven["afdeling"]
    return await _wijzig(ctx, toegang, knelpunt, velden, versie)
