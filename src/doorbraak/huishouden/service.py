"""Rules of the perspectiefplan, the external parties (catalogue and deelnames) and the owners
outside the organisation that afspraken and stappen can have.

Owners: exactly one of the household together, one of its members, an external party that
takes part in the casus, or (for afspraken) an afdeling. A huishoudlid or a partijdeelname that
something still refers to is not removed (409 with what refers to it). The household's consent
needs at least one doel; it is recorded and withdrawn under the casus row lock, like removing a
doel, so the plan never carries a consent without a goal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.huishouden import repository
from doorbraak.huishouden.schemas import (
    AfspraakNieuw,
    AfspraakWijziging,
    Contactpersoon,
    DoelNieuw,
    DoelWijziging,
    ExternePartijNieuw,
    ExternePartijWijziging,
    HuishoudlidNieuw,
    HuishoudlidWijziging,
    InstemmingNieuw,
    PartijdeelnameNieuw,
    PartijdeelnameWijziging,
)
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.repository import onderdeel
from doorbraak.kit.werkdagen import lokale_datum, plus_maanden
from doorbraak.models import Afspraak, Doel, ExternePartij, Huishoudlid, Partijdeelname
from doorbraak.models.enums import NazorgVanaf
from doorbraak.organisatie.service import bestaande_afdeling
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging

T = TypeVar("T", Huishoudlid, Doel, Afspraak)
NAMEN: dict[type, str] = {Huishoudlid: "huishoudlid", Doel: "doel", Afspraak: "afspraak"}
GEHEIM = "***"  # contact details never enter the tijdlijn (it is read beyond the casusteam)


def _ongeldig(naam: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": naam, "code": code, "reason": reden}])


async def onderdeel_of_404(
    ctx: Werkcontext, toegang: CasusToegang, model: type[T], id_: uuid.UUID
) -> T:
    gevonden = await onderdeel(ctx.session, model, toegang.casus.id, id_)
    if gevonden is None:
        raise NietGevonden(f"Deze {NAMEN[model]} bestaat niet.")
    return gevonden


async def _nieuw(ctx: Werkcontext, toegang: CasusToegang, obj: T, velden: dict[str, Any]) -> T:
    ctx.session.add(obj)
    await ctx.session.flush()
    naam = NAMEN[type(obj)]
    diff = {k: wijziging(None, v) for k, v in velden.items() if v is not None and v is not False}
    ctx.tijdlijn(toegang.casus.id, f"{naam}.toegevoegd", naam, obj.id, diff)
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


async def _verwijder(
    ctx: Werkcontext, toegang: CasusToegang, obj: T, versie: int | None, laatste: dict[str, Any]
) -> None:
    controleer_versie(versie, obj.versie)
    naam = NAMEN[type(obj)]
    ctx.tijdlijn(
        toegang.casus.id,
        f"{naam}.verwijderd",
        naam,
        obj.id,
        {k: wijziging(v, None) for k, v in laatste.items()},
    )
    await ctx.session.delete(obj)
    await ctx.session.flush()


def _verplicht(gegeven: dict[str, Any], *velden: str) -> None:
    for veld in velden:
        if veld in gegeven and gegeven[veld] is None:
            raise _ongeldig(veld, "verplicht", "mag niet leeg zijn")


# --- huishoudleden ------------------------------------------------------------------------------


async def huishoudlid_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: HuishoudlidNieuw
) -> Huishoudlid:
    toegang.acties.wijzigen.eis()
    velden = {"naam_of_rol": invoer.naam_of_rol, "geboortejaar": invoer.geboortejaar}
    lid = Huishoudlid(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden)
    return await _nieuw(ctx, toegang, lid, velden)


async def huishoudlid_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: HuishoudlidWijziging,
    versie: int | None,
) -> Huishoudlid:
    toegang.acties.wijzigen.eis()
    lid = await onderdeel_of_404(ctx, toegang, Huishoudlid, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    _verplicht(gegeven, "naam_of_rol")
    return await _wijzig(ctx, toegang, lid, gegeven, versie)


async def huishoudlid_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    lid = await onderdeel_of_404(ctx, toegang, Huishoudlid, id_)
    verwijzingen = await repository.in_gebruik(ctx.session, "huishoudlid_id", lid.id)
    verwijzingen += await repository.in_gebruik(ctx.session, "gezegd_door_id", lid.id)
    if verwijzingen:
        raise Conflict(
            "Dit huishoudlid is nog eigenaar van afspraken of stappen, of zei een doel.",
            code="huishoudlid-in-gebruik",
            onderdelen=sorted(set(verwijzingen)),
        )
    await _verwijder(ctx, toegang, lid, versie, {"naamOfRol": lid.naam_of_rol})


async def _bestaand_lid(ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, veld: str) -> None:
    if await onderdeel(ctx.session, Huishoudlid, toegang.casus.id, id_) is None:
        raise _ongeldig(veld, "onbekend-huishoudlid", "geen lid van het huishouden van deze casus")


# --- doelen -------------------------------------------------------------------------------------


async def doel_toevoegen(ctx: Werkcontext, toegang: CasusToegang, invoer: DoelNieuw) -> Doel:
    toegang.acties.wijzigen.eis()
    if invoer.gezegd_door is not None:
        await _bestaand_lid(ctx, toegang, invoer.gezegd_door, "gezegdDoor")
    velden = {
        "leefgebied": invoer.leefgebied,
        "tekst": invoer.tekst,
        "gezegd_door_id": invoer.gezegd_door,
    }
    doel = Doel(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden)
    return await _nieuw(ctx, toegang, doel, velden)


async def doel_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: DoelWijziging,
    versie: int | None,
) -> Doel:
    toegang.acties.wijzigen.eis()
    doel = await onderdeel_of_404(ctx, toegang, Doel, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    _verplicht(gegeven, "tekst")
    velden = {k: gegeven[k] for k in ("tekst",) if k in gegeven}
    if gegeven.get("leefgebied") is not None:
        velden["leefgebied"] = gegeven["leefgebied"]
    if "gezegd_door" in gegeven:
        if gegeven["gezegd_door"] is not None:
            await _bestaand_lid(ctx, toegang, gegeven["gezegd_door"], "gezegdDoor")
        velden["gezegd_door_id"] = gegeven["gezegd_door"]
    return await _wijzig(ctx, toegang, doel, velden, versie)


async def doel_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    await repository.casus_vergrendeld(ctx.session, casus.id)
    doel = await onderdeel_of_404(ctx, toegang, Doel, id_)
    controleer_versie(versie, doel.versie)
    if (
        casus.instemming_datum is not None
        and await repository.aantal_doelen(ctx.session, casus.id) <= 1
    ):
        raise Conflict(
            "Het huishouden stemde in met dit plan; het laatste doel gaat niet weg. Trek de "
            "instemming eerst in.",
            code="plan-heeft-instemming",
        )
    await _verwijder(
        ctx, toegang, doel, versie, {"leefgebied": doel.leefgebied, "tekst": doel.tekst}
    )


# --- owners outside the organisation --------------------------------------------------------------


async def eigenaar_velden(
    ctx: Werkcontext,
    toegang: CasusToegang,
    gegeven: dict[str, Any],
    *,
    met_afdeling: bool,
) -> dict[str, Any]:
    """The owner columns of an afspraak (`met_afdeling`) or a stap from the input fields
    `huishouden`, `huishoudlid`, `externe_partij` (and `afdeling`); only the given ones. Giving
    one clears the others, so an owner is always one party."""
    velden: dict[str, Any] = {}
    gekozen = [
        k
        for k in (
            "huishouden",
            "huishoudlid",
            "externe_partij",
            *(("afdeling",) if met_afdeling else ()),
        )
        if gegeven.get(k) not in (None, False)
    ]
    if len(gekozen) > 1:
        raise _ongeldig(
            gekozen[1],
            "een-eigenaar",
            "één eigenaar: het huishouden, een huishoudlid, een externe partij"
            + (" of een afdeling" if met_afdeling else ""),
        )
    if "huishouden" in gegeven and gegeven["huishouden"] is not None:
        velden["door_huishouden"] = bool(gegeven["huishouden"])
    if "huishoudlid" in gegeven:
        if gegeven["huishoudlid"] is not None:
            await _bestaand_lid(ctx, toegang, gegeven["huishoudlid"], "huishoudlid")
        velden["huishoudlid_id"] = gegeven["huishoudlid"]
    if "externe_partij" in gegeven:
        deelname_id = None
        if gegeven["externe_partij"] is not None:
            deelname = await repository.partijdeelname(
                ctx.session, toegang.casus.id, gegeven["externe_partij"]
            )
            if deelname is None:
                raise _ongeldig(
                    "externePartij",
                    "partij-neemt-niet-deel",
                    "deze externe partij neemt niet deel aan de casus (voeg haar eerst toe)",
                )
            deelname_id = deelname.id
        velden["partijdeelname_id"] = deelname_id
    if met_afdeling and "afdeling" in gegeven:
        if gegeven["afdeling"] is not None:
            await bestaande_afdeling(ctx, gegeven["afdeling"], "afdeling")
        velden["afdeling_code"] = gegeven["afdeling"]
    if gekozen:
        # One owner: the chosen one stays, the others are cleared.
        leeg: dict[str, Any] = {
            "huishouden": ("door_huishouden", False),
            "huishoudlid": ("huishoudlid_id", None),
            "externe_partij": ("partijdeelname_id", None),
        }
        if met_afdeling:
            leeg["afdeling"] = ("afdeling_code", None)
        for veld, (kolom, waarde) in leeg.items():
            if veld != gekozen[0]:
                velden[kolom] = waarde
    return velden


def heeft_eigenaar(obj: Afspraak) -> bool:
    return bool(
        obj.door_huishouden
        or obj.huishoudlid_id is not None
        or obj.partijdeelname_id is not None
        or obj.afdeling_code is not None
    )


# --- afspraken -------------------------------------------------------------------------------


def _geen_eigenaar() -> OngeldigeInvoer:
    return _ongeldig(
        "eigenaar",
        "eigenaar-verplicht",
        "een afspraak heeft een eigenaar: het huishouden, een huishoudlid, een externe partij "
        "of een afdeling",
    )


async def afspraak_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: AfspraakNieuw
) -> Afspraak:
    toegang.acties.wijzigen.eis()
    gegeven = invoer.model_dump()
    velden: dict[str, Any] = {
        "tekst": invoer.tekst,
        **await eigenaar_velden(ctx, toegang, gegeven, met_afdeling=True),
    }
    afspraak = Afspraak(casus_id=toegang.casus.id, aangemaakt_op=ctx.nu, **velden)
    if not heeft_eigenaar(afspraak):
        raise _geen_eigenaar()
    return await _nieuw(ctx, toegang, afspraak, velden)


async def afspraak_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: AfspraakWijziging,
    versie: int | None,
) -> Afspraak:
    toegang.acties.wijzigen.eis()
    afspraak = await onderdeel_of_404(ctx, toegang, Afspraak, id_)
    gegeven = invoer.model_dump(exclude_unset=True)
    _verplicht(gegeven, "tekst")
    velden = {k: gegeven[k] for k in ("tekst",) if k in gegeven}
    velden.update(await eigenaar_velden(ctx, toegang, gegeven, met_afdeling=True))
    controleer_versie(versie, afspraak.versie)
    oud = {k: getattr(afspraak, k) for k in velden}
    uit = await _wijzig(ctx, toegang, afspraak, velden, versie)
    if not heeft_eigenaar(uit):
        pas_toe(uit, oud)
        raise _geen_eigenaar()
    return uit


async def afspraak_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    afspraak = await onderdeel_of_404(ctx, toegang, Afspraak, id_)
    await _verwijder(ctx, toegang, afspraak, versie, {"tekst": afspraak.tekst})


# --- the household's consent -------------------------------------------------------------------


async def _plan_acties(ctx: Werkcontext, toegang: CasusToegang) -> policy.PlanActies:
    aantal = await repository.aantal_doelen(ctx.session, toegang.casus.id)
    return policy.plan_acties(toegang.casus, toegang.rechten, aantal_doelen=aantal)


async def instemming_vastleggen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: InstemmingNieuw
) -> None:
    casus = toegang.casus
    toegang.acties.wijzigen.eis()
    await repository.casus_vergrendeld(ctx.session, casus.id)
    (await _plan_acties(ctx, toegang)).instemming_vastleggen.eis()
    # Today in Amsterdam: consent given just after midnight there is not in the future.
    if invoer.datum > lokale_datum(ctx.nu):
        raise _ongeldig("datum", "in-de-toekomst", "de instemming ligt niet in de toekomst")
    diff = pas_toe(casus, {"instemming_datum": invoer.datum, "instemming_door_id": ctx.actor.id})
    if diff:
        casus.gewijzigd_op = ctx.nu
        ctx.tijdlijn(casus.id, "perspectiefplan.instemming", "casus", casus.kenmerk, diff)
        await ctx.session.flush()


async def instemming_intrekken(ctx: Werkcontext, toegang: CasusToegang) -> None:
    casus = toegang.casus
    toegang.acties.wijzigen.eis()
    await repository.casus_vergrendeld(ctx.session, casus.id)
    if casus.instemming_datum is None:
        raise NietGevonden("Het huishouden heeft (nog) niet ingestemd met het plan.")
    diff = pas_toe(casus, {"instemming_datum": None, "instemming_door_id": None})
    casus.gewijzigd_op = ctx.nu
    ctx.tijdlijn(casus.id, "perspectiefplan.instemming-ingetrokken", "casus", casus.kenmerk, diff)
    await ctx.session.flush()


# --- the catalogue of external parties ----------------------------------------------------------


async def partij_of_404(ctx: Werkcontext, code: str) -> ExternePartij:
    partij = await repository.partij(ctx.session, code)
    if partij is None:
        raise NietGevonden("Deze externe partij bestaat niet.")
    return partij


async def partij_toevoegen(ctx: Werkcontext, invoer: ExternePartijNieuw) -> ExternePartij:
    policy.mag_partijen_beheren(ctx.actor)
    if await repository.partij(ctx.session, invoer.code) is not None:
        raise Conflict("Er bestaat al een externe partij met deze code.", code="bestaat-al")
    partij = ExternePartij(code=invoer.code, naam=invoer.naam, soort=invoer.soort, actief=True)
    ctx.session.add(partij)
    await ctx.session.flush()
    return partij


async def partij_wijzigen(
    ctx: Werkcontext, code: str, invoer: ExternePartijWijziging, versie: int | None
) -> ExternePartij:
    policy.mag_partijen_beheren(ctx.actor)
    partij = await partij_of_404(ctx, code)
    controleer_versie(versie, partij.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    _verplicht(gegeven, "naam")
    pas_toe(partij, {k: v for k, v in gegeven.items() if v is not None})
    await ctx.session.flush()
    return partij


# --- partijdeelnames ------------------------------------------------------------------------------


async def partijdeelname_of_404(
    ctx: Werkcontext, toegang: CasusToegang, code: str
) -> Partijdeelname:
    deelname = await repository.partijdeelname(ctx.session, toegang.casus.id, code)
    if deelname is None:
        raise NietGevonden("Deze externe partij neemt niet deel aan de casus.")
    return deelname


def _contact_velden(contact: Contactpersoon | None) -> dict[str, Any]:
    return {
        "contact_naam": contact.naam if contact else None,
        "contact_telefoon": contact.telefoon if contact else None,
        "contact_email": str(contact.email) if contact and contact.email else None,
    }


async def partijdeelname_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: PartijdeelnameNieuw
) -> Partijdeelname:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    partij = await repository.partij(ctx.session, invoer.partij)
    if partij is None or not partij.actief:
        raise _ongeldig("partij", "onbekende-partij", "onbekende of inactieve externe partij")
    if await repository.partijdeelname(ctx.session, casus.id, invoer.partij) is not None:
        raise Conflict("Deze externe partij neemt al deel.", code="bestaat-al")
    deelname = Partijdeelname(
        casus_id=casus.id,
        partij_code=partij.code,
        standpunt=invoer.standpunt,
        aangemaakt_op=ctx.nu,
        **_contact_velden(invoer.contactpersoon),
    )
    ctx.session.add(deelname)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "partijdeelname.toegevoegd",
        "partijdeelname",
        partij.code,
        {
            "partij": wijziging(None, partij.code),
            "standpunt": wijziging(None, invoer.standpunt),
            **({"contactpersoon": wijziging(None, GEHEIM)} if invoer.contactpersoon else {}),
        },
    )
    return deelname


async def partijdeelname_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    code: str,
    invoer: PartijdeelnameWijziging,
    versie: int | None,
) -> Partijdeelname:
    toegang.acties.wijzigen.eis()
    deelname = await partijdeelname_of_404(ctx, toegang, code)
    controleer_versie(versie, deelname.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    if gegeven.get("standpunt") is not None:
        velden["standpunt"] = gegeven["standpunt"]
    contact: dict[str, Any] = {}
    if "contactpersoon" in gegeven:
        contact = _contact_velden(invoer.contactpersoon)
    diff = pas_toe(deelname, velden)
    if pas_toe(deelname, contact, geheim=frozenset(contact)):
        diff["contactpersoon"] = wijziging(GEHEIM, GEHEIM if invoer.contactpersoon else None)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "partijdeelname.gewijzigd", "partijdeelname", code, diff)
        await ctx.session.flush()
    return deelname


async def partijdeelname_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, code: str, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    deelname = await partijdeelname_of_404(ctx, toegang, code)
    controleer_versie(versie, deelname.versie)
    verwijzingen = await repository.in_gebruik(ctx.session, "partijdeelname_id", deelname.id)
    if verwijzingen:
        raise Conflict(
            "Deze partij heeft nog afspraken of stappen in de casus en blijft deelnemen.",
            code="partijdeelname-heeft-toezeggingen",
            onderdelen=verwijzingen,
        )
    ctx.tijdlijn(
        toegang.casus.id,
        "partijdeelname.verwijderd",
        "partijdeelname",
        code,
        {"partij": wijziging(code, None), "standpunt": wijziging(deelname.standpunt, None)},
    )
    await ctx.session.delete(deelname)
    await ctx.session.flush()


# --- nazorg ----------------------------------------------------------------------------------


async def nazorg_plannen_na_afsluiten(ctx: Werkcontext, casus_id: int, afgesloten: dt.date) -> None:
    """Open nazorg moments counted from the closing get their date when the casus closes (and
    again when it closes after a terugval)."""
    rijen = await repository.open_nazorg_na_afsluiten(ctx.session, casus_id)
    plan = [(r.id, plus_maanden(afgesloten, r.nazorg_maanden)) for r in rijen]
    await repository.nazorg_na_afsluiten(ctx.session, casus_id, plan)


async def nazorg_datum(
    ctx: Werkcontext, toegang: CasusToegang, vanaf: NazorgVanaf, maanden: int
) -> dt.date | None:
    """The date of a nazorg moment so many months after the first vastgesteld besluit or the
    closing; None while the casus is not closed yet (closing sets it)."""
    casus = toegang.casus
    if vanaf == NazorgVanaf.afsluiten:
        if casus.afgesloten_op is None:
            return None
        return plus_maanden(lokale_datum(casus.afgesloten_op), maanden)
    eerste = await repository.eerste_vaststelling(ctx.session, casus.id)
    if eerste is None:
        raise Conflict(
            "Er is nog geen vastgesteld besluit om de nazorg vanaf te tellen.",
            code="geen-vastgesteld-besluit",
        )
    return plus_maanden(lokale_datum(eerste), maanden)
