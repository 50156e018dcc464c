"""The read side of rapportage: the registers and statistieken across casussen (beleid,
leidinggevenden); the unfiltered figures from a stored snapshot that a job renews. For the API
and the web."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from doorbraak.auth import policy
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.pagination import PaginaVraag, volgende_url
from doorbraak.kit.periode import Periode, periode
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.kosten import lezen as kosten_lezen
from doorbraak.models.enums import FASE_VOLGORDE
from doorbraak.organisatie import repository as organisatie
from doorbraak.organisatie.schemas import RegelRef, RegelversieRef
from doorbraak.rapportage import repository
from doorbraak.rapportage.repository import Registerfilter as Registerfilter
from doorbraak.rapportage.schemas import (
    AfdelingKosten,
    AfwijkingenRegister,
    Doorlooptijd,
    FaseAantal,
    FaseDoorlooptijd,
    GrondslagAantal,
    Kerncijfers,
    KnelpuntAantal,
    KnelpuntSoortAantal,
    KostenOverTijd,
    Leerrapport,
    MaandAantal,
    MaandDoorlooptijd,
    PeriodeUit,
    RegelAantal,
    RegelversieAantal,
    Regelwijziging,
    RegisterAfwijking,
    SignaalAantal,
    Statistieken,
    Terugvallen,
)
from doorbraak.werk.context import Werkcontext

TOP_REGELS = 10


async def periode_of_400(
    ctx: Werkcontext, van: dt.date | None, tot: dt.date | None, afdeling: str | None
) -> Periode:
    """The `van`/`tot`/`afdeling` filters of a request: a period that ends before it starts or
    an afdeling that does not exist is invalid input (400), never an empty answer."""
    filter_ = periode(van, tot, afdeling)
    if filter_.afdeling is not None and (
        await organisatie.afdeling(ctx.session, filter_.afdeling) is None
    ):
        raise OngeldigeInvoer(
            [{"name": "afdeling", "code": "onbekende-afdeling", "reason": "onbekende afdeling"}]
        )
    return filter_


# The snapshot names carry the shape of what they hold: a stored snapshot of an older shape is
# never served (it is recomputed under the new name).
STATISTIEKEN = "statistieken-2"
AFWIJKINGEN = "afwijkingen-totalen-2"


def _doorlooptijd(spreiding: repository.Spreiding) -> Doorlooptijd:
    return Doorlooptijd(
        aantal=spreiding.aantal, mediaan_werkdagen=spreiding.mediaan, p90_werkdagen=spreiding.p90
    )


def periode_uit(p: Periode) -> PeriodeUit:
    return PeriodeUit(van=p.van, tot=p.tot, afdeling=p.afdeling)


def _versie_aantal(r: Any) -> RegelversieAantal:
    return RegelversieAantal(
        regel=RegelRef(id=r.id, titel=r.titel, regeling=r.regeling, artikel=r.artikel),
        regelversie=RegelversieRef(
            id=r.versie_id,
            regel=r.id,
            nummer=r.nummer,
            geldig_van=r.geldig_van,
            geldig_tot=r.geldig_tot,
        ),
        aantal=r.aantal,
    )


def _regel_aantal(r: Any) -> RegelAantal:
    return RegelAantal(
        regel=RegelRef(id=r.id, titel=r.titel, regeling=r.regeling, artikel=r.artikel),
        aantal=r.aantal,
    )


async def _afwijkingen_totalen(ctx: Werkcontext, filter_: Registerfilter) -> dict[str, Any]:
    s = ctx.session
    per_regel = await repository.afwijkingen_per_regel(s, filter_)
    per_grondslag = await repository.afwijkingen_per_grondslag(s, filter_)
    per_maand = await repository.afwijkingen_per_maand(s, filter_)
    per_versie = await repository.afwijkingen_per_regelversie(s, filter_)
    return {
        "perRegelversie": [
            _versie_aantal(r).model_dump(mode="json", by_alias=True) for r in per_versie
        ],
        "rugdekkingGeweigerd": await repository.geweigerde_rugdekking(s, filter_),
        "perRegel": [_regel_aantal(r).model_dump(mode="json", by_alias=True) for r in per_regel],
        "perGrondslag": [{"grondslag": r.grondslag, "aantal": r.aantal} for r in per_grondslag],
        "perMaand": [{"maand": r.maand, "aantal": r.aantal} for r in per_maand],
    }


async def afwijkingen_register(
    ctx: Werkcontext, filter_: Registerfilter, vraag: PaginaVraag
) -> AfwijkingenRegister:
    policy.mag_registers_lezen(ctx.actor)
    s = ctx.session
    # The unfiltered totals count every afwijking (hundreds of thousands nationally): like the
    # statistieken they come from a snapshot; filtered totals and the page are always live.
    if filter_ == Registerfilter():
        t, _op = await _momentopname(ctx, AFWIJKINGEN)
    else:
        t = await _afwijkingen_totalen(ctx, filter_)
    rijen = await repository.register_regels(s, filter_, vraag)
    per_grondslag = [GrondslagAantal.model_validate(x) for x in t["perGrondslag"]]
    return AfwijkingenRegister(
        aantal=sum(g.aantal for g in per_grondslag),
        rugdekking_geweigerd=int(t.get("rugdekkingGeweigerd", 0)),
        per_regel=[RegelAantal.model_validate(x) for x in t["perRegel"]],
        per_regelversie=[RegelversieAantal.model_validate(x) for x in t.get("perRegelversie", [])],
        per_grondslag=per_grondslag,
        per_maand=[MaandAantal.model_validate(x) for x in t["perMaand"]],
        results=[
            RegisterAfwijking(
                id=r.id,
                regel=RegelRef(
                    id=r.regel_id, titel=r.titel, regeling=r.regeling, artikel=r.artikel
                ),
                grondslag=r.grondslag,
                risico=r.risico,
                status=r.status,
                financieel_belang_cent=r.financieel_belang_cent,
                beleidssignaal=r.beleidssignaal,
                noodmaatregel=r.noodmaatregel,
                gemeld_op=r.aangemaakt_op,
                rugdekking_op=r.rugdekking_op,
            )
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.aangemaakt_op, r.id]),
    )


async def statistieken(ctx: Werkcontext, periode: Periode = Periode()) -> Statistieken:
    """Unfiltered: the stored snapshot, whatever its age (`berekendOp` says it); the job
    (`vernieuwen`, run by the app every `statistieken_interval_seconden` and by `doorbraak
    statistieken vernieuwen`) keeps it fresh, so no request computes it while one exists. Only
    before the first snapshot does a request compute it once and store it (the others wait for
    it). With a period or afdeling, or with `statistieken_max_leeftijd_seconden` 0: live."""
    policy.mag_registers_lezen(ctx.actor)
    if not periode.leeg:
        return await _statistieken_berekenen(ctx, periode)
    inhoud, op = await _momentopname(ctx, STATISTIEKEN)
    return Statistieken.model_validate({**inhoud, "berekendOp": op})


async def _statistieken_inhoud(ctx: Werkcontext) -> dict[str, Any]:
    uit = await _statistieken_berekenen(ctx, Periode())
    return uit.model_dump(mode="json", by_alias=True, exclude={"berekend_op"})


async def _register_inhoud(ctx: Werkcontext) -> dict[str, Any]:
    return await _afwijkingen_totalen(ctx, Registerfilter())


# Every snapshot and how it is computed: what the job renews.
MOMENTOPNAMEN: dict[str, Callable[[Werkcontext], Awaitable[dict[str, Any]]]] = {
    STATISTIEKEN: _statistieken_inhoud,
    AFWIJKINGEN: _register_inhoud,
}


async def _momentopname(ctx: Werkcontext, naam: str) -> tuple[dict[str, Any], dt.datetime]:
    """The stored snapshot and when it was computed. None yet: computed once and stored; while
    one request computes it, the others wait for it (PostgreSQL advisory lock)."""
    berekenen = MOMENTOPNAMEN[naam]
    op = ctx.nu
    if ctx.settings.statistieken_max_leeftijd_seconden <= 0:
        return await berekenen(ctx), op
    opname = await repository.momentopname(ctx.session, naam)
    if opname is not None:
        return opname.inhoud, opname.berekend_op
    if not await repository.mag_herberekenen(ctx.session):
        # The very first computation is under way: wait for it instead of repeating it.
        await repository.wacht_op_herberekening(ctx.session)
        opname = await repository.momentopname(ctx.session, naam)
        if opname is not None:
            return opname.inhoud, opname.berekend_op
    inhoud = await berekenen(ctx)
    await repository.bewaar_momentopname(ctx.session, naam, op, inhoud)
    return inhoud, op


async def vernieuwen(ctx: Werkcontext, *, ouder_dan: float | None = None) -> list[str]:
    """The job: compute every snapshot and store it; returns the names renewed. Counts only,
    no case content, so the system actor runs it. `ouder_dan` (the app's periodic run): only
    the snapshots at least that many seconds old, and nothing while another process renews
    them (PostgreSQL advisory try-lock; SQLite serialises writers, and the age is read after
    the write lock), so several app processes renew each snapshot about once per period.
    Without it (the command): wait for the lock, then renew all."""
    if ouder_dan is None:
        await repository.wacht_op_herberekening(ctx.session)
    elif not await repository.mag_herberekenen(ctx.session):
        return []
    op = ctx.nu
    vernieuwd = []
    for naam, berekenen in MOMENTOPNAMEN.items():
        if ouder_dan is not None:
            opname = await repository.momentopname(ctx.session, naam)
            if opname is not None and (op - opname.berekend_op).total_seconds() < ouder_dan:
                continue
        await repository.bewaar_momentopname(ctx.session, naam, op, await berekenen(ctx))
        vernieuwd.append(naam)
    return vernieuwd


async def kerncijfers(ctx: Werkcontext, periode: Periode) -> Kerncijfers:
    s = ctx.session
    per_fase = await repository.casussen_per_fase(s, periode)
    doormodderen, doorbraak = await repository.kosten_totalen(s, periode)
    gemeld, afgehandeld = await repository.signalen_tellingen(s, periode)
    filter_ = Registerfilter(periode=periode)
    return Kerncijfers(
        casussen_aangemeld=sum(int(r.aantal) for r in per_fase),
        besluiten_vastgesteld=await repository.besluiten_vastgesteld(s, periode),
        doorlooptijd_tot_besluit_mediaan_werkdagen=(
            await repository.tijd_tot_eerste_besluit(s, periode)
        ).mediaan,
        afwijkingen_in_kracht=sum(
            int(r.aantal) for r in await repository.afwijkingen_per_grondslag(s, filter_)
        ),
        rugdekking_geweigerd=await repository.geweigerde_rugdekking(s, filter_),
        signalen_gemeld=gemeld,
        signalen_afgehandeld=afgehandeld,
        kosten_doormodderen_per_jaar_cent=doormodderen,
        kosten_doorbraak_cent=doorbraak,
    )


def _maanden(reeks: list[tuple[str, repository.Spreiding]]) -> list[MaandDoorlooptijd]:
    return [
        MaandDoorlooptijd(
            maand=m, aantal=sp.aantal, mediaan_werkdagen=sp.mediaan, p90_werkdagen=sp.p90
        )
        for m, sp in reeks
    ]


def _fasetijden(verblijven: dict[str | None, repository.Spreiding]) -> list[FaseDoorlooptijd]:
    return [
        FaseDoorlooptijd(
            fase=f,
            aantal=verblijven[f].aantal,
            mediaan_werkdagen=verblijven[f].mediaan,
            p90_werkdagen=verblijven[f].p90,
        )
        for f in FASE_VOLGORDE
        if f in verblijven
    ]


async def _kosten_per_afdeling(ctx: Werkcontext, periode: Periode) -> list[AfdelingKosten]:
    return [
        AfdelingKosten(afdeling=r.afdeling, eenmalig_cent=r.eenmalig, per_jaar_cent=r.per_jaar)
        for r in await repository.kosten_per_afdeling(ctx.session, periode)
    ]


async def _statistieken_berekenen(ctx: Werkcontext, periode: Periode) -> Statistieken:
    s = ctx.session
    per_fase = {r.fase: r.aantal for r in await repository.casussen_per_fase(s, periode)}
    tot_besluit = await repository.tijd_tot_eerste_besluit(s, periode)
    doormodderen, doorbraak = await repository.kosten_totalen(s, periode)
    # The ledger's figures over time: the casussen with a nulmeting aangemeld in the period.
    totalen = await kosten_lezen.totalen(ctx, periode)
    filter_ = Registerfilter(periode=periode)
    vorige = periode.vorige()
    terugval = await repository.terugvallen(s)
    return Statistieken(
        berekend_op=ctx.nu,
        open_casussen=terugval.open_totaal,
        open_zonder_terugval=terugval.open_totaal - terugval.open,
        terugvallen=Terugvallen(
            heropeningen=terugval.heropeningen, casussen=terugval.casussen, open=terugval.open
        ),
        periode=periode_uit(periode),
        kerncijfers=await kerncijfers(ctx, periode),
        vorige_periode=periode_uit(vorige) if vorige else None,
        kerncijfers_vorige_periode=await kerncijfers(ctx, vorige) if vorige else None,
        casussen_per_fase=[FaseAantal(fase=f, aantal=per_fase.get(f, 0)) for f in FASE_VOLGORDE],
        doorlooptijd_tot_besluit=_doorlooptijd(tot_besluit),
        doorlooptijd_per_maand=_maanden(await repository.doorlooptijd_per_maand(s, periode)),
        tijd_per_fase=_fasetijden(await repository.tijd_per_fase(s, periode)),
        kosten_doormodderen_per_jaar_cent=doormodderen,
        kosten_doorbraak_cent=doorbraak,
        kosten_per_afdeling=await _kosten_per_afdeling(ctx, periode),
        top_regels=[
            _regel_aantal(r) for r in await repository.afwijkingen_per_regel(s, filter_, TOP_REGELS)
        ],
        rugdekking_geweigerd=await repository.geweigerde_rugdekking(s, filter_),
        noodmaatregelen=await repository.noodmaatregelen(s, periode),
        knelpunt_soorten=[
            KnelpuntSoortAantal(soort=r.soort, aantal=r.aantal)
            for r in await repository.knelpunt_soorten(s, periode)
        ],
        kosten_over_tijd=KostenOverTijd(
            casussen_met_nulmeting=totalen.casussen_met_nulmeting,
            nulmeting_per_jaar_cent=totalen.nulmeting_per_jaar_cent,
            casussen_gemeten=totalen.casussen_gemeten,
            gerealiseerd_per_jaar_cent=totalen.gerealiseerd_per_jaar_cent,
            besparing_een_jaar_cent=totalen.besparing[1],
            besparing_drie_jaar_cent=totalen.besparing[3],
        ),
    )


# --- the learning report ---------------------------------------------------------------------


async def rapportperiode(
    ctx: Werkcontext, van: dt.date | None, tot: dt.date | None, afdeling: str | None
) -> Periode:
    """The report's period: as asked, else the current calendar year (Europe/Amsterdam)."""
    if van is None and tot is None:
        jaar = lokale_datum(ctx.nu).year
        van, tot = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
    return await periode_of_400(ctx, van, tot, afdeling)


VERGELIJKING_MAX_DAGEN = 365


async def leerrapport(ctx: Werkcontext, periode: Periode) -> Leerrapport:
    """The learning report of a period, for the registers' readers (beleid, leidinggevenden)."""
    policy.mag_registers_lezen(ctx.actor)
    return await leerrapport_opstellen(ctx, periode)


async def leerrapport_opstellen(ctx: Werkcontext, periode: Periode) -> Leerrapport:
    """The learning report of a period (a calendar year by default): how signals were raised
    and handled, which regels changed and what the bends did before and after, the knelpunten
    raised most, cost and lead times, next to the period before. Counts only, so the scheduled
    run (the system actor, `doorbraak leerrapport`) may draw it up too."""
    s = ctx.session
    vorige = periode.vorige()
    einde = min(periode.tot or lokale_datum(ctx.nu), lokale_datum(ctx.nu))
    wijzigingen = []
    for r in await repository.regelwijzigingen(s, periode):
        dagen = max(1, min(VERGELIJKING_MAX_DAGEN, (einde - r.geldig_van).days + 1))
        ervoor = await repository.afwijkingen_in_kracht_tussen(
            s, r.id, r.geldig_van - dt.timedelta(days=dagen), r.geldig_van - dt.timedelta(days=1),
            periode.afdeling,
        )  # fmt: skip
        erna = await repository.afwijkingen_in_kracht_tussen(
            s, r.id, r.geldig_van, r.geldig_van + dt.timedelta(days=dagen - 1), periode.afdeling
        )
        wijzigingen.append(
            Regelwijziging(
                regel=RegelRef(id=r.id, titel=r.titel, regeling=r.regeling, artikel=r.artikel),
                regelversie=RegelversieRef(
                    id=r.versie_id,
                    regel=r.id,
                    nummer=r.nummer,
                    geldig_van=r.geldig_van,
                    geldig_tot=r.geldig_tot,
                ),
                reden=r.reden,
                dagen_vergeleken=dagen,
                afwijkingen_ervoor=ervoor,
                afwijkingen_erna=erna,
            )
        )
    return Leerrapport(
        periode=periode_uit(periode),
        vorige_periode=periode_uit(vorige) if vorige else None,
        opgesteld_op=ctx.nu,
        kerncijfers=await kerncijfers(ctx, periode),
        kerncijfers_vorige_periode=await kerncijfers(ctx, vorige) if vorige else None,
        signalen_per_status=[
            SignaalAantal(bron=r.bron, signaal_status=r.status, aantal=r.aantal)
            for r in await repository.signalen_per_status(s, periode)
        ],
        signaal_doorlooptijd=_doorlooptijd(await repository.signaal_doorlooptijden(s, periode)),
        regelwijzigingen=wijzigingen,
        top_regels=[
            _regel_aantal(r)
            for r in await repository.afwijkingen_per_regel(
                s, Registerfilter(periode=periode), TOP_REGELS
            )
        ],
        top_knelpunten=[
            KnelpuntAantal(soort=r.soort, niveau=r.niveau, aantal=r.aantal, opgelost=r.opgelost)
            for r in await repository.knelpunten_top(s, periode)
        ],
        doorlooptijd_tot_besluit=_doorlooptijd(
            await repository.tijd_tot_eerste_besluit(s, periode)
        ),
        doorlooptijd_per_maand=_maanden(await repository.doorlooptijd_per_maand(s, periode)),
        tijd_per_fase=_fasetijden(await repository.tijd_per_fase(s, periode)),
        kosten_per_afdeling=await _kosten_per_afdeling(ctx, periode),
    )
