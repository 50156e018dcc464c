"""Every query of authentication."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
