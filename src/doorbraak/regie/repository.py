"""Every query of regie, deelnames and escalaties."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import (
    Afwijking,
    Besluit,
    Deelname,
    Escalatie,
    EscalatieAfwijking,
    Knelpunt,
    Kostenaandeel,
    Overslag,
    Reactie,
    Regievoering,
    Stap,
)


async def huidige_regievoering(session: AsyncSession, casus_id: int) -> Regievoering | None:
    return await session.scalar(
        select(Regievoering).where(Regievoering.casus_id == casus_id, Regievoering.tot.is_(None))
    )


async def regievoeringen(session: AsyncSession, casus_id: int) -> Sequence[Regievoering]:
    return (
        await session.scalars(
            select(Regievoering)
            .where(Regievoering.casus_id == casus_id)
            .order_by(Regievoering.van.desc(), Regievoering.id)
        )
    ).all()


async def deelname(session: AsyncSession, casus_id: int, afdeling_code: str) -> Deelname | None:
    return await session.scalar(
        select(Deelname).where(
            Deelname.casus_id == casus_id, Deelname.afdeling_code == afdeling_code
        )
    )


async def deelnames(session: AsyncSession, casus_id: int, vraag: PaginaVraag) -> Sequence[Deelname]:
    stmt = select(Deelname).where(Deelname.casus_id == casus_id)
    sleutels = [Sleutel(Deelname.aangemaakt_op), Sleutel(Deelname.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def escalaties(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Escalatie]:
    stmt = select(Escalatie).where(Escalatie.casus_id == casus_id)
    sleutels = [Sleutel(Escalatie.aangevraagd_op), Sleutel(Escalatie.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def escalatie(
    session: AsyncSession, casus_id: int, escalatie_id: uuid.UUID
) -> Escalatie | None:
    return await session.scalar(
        select(Escalatie).where(Escalatie.casus_id == casus_id, Escalatie.id == escalatie_id)
    )


async def betreft_afwijkingen(
    session: AsyncSession, escalatie_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    per: dict[uuid.UUID, list[uuid.UUID]] = {}
    if not escalatie_ids:
        return per
    for e_id, a_id in (
        await session.execute(
            select(EscalatieAfwijking.escalatie_id, EscalatieAfwijking.afwijking_id)
            .where(EscalatieAfwijking.escalatie_id.in_(escalatie_ids))
            .order_by(EscalatieAfwijking.afwijking_id)
        )
    ).all():
        per.setdefault(e_id, []).append(a_id)
    return per


async def correcties(
    session: AsyncSession, escalatie_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """For each escalatie that was corrected: the correction that supersedes it."""
    if not escalatie_ids:
        return {}
    rijen = await session.execute(
        select(Escalatie.vervangt_id, Escalatie.id).where(Escalatie.vervangt_id.in_(escalatie_ids))
    )
    return {v: i for v, i in rijen.all() if v is not None}


async def afwijkingen_van_casus(
    session: AsyncSession, casus_id: int, ids: Sequence[uuid.UUID]
) -> Sequence[Afwijking]:
    return (
        await session.scalars(
            select(Afwijking).where(Afwijking.casus_id == casus_id, Afwijking.id.in_(ids))
        )
    ).all()


async def voorstellers(session: AsyncSession, besluit_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        (
            await session.scalars(
                select(Afwijking.voorgesteld_door_id).where(Afwijking.besluit_id == besluit_id)
            )
        ).all()
    )


async def onderdelen_van_afdeling(session: AsyncSession, casus_id: int, afdeling: str) -> list[str]:
    """What of this casus hangs on a participating afdeling: reacties, overslagen, stappen,
    cost shares (afwijkingen hang on their besluit, whose cost shares name the afdeling)."""
    besluiten = select(Besluit.id).where(Besluit.casus_id == casus_id)
    vragen = {
        "reacties": select(Reactie.id).where(
            Reactie.besluit_id.in_(besluiten), Reactie.afdeling_code == afdeling
        ),
        "overslagen": select(Overslag.id).where(
            Overslag.besluit_id.in_(besluiten), Overslag.afdeling_code == afdeling
        ),
        "stappen": select(Stap.id).where(Stap.casus_id == casus_id, Stap.afdeling_code == afdeling),
        "knelpunten": select(Knelpunt.id).where(
            Knelpunt.casus_id == casus_id, Knelpunt.afdeling_code == afdeling
        ),
        "kostenaandelen": select(Kostenaandeel.besluit_id).where(
            Kostenaandeel.besluit_id.in_(besluiten), Kostenaandeel.afdeling_code == afdeling
        ),
    }
    gevonden = []
    for naam, vraag in vragen.items():
        if await session.scalar(select(vraag.exists())):
            gevonden.append(naam)
    return gevonden
