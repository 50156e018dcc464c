"""Every query of leerpunten, verhalen and beleidssignalen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.kit.periode import Periode
from doorbraak.models import (
    Afwijking,
    Beleidssignaal,
    Casus,
    Leerpunt,
    Medewerker,
    Regel,
    Regelversie,
)
from doorbraak.models.enums import AfwijkingStatus, LeerpuntSoort, RugdekkingOordeel, SignaalStatus

WACHTEND = (SignaalStatus.nieuw, SignaalStatus.in_behandeling)


async def leerpunten(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Leerpunt]:
    stmt = select(Leerpunt).where(Leerpunt.casus_id == casus_id)
    sleutels = [Sleutel(Leerpunt.aangemaakt_op), Sleutel(Leerpunt.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def leerpunt(session: AsyncSession, id_: uuid.UUID) -> Leerpunt | None:
    """One leerpunt by id, whatever its casus (the takedown of a verhaal; the caller checks)."""
    return await session.get(Leerpunt, id_, with_for_update=True)


async def medewerkernamen(session: AsyncSession) -> Sequence[str]:
    """Every medewerker's name, former ones included: none may appear in a shared text."""
    return (await session.scalars(select(Medewerker.naam))).all()


async def verhalen(session: AsyncSession, vraag: PaginaVraag) -> Sequence[Rij]:
    stmt = select(Leerpunt.id, Leerpunt.tekst, Leerpunt.voor_wie, Leerpunt.gedeeld_op).where(
        Leerpunt.soort == LeerpuntSoort.succes,
        Leerpunt.delen.is_(True),
        Leerpunt.gedeeld_op.is_not(None),
    )
    sleutels = [Sleutel(Leerpunt.gedeeld_op, aflopend=True), Sleutel(Leerpunt.id, aflopend=True)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


Bent = aliased(Regelversie, name="gebogen")
Nieuw = aliased(Regelversie, name="aangepast")


def _signaal_select() -> Any:
    """A signal with what beleid may see of its source: the text of a systeem-leerpunt, the
    regel, version, grondslag and risico of an afwijking. Never the casus or a name."""
    return (
        select(
            Beleidssignaal,
            Leerpunt.tekst,
            Leerpunt.voor_wie,
            Afwijking.regel_id,
            Afwijking.grondslag,
            Afwijking.risico,
            Regel.titel.label("regel_titel"),
            Regel.regeling,
            Regel.artikel,
            Bent.id.label("bent_id"),
            Bent.regel_id.label("bent_regel_id"),
            Bent.nummer.label("bent_nummer"),
            Bent.geldig_van.label("bent_van"),
            Bent.geldig_tot.label("bent_tot"),
            Nieuw.regel_id.label("nieuw_regel_id"),
            Nieuw.nummer.label("nieuw_nummer"),
            Nieuw.geldig_van.label("nieuw_van"),
            Nieuw.geldig_tot.label("nieuw_tot"),
        )
        .outerjoin(Leerpunt, Leerpunt.id == Beleidssignaal.leerpunt_id)
        .outerjoin(Afwijking, Afwijking.id == Beleidssignaal.afwijking_id)
        .outerjoin(Regel, Regel.id == Afwijking.regel_id)
        .outerjoin(Bent, Bent.id == Afwijking.regelversie_id)
        .outerjoin(Nieuw, Nieuw.id == Beleidssignaal.regelversie_id)
    )


def _telt_mee() -> Any:
    """A signal of an afwijking that was withdrawn before it mattered is no signal."""
    return (Afwijking.id.is_(None)) | (Afwijking.status != AfwijkingStatus.ingetrokken)


async def beleidssignaal(session: AsyncSession, id_: uuid.UUID) -> Rij | None:
    stmt = _signaal_select().where(Beleidssignaal.id == id_, _telt_mee())
    return (await session.execute(stmt)).first()


async def beleidssignaal_vergrendeld(
    session: AsyncSession, id_: uuid.UUID
) -> Beleidssignaal | None:
    return await session.get(Beleidssignaal, id_, with_for_update=True)


async def beleidssignalen(
    session: AsyncSession,
    vraag: PaginaVraag,
    signaal_status: str | None,
    periode: Periode = Periode(),
) -> Sequence[Rij]:
    """Signals of all casussen, newest first (along ix_beleidssignalen_gemeld_op_id)."""
    stmt = _signaal_select().where(
        _telt_mee(), *periode.filter(Beleidssignaal.gemeld_op, Beleidssignaal.casus_id)
    )
    if signaal_status:
        stmt = stmt.where(Beleidssignaal.status == signaal_status)
    sleutels = [
        Sleutel(Beleidssignaal.gemeld_op, aflopend=True),
        Sleutel(Beleidssignaal.id, aflopend=True),
    ]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


async def wachtende_signalen(session: AsyncSession, limiet: int) -> Sequence[Rij]:
    """Signals beleid has not handled yet, oldest first (they have waited longest)."""
    stmt = (
        _signaal_select()
        .where(_telt_mee(), Beleidssignaal.status.in_(WACHTEND))
        .order_by(Beleidssignaal.gemeld_op, Beleidssignaal.id)
        .limit(limiet)
    )
    return (await session.execute(stmt)).all()


async def aantal_wachtende_signalen(session: AsyncSession) -> int:
    stmt = (
        select(func.count(Beleidssignaal.id))
        .outerjoin(Afwijking, Afwijking.id == Beleidssignaal.afwijking_id)
        .where(_telt_mee(), Beleidssignaal.status.in_(WACHTEND))
    )
    return int(await session.scalar(stmt) or 0)


async def signalen_van_casus(session: AsyncSession, casus_id: int) -> Sequence[Rij]:
    """The outcome of every signal a casus raised (for its casusteam)."""
    stmt = (
        select(
            Beleidssignaal,
            Nieuw.regel_id.label("nieuw_regel_id"),
            Nieuw.nummer.label("nieuw_nummer"),
            Nieuw.geldig_van.label("nieuw_van"),
            Nieuw.geldig_tot.label("nieuw_tot"),
        )
        .outerjoin(Nieuw, Nieuw.id == Beleidssignaal.regelversie_id)
        .where(Beleidssignaal.casus_id == casus_id)
    )
    return (await session.execute(stmt)).all()


async def signaal_van(session: AsyncSession, id_: uuid.UUID) -> Rij | None:
    stmt = (
        select(
            Beleidssignaal,
            Nieuw.regel_id.label("nieuw_regel_id"),
            Nieuw.nummer.label("nieuw_nummer"),
            Nieuw.geldig_van.label("nieuw_van"),
            Nieuw.geldig_tot.label("nieuw_tot"),
        )
        .outerjoin(Nieuw, Nieuw.id == Beleidssignaal.regelversie_id)
        .where(Beleidssignaal.id == id_)
    )
    return (await session.execute(stmt)).first()


async def regelversie(session: AsyncSession, id_: uuid.UUID) -> Regelversie | None:
    return await session.get(Regelversie, id_)


async def precedenten(
    session: AsyncSession, regel_id: uuid.UUID, limiet: int
) -> tuple[Sequence[Rij], int, int]:
    """Gedekte afwijkingen of a regel, newest first, with the casus they came from (only to
    check their texts for names of its household; never shown), and the counts."""
    gedekt = Afwijking.rugdekking_oordeel == RugdekkingOordeel.gedekt
    rijen = (
        await session.execute(
            select(
                Afwijking.id,
                Afwijking.grondslag,
                Afwijking.waardentoets_legitimiteit,
                Afwijking.waardentoets_rendement,
                Afwijking.waardentoets_betrokkenheid,
                Afwijking.risico,
                Afwijking.status,
                Afwijking.rugdekking_op,
                Casus.huishouden_naam,
                Regelversie.id.label("versie_id"),
                Regelversie.nummer,
                Regelversie.geldig_van,
                Regelversie.geldig_tot,
            )
            .join(Casus, Casus.id == Afwijking.casus_id)
            .join(Regelversie, Regelversie.id == Afwijking.regelversie_id)
            .where(Afwijking.regel_id == regel_id, gedekt, Afwijking.rugdekking_op.is_not(None))
            .order_by(Afwijking.rugdekking_op.desc(), Afwijking.id.desc())
            .limit(limiet)
        )
    ).all()
    tellingen = (
        await session.execute(
            select(
                func.count(Afwijking.id).filter(gedekt),
                func.count(Afwijking.id).filter(
                    Afwijking.rugdekking_oordeel == RugdekkingOordeel.afgewezen
                ),
            ).where(Afwijking.regel_id == regel_id)
        )
    ).one()
    return rijen, int(tellingen[0]), int(tellingen[1])
