"""Every query of authentication."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.kit.pagination import PaginaVraag, Sleutel, pagineer_select
from doorbraak.models import ApiToken, Medewerker


async def medewerker_bij_token(
    session: AsyncSession, token_hash: str
) -> tuple[Medewerker, ApiToken] | None:
    rij = (
        await session.execute(
            select(Medewerker, ApiToken)
            .join(ApiToken, ApiToken.medewerker_id == Medewerker.id)
            .where(ApiToken.token_hash == token_hash)
        )
    ).first()
    return None if rij is None else (rij[0], rij[1])


async def medewerker_bij_oidc_sub(session: AsyncSession, sub: str) -> Medewerker | None:
    return await session.scalar(select(Medewerker).where(Medewerker.oidc_sub == sub))


async def medewerker_bij_email(session: AsyncSession, email: str) -> Medewerker | None:
    return await session.scalar(select(Medewerker).where(Medewerker.email == email.lower()))


async def medewerker_bij_id_of_email(session: AsyncSession, sleutel: str) -> Medewerker | None:
    try:
        voorwaarde = Medewerker.id == uuid.UUID(sleutel)
    except ValueError:
        voorwaarde = Medewerker.email == sleutel.lower()
    return await session.scalar(select(Medewerker).where(voorwaarde))


async def api_token(session: AsyncSession, token_id: uuid.UUID) -> ApiToken | None:
    return await session.get(ApiToken, token_id)


async def medewerker(session: AsyncSession, medewerker_id: uuid.UUID) -> Medewerker | None:
    return await session.get(Medewerker, medewerker_id)


TOKEN_SLEUTEL = [
    Sleutel(ApiToken.aangemaakt_op, aflopend=True),
    Sleutel(ApiToken.id, aflopend=True),
]


async def tokens_pagina(
    session: AsyncSession, vraag: PaginaVraag
) -> Sequence[Row[ApiToken, str, str]]:
    """Every token, newest first, with the name and afdeling of its medewerker: one query."""
    stmt = select(
        ApiToken,
        Medewerker.naam.label("medewerker_naam"),
        Medewerker.afdeling_code.label("medewerker_afdeling"),
    ).join(Medewerker, Medewerker.id == ApiToken.medewerker_id)
    return (await session.execute(pagineer_select(stmt, TOKEN_SLEUTEL, vraag))).all()


@dataclass(frozen=True)
class TokenRegel:
    id: uuid.UUID
    email: str
    naam: str
    aangemaakt_op: dt.datetime
    verloopt_op: dt.datetime | None
    ingetrokken_op: dt.datetime | None


async def tokens(session: AsyncSession, medewerker_id: uuid.UUID | None) -> list[TokenRegel]:
    stmt = (
        select(
            ApiToken.id,
            Medewerker.email,
            ApiToken.naam,
            ApiToken.aangemaakt_op,
            ApiToken.verloopt_op,
            ApiToken.ingetrokken_op,
        )
        .join(Medewerker, Medewerker.id == ApiToken.medewerker_id)
        .order_by(Medewerker.email, ApiToken.aangemaakt_op, ApiToken.id)
    )
    if medewerker_id is not None:
        stmt = stmt.where(ApiToken.medewerker_id == medewerker_id)
    return [TokenRegel(*rij) for rij in (await session.execute(stmt)).all()]
