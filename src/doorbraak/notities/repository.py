"""Every query of notities and vermeldingen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.auth import policy
from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import Casus, Medewerker, Notitie, Vermelding


async def notities(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Notitie]:
    stmt = select(Notitie).where(Notitie.casus_id == casus_id)
    sleutels = [Sleutel(Notitie.aangemaakt_op), Sleutel(Notitie.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def vermeldingen(
    session: AsyncSession, notitie_ids: Sequence[uuid.UUID]
) -> Sequence[Vermelding]:
    if not notitie_ids:
        return []
    stmt = select(Vermelding).where(Vermelding.notitie_id.in_(notitie_ids))
    return (await session.scalars(stmt)).all()


async def notitie(session: AsyncSession, casus_id: int, id_: uuid.UUID) -> Notitie | None:
    gevonden = await session.get(Notitie, id_)
    return gevonden if gevonden is not None and gevonden.casus_id == casus_id else None


async def vermelding(
    session: AsyncSession, notitie_id: uuid.UUID, medewerker_id: uuid.UUID
) -> Vermelding | None:
    return await session.get(Vermelding, (notitie_id, medewerker_id))


async def medewerkers_met_naam(session: AsyncSession, namen: Sequence[str]) -> Sequence[Medewerker]:
    """Active medewerkers whose e-mail address starts with `<naam>@` (case-insensitive)."""
    if not namen:
        return []

    def patroon(naam: str) -> str:
        return naam.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%"

    email = func.lower(Medewerker.email)
    stmt = select(Medewerker).where(
        Medewerker.actief.is_(True), or_(*(email.like(patroon(n), escape="\\") for n in namen))
    )
    return (await session.scalars(stmt)).all()


async def ziet_casus(session: AsyncSession, medewerker: Medewerker, casus_id: int) -> bool:
    stmt = select(
        select(Casus.id).where(Casus.id == casus_id, policy.zichtbare_casussen(medewerker)).exists()
    )
    return bool(await session.scalar(stmt))
