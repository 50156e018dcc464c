"""Logboek tasks outside a request (CLI): verify against the newest checkpoint, write one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.logboek import anker
from doorbraak.logboek.service import Verificatie
from doorbraak.logboek.service import verifieer as verifieer_keten
from doorbraak.logboek.sleutels import sleutelring


async def verifieer_met_checkpoint(
    session: AsyncSession, settings: Settings, extra_bronnen: list[Path] | None = None
) -> Verificatie:
    """The chain against the newest valid checkpoint of the configured folder (and of any
    further files or JSON logs given). A checkpoint whose signature fails is a finding too."""
    sleutels = sleutelring(settings)
    gelezen = anker.lees([settings.logboek_ankermap, *(extra_bronnen or [])], sleutels)
    uitkomst = await verifieer_keten(session, sleutels, gelezen.checkpoint)
    if gelezen.checkpoint is None:
        uitkomst.opmerkingen.append(
            "geen checkpoint gevonden: afkappen en wissen zijn niet uit te sluiten"
        )
    if gelezen.ongeldig:
        uitkomst.opmerkingen.extend(f"ongeldig checkpoint {o}" for o in gelezen.ongeldig)
        if uitkomst.geldig:
            uitkomst.geldig = False
            uitkomst.reden = f"ongeldig checkpoint: {gelezen.ongeldig[0]}"
    return uitkomst


async def verifieer(settings: Settings, extra_bronnen: list[Path] | None = None) -> Verificatie:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await verifieer_met_checkpoint(session, settings, extra_bronnen)
    finally:
        await engine.dispose()


async def checkpoint(settings: Settings) -> tuple[anker.Checkpoint, Path]:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            nieuw = await anker.maak(session, sleutelring(settings))
        return nieuw, anker.bewaar(nieuw, settings.logboek_ankermap)
    finally:
        await engine.dispose()
