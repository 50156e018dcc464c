"""Token management outside a request (CLI). The token itself is shown once and never stored.

Each command is one unit of work of `werk/systeem.py` (system actor, oorsprong cli): it opens the
session, writes the logboek entries and commits once. Making and revoking are the functions the
API and the web use (`auth/service.py`); the CLI only finds the medewerker by id or e-mail."""

from __future__ import annotations

import datetime as dt
import uuid

from doorbraak.auth import repository, service
from doorbraak.auth.repository import TokenRegel
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.werk.systeem import Omgeving


async def token_aanmaken(
    omg: Omgeving, medewerker: str, naam: str, verloopt_op: dt.datetime | None
) -> tuple[uuid.UUID, str]:
    """A new token for a medewerker (id or e-mail): returns its id and the token itself."""
    async with omg.als(None, "cli token create", object_soort="api_token") as ctx:
        gevonden = await repository.medewerker_bij_id_of_email(ctx.session, medewerker)
        if gevonden is None:
            raise SystemExit(f"onbekende medewerker: {medewerker}")
        try:
            nieuw = await service.token_aanmaken(ctx, gevonden.id, naam, verloopt_op)
        except OngeldigeInvoer as exc:
            raise SystemExit(f"weigering: {exc.detail} {exc.extra.get('invalidParams')}") from None
        ctx.onderwerp("api_token", nieuw.rij.id)
    return nieuw.rij.id, nieuw.token


async def token_intrekken(omg: Omgeving, token_id: uuid.UUID) -> bool:
    """False for an unknown token; an already revoked one stays as it is (True)."""
    async with omg.als(None, "cli token revoke", object_soort="api_token") as ctx:
        ctx.onderwerp("api_token", token_id)
        try:
            await service.token_intrekken(ctx, token_id)
        except NietGevonden:
            ctx.afzien()
            return False
        except Conflict:
            ctx.afzien()
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
