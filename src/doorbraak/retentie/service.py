"""Retention: every closed casus gets an archiefactiedatum; after it the casus is anonymised.

Anonymising removes the free text and the BSN of the casus and of every part of it (the tijdlijn's
old and new values included) and keeps numbers, dates, kinds, statuses and links, so statistics
and registers keep counting it. Each casus is done in a transaction of its own, recorded in the
logboek and in its tijdlijn (`casus.geanonimiseerd`, which also brings it into the next
incremental export, where it appears without its text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.kit.repository import idempotentie_opruimen
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import TijdlijnRegel
from doorbraak.retentie import repository


def archiefactiedatum(settings: Settings, afsluitreden: str, afgesloten_op: dt.datetime) -> dt.date:
    dagen = settings.retentie_dagen.get(afsluitreden)
    if dagen is None:
        dagen = max(settings.retentie_dagen.values(), default=7 * 365)
    return afgesloten_op.date() + dt.timedelta(days=dagen)


@dataclass
class Uitkomst:
    droog: bool
    peildatum: dt.date
    datum_gezet: list[str] = field(default_factory=list)
    geanonimiseerd: list[tuple[str, dt.date]] = field(default_factory=list)


async def draai(
    maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    droog: bool,
    peildatum: dt.date | None = None,
) -> Uitkomst:
    peildatum = peildatum or utcnow().date()
    uitkomst = Uitkomst(droog=droog, peildatum=peildatum)
    async with maker() as session:
        for rij in await repository.zonder_archiefactiedatum(session):
            datum = archiefactiedatum(settings, rij.afsluitreden, rij.afgesloten_op)
            uitkomst.datum_gezet.append(rij.kenmerk)
            if not droog:
                await repository.zet_archiefactiedatum(session, rij.id, datum)
        te_doen = await repository.te_anonimiseren(session, peildatum)
        if droog:
            uitkomst.geanonimiseerd = [(r.kenmerk, r.archiefactiedatum) for r in te_doen]
            await session.rollback()
            return uitkomst
        await session.commit()
        for rij in te_doen:
            if await _anonimiseer_een(session, rij.id, rij.kenmerk):
                uitkomst.geanonimiseerd.append((rij.kenmerk, rij.archiefactiedatum))
        # Stored responses of retried POSTs may quote case text; they expire after a day anyway.
        await idempotentie_opruimen(session, utcnow())
        await session.commit()
    return uitkomst


async def _anonimiseer_een(session: AsyncSession, casus_id: int, kenmerk: str) -> bool:
    nu = utcnow()
    if not await repository.anonimiseer(session, casus_id, nu):
        await session.rollback()
        return False
    session.add(
        TijdlijnRegel(
            casus_id=casus_id,
            op=nu,
            door_id=None,
            actie="casus.geanonimiseerd",
            object_soort="casus",
            object_id=kenmerk,
            wijzigingen={},
            toelichting="Bewaartermijn verstreken",
        )
    )
    await session.flush()
    await logboek.toevoegen(
        session,
        [
            Logboekregel(
                actie="retentie.geanonimiseerd",
                object_soort="casus",
                object_id=kenmerk,
                resultaat="succes",
                actor=None,
                casus_id=casus_id,
                oorsprong="retentie",
            )
        ],
    )
    await session.commit()
    return True
