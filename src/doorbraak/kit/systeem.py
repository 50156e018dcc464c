"""Acting outside an HTTP request (CLI, demo, jobs) with the same services and audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.kit.verzoek import Verzoekstaat
from doorbraak.kit.werkcontext import Werkcontext
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import Medewerker


@asynccontextmanager
async def als(
    maker: async_sessionmaker[AsyncSession],
    actor_id: uuid.UUID,
    actie: str,
    toelichting: str | None = None,
    nu: dt.datetime | None = None,
) -> AsyncIterator[Werkcontext]:
    """One unit of work as `actor`: commits with its logboek entry, or rolls back."""
    async with maker() as session:
        actor = await session.get(Medewerker, actor_id)
        if actor is None:
            raise LookupError(f"medewerker {actor_id} bestaat niet")
        staat = Verzoekstaat(
            session=session, request_id=uuid.uuid4().hex, oorsprong="cli", actor_id=str(actor.id)
        )
        ctx = Werkcontext(
            session=session, actor=actor, staat=staat, toelichting=toelichting, klok=nu
        )
        yield ctx
        regels = [
            Logboekregel(
                actie=actie,
                object_soort="cli",
                object_id=None,
                resultaat="succes",
                actor=str(actor.id),
                casus_id=staat.casus_id,
                oorsprong="cli",
                request_id=staat.request_id,
            ),
            *staat.logboek,
        ]
        await logboek.toevoegen(session, regels)
        await session.commit()
