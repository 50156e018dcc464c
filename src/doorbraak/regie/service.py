"""Rules of regie (assign and hand over in one step), deelnames and escalaties.

Escalaties: one names what it decides on (`betreft`: a besluit, or afwijkingen; required at
bestuur and landelijk). Its outcome is structured (toegekend, afgewezen, toegekend onder
voorwaarden with the voorwaarden), carries a reference and who recorded it when, and is
immutable: a correction is a new escalatie that supersedes it, with a reason, both kept. The
outcome of a bestuur or landelijk escalatie is recorded by a leidinggevende of a participating
afdeling who is neither the regiehouder nor who asked for the escalatie, and (for any level)
nobody who drafted the besluit concerned, proposed an afwijking concerned, or held regie while
that besluit was a concept.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.maatwerk import repository as maatwerk_repository
from doorbraak.meldingen import service as meldingen
from doorbraak.models import Besluit, Deelname, Escalatie, EscalatieAfwijking, Regievoering
from doorbraak.models.enums import EscalatieNiveau, EscalatieUitkomst, LoketStatus, MeldingSoort
from doorbraak.organisatie.service import bestaande_afdeling, bestaande_medewerker
from doorbraak.regie import repository
from doorbraak.regie.schemas import (
    CorrectieNieuw,
    DeelnameNieuw,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieWijziging,
    RegieNieuw,
    UitkomstInvoer,
)
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


async def regie_toewijzen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: RegieNieuw
) -> Regievoering:
    """Assign the first regiehouder, or hand over: the old period ends as the new one starts."""
    toegang.acties.regie_toewijzen.eis()
    casus = toegang.casus
    nieuw = await bestaande_medewerker(ctx, invoer.medewerker, "medewerker")
    if not policy.kan_regie_voeren(nieuw):
        raise OngeldigeInvoer(
            [
                {
                    "name": "medewerker",
                    "code": "geen-casusregisseur",
                    "reason": "alleen een casusregisseur kan regie voeren",
                }
            ]
        )
    huidige = await repository.huidige_regievoering(ctx.session, casus.id)
    nu = ctx.nu
    if huidige is not None:
        if huidige.medewerker_id == nieuw.id:
            raise Conflict("Deze medewerker heeft de regie al.", code="al-regiehouder")
        ontbreekt = [
            {"name": veld, "code": "verplicht", "reason": "verplicht bij een overdracht"}
            for veld in ("reden", "overdrachtsnotitie")
            if not (getattr(invoer, veld) or "").strip()
        ]
        if ontbreekt:
            raise OngeldigeInvoer(
                ontbreekt, "Een overdracht vraagt een reden en een overdrachtsnotitie."
            )
        huidige.tot = nu
        # End the old period first: the unique index allows one open period per casus.
        await _flush_regie(ctx)
    voering = Regievoering(
        casus_id=casus.id,
        medewerker_id=nieuw.id,
        van=nu,
        reden=invoer.reden,
        overdrachtsnotitie=invoer.overdrachtsnotitie,
        toegewezen_door_id=ctx.actor.id,
    )
    ctx.session.add(voering)
    oud = casus.regiehouder_id
    casus.regiehouder_id = nieuw.id
    casus.gewijzigd_op = nu
    ctx.tijdlijn(
        casus.id,
        "regie.overgedragen" if huidige else "regie.toegewezen",
        "regie",
        voering.id,
        {
            "regiehouder": wijziging(str(oud) if oud else None, str(nieuw.id)),
            "regiehouderNaam": wijziging(None, nieuw.naam),
        },
    )
    await _flush_regie(ctx)
    await meldingen.melden(
        ctx,
        [nieuw.id],
        MeldingSoort.regie_toegewezen,
        casus.kenmerk,
        f"/casussen/{casus.kenmerk}#regie",
    )
    return voering


async def _flush_regie(ctx: Werkcontext) -> None:
    """A concurrent handover changed the same rows first: one wins, the other gets a clear 409."""
    try:
        await ctx.session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "Iemand anders heeft tegelijk de regie toegewezen of overgedragen; haal de regie opnieuw op.",
            code="regie-conflict",
        ) from exc


# --- deelnames ---------------------------------------------------------------------------------


async def deelname_of_404(ctx: Werkcontext, toegang: CasusToegang, afdeling_code: str) -> Deelname:
    deelname = await repository.deelname(ctx.session, toegang.casus.id, afdeling_code)
    if deelname is None:
        raise NietGevonden("Deze afdeling neemt niet deel aan de casus.")
    return deelname


async def deelname_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: DeelnameNieuw
) -> Deelname:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    await bestaande_afdeling(ctx, invoer.afdeling, "afdeling")
    if invoer.contactpersoon is not None:
        await bestaande_medewerker(ctx, invoer.contactpersoon, "contactpersoon")
    if await repository.deelname(ctx.session, casus.id, invoer.afdeling) is not None:
        raise Conflict("Deze afdeling neemt al deel.", code="bestaat-al")
    deelname = Deelname(
        casus_id=casus.id,
        afdeling_code=invoer.afdeling,
        contactpersoon_id=invoer.contactpersoon,
        standpunt=invoer.standpunt,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(deelname)
    await ctx.session.flush()
    ctx.tijdlijn(
        casus.id,
        "deelname.toegevoegd",
        "deelname",
        invoer.afdeling,
        {
            "afdeling": wijziging(None, invoer.afdeling),
            "contactpersoon": wijziging(None, invoer.contactpersoon),
            "standpunt": wijziging(None, invoer.standpunt),
        },
    )
    return deelname


async def deelname_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    afdeling_code: str,
    invoer: DeelnameWijziging,
    versie: int | None,
) -> Deelname:
    toegang.acties.wijzigen.eis()
    deelname = await deelname_of_404(ctx, toegang, afdeling_code)
    controleer_versie(versie, deelname.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    if "contactpersoon" in gegeven:
        if gegeven["contactpersoon"] is not None:
            await bestaande_medewerker(ctx, gegeven["contactpersoon"], "contactpersoon")
        velden["contactpersoon_id"] = gegeven["contactpersoon"]
    if gegeven.get("standpunt") is not None:
        velden["standpunt"] = gegeven["standpunt"]
    diff = pas_toe(deelname, velden)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "deelname.gewijzigd", "deelname", afdeling_code, diff)
        await ctx.session.flush()
    return deelname


async def deelname_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, afdeling_code: str, versie: int | None
) -> None:
    toegang.acties.wijzigen.eis()
    deelname = await deelname_of_404(ctx, toegang, afdeling_code)
    controleer_versie(versie, deelname.versie)
    onderdelen = await repository.onderdelen_van_afdeling(
        ctx.session, toegang.casus.id, afdeling_code
    )
    if onderdelen:
        # Removing it would orphan them (and cut its leidinggevende off from her own work).
        raise Conflict(
            "Deze afdeling heeft al onderdelen in de casus en blijft deelnemen.",
            code="deelname-heeft-onderdelen",
            onderdelen=onderdelen,
        )
    # The row goes; its last state stays in the tijdlijn.
    ctx.tijdlijn(
        toegang.casus.id,
        "deelname.verwijderd",
        "deelname",
        afdeling_code,
        {
            "afdeling": wijziging(afdeling_code, None),
            "contactpersoon": wijziging(deelname.contactpersoon_id, None),
            "standpunt": wijziging(deelname.standpunt, None),
        },
    )
    await ctx.session.delete(deelname)
    await ctx.session.flush()


# --- escalaties --------------------------------------------------------------------------------


async def escalatie_of_404(
    ctx: Werkcontext, toegang: CasusToegang, escalatie_id: uuid.UUID
) -> Escalatie:
    escalatie = await repository.escalatie(ctx.session, toegang.casus.id, escalatie_id)
    if escalatie is None:
        raise NietGevonden("Deze escalatie bestaat niet.")
    return escalatie


def _ongeldig(naam: str, code: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": naam, "code": code, "reason": reden}])


BUITEN_DE_ORGANISATIE = (EscalatieNiveau.bestuur, EscalatieNiveau.landelijk)


async def escaleren(ctx: Werkcontext, toegang: CasusToegang, invoer: EscalatieNieuw) -> Escalatie:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    betreft = invoer.betreft
    leeg = betreft is None or (betreft.besluit is None and not betreft.afwijkingen)
    if leeg and invoer.niveau in BUITEN_DE_ORGANISATIE:
        raise _ongeldig(
            "betreft",
            "verplicht",
            "een escalatie naar bestuur of landelijk loket noemt het besluit of de afwijkingen "
            "waarover beslist wordt",
        )
    besluit_id: uuid.UUID | None = None
    afwijking_ids: list[uuid.UUID] = []
    if betreft is not None:
        if betreft.besluit is not None and betreft.afwijkingen:
            raise _ongeldig("betreft", "een-van-beide", "een besluit of afwijkingen, niet allebei")
        if betreft.besluit is not None:
            if await maatwerk_repository.besluit(ctx.session, casus.id, betreft.besluit) is None:
                raise _ongeldig(
                    "betreft.besluit", "onbekend-besluit", "onbekend besluit van deze casus"
                )
            besluit_id = betreft.besluit
        afwijking_ids = sorted(set(betreft.afwijkingen))
        gevonden = await repository.afwijkingen_van_casus(ctx.session, casus.id, afwijking_ids)
        if len(gevonden) != len(afwijking_ids):
            raise _ongeldig(
                "betreft.afwijkingen", "onbekende-afwijking", "onbekende afwijking van deze casus"
            )
    if invoer.loket is not None and invoer.niveau != EscalatieNiveau.landelijk:
        raise _ongeldig(
            "loket", "alleen-landelijk", "alleen een landelijke escalatie heeft een loket"
        )
    loket = invoer.loket
    if loket is not None and loket.status == LoketStatus.beantwoord:
        raise _ongeldig("loket.status", "met-uitkomst", "beantwoord volgt uit de uitkomst")
    escalatie = Escalatie(
        casus_id=casus.id,
        niveau=invoer.niveau,
        reden=invoer.reden,
        betreft_besluit_id=besluit_id,
        aangevraagd_door_id=ctx.actor.id,
        aangevraagd_op=ctx.nu,
    )
    if invoer.niveau == EscalatieNiveau.landelijk:
        escalatie.loket_status = loket.status if loket and loket.status else LoketStatus.ingediend
        if loket is not None:
            escalatie.loket_referentie = loket.referentie
            escalatie.loket_contact = loket.contact
            escalatie.loket_antwoord_verwacht = loket.antwoord_verwacht
    ctx.session.add(escalatie)
    await ctx.session.flush()
    for a_id in afwijking_ids:
        ctx.session.add(EscalatieAfwijking(escalatie_id=escalatie.id, afwijking_id=a_id))
    await ctx.session.flush()
    await meldingen.melden(
        ctx,
        await meldingen.leidinggevenden_op_casus(ctx, casus.id),
        MeldingSoort.escalatie_aangevraagd,
        casus.kenmerk,
        f"/casussen/{casus.kenmerk}#regie",
    )
    ctx.tijdlijn(
        casus.id,
        "escalatie.aangevraagd",
        "escalatie",
        escalatie.id,
        {
            "niveau": wijziging(None, escalatie.niveau),
            "reden": wijziging(None, escalatie.reden),
            **({"besluit": wijziging(None, besluit_id)} if besluit_id else {}),
            **(
                {"afwijkingen": wijziging(None, [str(a) for a in afwijking_ids])}
                if afwijking_ids
                else {}
            ),
        },
    )
    return escalatie


async def _betrokken_besluiten(
    ctx: Werkcontext, escalatie: Escalatie, afwijking_ids: list[uuid.UUID]
) -> tuple[list[Besluit], set[uuid.UUID]]:
    """The besluiten an escalatie is about, locked (their rugdekking depends on its outcome),
    and who may not record that outcome: drafters, regiehouders during the concept, proposers."""
    casus_id = escalatie.casus_id
    besluit_ids: set[uuid.UUID] = set()
    voorstellers: set[uuid.UUID] = set()
    if escalatie.betreft_besluit_id is not None:
        besluit_ids.add(escalatie.betreft_besluit_id)
    for a in await repository.afwijkingen_van_casus(ctx.session, casus_id, afwijking_ids):
        besluit_ids.add(a.besluit_id)
        voorstellers.add(a.voorgesteld_door_id)
    besluiten: list[Besluit] = []
    betrokkenen = set(voorstellers)
    for b_id in sorted(besluit_ids):  # one lock order everywhere: no deadlocks
        besluit = await maatwerk_repository.besluit_vergrendeld(ctx.session, casus_id, b_id)
        assert besluit is not None  # the foreign key keeps it
        besluiten.append(besluit)
        betrokkenen |= await maatwerk_repository.betrokken_bij_besluit(ctx.session, besluit)
        if b_id == escalatie.betreft_besluit_id:
            betrokkenen |= await repository.voorstellers(ctx.session, b_id)
    return besluiten, betrokkenen


def _uitkomst_velden(
    escalatie: Escalatie, invoer: UitkomstInvoer, ctx: Werkcontext
) -> dict[str, Any]:
    voorwaarden = (invoer.voorwaarden or "").strip() or None
    if invoer.soort == EscalatieUitkomst.toegekend_onder_voorwaarden and voorwaarden is None:
        raise _ongeldig(
            "uitkomst.voorwaarden", "verplicht", "toegekend onder voorwaarden: welke voorwaarden"
        )
    if invoer.soort != EscalatieUitkomst.toegekend_onder_voorwaarden and voorwaarden is not None:
        raise _ongeldig(
            "uitkomst.voorwaarden",
            "alleen-met-voorwaarden",
            "voorwaarden horen bij toegekend_onder_voorwaarden",
        )
    if escalatie.niveau in BUITEN_DE_ORGANISATIE and invoer.referentie is None:
        raise _ongeldig(
            "uitkomst.referentie",
            "verplicht",
            "de uitkomst van bestuur of landelijk loket heeft een kenmerk (bv. het collegebesluit)",
        )
    velden: dict[str, Any] = {
        "uitkomst_soort": invoer.soort,
        "voorwaarden": voorwaarden,
        "referentie": invoer.referentie,
        "uitkomst": invoer.toelichting.strip() or None,
        "afgehandeld_door_id": ctx.actor.id,
        "afgehandeld_op": ctx.nu,
    }
    if escalatie.niveau == EscalatieNiveau.landelijk:
        velden["loket_status"] = LoketStatus.beantwoord
    return velden


async def escalatie_afhandelen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    escalatie_id: uuid.UUID,
    invoer: EscalatieWijziging,
    versie: int | None,
) -> Escalatie:
    """Record the outcome (once) or, for a landelijk escalatie, the loket's progress."""
    escalatie = await escalatie_of_404(ctx, toegang, escalatie_id)
    if invoer.uitkomst is None and invoer.loket is None:
        raise _ongeldig("uitkomst", "verplicht", "geef de uitkomst of de stand bij het loket")
    afwijking_ids = (await repository.betreft_afwijkingen(ctx.session, [escalatie.id])).get(
        escalatie.id, []
    )
    _, betrokkenen = await _betrokken_besluiten(ctx, escalatie, afwijking_ids)
    if invoer.uitkomst is not None:
        # The permission set's rule (uitkomstVastleggen): the right first, then an open casus.
        policy.zolang_open(
            toegang.casus,
            policy.escalatie_uitkomst_recht(
                ctx.actor,
                toegang.rechten,
                toegang.casus,
                niveau=escalatie.niveau,
                aangevraagd_door_id=escalatie.aangevraagd_door_id,
                betrokkenen=betrokkenen,
            ),
        ).eis()
    else:
        toegang.acties.wijzigen.eis()
    await ctx.session.refresh(escalatie)
    controleer_versie(versie, escalatie.versie)
    if escalatie.afgehandeld_op is not None:
        raise Conflict(
            "Over deze escalatie is beslist; de uitkomst verandert niet meer. Een correctie is "
            "een nieuwe vastlegging met een reden (POST .../correcties).",
            code="escalatie-beslist",
        )
    velden: dict[str, Any] = {}
    if invoer.loket is not None:
        if escalatie.niveau != EscalatieNiveau.landelijk:
            raise _ongeldig(
                "loket", "alleen-landelijk", "alleen een landelijke escalatie heeft een loket"
            )
        gegeven = invoer.loket.model_dump(exclude_unset=True)
        if gegeven.get("status") == LoketStatus.beantwoord:
            raise _ongeldig("loket.status", "met-uitkomst", "beantwoord volgt uit de uitkomst")
        for veld, kolom in (
            ("referentie", "loket_referentie"),
            ("contact", "loket_contact"),
            ("antwoord_verwacht", "loket_antwoord_verwacht"),
        ):
            if veld in gegeven:
                velden[kolom] = gegeven[veld]
        if gegeven.get("status") is not None:
            velden["loket_status"] = LoketStatus(gegeven["status"])
    if invoer.uitkomst is not None:
        velden |= _uitkomst_velden(escalatie, invoer.uitkomst, ctx)
    diff = pas_toe(escalatie, velden)
    actie = "escalatie.afgehandeld" if invoer.uitkomst is not None else "escalatie.loket"
    ctx.tijdlijn(toegang.casus.id, actie, "escalatie", escalatie.id, diff)
    await ctx.session.flush()
    return escalatie


async def escalatie_corrigeren(
    ctx: Werkcontext, toegang: CasusToegang, escalatie_id: uuid.UUID, invoer: CorrectieNieuw
) -> Escalatie:
    """A correction of a recorded outcome: a new escalatie that supersedes it; both are kept."""
    oud = await escalatie_of_404(ctx, toegang, escalatie_id)
    afwijking_ids = (await repository.betreft_afwijkingen(ctx.session, [oud.id])).get(oud.id, [])
    _, betrokkenen = await _betrokken_besluiten(ctx, oud, afwijking_ids)
    policy.zolang_open(
        toegang.casus,
        policy.escalatie_uitkomst_recht(
            ctx.actor,
            toegang.rechten,
            toegang.casus,
            niveau=oud.niveau,
            aangevraagd_door_id=oud.aangevraagd_door_id,
            betrokkenen=betrokkenen,
        ),
    ).eis()
    if oud.afgehandeld_op is None:
        raise Conflict(
            "Deze escalatie heeft nog geen uitkomst; leg die eerst vast (PATCH).",
            code="escalatie-open",
        )
    if await repository.correcties(ctx.session, [oud.id]):
        raise Conflict(
            "Deze uitkomst is al gecorrigeerd; corrigeer de laatste vastlegging.",
            code="escalatie-al-gecorrigeerd",
        )
    nieuw = Escalatie(
        casus_id=oud.casus_id,
        niveau=oud.niveau,
        reden=oud.reden,
        betreft_besluit_id=oud.betreft_besluit_id,
        aangevraagd_door_id=ctx.actor.id,
        aangevraagd_op=ctx.nu,
        vervangt_id=oud.id,
        correctiereden=invoer.reden,
        loket_referentie=oud.loket_referentie,
        loket_contact=oud.loket_contact,
        loket_antwoord_verwacht=oud.loket_antwoord_verwacht,
        loket_status=oud.loket_status,
    )
    for kolom, waarde in _uitkomst_velden(oud, invoer.uitkomst, ctx).items():
        setattr(nieuw, kolom, waarde)
    ctx.session.add(nieuw)
    await ctx.session.flush()
    for a_id in afwijking_ids:
        ctx.session.add(EscalatieAfwijking(escalatie_id=nieuw.id, afwijking_id=a_id))
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "escalatie.gecorrigeerd",
        "escalatie",
        nieuw.id,
        {
            "vervangt": wijziging(None, oud.id),
            "uitkomst": wijziging(oud.uitkomst_soort, nieuw.uitkomst_soort),
            "reden": wijziging(None, invoer.reden),
        },
    )
    return nieuw
