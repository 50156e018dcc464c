"""The read side of maatwerk: besluiten with their reacties, overslagen, cost split and the
afdelingen not yet heard, and afwijkingen with their rugdekking; built here once for the API
endpoints and the web pages. No rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import NietGevonden
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.kit.schema import ActieOordeel, AfwijkingActies, BesluitActies
from doorbraak.leren import lezen as leren
from doorbraak.leren.schemas import SignaalUitkomst
from doorbraak.maatwerk import repository
from doorbraak.maatwerk.schemas import (
    AfwijkingUit,
    BesluitUit,
    KostenaandeelUit,
    OverslagUit,
    ReactieUit,
    Rugdekking,
    Waardentoets,
)
from doorbraak.models import Afwijking, Besluit, Kostenaandeel, Overslag, Reactie
from doorbraak.models.enums import AfwijkingStatus, BesluitStatus
from doorbraak.organisatie.schemas import RegelRef, RegelversieRef
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext


def reactie_uit(r: Reactie, p: Personen) -> ReactieUit:
    return ReactieUit(
        id=r.id,
        afdeling=r.afdeling_code,
        reactie=r.reactie,
        toelichting=r.toelichting,
        door=p.vereist(r.door_id),
        op=r.op,
        gegeven_op_besluit=r.gegeven_op_besluit_id,
        versie=r.versie,
    )


@dataclass
class _Onderdelen:
    toegang: CasusToegang
    reacties: Sequence[Reactie]
    overslagen: Sequence[Overslag]
    aandelen: Sequence[Kostenaandeel]
    deelnemers: dict[int, list[str]]


def _besluit(b: Besluit, kenmerk: str, o: _Onderdelen, p: Personen) -> BesluitUit:
    reacties = [r for r in o.reacties if r.besluit_id == b.id]
    overslagen = [x for x in o.overslagen if x.besluit_id == b.id]
    gehoord = {r.afdeling_code for r in reacties} | {x.afdeling_code for x in overslagen}
    niet_gehoord = (
        [a for a in o.deelnemers.get(b.casus_id, []) if a not in gehoord]
        if b.status == BesluitStatus.concept
        else []
    )
    acties = policy.besluit_acties(
        o.toegang.casus,
        o.toegang.rechten,
        status=b.status,
        noodmaatregel=b.noodmaatregel,
        niet_gehoord=niet_gehoord,
    )
    return BesluitUit(
        id=b.id,
        kenmerk=kenmerk,
        omschrijving=b.omschrijving,
        motivering=b.motivering,
        kosten_eenmalig_cent=b.kosten_eenmalig_cent,
        kosten_per_jaar_cent=b.kosten_per_jaar_cent,
        betalende_afdeling=b.betalende_afdeling_code,
        kostenverdeling=[
            KostenaandeelUit(
                afdeling=a.afdeling_code,
                eenmalig_cent=a.eenmalig_cent,
                per_jaar_cent=a.per_jaar_cent,
            )
            for a in o.aandelen
            if a.besluit_id == b.id
        ],
        status=BesluitStatus(b.status),
        vervangt=b.vervangt_id,
        noodmaatregel=b.noodmaatregel,
        noodmaatregel_reden=b.noodmaatregel_reden,
        reacties=[reactie_uit(r, p) for r in reacties],
        overgeslagen=[
            OverslagUit(afdeling=x.afdeling_code, reden=x.reden, door=p.vereist(x.door_id), op=x.op)
            for x in overslagen
        ],
        niet_gehoord=niet_gehoord,
        toegestane_acties=BesluitActies.model_validate(acties),
        afweging=b.afweging,
        opgesteld_door=p.vereist(b.opgesteld_door_id),
        aangemaakt_op=b.aangemaakt_op,
        vastgesteld_door=p.ref(b.vastgesteld_door_id),
        vastgesteld_op=b.vastgesteld_op,
        ingetrokken_op=b.ingetrokken_op,
        intrekkingsreden=b.intrekkingsreden,
        versie=b.versie,
    )


async def besluiten_uit(
    ctx: Werkcontext, toegang: CasusToegang, besluiten: Sequence[Besluit]
) -> list[BesluitUit]:
    """Besluiten with their parts and people: a fixed number of queries for the whole list."""
    ids = [b.id for b in besluiten]
    kenmerk = toegang.casus.kenmerk
    o = _Onderdelen(
        toegang=toegang,
        reacties=await repository.reacties(ctx.session, ids),
        overslagen=await repository.overslagen(ctx.session, ids),
        aandelen=await repository.kostenaandelen(ctx.session, ids),
        deelnemers=await repository.deelnemende_afdelingen_per_casus(
            ctx.session, [b.casus_id for b in besluiten]
        ),
    )
    p = await Personen.laad(
        ctx,
        [i for b in besluiten for i in (b.opgesteld_door_id, b.vastgesteld_door_id)]
        + [r.door_id for r in o.reacties]
        + [x.door_id for x in o.overslagen],
    )
    return [_besluit(b, kenmerk, o, p) for b in besluiten]


async def besluiten_lijst(
    ctx: Werkcontext,
    toegang: CasusToegang,
    vraag: PaginaVraag,
    status: BesluitStatus | None = None,
) -> Pagina[BesluitUit]:
    rijen = await repository.besluiten(ctx.session, toegang.casus.id, vraag, status)
    return Pagina(
        results=await besluiten_uit(ctx, toegang, rijen[: vraag.limit]),
        next=volgende_url(vraag, rijen, lambda b: [b.aangemaakt_op, b.id]),
    )


async def reactie(ctx: Werkcontext, r: Reactie) -> ReactieUit:
    return reactie_uit(r, await Personen.laad(ctx, [r.door_id]))


async def besluit(ctx: Werkcontext, toegang: CasusToegang, b: Besluit) -> BesluitUit:
    return (await besluiten_uit(ctx, toegang, [b]))[0]


@dataclass
class _Afwijkingsfeiten:
    """What the permission set of afwijkingen needs, loaded once for a page of them."""

    personen: Personen
    betrokkenen: dict[uuid.UUID, set[uuid.UUID]]
    heroverwegingen: set[uuid.UUID]
    open_verzoeken: dict[uuid.UUID, uuid.UUID]
    signalen: dict[uuid.UUID, SignaalUitkomst]
    bestuur_toegekend: set[uuid.UUID]


def regelscope(rij: Any) -> policy.Regelscope:
    return policy.Regelscope(regeling=rij.regeling, afdeling=rij.regel_afdeling)


def _afwijking(
    ctx: Werkcontext, toegang: CasusToegang, rij: Any, f: _Afwijkingsfeiten
) -> AfwijkingUit:
    a: Afwijking = rij.Afwijking
    p = f.personen
    kenmerk = toegang.casus.kenmerk
    heroverweging = a.id in f.heroverwegingen
    rugdekking_geven = policy.rugdekking_oordeel(
        ctx.actor,
        toegang.casus,
        status=a.status,
        voorgesteld_door_id=a.voorgesteld_door_id,
        bedrag_cent=a.financieel_belang_cent,
        risico=a.risico,
        regel=regelscope(rij),
        betrokkenen=f.betrokkenen.get(a.besluit_id, set()),
        heroverweging=heroverweging,
        afgewezen_door_id=a.rugdekking_door_id,
        rechten=toegang.rechten,
        besluit_status=rij.besluit_status,
    )
    rugdekking_vragen = policy.rugdekking_vragen_oordeel(
        toegang.casus,
        toegang.rechten,
        status=a.status,
        besluit_status=rij.besluit_status,
        heroverweging=heroverweging,
        open_verzoek=a.id in f.open_verzoeken,
    )
    heroverweging_vragen = policy.heroverweging_oordeel(
        toegang.casus, toegang.rechten, status=a.status, heroverweging=heroverweging
    )
    rugdekking = None
    if a.rugdekking_door_id is not None and a.rugdekking_op is not None:
        rugdekking = Rugdekking(
            oordeel=a.rugdekking_oordeel or a.status,
            door=p.vereist(a.rugdekking_door_id),
            op=a.rugdekking_op,
            toelichting=a.rugdekking_toelichting,
            mandaat_referentie=a.mandaat_referentie,
        )
    return AfwijkingUit(
        id=a.id,
        kenmerk=kenmerk,
        besluit=a.besluit_id,
        regel=RegelRef(id=a.regel_id, titel=rij.titel, regeling=rij.regeling, artikel=rij.artikel),
        regelversie=RegelversieRef(
            id=a.regelversie_id,
            regel=a.regel_id,
            nummer=rij.versie_nummer,
            geldig_van=rij.versie_van,
            geldig_tot=rij.versie_tot,
        ),
        wat_de_regel_zegt=a.wat_de_regel_zegt,
        wat_we_doen=a.wat_we_doen,
        grondslag=a.grondslag,
        motivering=a.motivering,
        waardentoets=Waardentoets(
            legitimiteit=a.waardentoets_legitimiteit,
            rendement=a.waardentoets_rendement,
            betrokkenheid=a.waardentoets_betrokkenheid,
        ),
        risico=a.risico,
        financieel_belang_cent=a.financieel_belang_cent,
        status=AfwijkingStatus(a.status),
        rugdekking=rugdekking,
        beleidssignaal=a.beleidssignaal,
        signaal_status=f.signalen[a.id].status if a.id in f.signalen else None,
        signaal=f.signalen.get(a.id),
        voorgesteld_door=p.vereist(a.voorgesteld_door_id),
        aangemaakt_op=a.aangemaakt_op,
        versie=a.versie,
        heroverweging_mogelijk=heroverweging,
        open_rugdekkingsverzoek=f.open_verzoeken.get(a.id),
        toegestane_acties=AfwijkingActies(
            rugdekking_geven=ActieOordeel.model_validate(rugdekking_geven),
            rugdekking_vragen=ActieOordeel.model_validate(rugdekking_vragen),
            heroverweging_vragen=ActieOordeel.model_validate(heroverweging_vragen),
            dekken=ActieOordeel.model_validate(
                policy.afwijking_dekken(
                    rugdekking_geven, repository.wacht_op_bestuur(a, f.bestuur_toegekend)
                )
            ),
        ),
    )


async def _feiten(
    ctx: Werkcontext, toegang: CasusToegang, rijen: Sequence[Any]
) -> _Afwijkingsfeiten:
    afwijkingen = [r.Afwijking for r in rijen]
    return _Afwijkingsfeiten(
        personen=await Personen.laad(
            ctx, [i for a in afwijkingen for i in (a.voorgesteld_door_id, a.rugdekking_door_id)]
        ),
        betrokkenen=await repository.betrokkenen_per_besluit(
            ctx.session, toegang.casus.id, [a.besluit_id for a in afwijkingen]
        ),
        heroverwegingen=await repository.heroverwegingen(ctx.session, afwijkingen),
        open_verzoeken={
            v.afwijking_id: v.id
            for v in await repository.open_verzoeken(ctx.session, [a.id for a in afwijkingen])
        },
        signalen=await leren.signaaluitkomsten(ctx, toegang.casus.id),
        bestuur_toegekend=await repository.bestuur_toegekend(ctx.session, afwijkingen),
    )


async def afwijking(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID
) -> AfwijkingUit:
    rij = await repository.afwijking(ctx.session, toegang.casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    return _afwijking(ctx, toegang, rij, await _feiten(ctx, toegang, [rij]))


async def kenmerk_van_afwijking(ctx: Werkcontext, afwijking_id: uuid.UUID) -> str | None:
    """The casus an afwijking belongs to (no access check: the caller has one)."""
    return await repository.kenmerk_van_afwijking(ctx.session, afwijking_id)


async def afwijkingen_lijst(
    ctx: Werkcontext,
    toegang: CasusToegang,
    vraag: PaginaVraag,
    besluit: uuid.UUID | None = None,
    status: AfwijkingStatus | None = None,
) -> Pagina[AfwijkingUit]:
    rijen = await repository.afwijkingen(
        ctx.session, toegang.casus.id, vraag, besluit_id=besluit, status=status
    )
    pagina = rijen[: vraag.limit]
    f = await _feiten(ctx, toegang, pagina)
    return Pagina(
        results=[_afwijking(ctx, toegang, r, f) for r in pagina],
        next=volgende_url(vraag, rijen, lambda r: [r.Afwijking.aangemaakt_op, r.Afwijking.id]),
    )
