"""Token management outside a request (CLI). The token itself is shown once and never stored.

Each command is one unit of work of `werk/systeem.py` (system actor, oorsprong cli): it opens the
session, writes the logboek entry and commits once."""

from __future__ import annotations

import datetime as dt
import uuid

from doorbraak.auth import repository
from doorbraak.auth.repository import TokenRegel
from doorbraak.auth.tokens import nieuw_token, token_hash
from doorbraak.db import utcnow
from doorbraak.models import ApiToken
from doorbraak.werk.systeem import Omgeving


async def token_aanmaken(
    omg: Omgeving, medewerker: str, naam: str, verloopt_op: dt.datetime | None
) -> tuple[uuid.UUID, str]:
    """A new token for a medewerker (id or e-mail): returns its id and the token itself."""
    async with omg.als(None, "token.aangemaakt", object_soort="api_token") as ctx:
        gevonden = await repository.medewerker_bij_id_of_email(ctx.session, medewerker)
        if gevonden is None:
            raise SystemExit(f"onbekende medewerker: {medewerker}")
        token = nieuw_token()
        rij = ApiToken(
            medewerker_id=gevonden.id,
            naam=naam,
            token_hash=token_hash(token),
            verloopt_op=verloopt_op,
        )
        ctx.session.add(rij)
        await ctx.session.flush()
        ctx.onderwerp("api_token", rij.id)
    return rij.id, token


async def token_intrekken(omg: Omgeving, token_id: uuid.UUID) -> bool:
    async with omg.als(None, "token.ingetrokken", object_soort="api_token") as ctx:
        rij = await repository.api_token(ctx.session, token_id)
        if rij is None:
            ctx.afzien()
            return False
        if rij.ingetrokken_op is None:
            rij.ingetrokken_op = utcnow()
        ctx.onderwerp("api_token", rij.id)
    return True


async def token_lijst(omg: Omgeving, medewerker: str | None) -> list[TokenRegel]:
    async with omg.als(None, "token.lijst", droog=True) as ctx:
        medewerker_id = None
        if medewerker is not None:
            gevonden = await repository.medewerker_bij_id_of_email(ctx.session, medewerker)
            if gevonden is None:
                raise SystemExit(f"onbekende medewerker: {medewerker}")
            medewerker_id = gevonden.id
        return await repository.tokens(ctx.session, medewerker_id)
