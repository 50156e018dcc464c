"""Every query of leerpunten, verhalen and beleidssignalen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, Text, Uuid, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Rij, Sleutel, pagineer_select
from doorbraak.models import Afwijking, Leerpunt, Medewerker, Regel
from doorbraak.models.enums import AfwijkingStatus, LeerpuntSoort


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
        Leerpunt.soort == LeerpuntSoort.succes,
        Leerpunt.delen.is_(True),
        Leerpunt.gedeeld_op.is_not(None),
    )
    sleutels = [Sleutel(Leerpunt.gedeeld_op, aflopend=True), Sleutel(Leerpunt.id, aflopend=True)]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()


async def beleidssignalen(
    session: AsyncSession, vraag: PaginaVraag, signaal_status: str | None
) -> Sequence[Rij]:
    """Systeem-leerpunten and flagged afwijkingen of all casussen, newest first: no kenmerk,
    no case text beyond the leerpunt itself, no names.

    Each source takes its own top-N (filter and cursor applied) along its index, newest first;
    the page is the top-N of the two, so a page reads N rows per source, not every signal."""

    def bron(stmt: Any, op: Any, id_: Any, status: Any) -> Any:
        if signaal_status:
            stmt = stmt.where(status == signaal_status)
        sleutels = [Sleutel(op, aflopend=True), Sleutel(id_, aflopend=True)]
        return select(pagineer_select(stmt, sleutels, vraag).subquery())

    uit_leerpunten = bron(
        select(
            Leerpunt.id.label("id"),
            literal("leerpunt", String).label("bron"),
            Leerpunt.tekst.label("tekst"),
            Leerpunt.voor_wie.label("voor_wie"),
            literal(None, Uuid).label("regel_id"),
            literal(None, String).label("grondslag"),
            literal(None, String).label("risico"),
            Leerpunt.signaal_status.label("signaal_status"),
            Leerpunt.aangemaakt_op.label("gemeld_op"),
        ).where(Leerpunt.soort == LeerpuntSoort.systeem),
        Leerpunt.aangemaakt_op,
        Leerpunt.id,
        Leerpunt.signaal_status,
    )
    uit_afwijkingen = bron(
        select(
            Afwijking.id.label("id"),
            literal("afwijking", String).label("bron"),
            literal(None, Text).label("tekst"),
            literal(None, String).label("voor_wie"),
            Afwijking.regel_id.label("regel_id"),
            Afwijking.grondslag.label("grondslag"),
            Afwijking.risico.label("risico"),
            Afwijking.signaal_status.label("signaal_status"),
            Afwijking.aangemaakt_op.label("gemeld_op"),
        ).where(
            Afwijking.beleidssignaal.is_(True), Afwijking.status != AfwijkingStatus.ingetrokken
        ),
        Afwijking.aangemaakt_op,
        Afwijking.id,
        Afwijking.signaal_status,
    )
    signalen = union_all(uit_leerpunten, uit_afwijkingen).subquery("signalen")
    stmt = select(
        signalen, Regel.titel.label("regel_titel"), Regel.regeling, Regel.artikel
    ).outerjoin(Regel, Regel.id == signalen.c.regel_id)
    sleutels = [
        Sleutel(signalen.c.gemeld_op, aflopend=True),
        Sleutel(signalen.c.id, aflopend=True),
    ]
    return (await session.execute(pagineer_select(stmt, sleutels, vraag))).all()
