"""Closed vocabularies are typed in the code and checked by the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.models import Casus
from doorbraak.models.enums import Fase, Urgentie
from tests.conftest import Api
from tests.helpers import nieuwe_casus


async def test_a_column_gives_back_the_member_of_its_vocabulary(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    kenmerk = (await nieuwe_casus(api("sanne")))["kenmerk"]
    async with db() as session:
        casus = await session.scalar(select(Casus).where(Casus.kenmerk == kenmerk))
        assert casus is not None
        assert casus.fase is Fase.aangemeld
        assert casus.urgentie is Urgentie.hoog


async def test_the_database_refuses_a_value_outside_the_vocabulary(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    kenmerk = (await nieuwe_casus(api("sanne")))["kenmerk"]
    async with db() as session:
        with pytest.raises(sa_exc.IntegrityError):
            await session.execute(
                text("UPDATE casussen SET fase = 'ergens' WHERE kenmerk = :k"), {"k": kenmerk}
            )
        await session.rollback()


async def test_the_code_refuses_a_value_outside_the_vocabulary(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    kenmerk = (await nieuwe_casus(api("sanne")))["kenmerk"]
    async with db() as session:
        casus = await session.scalar(select(Casus).where(Casus.kenmerk == kenmerk))
        assert casus is not None
        casus.fase = "ergens"  # type: ignore[assignment]
        with pytest.raises(sa_exc.StatementError):
            await session.flush()
        await session.rollback()
