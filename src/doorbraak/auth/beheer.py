"""Token management outside a request (CLI)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from doorbraak.auth.tokens import nieuw_token, token_hash
from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker, utcnow
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import ApiToken, Medewerker


async def token_aanmaken(
    settings: Settings, medewerker: str, naam: str, verloopt_op: dt.datetime | None
) -> str:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            try:
                voorwaarde = Medewerker.id == uuid.UUID(medewerker)
            except ValueError:
                voorwaarde = Medewerker.email == medewerker.lower()
            gevonden = await session.scalar(select(Medewerker).where(voorwaarde))
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
                session,
                [
                    Logboekregel(
                        "token.aangemaakt",
                        "api_token",
                        str(rij.id),
                        "succes",
                        actor=None,
                        oorsprong="cli",
                    )
                ],
            )
            await session.commit()
            return token
    finally:
        await engine.dispose()


async def token_intrekken(settings: Settings, token_id: uuid.UUID) -> bool:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            rij = await session.get(ApiToken, token_id)
            if rij is None:
                return False
            rij.ingetrokken_op = utcnow()
            await logboek.toevoegen(
                session,
                [
                    Logboekregel(
                        "token.ingetrokken",
                        "api_token",
                        str(rij.id),
                        "succes",
                        actor=None,
                        oorsprong="cli",
                    )
                ],
            )
            await session.commit()
            return True
    finally:
        await engine.dispose()
