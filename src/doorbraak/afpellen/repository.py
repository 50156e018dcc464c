"""Every query of betrokkenen, stappen and knelpunten."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.auth import policy
from doorbraak.kit import werkdagen
from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import Betrokkene, Casus, Knelpunt, Medewerker, Stap
from doorbraak.models.enums import StapStatus

OPEN_STATUSSEN = (StapStatus.open, StapStatus.bezig)


async def betrokkenen(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Betrokkene]:
    stmt = select(Betrokkene).where(Betrokkene.casus_id == casus_id)
    sleutels = [Sleutel(Betrokkene.aangemaakt_op), Sleutel(Betrokkene.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def knelpunten(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Knelpunt]:
    stmt = select(Knelpunt).where(Knelpunt.casus_id == casus_id)
    sleutels = [Sleutel(Knelpunt.aangemaakt_op), Sleutel(Knelpunt.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def ziet_casus(session: AsyncSession, medewerker: Medewerker, casus_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                select(Casus.id)
                .where(Casus.id == casus_id, policy.zichtbare_casussen(medewerker))
                .exists()
            )
        )
    )


def _te_laat(stmt: Any, te_laat: bool | None, vandaag: dt.date) -> Any:
    """`service.te_laat` as SQL: late exactly when the deadline is on or before the last working
    day before today (`werkdagen.laatste_gemiste_deadline`)."""
    grens = werkdagen.laatste_gemiste_deadline(vandaag)
    if te_laat is True:
        stmt = stmt.where(Stap.status.in_(OPEN_STATUSSEN), Stap.deadline_datum <= grens)
    elif te_laat is False:
        stmt = stmt.where(
            (Stap.deadline_datum.is_(None))
            | (Stap.deadline_datum > grens)
            | Stap.status.not_in(OPEN_STATUSSEN)
        )
    return stmt


async def stappen(
    session: AsyncSession,
    casus_id: int,
    vraag: PaginaVraag,
    *,
    te_laat: bool | None = None,
    vandaag: dt.date | None = None,
) -> Sequence[Stap]:
    stmt = select(Stap).where(Stap.casus_id == casus_id)
    if te_laat is not None and vandaag is not None:
        stmt = _te_laat(stmt, te_laat, vandaag)
    sleutels = [Sleutel(Stap.aangemaakt_op), Sleutel(Stap.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def werklijst(
    session: AsyncSession,
    actor: Medewerker,
    vraag: PaginaVraag,
    *,
    eigenaar: uuid.UUID | None,
    te_laat: bool | None,
    status: str | None,
    vandaag: dt.date,
) -> Sequence[Rij]:
    """Steps across the casussen this medewerker may see (e.g. one's own overdue work), each
    with its casus and the actor's relation to it (for the permission set, in the same query)."""
    stmt = (
        select(Stap, Casus, Casus.kenmerk, *policy.relatie_kolommen(actor))
        .join(Casus, Casus.id == Stap.casus_id)
        .where(policy.zichtbare_casussen(actor))
    )
    if eigenaar is not None:
        stmt = stmt.where(Stap.eigenaar_id == eigenaar)
    if status is not None:
        stmt = stmt.where(Stap.status == status)
    stmt = _te_laat(stmt, te_laat, vandaag)
    sleutels = [Sleutel(Stap.aangemaakt_op), Sleutel(Stap.id)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()
