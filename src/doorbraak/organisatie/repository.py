"""Every query of afdelingen and medewerkers."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import (
    Afdeling,
    Afwijking,
    Beleidssignaal,
    Besluit,
    Medewerker,
    Rechtenverzoek,
    Regel,
    Regelversie,
)
from doorbraak.models.enums import AfwijkingStatus, BesluitStatus, RechtenverzoekStatus

AFDELING_SLEUTEL = [Sleutel(Afdeling.code)]
MEDEWERKER_SLEUTEL = [Sleutel(Medewerker.naam), Sleutel(Medewerker.id)]


async def afdelingen(
    session: AsyncSession, vraag: PaginaVraag, actief: bool | None
) -> Sequence[Rij]:
    stmt = select(Afdeling.code, Afdeling.naam, Afdeling.actief, Afdeling.versie)
    if actief is not None:
        stmt = stmt.where(Afdeling.actief == actief)
    return (await session.execute(pagineer_select(stmt, AFDELING_SLEUTEL, vraag))).all()


async def afdeling(session: AsyncSession, code: str) -> Afdeling | None:
    return await session.get(Afdeling, code)


async def medewerkers(
    session: AsyncSession,
    vraag: PaginaVraag,
    *,
    afdeling: str | None,
    actief: bool | None,
) -> Sequence[Medewerker]:
    stmt = select(Medewerker)
    if afdeling:
        stmt = stmt.where(Medewerker.afdeling_code == afdeling)
    if actief is not None:
        stmt = stmt.where(Medewerker.actief == actief)
    return (await session.scalars(pagineer_select(stmt, MEDEWERKER_SLEUTEL, vraag))).all()


async def medewerker(session: AsyncSession, medewerker_id: uuid.UUID) -> Medewerker | None:
    return await session.get(Medewerker, medewerker_id)


async def medewerker_bij_email(session: AsyncSession, email: str) -> Medewerker | None:
    return await session.scalar(select(Medewerker).where(Medewerker.email == email))


async def medewerker_bij_oidc_sub(session: AsyncSession, oidc_sub: str) -> Medewerker | None:
    return await session.scalar(select(Medewerker).where(Medewerker.oidc_sub == oidc_sub))


async def refs(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, Rij]:
    """Name and afdeling of several medewerkers in one query (for lists that show people)."""
    if not ids:
        return {}
    rijen = await session.execute(
        select(Medewerker.id, Medewerker.naam, Medewerker.afdeling_code).where(
            Medewerker.id.in_(ids)
        )
    )
    return {r.id: r for r in rijen}


# --- regels (the catalogue) --------------------------------------------------------------------

REGEL_SLEUTEL = [Sleutel(Regel.titel), Sleutel(Regel.id)]
TELLENDE_AFWIJKINGEN = (
    AfwijkingStatus.voorgesteld,
    AfwijkingStatus.gedekt,
    AfwijkingStatus.afgewezen,
)


def aantal_afwijkingen(regel_id_kolom: Any) -> Any:
    """How often a regel is (to be) bent: afwijkingen that were not withdrawn."""
    return (
        select(func.count(Afwijking.id))
        .where(Afwijking.regel_id == regel_id_kolom, Afwijking.status.in_(TELLENDE_AFWIJKINGEN))
        .scalar_subquery()
    )


def _regel_select() -> Any:
    return select(Regel, aantal_afwijkingen(Regel.id).label("aantal_afwijkingen"))


async def regels(
    session: AsyncSession,
    vraag: PaginaVraag,
    *,
    soort: str | None,
    actief: bool | None,
    zoek: str | None,
) -> Sequence[Row[Any]]:
    stmt = _regel_select()
    if soort:
        stmt = stmt.where(Regel.soort == soort)
    if actief is not None:
        stmt = stmt.where(Regel.actief == actief)
    if zoek:
        patroon = (
            "%" + zoek.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        stmt = stmt.where(
            func.lower(Regel.titel).like(patroon, escape="\\")
            | func.lower(Regel.regeling).like(patroon, escape="\\")
        )
    return (await session.execute(pagineer_select(stmt, REGEL_SLEUTEL, vraag))).all()


async def regel_met_aantal(session: AsyncSession, regel_id: uuid.UUID) -> Row[Any] | None:
    return (await session.execute(_regel_select().where(Regel.id == regel_id))).first()


async def regel(session: AsyncSession, regel_id: uuid.UUID) -> Regel | None:
    return await session.get(Regel, regel_id)


RECHTENVERZOEK_SLEUTEL = [
    Sleutel(Rechtenverzoek.aangevraagd_op, aflopend=True),
    Sleutel(Rechtenverzoek.id, aflopend=True),
]


async def rechtenverzoek(session: AsyncSession, verzoek_id: uuid.UUID) -> Rechtenverzoek | None:
    return await session.get(Rechtenverzoek, verzoek_id)


async def rechtenverzoeken(
    session: AsyncSession, vraag: PaginaVraag, status: RechtenverzoekStatus | None
) -> Sequence[Rechtenverzoek]:
    stmt = select(Rechtenverzoek)
    if status is not None:
        stmt = stmt.where(Rechtenverzoek.status == status)
    return (await session.scalars(pagineer_select(stmt, RECHTENVERZOEK_SLEUTEL, vraag))).all()


# --- versions of a regel ----------------------------------------------------------------------


async def regel_vergrendeld(session: AsyncSession, regel_id: uuid.UUID) -> Regel | None:
    """The regel under its row lock: versions are numbered and closed off one at a time."""
    return await session.get(Regel, regel_id, with_for_update=True)


async def regelversie_op(
    session: AsyncSession, regel_id: uuid.UUID, datum: dt.date
) -> Regelversie | None:
    """The version in force on `datum`: the newest that started on or before it (version 1
    also for a day before the regel was entered)."""
    stmt = select(Regelversie).where(Regelversie.regel_id == regel_id)
    gevonden = await session.scalar(
        stmt.where(Regelversie.geldig_van <= datum).order_by(Regelversie.nummer.desc()).limit(1)
    )
    if gevonden is not None:
        return gevonden
    return await session.scalar(stmt.order_by(Regelversie.nummer).limit(1))


async def laatste_regelversie(session: AsyncSession, regel_id: uuid.UUID) -> Regelversie | None:
    return await session.scalar(
        select(Regelversie)
        .where(Regelversie.regel_id == regel_id)
        .order_by(Regelversie.nummer.desc())
        .limit(1)
    )


async def regelversies(session: AsyncSession, regel_id: uuid.UUID) -> Sequence[Row[Any]]:
    """Every version of a regel, oldest first, with its deviations in force (gedekt, of a
    vastgesteld besluit: what the registers count)."""
    in_kracht = (
        select(func.count(Afwijking.id))
        .join(Besluit, Besluit.id == Afwijking.besluit_id)
        .where(
            Afwijking.regelversie_id == Regelversie.id,
            Afwijking.status == AfwijkingStatus.gedekt,
            Besluit.status == BesluitStatus.vastgesteld,
        )
        .scalar_subquery()
    )
    return (
        await session.execute(
            select(Regelversie, in_kracht.label("in_kracht"))
            .where(Regelversie.regel_id == regel_id)
            .order_by(Regelversie.nummer)
        )
    ).all()


async def signalen_per_regelversie(
    session: AsyncSession, versie_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    per: dict[uuid.UUID, list[uuid.UUID]] = {v: [] for v in versie_ids}
    if not versie_ids:
        return per
    rijen = await session.execute(
        select(Beleidssignaal.regelversie_id, Beleidssignaal.id)
        .where(Beleidssignaal.regelversie_id.in_(versie_ids))
        .order_by(Beleidssignaal.gemeld_op, Beleidssignaal.id)
    )
    for versie_id, signaal_id in rijen.all():
        if versie_id is not None:
            per[versie_id].append(signaal_id)
    return per
