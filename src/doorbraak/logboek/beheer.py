"""Logboek tasks outside a request (CLI)."""

from __future__ import annotations

from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.logboek.service import Verificatie
from doorbraak.logboek.service import verifieer as verifieer_keten


async def verifieer(settings: Settings) -> Verificatie:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await verifieer_keten(session)
    finally:
        await engine.dispose()
