"""Logboek tasks outside a request (CLI): verify against the newest checkpoint, write one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.config import Settings
from doorbraak.logboek import anker, repository
from doorbraak.logboek.service import Verificatie
from doorbraak.logboek.service import verifieer as verifieer_keten
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.werk.systeem import Omgeving


async def verifieer_met_checkpoint(
    session: AsyncSession, settings: Settings, extra_bronnen: list[Path] | None = None
) -> Verificatie:
    """The chain against the newest valid checkpoint of the configured folder (and of any
    further files or JSON logs given). A checkpoint whose signature fails is a finding too."""
    sleutels = sleutelring(settings)
    database_id = await repository.database_id(session)
    gelezen = anker.lees([settings.logboek_ankermap, *(extra_bronnen or [])], sleutels, database_id)
    uitkomst = await verifieer_keten(session, sleutels, gelezen.checkpoint)
    if database_id is None:
        # Only the tables' owner can remove it; without it no checkpoint can be matched.
        uitkomst.geldig = False
        uitkomst.reden = uitkomst.reden or "identiteit van de database ontbreekt (installatie)"
    if gelezen.andere_database:
        uitkomst.opmerkingen.append(
            f"{gelezen.andere_database} checkpoint(s) van een andere database overgeslagen"
        )
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


async def verifieer(omg: Omgeving, extra_bronnen: list[Path] | None = None) -> Verificatie:
    """A read: the unit of work rolls back and adds nothing to the chain it checks."""
    async with omg.als(None, "logboek.verifieer", droog=True) as ctx:
        return await verifieer_met_checkpoint(ctx.session, omg.settings, extra_bronnen)


async def checkpoint(omg: Omgeving) -> tuple[anker.Checkpoint, Path]:
    async with omg.als(None, "logboek.checkpoint", droog=True) as ctx:
        nieuw = await anker.maak(ctx.session, sleutelring(omg.settings))
    return nieuw, anker.bewaar(nieuw, omg.settings.logboek_ankermap)
