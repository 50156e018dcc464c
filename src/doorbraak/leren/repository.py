"""Every query of leerpunten, verhalen and beleidssignalen."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, Text, Uuid, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import Afwijking, Leerpunt, Medewerker, Regel


async def leerpunten(
    session: AsyncSession, casus_id: int, vraag: PaginaVraag
) -> Sequence[Leerpunt]:
    stmt = select(Leerpunt).where(Leerpunt.casus_id == casus_id)
    sleutels = [Sleutel(Leerpunt.aangemaakt_op), Sleutel(Leerpunt.id)]
    return (await session.scalars(pagineer_select(stmt, sleutels, vraag))).all()


async def medewerkernamen(session: AsyncSession) -> Sequence[str]:
    """Every medewerker's name, former ones included: none may appear in a shared text."""
    return (await session.scalars(select(Medewerker.naam))).all()


async def verhalen(session: AsyncSession, vraag: PaginaVraag) -> Sequence[Rij]:
    stmt = select(Leerpunt.id, Leerpunt.tekst, Leerpunt.voor_wie, Leerpunt.gedeeld_op).where(
        Leerpunt.soort == "succes", Leerpunt.delen.is_(True), Leerpunt.gedeeld_op.is_not(None)
    )
    sleutels = [Sleutel(Leerpunt.gedeeld_op, aflopend=True), Sleutel(Leerpunt.id, aflopend=True)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


async def beleidssignalen(
    session: AsyncSession, vraag: PaginaVraag, signaal_status: str | None
) -> Sequence[Rij]:
    """Systeem-leerpunten and flagged afwijkingen of all casussen, newest first: no kenmerk,
    no case text beyond the leerpunt itself, no names."""
    uit_leerpunten = select(
        Leerpunt.id.label("id"),
        literal("leerpunt", String).label("bron"),
        Leerpunt.tekst.label("tekst"),
        Leerpunt.voor_wie.label("voor_wie"),
        literal(None, Uuid).label("regel_id"),
        literal(None, String).label("grondslag"),
        literal(None, String).label("risico"),
        Leerpunt.signaal_status.label("signaal_status"),
        Leerpunt.aangemaakt_op.label("gemeld_op"),
    ).where(Leerpunt.soort == "systeem")
    uit_afwijkingen = select(
        Afwijking.id,
        literal("afwijking", String),
        literal(None, Text),
        literal(None, String),
        Afwijking.regel_id,
        Afwijking.grondslag,
        Afwijking.risico,
        Afwijking.signaal_status,
        Afwijking.aangemaakt_op,
    ).where(Afwijking.beleidssignaal.is_(True), Afwijking.status != "ingetrokken")
    signalen = union_all(uit_leerpunten, uit_afwijkingen).subquery("signalen")
    stmt = select(
        signalen, Regel.titel.label("regel_titel"), Regel.regeling, Regel.artikel
    ).outerjoin(Regel, Regel.id == signalen.c.regel_id)
    if signaal_status:
        stmt = stmt.where(signalen.c.signaal_status == signaal_status)
    sleutels = [
        Sleutel(signalen.c.gemeld_op, aflopend=True),
        Sleutel(signalen.c.id, aflopend=True),
    ]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()
