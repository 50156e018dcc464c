"""Every query of rugdekkingsverzoeken and the mandate holders who may be asked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import Afwijking, Casus, Medewerker, Regel, Rugdekkingsverzoek
from doorbraak.models.enums import RISICO_ORDE, Risico, RugdekkingsverzoekStatus


def _select() -> Any:
    return (
        select(
            Rugdekkingsverzoek,
            Casus,
            Afwijking,
            Regel.titel,
            Regel.regeling,
            Regel.artikel,
        )
        .join(Casus, Casus.id == Rugdekkingsverzoek.casus_id)
        .join(Afwijking, Afwijking.id == Rugdekkingsverzoek.afwijking_id)
        .join(Regel, Regel.id == Afwijking.regel_id)
    )


async def verzoek(session: AsyncSession, verzoek_id: uuid.UUID) -> Row[Any] | None:
    return (await session.execute(_select().where(Rugdekkingsverzoek.id == verzoek_id))).first()


async def verzoek_vergrendeld(session: AsyncSession, verzoek_id: uuid.UUID) -> Rugdekkingsverzoek:
    """Re-read after the besluit's row lock: the status another request may just have set."""
    return (
        await session.scalars(
            select(Rugdekkingsverzoek)
            .where(Rugdekkingsverzoek.id == verzoek_id)
            .execution_options(populate_existing=True)
        )
    ).one()


async def verzoeken(
    session: AsyncSession,
    vraag: PaginaVraag,
    *,
    aan_id: uuid.UUID | None = None,
    afwijking_id: uuid.UUID | None = None,
    status: RugdekkingsverzoekStatus | None = None,
) -> Sequence[Row[Any]]:
    stmt = _select()
    if aan_id is not None:
        stmt = stmt.where(Rugdekkingsverzoek.aan_id == aan_id)
    if afwijking_id is not None:
        stmt = stmt.where(Rugdekkingsverzoek.afwijking_id == afwijking_id)
    if status is not None:
        stmt = stmt.where(Rugdekkingsverzoek.status == status)
    sleutels = [
        Sleutel(Rugdekkingsverzoek.verzonden_op, aflopend=True),
        Sleutel(Rugdekkingsverzoek.id, aflopend=True),
    ]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


async def open_verzoek(session: AsyncSession, afwijking_id: uuid.UUID) -> Rugdekkingsverzoek | None:
    return await session.scalar(
        select(Rugdekkingsverzoek).where(
            Rugdekkingsverzoek.afwijking_id == afwijking_id,
            Rugdekkingsverzoek.status == RugdekkingsverzoekStatus.open,
        )
    )


async def mandaathouders(
    session: AsyncSession, bedrag_cent: int, risico: Risico
) -> Sequence[Medewerker]:
    """Active medewerkers whose mandaat covers this amount and risk; the scope and conflicts of
    interest are the policy's to judge on these rows."""
    return (
        await session.scalars(
            select(Medewerker)
            .where(
                Medewerker.actief.is_(True),
                Medewerker.mandaat_max_bedrag_cent >= bedrag_cent,
                Medewerker.mandaat_max_risico.in_(
                    [r for r in Risico if RISICO_ORDE[r] >= RISICO_ORDE[risico]]
                ),
            )
            .order_by(Medewerker.naam, Medewerker.id)
        )
    ).all()


async def open_verzoeken_aan(
    session: AsyncSession, medewerker_id: uuid.UUID, limiet: int = 100
) -> Sequence[Row[Any]]:
    return (
        await session.execute(
            _select()
            .where(
                Rugdekkingsverzoek.aan_id == medewerker_id,
                Rugdekkingsverzoek.status == RugdekkingsverzoekStatus.open,
            )
            .order_by(Rugdekkingsverzoek.verzonden_op, Rugdekkingsverzoek.id)
            .limit(limiet)
        )
    ).all()
