"""Organisation tasks outside a request (CLI): the first beheerder of an empty database.

Through the API a medewerker is created by a beheerder, so the very first one needs another way
in; an operator runs `doorbraak medewerker aanmaken ... --rol beheerder` once, then hands out an
API token (`doorbraak token create`) or links the OIDC subject (`--oidc-sub`).
"""

from __future__ import annotations

import uuid

from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.logboek.sleutels import sleutelring
from doorbraak.models import Afdeling, Medewerker
from doorbraak.models.enums import Rol
from doorbraak.organisatie import repository


async def medewerker_aanmaken(
    settings: Settings,
    *,
    naam: str,
    email: str,
    afdeling: str,
    afdeling_naam: str | None,
    rollen: list[Rol],
    oidc_sub: str | None = None,
) -> uuid.UUID:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            regels: list[Logboekregel] = []
            if await repository.afdeling(session, afdeling) is None:
                if not afdeling_naam:
                    raise SystemExit(
                        f"onbekende afdeling {afdeling}: geef --afdeling-naam om haar aan te maken"
                    )
                session.add(Afdeling(code=afdeling, naam=afdeling_naam, actief=True))
                regels.append(
                    Logboekregel(
                        "afdeling.aangemaakt", "afdeling", afdeling, "succes", oorsprong="cli"
                    )
                )
            if await repository.medewerker_bij_email(session, email.lower()) is not None:
                raise SystemExit(f"er bestaat al een medewerker met e-mail {email}")
            medewerker = Medewerker(
                naam=naam,
                email=email.lower(),
                afdeling_code=afdeling,
                rollen=list(rollen),
                oidc_sub=oidc_sub,
                actief=True,
            )
            session.add(medewerker)
            await session.flush()
            regels.append(
                Logboekregel(
                    "medewerker.aangemaakt",
                    "medewerker",
                    str(medewerker.id),
                    "succes",
                    oorsprong="cli",
                )
            )
            await logboek.toevoegen(session, regels, sleutelring(settings))
            await session.commit()
            return medewerker.id
    finally:
        await engine.dispose()
