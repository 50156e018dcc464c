"""Every query of meldingen: preferences, the outbox, claims and the sent-log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.models import Deelname, Medewerker, Melding, Meldingvoorkeur, Verzending
from doorbraak.models.enums import MeldingVoorkeur, Rol

# Any fixed 64-bit number: the advisory lock under which senders claim mails on PostgreSQL.
VERZEND_LOCK = 0x6D656C64696E67  # "melding"


async def vergrendel(session: AsyncSession) -> None:
    """Serialise senders for the rest of this transaction: claims are taken one sender at a
    time (SQLite: every write transaction already holds the write lock, BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": VERZEND_LOCK})


async def voorkeur(session: AsyncSession, medewerker_id: uuid.UUID) -> Meldingvoorkeur | None:
    return await session.get(Meldingvoorkeur, medewerker_id)


async def voorkeuren(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, MeldingVoorkeur]:
    if not ids:
        return {}
    rijen = await session.execute(
        select(Meldingvoorkeur.medewerker_id, Meldingvoorkeur.voorkeur).where(
            Meldingvoorkeur.medewerker_id.in_(ids)
        )
    )
    return {r.medewerker_id: MeldingVoorkeur(r.voorkeur) for r in rijen}


async def actieve(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Medewerker]:
    if not ids:
        return []
    stmt = select(Medewerker).where(Medewerker.id.in_(ids), Medewerker.actief.is_(True))
    return (await session.scalars(stmt)).all()


def _wachtend(nu: dt.datetime) -> list[object]:
    return [
        Melding.verzonden_op.is_(None),
        Melding.opgegeven_op.is_(None),
        or_(Melding.geclaimd_tot.is_(None), Melding.geclaimd_tot < nu),
    ]


async def directe_te_verzenden(
    session: AsyncSession, nu: dt.datetime, limiet: int
) -> Sequence[Melding]:
    stmt = (
        select(Melding)
        .where(
            Melding.wijze == MeldingVoorkeur.direct,
            *_wachtend(nu),  # type: ignore[arg-type]
            or_(Melding.volgende_poging_op.is_(None), Melding.volgende_poging_op <= nu),
        )
        .order_by(Melding.aangemaakt_op, Melding.id)
        .limit(limiet)
    )
    return (await session.scalars(stmt)).all()


async def digest_te_verzenden(session: AsyncSession, nu: dt.datetime) -> Sequence[Melding]:
    stmt = (
        select(Melding)
        .where(
            Melding.wijze == MeldingVoorkeur.dagelijks,
            *_wachtend(nu),  # type: ignore[arg-type]
            or_(Melding.volgende_poging_op.is_(None), Melding.volgende_poging_op <= nu),
        )
        .order_by(Melding.medewerker_id, Melding.aangemaakt_op, Melding.id)
    )
    return (await session.scalars(stmt)).all()


async def verzending(session: AsyncSession, sleutel: str) -> Verzending | None:
    return await session.get(Verzending, sleutel)


async def ontvangers(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rijen = await session.execute(
        select(Medewerker.id, Medewerker.email).where(
            Medewerker.id.in_(ids), Medewerker.actief.is_(True)
        )
    )
    return {r.id: r.email for r in rijen}


async def markeer_verzonden(
    session: AsyncSession, ids: Sequence[uuid.UUID], sleutel: str, nu: dt.datetime
) -> None:
    await session.execute(
        update(Melding)
        .where(Melding.id.in_(ids))
        .values(verzonden_op=nu, geclaimd_tot=None, verzending=sleutel, laatste_fout=None)
    )
    await session.execute(
        update(Verzending).where(Verzending.sleutel == sleutel).values(verzonden_op=nu)
    )


async def leidinggevenden_van_deelnemers(session: AsyncSession, casus_id: int) -> list[uuid.UUID]:
    """Active leidinggevenden of the afdelingen taking part in the casus."""
    afdelingen = select(Deelname.afdeling_code).where(Deelname.casus_id == casus_id)
    rijen = await session.execute(
        select(Medewerker.id, Medewerker.rollen).where(
            Medewerker.afdeling_code.in_(afdelingen), Medewerker.actief.is_(True)
        )
    )
    return [r.id for r in rijen if Rol.leidinggevende in (r.rollen or [])]


async def contactpersonen(session: AsyncSession, casus_id: int) -> list[uuid.UUID]:
    rijen = await session.scalars(
        select(Deelname.contactpersoon_id).where(
            Deelname.casus_id == casus_id, Deelname.contactpersoon_id.is_not(None)
        )
    )
    return [i for i in rijen if i is not None]
