"""Every query of the perspectiefplan, the external parties and nazorg."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.auth import policy
from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import (
    Afspraak,
    Besluit,
    Casus,
    Doel,
    ExternePartij,
    Huishoudlid,
    Medewerker,
    Partijdeelname,
    Stap,
)
from doorbraak.models.enums import BesluitStatus, NazorgVanaf, StapSoort, StapStatus

OPEN_STATUS = (StapStatus.open, StapStatus.bezig)


async def van_casus(session: AsyncSession, model: Any, casus_id: int) -> Sequence[Any]:
    return (
        await session.scalars(
            select(model).where(model.casus_id == casus_id).order_by(model.aangemaakt_op, model.id)
        )
    ).all()


async def aantal_doelen(session: AsyncSession, casus_id: int) -> int:
    return int(await session.scalar(select(func.count()).where(Doel.casus_id == casus_id)) or 0)


async def in_gebruik(session: AsyncSession, kolom: str, waarde: uuid.UUID) -> list[str]:
    """What refers to a huishoudlid or partijdeelname (so removing it would orphan them)."""
    gevonden: list[str] = []
    for naam, model in (("doelen", Doel), ("afspraken", Afspraak), ("stappen", Stap)):
        if not hasattr(model, kolom):
            continue
        aantal = await session.scalar(select(func.count()).where(getattr(model, kolom) == waarde))
        if aantal:
            gevonden.append(naam)
    return gevonden


# --- external parties ----------------------------------------------------------------------------


async def partij(session: AsyncSession, code: str) -> ExternePartij | None:
    return await session.get(ExternePartij, code)


async def partijen(
    session: AsyncSession, vraag: PaginaVraag, actief: bool | None
) -> Sequence[ExternePartij]:
    stmt = select(ExternePartij)
    if actief is not None:
        stmt = stmt.where(ExternePartij.actief == actief)
    return (
        await session.scalars(pagineer_select(stmt, [Sleutel(ExternePartij.code)], vraag))
    ).all()


async def partijdeelname(
    session: AsyncSession, casus_id: int, partij_code: str
) -> Partijdeelname | None:
    return await session.scalar(
        select(Partijdeelname).where(
            Partijdeelname.casus_id == casus_id, Partijdeelname.partij_code == partij_code
        )
    )


async def partijdeelnames(session: AsyncSession, casus_id: int) -> Sequence[Rij]:
    return (
        await session.execute(
            select(Partijdeelname, ExternePartij)
            .join(ExternePartij, ExternePartij.code == Partijdeelname.partij_code)
            .where(Partijdeelname.casus_id == casus_id)
            .order_by(Partijdeelname.aangemaakt_op, Partijdeelname.id)
        )
    ).all()


async def toezeggingen(
    session: AsyncSession, deelname_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Stap]]:
    per: dict[uuid.UUID, list[Stap]] = {}
    if not deelname_ids:
        return per
    for stap in await session.scalars(
        select(Stap)
        .where(Stap.partijdeelname_id.in_(deelname_ids))
        .order_by(Stap.aangemaakt_op, Stap.id)
    ):
        assert stap.partijdeelname_id is not None
        per.setdefault(stap.partijdeelname_id, []).append(stap)
    return per


async def partijnamen(session: AsyncSession, deelname_ids: set[uuid.UUID]) -> dict[uuid.UUID, Rij]:
    if not deelname_ids:
        return {}
    rijen = await session.execute(
        select(Partijdeelname.id, ExternePartij.code, ExternePartij.naam)
        .join(ExternePartij, ExternePartij.code == Partijdeelname.partij_code)
        .where(Partijdeelname.id.in_(deelname_ids))
    )
    return {r.id: r for r in rijen}


async def leden(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, Huishoudlid]:
    if not ids:
        return {}
    return {
        h.id: h for h in await session.scalars(select(Huishoudlid).where(Huishoudlid.id.in_(ids)))
    }


# --- nazorg ------------------------------------------------------------------------------------


async def eerste_vaststelling(session: AsyncSession, casus_id: int) -> dt.datetime | None:
    return await session.scalar(
        select(func.min(Besluit.vastgesteld_op)).where(
            Besluit.casus_id == casus_id, Besluit.status == BesluitStatus.vastgesteld
        )
    )


async def nazorg_na_afsluiten(
    session: AsyncSession, casus_id: int, stappen: Sequence[tuple[uuid.UUID, dt.date]]
) -> None:
    for stap_id, datum in stappen:
        await session.execute(
            update(Stap)
            .where(Stap.id == stap_id, Stap.casus_id == casus_id)
            .values(deadline_datum=datum)
        )


async def open_nazorg_na_afsluiten(session: AsyncSession, casus_id: int) -> Sequence[Rij]:
    """Open nazorg moments counted from the closing: they get their date when the casus closes."""
    return (
        await session.execute(
            select(Stap.id, Stap.nazorg_maanden).where(
                Stap.casus_id == casus_id,
                Stap.soort == StapSoort.nazorg,
                Stap.nazorg_vanaf == NazorgVanaf.afsluiten,
                Stap.nazorg_maanden.is_not(None),
                Stap.status.in_(OPEN_STATUS),
            )
        )
    ).all()


def open_nazorg(casus_id_kolom: Any) -> Any:
    """EXISTS: the casus has nazorg that is not done yet (retention waits for it)."""
    return (
        select(Stap.id)
        .where(
            Stap.casus_id == casus_id_kolom,
            Stap.soort == StapSoort.nazorg,
            Stap.status.in_(OPEN_STATUS),
        )
        .exists()
    )


async def nazorg_te_doen(
    session: AsyncSession,
    actor: Medewerker,
    *,
    tot: dt.date,
    eigenaar: uuid.UUID | None,
    limit: int,
) -> Sequence[Rij]:
    """Open nazorg moments due by `tot` on the casussen the actor may see (the casusteam's
    visibility rule as SQL), oldest due first; also on closed casussen."""
    stmt = (
        select(
            Stap.id,
            Stap.titel,
            Stap.deadline_datum,
            Stap.eigenaar_id,
            Casus.kenmerk,
            Casus.fase,
        )
        .join(Casus, Casus.id == Stap.casus_id)
        .where(
            policy.zichtbare_casussen(actor),
            Stap.soort == StapSoort.nazorg,
            Stap.status.in_(OPEN_STATUS),
            Stap.deadline_datum.is_not(None),
            Stap.deadline_datum <= tot,
            Casus.geanonimiseerd_op.is_(None),
        )
        .order_by(Stap.deadline_datum, Stap.id)
        .limit(limit)
    )
    if eigenaar is not None:
        stmt = stmt.where(Stap.eigenaar_id == eigenaar)
    return (await session.execute(stmt)).all()


async def casus_vergrendeld(session: AsyncSession, casus_id: int) -> None:
    """The casus row lock: the plan's rules that span rows (consent needs a doel) hold under
    concurrency. On SQLite every write transaction is serialised already."""
    await session.execute(select(Casus.id).where(Casus.id == casus_id).with_for_update())
