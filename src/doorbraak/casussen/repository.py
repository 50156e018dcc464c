"""Every query of the casus aggregate."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, func, literal, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from doorbraak.auth import policy
from doorbraak.casussen.fasen import Feiten
from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import (
    Afwijking,
    Besluit,
    Casus,
    CasusteamLid,
    Deelname,
    Escalatie,
    FaseOvergang,
    KenmerkTeller,
    Knelpunt,
    Kostenregel,
    Leerpunt,
    Medewerker,
    Regievoering,
    Stap,
    TijdlijnRegel,
)
from doorbraak.models.enums import (
    AfwijkingStatus,
    BesluitStatus,
    Fase,
    Kostenritme,
    Kostensoort,
    StapStatus,
    Urgentie,
)

Regiehouder = aliased(Medewerker, name="regiehouder")
Aanmelder = aliased(Medewerker, name="aanmelder")


async def volgend_kenmerknummer(session: AsyncSession, jaar: int) -> int:
    """Next number for the year. The UPDATE row-locks the counter until commit: no gaps, no doubles."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = (
            postgresql.insert(KenmerkTeller).values(jaar=jaar, laatste=0).on_conflict_do_nothing()
        )
    else:
        stmt = sqlite.insert(KenmerkTeller).values(jaar=jaar, laatste=0).on_conflict_do_nothing()
    await session.execute(stmt)
    nummer = await session.scalar(
        update(KenmerkTeller)
        .where(KenmerkTeller.jaar == jaar)
        .values(laatste=KenmerkTeller.laatste + 1)
        .returning(KenmerkTeller.laatste)
    )
    assert nummer is not None
    return int(nummer)


@dataclass(frozen=True)
class Persoon:
    id: uuid.UUID
    naam: str
    afdeling: str


@dataclass
class GeladenCasus:
    casus: Casus
    contactpersoon: bool
    expliciet_lid: bool
    leidinggevende_deelnemer: bool
    regiehouder: Persoon | None
    aanmelder: Persoon
    laatste_regiehouder_id: uuid.UUID | None = None


def _persoon_kolommen(alias: Any) -> list[Any]:
    return [alias.id, alias.naam, alias.afdeling_code]


# The casus query per actor, built once per distinct actor: its policy columns are a function
# of the actor's column values only, so those values are the key (a changed role or afdeling
# gives another key). Building it per request cost more CPU than the database spends on it.
_ACTOR_KOLOMMEN = tuple(a.key for a in Medewerker.__mapper__.column_attrs)
_CASUS_SELECTS: dict[tuple[Any, ...], Select[*tuple[Any, ...]]] = {}
_MAX_CASUS_SELECTS = 1024


def _casus_select(actor: Medewerker) -> Select[*tuple[Any, ...]]:
    sleutel = tuple(
        tuple(waarde) if isinstance(waarde, list) else waarde
        for waarde in (getattr(actor, k) for k in _ACTOR_KOLOMMEN)
    )
    stmt = _CASUS_SELECTS.get(sleutel)
    if stmt is None:
        if len(_CASUS_SELECTS) >= _MAX_CASUS_SELECTS:
            _CASUS_SELECTS.clear()
        stmt = _CASUS_SELECTS[sleutel] = (
            select(
                Casus,
                *policy.relatie_kolommen(actor),
                *[c.label(f"rh_{c.key}") for c in _persoon_kolommen(Regiehouder)],
                *[c.label(f"am_{c.key}") for c in _persoon_kolommen(Aanmelder)],
                _laatste_regiehouder(Casus.id).label("laatste_regiehouder_id"),
            )
            .outerjoin(Regiehouder, Regiehouder.id == Casus.regiehouder_id)
            .join(Aanmelder, Aanmelder.id == Casus.aanmelder_id)
            .where(Casus.kenmerk == bindparam("kenmerk", type_=String))
        )
    return stmt


async def laad_casus(session: AsyncSession, actor: Medewerker, kenmerk: str) -> GeladenCasus | None:
    rij = (await session.execute(_casus_select(actor), {"kenmerk": kenmerk})).first()
    if rij is None:
        return None
    m = rij._mapping
    regiehouder = None
    if m["rh_id"] is not None:
        regiehouder = Persoon(m["rh_id"], m["rh_naam"], m["rh_afdeling_code"])
    return GeladenCasus(
        casus=m[Casus],
        contactpersoon=bool(m["contactpersoon"]),
        expliciet_lid=bool(m["expliciet_lid"]),
        leidinggevende_deelnemer=bool(m["leidinggevende_deelnemer"]),
        regiehouder=regiehouder,
        aanmelder=Persoon(m["am_id"], m["am_naam"], m["am_afdeling_code"]),
        laatste_regiehouder_id=m["laatste_regiehouder_id"],
    )


def _laatste_regiehouder(casus_id_kolom: Any) -> Any:
    """Who held regie last (may reopen a closed casus): read with the casus, not after it."""
    return (
        select(Regievoering.medewerker_id)
        .where(Regievoering.casus_id == casus_id_kolom)
        .order_by(Regievoering.van.desc(), Regievoering.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def som_kosten_doormodderen(casus_id_kolom: Any) -> Any:
    """The huidig yearly costs in force in the ledger (dreigend ones are a scenario, not a cost)."""
    return (
        select(func.coalesce(func.sum(Kostenregel.bedrag_cent), 0))
        .where(
            Kostenregel.casus_id == casus_id_kolom,
            Kostenregel.tot.is_(None),
            Kostenregel.soort == Kostensoort.huidig,
            Kostenregel.ritme == Kostenritme.jaarlijks,
        )
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Cijfers:
    feiten: Feiten
    kosten_doormodderen: int
    kosten_doorbraak: int
    open_escalaties: int


async def feiten(session: AsyncSession, casus: Casus) -> Feiten:
    """Everything the fase guards look at, in one query of scalar subqueries."""
    return (await cijfers(session, casus)).feiten


@functools.cache
def _cijfers_select() -> Select[*tuple[Any, ...]]:
    """Built once: constructing nine subqueries and their cache key cost more CPU per casus
    detail than the database spends on them (docs/performance.md, profile of the detail)."""
    cid = bindparam("casus_id", type_=Integer)
    deelnames = select(func.count()).where(Deelname.casus_id == cid).scalar_subquery()
    knelpunten = select(func.count()).where(Knelpunt.casus_id == cid).scalar_subquery()
    stappen = (
        select(func.count())
        .where(
            Stap.casus_id == cid, Stap.status.not_in((StapStatus.afgerond, StapStatus.vervallen))
        )
        .scalar_subquery()
    )
    vastgesteld = (
        select(func.count())
        .where(Besluit.casus_id == cid, Besluit.status == BesluitStatus.vastgesteld)
        .scalar_subquery()
    )
    ongedekt = (
        select(func.count(Afwijking.id))
        .join(Besluit, Besluit.id == Afwijking.besluit_id)
        .where(
            Afwijking.casus_id == cid,
            Besluit.status == BesluitStatus.vastgesteld,
            Afwijking.status.in_((AfwijkingStatus.voorgesteld, AfwijkingStatus.afgewezen)),
        )
        .scalar_subquery()
    )
    leerpunten = select(func.count()).where(Leerpunt.casus_id == cid).scalar_subquery()
    open_escalaties = (
        select(func.count())
        .where(Escalatie.casus_id == cid, Escalatie.afgehandeld_op.is_(None))
        .scalar_subquery()
    )
    return select(
        deelnames,
        knelpunten,
        stappen,
        vastgesteld,
        ongedekt,
        leerpunten,
        som_kosten_doormodderen(cid),
        som_kosten_doorbraak(cid),
        open_escalaties,
    )


async def cijfers(session: AsyncSession, casus: Casus) -> Cijfers:
    """The fase guards' facts, the costs and the open escalaties: one round trip for the
    casus detail instead of three."""
    rij = (await session.execute(_cijfers_select(), {"casus_id": casus.id})).one()
    feiten = Feiten(
        heeft_regiehouder=casus.regiehouder_id is not None,
        aantal_deelnames=rij[0],
        heeft_perspectief=bool((casus.perspectief or "").strip()),
        heeft_doorbraak=bool((casus.doorbraak or "").strip()),
        aantal_knelpunten=rij[1],
        onafgeronde_stappen=rij[2],
        aantal_vastgestelde_besluiten=rij[3],
        ongedekte_afwijkingen=rij[4],
        aantal_leerpunten=rij[5],
    )
    return Cijfers(feiten, int(rij[6] or 0), int(rij[7] or 0), int(rij[8] or 0))


def som_kosten_doorbraak(casus_id_kolom: Any) -> Any:
    """Kosten doorbraak: one-off plus yearly cost of the vastgestelde besluiten."""
    return (
        select(
            func.coalesce(func.sum(Besluit.kosten_eenmalig_cent + Besluit.kosten_per_jaar_cent), 0)
        )
        .where(Besluit.casus_id == casus_id_kolom, Besluit.status == BesluitStatus.vastgesteld)
        .scalar_subquery()
    )


@functools.cache
def _deelnames_select() -> Select[*tuple[Any, ...]]:
    """Built once (bound casus id): on the casus detail, building it cost as much CPU as
    running it."""
    return (
        select(
            Deelname.id,
            Deelname.afdeling_code,
            Deelname.standpunt,
            Deelname.versie,
            Deelname.aangemaakt_op,
            Medewerker.id.label("contact_id"),
            Medewerker.naam.label("contact_naam"),
            Medewerker.afdeling_code.label("contact_afdeling"),
        )
        .outerjoin(Medewerker, Medewerker.id == Deelname.contactpersoon_id)
        .where(Deelname.casus_id == bindparam("casus_id", type_=Integer))
        .order_by(Deelname.aangemaakt_op, Deelname.id)
    )


async def deelnames_met_namen(session: AsyncSession, casus_id: int) -> Sequence[Rij]:
    return (await session.execute(_deelnames_select(), {"casus_id": casus_id})).all()


@dataclass(frozen=True)
class Casusfilter:
    fase: Fase | None = None
    urgentie: Urgentie | None = None
    afdeling: str | None = None
    regiehouder: uuid.UUID | None = None
    zoek: str | None = None
    open: bool | None = None
    aangemeld_vanaf: dt.date | None = None
    aangemeld_tot: dt.date | None = None
    bsn_zoekhash: str | None = None


LIJST_SLEUTEL = [Sleutel(Casus.id, aflopend=True)]


def _casusfilters(filter_: Casusfilter) -> list[Any]:
    voorwaarden: list[Any] = []
    if filter_.fase:
        voorwaarden.append(Casus.fase == filter_.fase)
    if filter_.urgentie:
        voorwaarden.append(Casus.urgentie == filter_.urgentie)
    if filter_.regiehouder:
        voorwaarden.append(Casus.regiehouder_id == filter_.regiehouder)
    if filter_.afdeling:
        # An alias: some visibility sources have deelnames in their FROM already.
        andere = aliased(Deelname)
        voorwaarden.append(
            select(andere.id)
            .where(andere.casus_id == Casus.id, andere.afdeling_code == filter_.afdeling)
            .correlate(Casus)
            .exists()
        )
    if filter_.open is True:
        voorwaarden.append(Casus.fase != Fase.afgesloten)
    elif filter_.open is False:
        voorwaarden.append(Casus.fase == Fase.afgesloten)
    if filter_.aangemeld_vanaf:
        voorwaarden.append(Casus.aangemeld_op >= _dag_begin(filter_.aangemeld_vanaf))
    if filter_.aangemeld_tot:
        voorwaarden.append(
            Casus.aangemeld_op < _dag_begin(filter_.aangemeld_tot + dt.timedelta(days=1))
        )
    if filter_.bsn_zoekhash:
        voorwaarden.append(Casus.bsn_zoekhash == filter_.bsn_zoekhash)
    if filter_.zoek:
        patroon = (
            "%"
            + filter_.zoek.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        voorwaarden.append(
            or_(
                func.lower(Casus.titel).like(patroon, escape="\\"),
                func.lower(Casus.kenmerk).like(patroon, escape="\\"),
            )
        )
    return voorwaarden


async def lijst(
    session: AsyncSession,
    actor: Medewerker,
    filter_: Casusfilter,
    vraag: PaginaVraag,
    kolommen: Sequence[str] = (),
) -> Sequence[Rij]:
    """Visible casussen, newest first; columns only, no entities: the id, the `kolommen` of the
    casus a list shows (casussen/lezen.py names them), and the regiehouder.

    Every source of visibility (policy.zichtbaarheidsbronnen) gives its own top-N with the
    filters and the cursor applied; the page is the top-N of their union. Each source reads a
    composite index in id order, so no query walks the casussen that are not visible."""
    voorwaarden = _casusfilters(filter_)
    bronnen = [
        pagineer_select(bron.where(*voorwaarden), [Sleutel(sleutel, aflopend=True)], vraag)
        for bron, sleutel in policy.zichtbaarheidsbronnen(actor)
    ]
    # SQLite allows no ORDER BY/LIMIT in a member of a UNION: each one is a subquery.
    zichtbaar = union(*[select(b.subquery().c.id) for b in bronnen]).subquery()
    stmt = (
        select(
            Casus.id,
            *[getattr(Casus, n) for n in kolommen if n != "id"],
            Regiehouder.id.label("rh_id"),
            Regiehouder.naam.label("rh_naam"),
            Regiehouder.afdeling_code.label("rh_afdeling"),
        )
        .outerjoin(Regiehouder, Regiehouder.id == Casus.regiehouder_id)
        .where(Casus.id.in_(select(zichtbaar.c.id)))
    )
    return (await session.execute(pagineer_select(stmt, LIJST_SLEUTEL, vraag))).all()


async def aantal(session: AsyncSession, actor: Medewerker, filter_: Casusfilter) -> int:
    """How many casussen this actor sees with these filters (the same sources as `lijst`)."""
    voorwaarden = _casusfilters(filter_)
    bronnen = [
        select(bron.where(*voorwaarden).subquery().c.id)
        for bron, _ in policy.zichtbaarheidsbronnen(actor)
    ]
    zichtbaar = union(*bronnen).subquery()
    return int((await session.execute(select(func.count()).select_from(zichtbaar))).scalar_one())


def _dag_begin(datum: dt.date) -> dt.datetime:
    return dt.datetime.combine(datum, dt.time.min, tzinfo=dt.UTC)


async def tijdlijn(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Rij]:
    stmt = (
        select(
            TijdlijnRegel.id,
            TijdlijnRegel.op,
            TijdlijnRegel.actie,
            TijdlijnRegel.object_soort,
            TijdlijnRegel.object_id,
            TijdlijnRegel.wijzigingen,
            TijdlijnRegel.toelichting,
            Medewerker.id.label("door_id"),
            Medewerker.naam.label("door_naam"),
            Medewerker.afdeling_code.label("door_afdeling"),
        )
        .outerjoin(Medewerker, Medewerker.id == TijdlijnRegel.door_id)
        .where(TijdlijnRegel.casus_id == casus_id)
    )
    return (await session.execute(pagineer_select(stmt, [Sleutel(TijdlijnRegel.id)], vraag))).all()


async def laatste_casuswijziging(session: AsyncSession, casus_id: int) -> Rij | None:
    """The newest tijdlijn row about the casus itself (its fields or its fase)."""
    stmt = (
        select(TijdlijnRegel.op, Medewerker.naam.label("door_naam"))
        .outerjoin(Medewerker, Medewerker.id == TijdlijnRegel.door_id)
        .where(TijdlijnRegel.casus_id == casus_id, TijdlijnRegel.object_soort == "casus")
        .order_by(TijdlijnRegel.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).first()


async def fase_overgangen(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Rij]:
    stmt = (
        select(
            FaseOvergang.id,
            FaseOvergang.van,
            FaseOvergang.naar,
            FaseOvergang.op,
            FaseOvergang.toelichting,
            FaseOvergang.afsluitreden,
            Medewerker.id.label("door_id"),
            Medewerker.naam.label("door_naam"),
            Medewerker.afdeling_code.label("door_afdeling"),
        )
        .join(Medewerker, Medewerker.id == FaseOvergang.door_id)
        .where(FaseOvergang.casus_id == casus_id)
    )
    sleutels = [Sleutel(FaseOvergang.op), Sleutel(FaseOvergang.id)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


# --- casusteam: computed in this one place ---------------------------------------------------


async def casusteam(session: AsyncSession, casus: Casus) -> Sequence[Rij]:
    """Everyone on the casusteam with why: regiehouder, aanmelder, contactpersoon, lid."""
    bronnen = [
        select(Casus.regiehouder_id.label("mid"), literal("regiehouder").label("rol")).where(
            Casus.id == casus.id, Casus.regiehouder_id.is_not(None)
        ),
        select(Casus.aanmelder_id.label("mid"), literal("aanmelder").label("rol")).where(
            Casus.id == casus.id
        ),
        select(
            Deelname.contactpersoon_id.label("mid"), literal("contactpersoon").label("rol")
        ).where(Deelname.casus_id == casus.id, Deelname.contactpersoon_id.is_not(None)),
        select(CasusteamLid.medewerker_id.label("mid"), literal("lid").label("rol")).where(
            CasusteamLid.casus_id == casus.id
        ),
    ]
    team = bronnen[0].union_all(*bronnen[1:]).subquery()
    return (
        await session.execute(
            select(Medewerker.id, Medewerker.naam, Medewerker.afdeling_code, team.c.rol)
            .join(team, team.c.mid == Medewerker.id)
            .order_by(Medewerker.naam, Medewerker.id, team.c.rol)
        )
    ).all()


async def expliciet_lid(
    session: AsyncSession, casus_id: int, medewerker_id: uuid.UUID
) -> CasusteamLid | None:
    return await session.get(CasusteamLid, (casus_id, medewerker_id))


async def medewerker(session: AsyncSession, medewerker_id: uuid.UUID) -> Medewerker | None:
    return await session.get(Medewerker, medewerker_id)
