"""Logboek tasks outside a request (CLI)."""

from __future__ import annotations

from doorbraak.logboek.service import Verificatie
from doorbraak.logboek.service import verifieer as verifieer_keten
from doorbraak.werk.systeem import Omgeving


async def verifieer(omg: Omgeving) -> Verificatie:
    """A read: the unit of work rolls back and adds nothing to the chain it checks."""
    async with omg.als(None, "logboek.verifieer", droog=True) as ctx:
        return await verifieer_keten(ctx.session)
