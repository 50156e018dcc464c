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


def _afwijking(
    ctx: Werkcontext,
    toegang: CasusToegang,
    rij: Any,
    p: Personen,
    betrokkenen: dict[uuid.UUID, set[uuid.UUID]],
    signalen: dict[uuid.UUID, SignaalUitkomst],
) -> AfwijkingUit:
    a: Afwijking = rij.Afwijking
    kenmerk = toegang.casus.kenmerk
    rugdekking_geven = policy.rugdekking_oordeel(
        ctx.actor,
        toegang.casus,
        status=a.status,
        voorgesteld_door_id=a.voorgesteld_door_id,
        bedrag_cent=a.financieel_belang_cent,
        risico=a.risico,
        betrokkenen=betrokkenen.get(a.besluit_id, set()),
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
        signaal_status=signalen[a.id].status if a.id in signalen else None,
        signaal=signalen.get(a.id),
        voorgesteld_door=p.vereist(a.voorgesteld_door_id),
        aangemaakt_op=a.aangemaakt_op,
        versie=a.versie,
        toegestane_acties=AfwijkingActies(
            rugdekking_geven=ActieOordeel.model_validate(rugdekking_geven)
        ),
    )


async def _personen(ctx: Werkcontext, rijen: Sequence[Any]) -> Personen:
    return await Personen.laad(
        ctx,
        [
            i
            for r in rijen
            for i in (r.Afwijking.voorgesteld_door_id, r.Afwijking.rugdekking_door_id)
        ],
    )


async def afwijking(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID
) -> AfwijkingUit:
    rij = await repository.afwijking(ctx.session, toegang.casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    betrokkenen = await repository.betrokkenen_per_besluit(
        ctx.session, toegang.casus.id, [rij.Afwijking.besluit_id]
    )
    signalen = await leren.signaaluitkomsten(ctx, toegang.casus.id)
    return _afwijking(ctx, toegang, rij, await _personen(ctx, [rij]), betrokkenen, signalen)


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
    p = await _personen(ctx, pagina)
    betrokkenen = await repository.betrokkenen_per_besluit(
        ctx.session, toegang.casus.id, [r.Afwijking.besluit_id for r in pagina]
    )
    signalen = await leren.signaaluitkomsten(ctx, toegang.casus.id)
    return Pagina(
        results=[_afwijking(ctx, toegang, r, p, betrokkenen, signalen) for r in pagina],
        next=volgende_url(vraag, rijen, lambda r: [r.Afwijking.aangemaakt_op, r.Afwijking.id]),
    )
