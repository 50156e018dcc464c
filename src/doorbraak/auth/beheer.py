"""Token management outside a request (CLI). The token itself is shown once and never stored."""

from __future__ import annotations

import datetime as dt
import uuid

from doorbraak.auth import repository
from doorbraak.auth.repository import TokenRegel
from doorbraak.auth.tokens import nieuw_token, token_hash
from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker, utcnow
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import ApiToken


def _cli_regel(actie: str, token_id: uuid.UUID) -> Logboekregel:
    return Logboekregel(actie, "api_token", str(token_id), "succes", actor=None, oorsprong="cli")


async def token_aanmaken(
    settings: Settings, medewerker: str, naam: str, verloopt_op: dt.datetime | None
) -> tuple[uuid.UUID, str]:
    """A new token for a medewerker (id or e-mail): returns its id and the token itself."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            gevonden = await repository.medewerker_bij_id_of_email(session, medewerker)
            if gevonden is None:
                raise SystemExit(f"onbekende medewerker: {medewerker}")
            token = nieuw_token()
            rij = ApiToken(
                medewerker_id=gevonden.id,
                naam=naam,
                token_hash=token_hash(token),
                verloopt_op=verloopt_op,
            )
            session.add(rij)
            await session.flush()
            await logboek.toevoegen(
                session, [_cli_regel("token.aangemaakt", rij.id)], sleutelring(settings)
            )
            await session.commit()
            return rij.id, token
    finally:
        await engine.dispose()


async def token_intrekken(settings: Settings, token_id: uuid.UUID) -> bool:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            rij = await repository.api_token(session, token_id)
            if rij is None:
                return False
            if rij.ingetrokken_op is None:
                rij.ingetrokken_op = utcnow()
            await logboek.toevoegen(
                session, [_cli_regel("token.ingetrokken", rij.id)], sleutelring(settings)
            )
            await session.commit()
            return True
    finally:
        await engine.dispose()


async def token_lijst(settings: Settings, medewerker: str | None) -> list[TokenRegel]:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            medewerker_id = None
            if medewerker is not None:
                gevonden = await repository.medewerker_bij_id_of_email(session, medewerker)
                if gevonden is None:
                    raise SystemExit(f"onbekende medewerker: {medewerker}")
                medewerker_id = gevonden.id
            return await repository.tokens(session, medewerker_id)
    finally:
        await engine.dispose()
