"""The read side of leren: leerpunten of a casus, shared verhalen and beleidssignalen, built
here once per resource for the API endpoints and the web pages. No HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import NietGevonden, NietToegestaan, OngeldigeInvoer
from doorbraak.kit.pagination import Pagina, PaginaVraag, Rij, volgende_url
from doorbraak.kit.periode import Periode
from doorbraak.kit.schema import ActieOordeel, WijzigActies
from doorbraak.leren import anonimiteit, repository
from doorbraak.leren.schemas import (
    BeleidssignaalUit,
    LeerpuntUit,
    Precedent,
    Precedenten,
    SignaalActies,
    SignaalUitkomst,
    VerhaalUit,
)
from doorbraak.models import Beleidssignaal, Leerpunt, Medewerker, Regelversie
from doorbraak.models.enums import LeerpuntSoort, SignaalStatus, VerhaalStatus
from doorbraak.organisatie import repository as regels
from doorbraak.organisatie.schemas import RegelRef, RegelversieRef, RegelversieUit
from doorbraak.werk.context import Werkcontext


def verhaal_status(lp: Leerpunt) -> VerhaalStatus | None:
    if lp.soort != LeerpuntSoort.succes:
        return None
    if lp.delen:
        return VerhaalStatus.gedeeld if lp.gedeeld_op else VerhaalStatus.wacht_op_goedkeuring
    return VerhaalStatus.ingetrokken if lp.ingetrokken_op else VerhaalStatus.niet_gedeeld


def leerpunt(
    toegang: CasusToegang,
    lp: Leerpunt,
    actor: Medewerker,
    signaal: SignaalUitkomst | None = None,
) -> LeerpuntUit:
    status = verhaal_status(lp)
    mag_goedkeuren = False
    if status == VerhaalStatus.wacht_op_goedkeuring:
        try:
            policy.mag_verhaal_goedkeuren(actor, toegang.rechten, lp)
            mag_goedkeuren = True
        except NietToegestaan:
            pass
    return LeerpuntUit(
        id=lp.id,
        kenmerk=toegang.casus.kenmerk,
        soort=lp.soort,
        tekst=lp.tekst,
        voor_wie=lp.voor_wie,
        delen=lp.delen,
        gedeeld_op=lp.gedeeld_op,
        verhaal_status=status,
        toestemming_op=lp.toestemming_op,
        goedgekeurd_op=lp.goedgekeurd_op,
        mag_goedkeuren=mag_goedkeuren,
        mag_intrekken=lp.delen and policy.mag_verhaal_intrekken(actor, lp),
        signaal_status=signaal.status if signaal else None,
        beleidssignaal=signaal,
        aangemaakt_op=lp.aangemaakt_op,
        versie=lp.versie,
        toegestane_acties=WijzigActies.model_validate(toegang.onderdeel_acties),
    )


async def leerpunten(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[LeerpuntUit]:
    rijen = await repository.leerpunten(ctx.session, toegang.casus.id, vraag)
    signalen = await signaaluitkomsten(ctx, toegang.casus.id)
    return Pagina(
        results=[
            leerpunt(toegang, lp, ctx.actor, signalen.get(lp.id)) for lp in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda lp: [lp.aangemaakt_op, lp.id]),
    )


async def een_leerpunt(ctx: Werkcontext, toegang: CasusToegang, lp: Leerpunt) -> LeerpuntUit:
    signaal = await signaaluitkomst(ctx, lp.id) if lp.soort == LeerpuntSoort.systeem else None
    return leerpunt(toegang, lp, ctx.actor, signaal)


async def verhalen(ctx: Werkcontext, vraag: PaginaVraag) -> Pagina[VerhaalUit]:
    policy.mag_verhalen_lezen(ctx.actor)
    rijen = await repository.verhalen(ctx.session, vraag)
    return Pagina(
        results=[
            VerhaalUit(id=r.id, tekst=r.tekst, voor_wie=r.voor_wie, gedeeld_op=r.gedeeld_op)
            for r in rijen[: vraag.limit]
        ],
        next=volgende_url(vraag, rijen, lambda r: [r.gedeeld_op, r.id]),
    )


def _versie_ref(id_: Any, regel: Any, nummer: Any, van: Any, tot: Any) -> RegelversieRef | None:
    if id_ is None:
        return None
    return RegelversieRef(id=id_, regel=regel, nummer=nummer, geldig_van=van, geldig_tot=tot)


def _nieuwe_versie(r: Rij) -> RegelversieRef | None:
    s: Beleidssignaal = r.Beleidssignaal
    return _versie_ref(s.regelversie_id, r.nieuw_regel_id, r.nieuw_nummer, r.nieuw_van, r.nieuw_tot)


def _signaal(r: Rij, actor: Medewerker) -> BeleidssignaalUit:
    s: Beleidssignaal = r.Beleidssignaal
    regel = None
    if r.regel_id is not None:
        regel = RegelRef(id=r.regel_id, titel=r.regel_titel, regeling=r.regeling, artikel=r.artikel)
    return BeleidssignaalUit(
        id=s.id,
        bron=s.bron,
        tekst=r.tekst,
        voor_wie=r.voor_wie,
        regel=regel,
        gebogen_regelversie=_versie_ref(
            r.bent_id, r.bent_regel_id, r.bent_nummer, r.bent_van, r.bent_tot
        ),
        grondslag=r.grondslag,
        risico=r.risico,
        signaal_status=s.status,
        reactie=s.reactie,
        besloten_op=s.besloten_op,
        regelversie=_nieuwe_versie(r),
        gemeld_op=s.gemeld_op,
        gewijzigd_op=s.gewijzigd_op,
        versie=s.versie,
        toegestane_acties=SignaalActies(
            behandelen=ActieOordeel.model_validate(policy.signaal_behandelen_oordeel(actor))
        ),
    )


async def beleidssignalen(
    ctx: Werkcontext,
    vraag: PaginaVraag,
    signaal_status: SignaalStatus | None = None,
    periode: Periode = Periode(),
) -> Pagina[BeleidssignaalUit]:
    policy.mag_registers_lezen(ctx.actor)
    rijen = await repository.beleidssignalen(ctx.session, vraag, signaal_status, periode)
    return Pagina(
        results=[_signaal(r, ctx.actor) for r in rijen[: vraag.limit]],
        next=volgende_url(
            vraag, rijen, lambda r: [r.Beleidssignaal.gemeld_op, r.Beleidssignaal.id]
        ),
    )


async def beleidssignaal(ctx: Werkcontext, id_: uuid.UUID) -> BeleidssignaalUit:
    """One signal, for beleid and leidinggevenden (the registers' readers)."""
    policy.mag_registers_lezen(ctx.actor)
    rij = await repository.beleidssignaal(ctx.session, id_)
    if rij is None:
        raise NietGevonden("Dit beleidssignaal bestaat niet.")
    return _signaal(rij, ctx.actor)


async def signalen_wachtend_op_beleid(
    ctx: Werkcontext, limiet: int = 50
) -> list[BeleidssignaalUit]:
    """The signals beleid has not handled yet (nieuw, in_behandeling), oldest first: the work
    list of beleid. Empty for anyone who does not handle signals, so an inbox can always ask."""
    if not policy.kan_signalen_behandelen(ctx.actor.rollen):
        return []
    return [
        _signaal(r, ctx.actor) for r in await repository.wachtende_signalen(ctx.session, limiet)
    ]


async def aantal_signalen_wachtend_op_beleid(ctx: Werkcontext) -> int:
    if not policy.kan_signalen_behandelen(ctx.actor.rollen):
        return 0
    return await repository.aantal_wachtende_signalen(ctx.session)


def _uitkomst(r: Rij) -> SignaalUitkomst:
    s: Beleidssignaal = r.Beleidssignaal
    return SignaalUitkomst(
        id=s.id,
        status=s.status,
        reactie=s.reactie,
        besloten_op=s.besloten_op,
        regelversie=_nieuwe_versie(r),
    )


async def signaaluitkomsten(ctx: Werkcontext, casus_id: int) -> dict[uuid.UUID, SignaalUitkomst]:
    """What beleid did with each signal of a casus, by the id of its leerpunt or afwijking."""
    return {
        r.Beleidssignaal.id: _uitkomst(r)
        for r in await repository.signalen_van_casus(ctx.session, casus_id)
    }


async def signaaluitkomst(ctx: Werkcontext, id_: uuid.UUID) -> SignaalUitkomst | None:
    rij = await repository.signaal_van(ctx.session, id_)
    return None if rij is None else _uitkomst(rij)


# --- precedents: earlier gedekte afwijkingen of the same regel ------------------------------

PRECEDENTEN = 10


async def _zonder_namen(
    tekst: str, huishouden: str | None, medewerkers: Sequence[str]
) -> str | None:
    """The text when it identifies nobody; None when it might (or cannot be checked now)."""
    try:
        gevonden = await anonimiteit.vondsten_async(
            tekst, medewerkers=medewerkers, huishouden_naam=huishouden, met_deduce=True
        )
    except anonimiteit.NietGereed:
        return None
    return None if gevonden else tekst


async def precedenten(ctx: Werkcontext, toegang: CasusToegang, regel_id: uuid.UUID) -> Precedenten:
    """For someone proposing an afwijking on this casus: how the same regel was bent before,
    across casussen. The waardentoets texts were written inside a casus: each is shown only
    when the Dutch de-identification finds nothing in it (names of its household, of staff,
    of anyone, addresses, dates), else left out."""
    regel = await regels.regel(ctx.session, regel_id)
    if regel is None:
        raise OngeldigeInvoer(
            [{"name": "regel", "code": "onbekende-regel", "reason": "onbekende regel"}]
        )
    rijen, gedekt, geweigerd = await repository.precedenten(ctx.session, regel.id, PRECEDENTEN)
    namen = await repository.medewerkernamen(ctx.session) if rijen else []

    teksten: dict[tuple[uuid.UUID, str], str | None] = {}
    for r in rijen:
        for veld in ("legitimiteit", "rendement", "betrokkenheid"):
            t = getattr(r, f"waardentoets_{veld}")
            teksten[(r.id, veld)] = await _zonder_namen(t, r.huishouden_naam, namen)

    return Precedenten(
        regel=RegelRef(
            id=regel.id, titel=regel.titel, regeling=regel.regeling, artikel=regel.artikel
        ),
        aantal_gedekt=gedekt,
        aantal_geweigerd=geweigerd,
        results=[
            Precedent(
                id=r.id,
                regelversie=RegelversieRef(
                    id=r.versie_id,
                    regel=regel.id,
                    nummer=r.nummer,
                    geldig_van=r.geldig_van,
                    geldig_tot=r.geldig_tot,
                ),
                grondslag=r.grondslag,
                waardentoets_legitimiteit=teksten[(r.id, "legitimiteit")],
                waardentoets_rendement=teksten[(r.id, "rendement")],
                waardentoets_betrokkenheid=teksten[(r.id, "betrokkenheid")],
                risico=r.risico,
                uitkomst=r.status,
                gedekt_op=r.rugdekking_op,
            )
            for r in rijen
        ],
    )


# --- versions of a regel ---------------------------------------------------------------------


async def regelversies(ctx: Werkcontext, regel_id: uuid.UUID) -> list[RegelversieUit]:
    """Every version of a regel with the signals that led to it and the deviations in force
    from each: whether bends fell after a change (readable by everyone, like the catalogue)."""
    if await regels.regel(ctx.session, regel_id) is None:
        raise NietGevonden("Deze regel bestaat niet.")
    rijen = await regels.regelversies(ctx.session, regel_id)
    signalen = await regels.signalen_per_regelversie(ctx.session, [r.Regelversie.id for r in rijen])
    return [regelversie_uit(r.Regelversie, signalen[r.Regelversie.id], r.in_kracht) for r in rijen]


def regelversie_uit(v: Regelversie, signalen: list[uuid.UUID], in_kracht: int) -> RegelversieUit:
    return RegelversieUit(
        id=v.id,
        regel=v.regel_id,
        nummer=v.nummer,
        geldig_van=v.geldig_van,
        geldig_tot=v.geldig_tot,
        tekst=v.tekst,
        reden=v.reden,
        signalen=signalen,
        afwijkingen_in_kracht=in_kracht,
        aangemaakt_op=v.aangemaakt_op,
    )


async def regelversie(ctx: Werkcontext, v: Regelversie) -> RegelversieUit:
    rijen = await regels.regelversies(ctx.session, v.regel_id)
    in_kracht = next((r.in_kracht for r in rijen if r.Regelversie.id == v.id), 0)
    signalen = await regels.signalen_per_regelversie(ctx.session, [v.id])
    return regelversie_uit(v, signalen[v.id], in_kracht)
