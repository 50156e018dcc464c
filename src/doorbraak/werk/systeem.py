"""Work outside an HTTP request (CLI commands, jobs, the demo) through the same unit of work.

`omgeving(settings)` opens the one engine of a command or job; `omgeving.als(actor, actie)` is
one unit of work: a session, the actor (a medewerker, or the system actor for jobs), the tijdlijn
through `ctx.tijdlijn(...)` and the logboek through the entry of the unit plus `ctx.logboek(...)`,
exactly as a request writes them, and one commit at the end (or a rollback on an error). No
command creates an engine or writes a logboek line of its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import Medewerker
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.verzoek import Verzoekstaat

# The actor of jobs (retentie, export, the statistieken snapshot): never stored as a medewerker,
# has no role, so the policy allows it nothing; the tijdlijn shows no person (door_id NULL) and
# the logboek no actor, with the job as oorsprong.
SYSTEEM_ID = uuid.UUID(int=0)


def systeemactor() -> Medewerker:
    return Medewerker(
        id=SYSTEEM_ID,
        naam="systeem",
        email="systeem@doorbraak.invalid",
        afdeling_code="",
        rollen=[],
        mandaat_max_bedrag_cent=0,
        mandaat_max_risico=None,
        actief=True,
    )


@dataclass
class Omgeving:
    """Where a command or job runs: its settings and its one engine with sessions."""

    settings: Settings
    engine: AsyncEngine
    maker: async_sessionmaker[AsyncSession]
    # False: its units of work queue no meldingen (loading demo history, `Werkcontext.meldingen`).
    meldingen: bool = True

    @asynccontextmanager
    async def als(
        self,
        actor_id: uuid.UUID | None,
        actie: str,
        *,
        object_soort: str = "cli",
        object_id: str | None = None,
        oorsprong: str = "cli",
        toelichting: str | None = None,
        nu: dt.datetime | None = None,
        droog: bool = False,
    ) -> AsyncIterator[Werkcontext]:
        """One unit of work as the medewerker `actor_id` (None: the system actor): commits once
        with its logboek entries, or rolls back on an error. `droog` (a dry run, a read) and
        `ctx.afzien()` (nothing to do after all) roll back and log nothing."""
        async with self.maker() as session:
            if actor_id is None:
                actor = systeemactor()
            else:
                gevonden = await session.get(Medewerker, actor_id)
                if gevonden is None:
                    raise LookupError(f"medewerker {actor_id} bestaat niet")
                actor = gevonden
            staat = Verzoekstaat(
                session=session,
                request_id=uuid.uuid4().hex,
                oorsprong=oorsprong,
                actor_id=None if actor_id is None else str(actor.id),
            )
            ctx = Werkcontext(
                session=session,
                actor=actor,
                staat=staat,
                settings=self.settings,
                toelichting=toelichting,
                klok=nu,
                systeem=actor_id is None,
                meldingen=self.meldingen,
            )
            yield ctx
            if droog or ctx.afgezien:
                # What was read stays readable after the unit (detached, not expired).
                session.expunge_all()
                await session.rollback()
                return
            regels = [
                Logboekregel(
                    actie=actie,
                    object_soort=staat.object_soort or object_soort,
                    object_id=staat.object_id if staat.object_soort else object_id,
                    resultaat="succes",
                    actor=staat.actor_id,
                    casus_id=staat.casus_id,
                    oorsprong=oorsprong,
                    request_id=staat.request_id,
                ),
                *staat.logboek,
            ]
            await session.flush()
            await logboek.toevoegen(session, regels, sleutelring(self.settings))
            await session.commit()

    @asynccontextmanager
    async def leesengine(self, pool_size: int = 3) -> AsyncIterator[AsyncEngine]:
        """A second engine for a long read beside the units of work (the export's snapshot):
        read-only connections, disposed of at the end."""
        engine = create_engine(self.settings, lezer=True, pool_size=pool_size)
        try:
            yield engine
        finally:
            await engine.dispose()

    @asynccontextmanager
    async def als_job(
        self, actie: str, soort: str, object_id: str | None = None
    ) -> AsyncIterator[Werkcontext]:
        """A unit of work of a job as the system actor, with the job as oorsprong."""
        async with self.als(
            None, actie, object_soort=soort, object_id=object_id, oorsprong=soort
        ) as ctx:
            yield ctx


@asynccontextmanager
async def omgeving(settings: Settings, *, lezer: bool = False) -> AsyncIterator[Omgeving]:
    """The engine of one command or job, disposed of at the end."""
    engine = create_engine(settings, lezer=lezer)
    try:
        yield Omgeving(settings=settings, engine=engine, maker=create_sessionmaker(engine))
    finally:
        await engine.dispose()
