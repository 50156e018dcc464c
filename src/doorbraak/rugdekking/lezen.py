"""The read side of rugdekking by request: kandidaten for an afwijking, rugdekkingsverzoeken
(one, a list, the inbox of a mandate holder); for the API endpoints and the web pages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang, casus_toegang
from doorbraak.errors import NietGevonden, OngeldigeInvoer
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.kit.schema import ActieOordeel
from doorbraak.maatwerk import repository as maatwerk_repository
from doorbraak.models import Rugdekkingsverzoek
from doorbraak.models.enums import AfwijkingStatus, RugdekkingsverzoekStatus
from doorbraak.organisatie.schemas import Mandaat, MedewerkerRef, RegelRef
from doorbraak.organisatie.service import Personen
from doorbraak.rugdekking import repository
from doorbraak.rugdekking.schemas import (
    AfwijkingKort,
    KandidaatUit,
    RugdekkingsverzoekActies,
    RugdekkingsverzoekUit,
)
from doorbraak.rugdekking.service import toegang_tot_verzoek
from doorbraak.werk.context import Werkcontext


async def kandidaten(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID
) -> list[KandidaatUit]:
    """The medewerkers who may be asked: their mandaat covers the amount, the risk and the
    regel (scope), and they are not involved in the afwijking or its besluit."""
    rij = await maatwerk_repository.afwijking(ctx.session, toegang.casus.id, afwijking_id)
    if rij is None:
        raise NietGevonden("Deze afwijking bestaat niet.")
    a = rij.Afwijking
    besluit = await maatwerk_repository.besluit(ctx.session, toegang.casus.id, a.besluit_id)
    assert besluit is not None
    betrokkenen = await maatwerk_repository.betrokken_bij_besluit(ctx.session, besluit)
    heroverweging = bool(await maatwerk_repository.heroverwegingen(ctx.session, [a]))
    regel = policy.Regelscope(regeling=rij.regeling, afdeling=rij.regel_afdeling)
    uit = []
    for m in await repository.mandaathouders(ctx.session, a.financieel_belang_cent, a.risico):
        if policy.is_kandidaat(
            m,
            toegang.casus,
            voorgesteld_door_id=a.voorgesteld_door_id,
            bedrag_cent=a.financieel_belang_cent,
            risico=a.risico,
            regel=regel,
            betrokkenen=betrokkenen,
            afgewezen_door_id=a.rugdekking_door_id if heroverweging else None,
        ).toegestaan:
            uit.append(
                KandidaatUit(
                    medewerker=MedewerkerRef(id=m.id, naam=m.naam, afdeling=m.afdeling_code),
                    mandaat=Mandaat(
                        max_bedrag_cent=m.mandaat_max_bedrag_cent,
                        max_risico=m.mandaat_max_risico,
                        afdelingen=m.mandaat_afdelingen or [],
                        regelingen=m.mandaat_regelingen or [],
                    ),
                )
            )
    return uit


def _uit(
    ctx: Werkcontext,
    rij: Any,
    p: Personen,
    toegang: CasusToegang | None,
    bestuur: set[uuid.UUID],
) -> RugdekkingsverzoekUit:
    v: Rugdekkingsverzoek = rij.Rugdekkingsverzoek
    a = rij.Afwijking
    # The addressee's own list: their rights on the casus are those of the verzoek.
    rechten = toegang.rechten if toegang is not None else policy.rugdekking_inzage(v.id)
    acties = policy.rugdekkingsverzoek_acties(
        ctx.actor,
        rij.Casus,
        rechten,
        aan_id=v.aan_id,
        open_=v.status == RugdekkingsverzoekStatus.open,
        wacht_op_bestuur=maatwerk_repository.wacht_op_bestuur(a, bestuur),
    )
    return RugdekkingsverzoekUit(
        id=v.id,
        kenmerk=rij.Casus.kenmerk,
        afwijking=AfwijkingKort(
            id=a.id,
            regel=RegelRef(
                id=a.regel_id, titel=rij.titel, regeling=rij.regeling, artikel=rij.artikel
            ),
            wat_we_doen=a.wat_we_doen,
            risico=a.risico,
            financieel_belang_cent=a.financieel_belang_cent,
            status=AfwijkingStatus(a.status),
        ),
        aan=p.vereist(v.aan_id),
        toelichting=v.toelichting,
        status=RugdekkingsverzoekStatus(v.status),
        verzonden_door=p.vereist(v.verzonden_door_id),
        verzonden_op=v.verzonden_op,
        oordeel=v.oordeel,
        motivering=v.motivering,
        beantwoord_op=v.beantwoord_op,
        gesloten_door=p.ref(v.gesloten_door_id),
        gesloten_op=v.gesloten_op,
        sluitingsreden=v.sluitingsreden,
        toegestane_acties=RugdekkingsverzoekActies(
            beantwoorden=ActieOordeel.model_validate(acties.beantwoorden),
            dekken=ActieOordeel.model_validate(acties.dekken),
            intrekken=ActieOordeel.model_validate(acties.intrekken),
        ),
        versie=v.versie,
    )


async def _bestuur(ctx: Werkcontext, rijen: Sequence[Any]) -> set[uuid.UUID]:
    """The buiten_kader afwijkingen the bestuur granted, of the open verzoeken among these (a
    closed one allows nothing anyway): one query, none without such an afwijking."""
    return await maatwerk_repository.bestuur_toegekend(
        ctx.session,
        [
            r.Afwijking
            for r in rijen
            if r.Rugdekkingsverzoek.status == RugdekkingsverzoekStatus.open
        ],
    )


async def _personen(ctx: Werkcontext, rijen: Sequence[Any]) -> Personen:
    return await Personen.laad(
        ctx,
        [
            i
            for r in rijen
            for i in (
                r.Rugdekkingsverzoek.aan_id,
                r.Rugdekkingsverzoek.verzonden_door_id,
                r.Rugdekkingsverzoek.gesloten_door_id,
            )
        ],
    )


async def verzoek(
    ctx: Werkcontext, verzoek_id: uuid.UUID, *, doelbinding: str | None = None
) -> RugdekkingsverzoekUit:
    _, _, toegang = await toegang_tot_verzoek(ctx, verzoek_id, doelbinding=doelbinding)
    rij = await repository.verzoek(ctx.session, verzoek_id)
    assert rij is not None
    return _uit(ctx, rij, await _personen(ctx, [rij]), toegang, await _bestuur(ctx, [rij]))


async def verzoeken(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    *,
    aan_ik: bool,
    afwijking: uuid.UUID | None,
    status: RugdekkingsverzoekStatus | None,
    doelbinding: str | None = None,
) -> Pagina[RugdekkingsverzoekUit]:
    """`aan=ik`: the requests addressed to the caller (any casus, also closed ones: what they
    decided). `afwijking`: those about one afwijking, for whoever sees its casus."""
    if not aan_ik and afwijking is None:
        raise OngeldigeInvoer(
            [
                {
                    "name": "aan",
                    "code": "verplicht",
                    "reason": "geef aan=ik (uw verzoeken) of afwijking=<id>",
                }
            ]
        )
    toegang: CasusToegang | None = None
    if afwijking is not None:
        kenmerk = await maatwerk_repository.kenmerk_van_afwijking(ctx.session, afwijking)
        if kenmerk is None:
            raise NietGevonden("Deze afwijking bestaat niet of is niet zichtbaar voor u.")
        toegang = await casus_toegang(ctx, kenmerk, doelbinding=doelbinding)
    rijen = await repository.verzoeken(
        ctx.session,
        vraag,
        aan_id=ctx.actor.id if aan_ik else None,
        afwijking_id=afwijking,
        status=status,
    )
    pagina = rijen[: vraag.limit]
    p = await _personen(ctx, pagina)
    bestuur = await _bestuur(ctx, pagina)
    return Pagina(
        results=[_uit(ctx, r, p, toegang, bestuur) for r in pagina],
        next=volgende_url(
            vraag, rijen, lambda r: [r.Rugdekkingsverzoek.verzonden_op, r.Rugdekkingsverzoek.id]
        ),
    )


async def open_verzoeken_aan(
    ctx: Werkcontext, medewerker_id: uuid.UUID
) -> list[RugdekkingsverzoekUit]:
    """The open rugdekkingsverzoeken addressed to this medewerker, oldest first (for Mijn werk
    and the inbox of things that need their attention)."""
    rijen = await repository.open_verzoeken_aan(ctx.session, medewerker_id)
    p = await _personen(ctx, rijen)
    bestuur = await _bestuur(ctx, rijen)
    return [_uit(ctx, r, p, None, bestuur) for r in rijen]
