"""Every query of the retention job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.huishouden.repository import open_nazorg
from doorbraak.kit.pagination import Rij
from doorbraak.models import (
    Afspraak,
    Afwijking,
    Besluit,
    Betrokkene,
    Bijlage,
    Casus,
    Deelname,
    Doel,
    Escalatie,
    FaseOvergang,
    Huishoudlid,
    Knelpunt,
    Kostenregel,
    Leerpunt,
    Notitie,
    Partijdeelname,
    Reactie,
    Regievoering,
    Stap,
    TijdlijnRegel,
)
from doorbraak.models.enums import Fase


async def zonder_archiefactiedatum(session: AsyncSession) -> Sequence[Rij]:
    """Closed casussen that have no archiefactiedatum yet (closed before it existed)."""
    return (
        await session.execute(
            select(Casus.id, Casus.kenmerk, Casus.afsluitreden, Casus.afgesloten_op).where(
                Casus.fase == Fase.afgesloten,
                Casus.archiefactiedatum.is_(None),
                Casus.afgesloten_op.is_not(None),
            )
        )
    ).all()


async def zet_archiefactiedatum(session: AsyncSession, casus_id: int, datum: dt.date) -> None:
    # A plain UPDATE (no version bump): the date follows from the closing, it is no edit.
    await session.execute(update(Casus).where(Casus.id == casus_id).values(archiefactiedatum=datum))


async def te_anonimiseren(session: AsyncSession, peildatum: dt.date) -> Sequence[Rij]:
    return (
        await session.execute(
            select(Casus.id, Casus.kenmerk, Casus.afsluitreden, Casus.archiefactiedatum)
            .where(
                Casus.fase == Fase.afgesloten,
                Casus.archiefactiedatum <= peildatum,
                Casus.geanonimiseerd_op.is_(None),
                # Nazorg still to do: the team still works with the file, retention waits.
                ~open_nazorg(Casus.id),
            )
            .order_by(Casus.archiefactiedatum, Casus.id)
        )
    ).all()


# Free text of every part of a casus, and what it becomes. Numbers, dates, statuses, kinds and
# links stay: the statistics and the registers keep counting the casus.
LEEG: list[tuple[Any, dict[str, Any]]] = [
    (FaseOvergang, {"toelichting": None}),
    (Regievoering, {"reden": None, "overdrachtsnotitie": None}),
    (Deelname, {"standpunt": ""}),
    (Escalatie, {"reden": "", "uitkomst": None}),
    (Betrokkene, {"toelichting": None}),
    (Kostenregel, {"omschrijving": "(geanonimiseerd)", "moment": None, "toelichting": None}),
    (Stap, {"titel": "(geanonimiseerd)", "bevinding": None}),
    (Knelpunt, {"omschrijving": ""}),
    (
        Besluit,
        {"omschrijving": "", "motivering": "", "afweging": None, "intrekkingsreden": None},
    ),
    (
        Afwijking,
        {
            "wat_we_doen": "",
            "motivering": "",
            "waardentoets_legitimiteit": "",
            "waardentoets_rendement": "",
            "waardentoets_betrokkenheid": "",
            "rugdekking_toelichting": None,
        },
    ),
    (Leerpunt, {"tekst": "", "voor_wie": None, "delen": False}),
    # The perspectiefplan and the external parties' contact persons (personal data).
    (Huishoudlid, {"naam_of_rol": "(geanonimiseerd)", "geboortejaar": None}),
    (Doel, {"tekst": ""}),
    (Afspraak, {"tekst": ""}),
    (
        Partijdeelname,
        {"standpunt": "", "contact_naam": None, "contact_telefoon": None, "contact_email": None},
    ),
    (Notitie, {"tekst": ""}),
    (TijdlijnRegel, {"wijzigingen": {}, "toelichting": None}),
]


async def anonimiseer(session: AsyncSession, casus_id: int, nu: dt.datetime) -> bool:
    """Anonymise one casus; False when another run got there first (the UPDATE of the casus row
    is conditional and row-locks it, so two runs never do the same casus twice)."""
    result = await session.execute(
        update(Casus)
        .where(Casus.id == casus_id, Casus.geanonimiseerd_op.is_(None), ~open_nazorg(Casus.id))
        .values(
            titel="Geanonimiseerde casus",
            situatie="",
            huishouden_naam=None,
            doorbraakvraag=None,
            doorbraak=None,
            bsn_versleuteld=None,
            bsn_zoekhash=None,
            bsn_laatste4=None,
            geanonimiseerd_op=nu,
            gewijzigd_op=nu,
            versie=Casus.versie + 1,
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    for model, waarden in LEEG:
        await session.execute(update(model).where(model.casus_id == casus_id).values(**waarden))
    # Documents are removed, not blanked: a beschikking or an offerte is about the household
    # through and through, and nothing of it is counted (the tijdlijn's entries were emptied).
    await session.execute(delete(Bijlage).where(Bijlage.casus_id == casus_id))
    besluiten = select(Besluit.id).where(Besluit.casus_id == casus_id)
    await session.execute(
        update(Reactie).where(Reactie.besluit_id.in_(besluiten)).values(toelichting="")
    )
    return True
