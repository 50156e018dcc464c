"""Rules of rugdekking by request.

The regiehouder asks one named medewerker whose mandaat covers an afwijking (amount, risk and
mandaatscope, and not involved in the besluit: the same rule that decides whether they may give
it, `policy.is_kandidaat`). While the verzoek is open its addressee reads the casus, its
besluiten and afwijkingen for this purpose only (the verzoek is the doelbinding of those reads
in the logboek); the answer, gedekt or afgewezen with a motivering, is recorded through the
rugdekking rules of the afwijking (`maatwerk.service.rugdekking_geven`: mandaat, conflict of
interest, buiten_kader needs the bestuur's escalatie). Answering, withdrawing and the lapse of a
verzoek all happen under the besluit's row lock, and the verzoek is re-read after it, so an
answer and a withdrawal sent at the same moment never both succeed. One verzoek per afwijking is
open at a time (a partial unique index).
"""

from __future__ import annotations

import uuid

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang, casus_toegang, casus_voor_verzoek
from doorbraak.errors import NietGevonden, OngeldigeInvoer
from doorbraak.maatwerk import repository as maatwerk_repository
from doorbraak.maatwerk import service as maatwerk
from doorbraak.maatwerk.schemas import RugdekkingNieuw
from doorbraak.models import Afwijking, Rugdekkingsverzoek
from doorbraak.models.enums import RugdekkingOordeel, RugdekkingsverzoekStatus
from doorbraak.organisatie import repository as organisatie_repository
from doorbraak.rugdekking import repository
from doorbraak.rugdekking.schemas import (
    RugdekkingsverzoekAntwoord,
    RugdekkingsverzoekIntrekken,
    RugdekkingsverzoekNieuw,
)
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging

NIET_GEVONDEN = "Dit rugdekkingsverzoek bestaat niet of is niet zichtbaar voor u."


async def toegang_tot_verzoek(
    ctx: Werkcontext, verzoek_id: uuid.UUID, *, doelbinding: str | None = None, lezen: bool = True
) -> tuple[Rugdekkingsverzoek, str, CasusToegang]:
    """A verzoek is seen by its addressee (always: also what they decided, after it closed) and
    by whoever sees its casus; everyone else gets 404."""
    rij = await repository.verzoek(ctx.session, verzoek_id)
    if rij is None:
        raise NietGevonden(NIET_GEVONDEN)
    verzoek: Rugdekkingsverzoek = rij.Rugdekkingsverzoek
    if verzoek.aan_id == ctx.actor.id:
        toegang = await casus_voor_verzoek(ctx, rij.Casus.kenmerk, verzoek.id)
    else:
        try:
            toegang = await casus_toegang(
                ctx, rij.Casus.kenmerk, doelbinding=doelbinding, lezen=lezen
            )
        except NietGevonden:
            raise NietGevonden(NIET_GEVONDEN) from None
    return verzoek, rij.Casus.kenmerk, toegang


async def _afwijking_vergrendeld(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID
) -> Afwijking:
    """The afwijking, re-read after its besluit's row lock."""
    rij = await maatwerk_repository.afwijking(ctx.session, toegang.casus.id, afwijking_id)
    if rij is None:
        raise OngeldigeInvoer(
            [{"name": "afwijking", "code": "onbekende-afwijking", "reason": "onbekende afwijking"}]
        )
    besluit = await maatwerk_repository.besluit_vergrendeld(
        ctx.session, toegang.casus.id, rij.Afwijking.besluit_id
    )
    assert besluit is not None  # the foreign key keeps it
    afwijking: Afwijking = rij.Afwijking
    await ctx.session.refresh(afwijking)
    return afwijking


async def verzoek_sturen(ctx: Werkcontext, invoer: RugdekkingsverzoekNieuw) -> Rugdekkingsverzoek:
    kenmerk = await maatwerk_repository.kenmerk_van_afwijking(ctx.session, invoer.afwijking)
    if kenmerk is None:
        raise OngeldigeInvoer(
            [{"name": "afwijking", "code": "onbekende-afwijking", "reason": "onbekende afwijking"}]
        )
    try:
        toegang = await casus_toegang(ctx, kenmerk, lezen=False)
    except NietGevonden:
        # An afwijking of a casus the actor does not see is, to them, unknown.
        raise OngeldigeInvoer(
            [{"name": "afwijking", "code": "onbekende-afwijking", "reason": "onbekende afwijking"}]
        ) from None
    afwijking = await _afwijking_vergrendeld(ctx, toegang, invoer.afwijking)
    rij = await maatwerk_repository.afwijking(ctx.session, toegang.casus.id, afwijking.id)
    assert rij is not None
    heroverweging = bool(await maatwerk_repository.heroverwegingen(ctx.session, [afwijking]))
    policy.rugdekking_vragen_oordeel(
        toegang.casus,
        toegang.rechten,
        status=afwijking.status,
        besluit_status=rij.besluit_status,
        heroverweging=heroverweging,
        open_verzoek=await repository.open_verzoek(ctx.session, afwijking.id) is not None,
    ).eis()
    aan = await organisatie_repository.medewerker(ctx.session, invoer.aan)
    if aan is None or not aan.actief:
        raise OngeldigeInvoer(
            [{"name": "aan", "code": "onbekende-medewerker", "reason": "onbekende medewerker"}]
        )
    besluit = await maatwerk_repository.besluit(ctx.session, toegang.casus.id, afwijking.besluit_id)
    assert besluit is not None
    kandidaat = policy.is_kandidaat(
        aan,
        toegang.casus,
        voorgesteld_door_id=afwijking.voorgesteld_door_id,
        bedrag_cent=afwijking.financieel_belang_cent,
        risico=afwijking.risico,
        regel=policy.Regelscope(regeling=rij.regeling, afdeling=rij.regel_afdeling),
        betrokkenen=await maatwerk_repository.betrokken_bij_besluit(ctx.session, besluit),
        afgewezen_door_id=afwijking.rugdekking_door_id if heroverweging else None,
    )
    if not kandidaat.toegestaan:
        raise OngeldigeInvoer(
            [
                {
                    "name": "aan",
                    "code": kandidaat.code or "geen-kandidaat",
                    "reason": kandidaat.reden or "",
                }
            ],
            "Deze medewerker kan de rugdekking van deze afwijking niet geven; kies een van de "
            "kandidaten.",
        )
    verzoek = Rugdekkingsverzoek(
        casus_id=toegang.casus.id,
        afwijking_id=afwijking.id,
        aan_id=aan.id,
        toelichting=invoer.toelichting.strip(),
        status=RugdekkingsverzoekStatus.open,
        verzonden_door_id=ctx.actor.id,
        verzonden_op=ctx.nu,
    )
    ctx.session.add(verzoek)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "rugdekkingsverzoek.verzonden",
        "afwijking",
        afwijking.id,
        {"verzoek": wijziging(None, verzoek.id), "aan": wijziging(None, aan.id)},
    )
    # The addressee now reads this casus for this purpose: that grant is in the logboek too.
    ctx.logboek("rugdekking.inzage-verleend", "medewerker", aan.id, toegang.casus.id)
    return verzoek


async def _vergrendeld(
    ctx: Werkcontext, verzoek_id: uuid.UUID, doelbinding: str | None
) -> tuple[Rugdekkingsverzoek, CasusToegang, policy.RugdekkingsverzoekActies]:
    """An answer and a withdrawal close the same verzoek: both lock the afwijking, then the
    verzoek (the order the race tests hold), and read what the policy allows on the locked row."""
    verzoek, _, toegang = await toegang_tot_verzoek(
        ctx, verzoek_id, doelbinding=doelbinding, lezen=False
    )
    afwijking = await _afwijking_vergrendeld(ctx, toegang, verzoek.afwijking_id)
    verzoek = await repository.verzoek_vergrendeld(ctx.session, verzoek.id)
    toegekend = await maatwerk_repository.bestuur_toegekend(ctx.session, [afwijking])
    acties = policy.rugdekkingsverzoek_acties(
        ctx.actor,
        toegang.casus,
        toegang.rechten,
        aan_id=verzoek.aan_id,
        open_=verzoek.status == RugdekkingsverzoekStatus.open,
        wacht_op_bestuur=maatwerk_repository.wacht_op_bestuur(afwijking, toegekend),
    )
    return verzoek, toegang, acties


async def beantwoorden(
    ctx: Werkcontext,
    verzoek_id: uuid.UUID,
    invoer: RugdekkingsverzoekAntwoord,
    *,
    doelbinding: str | None = None,
) -> Rugdekkingsverzoek:
    verzoek, toegang, acties = await _vergrendeld(ctx, verzoek_id, doelbinding)
    (acties.dekken if invoer.oordeel == RugdekkingOordeel.gedekt else acties.beantwoorden).eis()
    diff = pas_toe(
        verzoek,
        {
            "status": RugdekkingsverzoekStatus.beantwoord,
            "oordeel": invoer.oordeel,
            "motivering": invoer.motivering,
            "beantwoord_op": ctx.nu,
        },
    )
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id, "rugdekkingsverzoek.beantwoord", "afwijking", verzoek.afwijking_id, diff
    )
    # The decision itself goes through the one rugdekking rule; when that refuses, the whole
    # answer is rolled back and the verzoek stays open.
    await maatwerk.rugdekking_geven(
        ctx,
        toegang,
        verzoek.afwijking_id,
        RugdekkingNieuw.model_validate(
            {
                "oordeel": invoer.oordeel,
                "toelichting": invoer.motivering,
                "mandaatReferentie": invoer.mandaat_referentie,
            }
        ),
        verzoek_id=verzoek.id,
    )
    return verzoek


async def intrekken(
    ctx: Werkcontext,
    verzoek_id: uuid.UUID,
    invoer: RugdekkingsverzoekIntrekken,
    *,
    doelbinding: str | None = None,
) -> Rugdekkingsverzoek:
    verzoek, toegang, acties = await _vergrendeld(ctx, verzoek_id, doelbinding)
    acties.intrekken.eis()
    diff = pas_toe(
        verzoek,
        {
            "status": RugdekkingsverzoekStatus.ingetrokken,
            "gesloten_door_id": ctx.actor.id,
            "gesloten_op": ctx.nu,
            "sluitingsreden": invoer.reden,
        },
    )
    ctx.tijdlijn(
        toegang.casus.id, "rugdekkingsverzoek.ingetrokken", "afwijking", verzoek.afwijking_id, diff
    )
    await ctx.session.flush()
    return verzoek
