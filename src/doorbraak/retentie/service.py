"""Retention: every closed casus gets an archiefactiedatum; after it the casus is anonymised.

Anonymising removes the free text and the BSN of the casus and of every part of it (the tijdlijn's
old and new values included) and keeps numbers, dates, kinds, statuses and links, so statistics
and registers keep counting it. A casus with nazorg still open (a nazorg stap open or bezig)
waits: the team still works with the file after closing; it is anonymised on the first run
after its last nazorg moment is done. Each casus is done in a transaction of its own, recorded in the
logboek and in its tijdlijn (`casus.geanonimiseerd`, which also brings it into the next
incremental export, where it appears without its text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.kit.repository import idempotentie_opruimen
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.retentie import repository
from doorbraak.werk.systeem import Omgeving


def archiefactiedatum(settings: Settings, afsluitreden: str, afgesloten_op: dt.datetime) -> dt.date:
    dagen = settings.retentie_dagen.get(afsluitreden)
    if dagen is None:
        dagen = max(settings.retentie_dagen.values(), default=7 * 365)
    # Calendar days in Amsterdam, as every date of the record (kit/werkdagen.py).
    return lokale_datum(afgesloten_op) + dt.timedelta(days=dagen)


@dataclass
class Uitkomst:
    droog: bool
    peildatum: dt.date
    datum_gezet: list[str] = field(default_factory=list)
    geanonimiseerd: list[tuple[str, dt.date]] = field(default_factory=list)


async def draai(
    omg: Omgeving,
    *,
    droog: bool,
    peildatum: dt.date | None = None,
) -> Uitkomst:
    """Every step is a unit of work of the system actor (werk/systeem.py): the dates in one,
    then each casus in one of its own (a failure leaves the others done), then the cleanup."""
    peildatum = peildatum or lokale_datum(utcnow())
    uitkomst = Uitkomst(droog=droog, peildatum=peildatum)
    async with omg.als(
        None, "retentie.archiefactiedatum", oorsprong="retentie", droog=droog
    ) as ctx:
        for rij in await repository.zonder_archiefactiedatum(ctx.session):
            datum = archiefactiedatum(omg.settings, rij.afsluitreden, rij.afgesloten_op)
            uitkomst.datum_gezet.append(rij.kenmerk)
            if not droog:
                await repository.zet_archiefactiedatum(ctx.session, rij.id, datum)
        te_doen = await repository.te_anonimiseren(ctx.session, peildatum)
        if not uitkomst.datum_gezet:
            ctx.afzien()
    if droog:
        uitkomst.geanonimiseerd = [(r.kenmerk, r.archiefactiedatum) for r in te_doen]
        return uitkomst
    for rij in te_doen:
        if await _anonimiseer_een(omg, rij.id, rij.kenmerk):
            uitkomst.geanonimiseerd.append((rij.kenmerk, rij.archiefactiedatum))
    # Stored responses of retried POSTs may quote case text; they expire after a day anyway.
    async with omg.als(None, "retentie.opgeruimd", oorsprong="retentie") as ctx:
        if not await idempotentie_opruimen(ctx.session, ctx.nu):
            ctx.afzien()
    return uitkomst


async def _anonimiseer_een(omg: Omgeving, casus_id: int, kenmerk: str) -> bool:
    async with omg.als(
        None,
        "retentie.geanonimiseerd",
        object_soort="casus",
        object_id=kenmerk,
        oorsprong="retentie",
        toelichting="Bewaartermijn verstreken",
    ) as ctx:
        if not await repository.anonimiseer(ctx.session, casus_id, ctx.nu):
            ctx.afzien()
            return False
        ctx.onderwerp("casus", kenmerk, casus_id)
        ctx.tijdlijn(casus_id, "casus.geanonimiseerd", "casus", kenmerk)
    return True
