"""Every query of besluiten, reacties and afwijkingen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import (
    Afwijking,
    Besluit,
    Casus,
    Deelname,
    Escalatie,
    EscalatieAfwijking,
    Kostenaandeel,
    Overslag,
    Reactie,
    Regel,
    Regelversie,
    Regievoering,
    Rugdekkingsverzoek,
)
from doorbraak.models.enums import (
    TOEGEKEND,
    AfwijkingStatus,
    EscalatieNiveau,
    Grondslag,
    RugdekkingsverzoekStatus,
)

# An afwijking in one of these states stops its besluit from being vastgesteld.
NIET_GEDEKT = (AfwijkingStatus.voorgesteld, AfwijkingStatus.afgewezen)


async def besluit(session: AsyncSession, casus_id: int, besluit_id: uuid.UUID) -> Besluit | None:
    return await session.scalar(
        select(Besluit).where(Besluit.id == besluit_id, Besluit.casus_id == casus_id)
    )


async def besluit_vergrendeld(
    session: AsyncSession, casus_id: int, besluit_id: uuid.UUID
) -> Besluit | None:
    """The besluit with its row lock (PostgreSQL `SELECT ... FOR UPDATE`; SQLite's write
    transaction, BEGIN IMMEDIATE, serialises writers already). Every path that changes a
    besluit or its children (reacties, overslagen, afwijkingen, rugdekking, escalation outcomes
    it depends on) takes this lock first, so rules that span rows hold under concurrency."""
    return await session.scalar(
        select(Besluit)
        .where(Besluit.id == besluit_id, Besluit.casus_id == casus_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def besluiten(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag, status: str | None
) -> Sequence[Besluit]:
    stmt = select(Besluit).where(Besluit.casus_id == casus_id)
    if status:
        stmt = stmt.where(Besluit.status == status)
    sleutels = [Sleutel(Besluit.aangemaakt_op), Sleutel(Besluit.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def reacties(session: AsyncSession, besluit_ids: Sequence[uuid.UUID]) -> Sequence[Reactie]:
    if not besluit_ids:
        return []
    return (
        await session.scalars(
            select(Reactie)
            .where(Reactie.besluit_id.in_(besluit_ids))
            .order_by(Reactie.op, Reactie.afdeling_code)
        )
    ).all()


async def reactie(session: AsyncSession, besluit_id: uuid.UUID, afdeling: str) -> Reactie | None:
    return await session.scalar(
        select(Reactie).where(Reactie.besluit_id == besluit_id, Reactie.afdeling_code == afdeling)
    )


async def overslagen(session: AsyncSession, besluit_ids: Sequence[uuid.UUID]) -> Sequence[Overslag]:
    if not besluit_ids:
        return []
    return (
        await session.scalars(
            select(Overslag)
            .where(Overslag.besluit_id.in_(besluit_ids))
            .order_by(Overslag.op, Overslag.afdeling_code)
        )
    ).all()


async def kostenaandelen(
    session: AsyncSession, besluit_ids: Sequence[uuid.UUID]
) -> Sequence[Kostenaandeel]:
    if not besluit_ids:
        return []
    return (
        await session.scalars(
            select(Kostenaandeel)
            .where(Kostenaandeel.besluit_id.in_(besluit_ids))
            .order_by(Kostenaandeel.afdeling_code)
        )
    ).all()


async def deelnemende_afdelingen(session: AsyncSession, casus_id: int) -> list[str]:
    return list(
        (
            await session.scalars(
                select(Deelname.afdeling_code)
                .where(Deelname.casus_id == casus_id)
                .order_by(Deelname.afdeling_code)
            )
        ).all()
    )


async def deelnemende_afdelingen_per_casus(
    session: AsyncSession, casus_ids: Sequence[int]
) -> dict[int, list[str]]:
    per: dict[int, list[str]] = {}
    if not casus_ids:
        return per
    for casus_id, code in (
        await session.execute(
            select(Deelname.casus_id, Deelname.afdeling_code)
            .where(Deelname.casus_id.in_(set(casus_ids)))
            .order_by(Deelname.afdeling_code)
        )
    ).all():
        per.setdefault(casus_id, []).append(code)
    return per


async def overslag(session: AsyncSession, besluit_id: uuid.UUID, afdeling: str) -> Overslag | None:
    return await session.scalar(
        select(Overslag).where(
            Overslag.besluit_id == besluit_id, Overslag.afdeling_code == afdeling
        )
    )


async def betrokken_bij_besluit(session: AsyncSession, besluit: Besluit) -> set[uuid.UUID]:
    """Who drafted the besluit or held regie over the casus while it was a concept: they may
    not cover its afwijkingen nor record the escalation outcome it depends on."""
    einde = besluit.vastgesteld_op or besluit.ingetrokken_op
    voorwaarde = [
        Regievoering.casus_id == besluit.casus_id,
        or_(Regievoering.tot.is_(None), Regievoering.tot >= besluit.aangemaakt_op),
    ]
    if einde is not None:
        voorwaarde.append(Regievoering.van <= einde)
    regie = (await session.scalars(select(Regievoering.medewerker_id).where(*voorwaarde))).all()
    return {besluit.opgesteld_door_id, *regie}


async def heeft_bezwaar(session: AsyncSession, besluit_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(
                select(Reactie.id)
                .where(Reactie.besluit_id == besluit_id, Reactie.reactie == "bezwaar")
                .exists()
            )
        )
    )


async def niet_gedekte_afwijkingen(session: AsyncSession, besluit_id: uuid.UUID) -> Sequence[Rij]:
    return (
        await session.execute(
            select(Afwijking.id, Afwijking.status, Regel.titel.label("regel_titel"))
            .join(Regel, Regel.id == Afwijking.regel_id)
            .where(Afwijking.besluit_id == besluit_id, Afwijking.status.in_(NIET_GEDEKT))
            .order_by(Afwijking.aangemaakt_op, Afwijking.id)
        )
    ).all()


async def afwijkingen_van_besluit(
    session: AsyncSession, besluit_id: uuid.UUID
) -> Sequence[Afwijking]:
    return (
        await session.scalars(select(Afwijking).where(Afwijking.besluit_id == besluit_id))
    ).all()


def _afwijking_select() -> Any:
    return (
        select(
            Afwijking,
            Regel.titel,
            Regel.regeling,
            Regel.artikel,
            Regel.afdeling_code.label("regel_afdeling"),
            Besluit.status.label("besluit_status"),
            Regelversie.nummer.label("versie_nummer"),
            Regelversie.geldig_van.label("versie_van"),
            Regelversie.geldig_tot.label("versie_tot"),
        )
        .join(Regel, Regel.id == Afwijking.regel_id)
        .join(Besluit, Besluit.id == Afwijking.besluit_id)
        .join(Regelversie, Regelversie.id == Afwijking.regelversie_id)
    )


async def afwijkingen(
    session: AsyncSession,
    casus_id: int,
    vraag: PaginaVraag,
    *,
    besluit_id: uuid.UUID | None,
    status: str | None,
) -> Sequence[Row[Any]]:
    stmt = _afwijking_select().where(Afwijking.casus_id == casus_id)
    if besluit_id is not None:
        stmt = stmt.where(Afwijking.besluit_id == besluit_id)
    if status:
        stmt = stmt.where(Afwijking.status == status)
    sleutels = [Sleutel(Afwijking.aangemaakt_op), Sleutel(Afwijking.id)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


async def afwijking(
    session: AsyncSession, casus_id: int, afwijking_id: uuid.UUID
) -> Row[Any] | None:
    return (
        await session.execute(
            _afwijking_select().where(Afwijking.id == afwijking_id, Afwijking.casus_id == casus_id)
        )
    ).first()


async def kenmerk_van_afwijking(session: AsyncSession, afwijking_id: uuid.UUID) -> str | None:
    return await session.scalar(
        select(Casus.kenmerk)
        .join(Afwijking, Afwijking.casus_id == Casus.id)
        .where(Afwijking.id == afwijking_id)
    )


def _in_kracht() -> Any:
    """An escalatie is in force while no correction supersedes it."""
    correctie = aliased(Escalatie)
    return ~select(correctie.id).where(correctie.vervangt_id == Escalatie.id).exists()


async def toegekende_escalatie(
    session: AsyncSession, afwijking_id: uuid.UUID, niveaus: Sequence[str], na: dt.datetime
) -> bool:
    """A toegekend escalatie at one of these levels, in force, that concerns this afwijking and
    was decided after `na` (the afwijking's last change, or the refusal to reconsider)."""
    return bool(
        await session.scalar(
            select(
                select(Escalatie.id)
                .join(EscalatieAfwijking, EscalatieAfwijking.escalatie_id == Escalatie.id)
                .where(
                    EscalatieAfwijking.afwijking_id == afwijking_id,
                    Escalatie.niveau.in_(niveaus),
                    Escalatie.uitkomst_soort.in_([t.value for t in TOEGEKEND]),
                    and_(Escalatie.afgehandeld_op.is_not(None), Escalatie.afgehandeld_op > na),
                    _in_kracht(),
                )
                .exists()
            )
        )
    )


async def _toegekend_na(
    session: AsyncSession,
    ids: list[uuid.UUID],
    niveaus: Sequence[EscalatieNiveau],
    na: Any,
) -> set[uuid.UUID]:
    """Those of `ids` with a toegekend escalatie at one of `niveaus` about them, in force,
    decided after the afwijking's column `na`. One query; none for no ids."""
    if not ids:
        return set()
    rijen = await session.scalars(
        select(Afwijking.id)
        .join(EscalatieAfwijking, EscalatieAfwijking.afwijking_id == Afwijking.id)
        .join(Escalatie, Escalatie.id == EscalatieAfwijking.escalatie_id)
        .where(
            Afwijking.id.in_(ids),
            Escalatie.niveau.in_(niveaus),
            Escalatie.uitkomst_soort.in_([t.value for t in TOEGEKEND]),
            Escalatie.afgehandeld_op.is_not(None),
            Escalatie.afgehandeld_op > na,
            _in_kracht(),
        )
        .distinct()
    )
    return set(rijen.all())


async def heroverwegingen(
    session: AsyncSession, afwijkingen: Sequence[Afwijking]
) -> set[uuid.UUID]:
    """The refused afwijkingen among these whose refusal may be reconsidered now (a toegekend
    management or bestuur escalatie about them, in force, decided after the refusal): one
    query for a whole page, none when nothing was refused."""
    geweigerd = [
        a.id
        for a in afwijkingen
        if a.status == AfwijkingStatus.afgewezen and a.rugdekking_op is not None
    ]
    return await _toegekend_na(session, geweigerd, HEROVERWEGING, Afwijking.rugdekking_op)


async def bestuur_toegekend(
    session: AsyncSession, afwijkingen: Sequence[Afwijking]
) -> set[uuid.UUID]:
    """The buiten_kader afwijkingen among these that the bestuur granted (a toegekend bestuur
    escalatie about them, in force, decided after the afwijking was made): the condition of
    gedekt. One query for a whole page, none when none of them is buiten_kader."""
    buiten_kader = [a.id for a in afwijkingen if a.grondslag == Grondslag.buiten_kader]
    return await _toegekend_na(
        session, buiten_kader, (EscalatieNiveau.bestuur,), Afwijking.aangemaakt_op
    )


def wacht_op_bestuur(afwijking: Afwijking, toegekend: set[uuid.UUID]) -> bool:
    """Gedekt waits for the bestuur: buiten_kader, and not granted (`bestuur_toegekend`)."""
    return afwijking.grondslag == Grondslag.buiten_kader and afwijking.id not in toegekend


# A refusal is reconsidered after an escalatie about the afwijking was toegekend at one of these.
HEROVERWEGING = (EscalatieNiveau.management, EscalatieNiveau.bestuur)


async def open_verzoeken(
    session: AsyncSession, afwijking_ids: Sequence[uuid.UUID]
) -> Sequence[Rugdekkingsverzoek]:
    """The open rugdekkingsverzoeken about these afwijkingen (at most one each)."""
    if not afwijking_ids:
        return []
    return (
        await session.scalars(
            select(Rugdekkingsverzoek).where(
                Rugdekkingsverzoek.afwijking_id.in_(set(afwijking_ids)),
                Rugdekkingsverzoek.status == RugdekkingsverzoekStatus.open,
            )
        )
    ).all()


async def betrokkenen_per_besluit(
    session: AsyncSession, casus_id: int, besluit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """`betrokken_bij_besluit` for several besluiten of one casus: two queries however many."""
    if not besluit_ids:
        return {}
    besluiten = (
        await session.scalars(select(Besluit).where(Besluit.id.in_(set(besluit_ids))))
    ).all()
    voeringen = (
        await session.scalars(select(Regievoering).where(Regievoering.casus_id == casus_id))
    ).all()
    per: dict[uuid.UUID, set[uuid.UUID]] = {}
    for b in besluiten:
        einde = b.vastgesteld_op or b.ingetrokken_op
        per[b.id] = {b.opgesteld_door_id} | {
            v.medewerker_id
            for v in voeringen
            if (v.tot is None or v.tot >= b.aangemaakt_op) and (einde is None or v.van <= einde)
        }
    return per


async def voorstellers_per_besluit(
    session: AsyncSession, besluit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    per: dict[uuid.UUID, set[uuid.UUID]] = {}
    if not besluit_ids:
        return per
    rijen = await session.execute(
        select(Afwijking.besluit_id, Afwijking.voorgesteld_door_id).where(
            Afwijking.besluit_id.in_(set(besluit_ids))
        )
    )
    for besluit_id, door in rijen.all():
        per.setdefault(besluit_id, set()).add(door)
    return per


async def voorstellers_van(
    session: AsyncSession, afwijking_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]]:
    """Per afwijking: its besluit and who proposed it."""
    if not afwijking_ids:
        return {}
    rijen = await session.execute(
        select(Afwijking.id, Afwijking.besluit_id, Afwijking.voorgesteld_door_id).where(
            Afwijking.id.in_(set(afwijking_ids))
        )
    )
    return {a: (b, d) for a, b, d in rijen.all()}
