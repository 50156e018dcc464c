"""Every query of besluiten, reacties and afwijkingen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import Afwijking, Besluit, Escalatie, Reactie, Regel
from doorbraak.models.enums import AfwijkingStatus

# An afwijking in one of these states stops its besluit from being vastgesteld.
NIET_GEDEKT = (AfwijkingStatus.voorgesteld, AfwijkingStatus.afgewezen)


async def besluit(session: AsyncSession, casus_id: int, besluit_id: uuid.UUID) -> Besluit | None:
    return await session.scalar(
        select(Besluit).where(Besluit.id == besluit_id, Besluit.casus_id == casus_id)
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
    return select(Afwijking, Regel.titel, Regel.regeling, Regel.artikel).join(
        Regel, Regel.id == Afwijking.regel_id
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


async def afgehandelde_escalatie(session: AsyncSession, casus_id: int, niveau: str) -> bool:
    return bool(
        await session.scalar(
            select(
                select(Escalatie.id)
                .where(
                    Escalatie.casus_id == casus_id,
                    Escalatie.niveau == niveau,
                    Escalatie.afgehandeld_op.is_not(None),
                )
                .exists()
            )
        )
    )
