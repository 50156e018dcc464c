"""Organisation tasks outside a request (CLI): the first beheerder of an empty database.

Through the API a medewerker is created by a beheerder, so the very first one needs another way
in; an operator runs `doorbraak medewerker aanmaken ... --rol beheerder` once, then hands out an
API token (`doorbraak token create`) or links the OIDC subject (`--oidc-sub`). One unit of work
(`werk/systeem.py`, oorsprong cli) with its logboek entries.
"""

from __future__ import annotations

import uuid

from doorbraak.models import Afdeling, Medewerker
from doorbraak.models.enums import Rol
from doorbraak.organisatie import repository
from doorbraak.werk.systeem import Omgeving


async def medewerker_aanmaken(
    omg: Omgeving,
    *,
    naam: str,
    email: str,
    afdeling: str,
    afdeling_naam: str | None,
    rollen: list[Rol],
    oidc_sub: str | None = None,
) -> uuid.UUID:
    async with omg.als(None, "medewerker.aangemaakt", object_soort="medewerker") as ctx:
        session = ctx.session
        if await repository.afdeling(session, afdeling) is None:
            if not afdeling_naam:
                raise SystemExit(
                    f"onbekende afdeling {afdeling}: geef --afdeling-naam om haar aan te maken"
                )
            session.add(Afdeling(code=afdeling, naam=afdeling_naam, actief=True))
            ctx.logboek("afdeling.aangemaakt", "afdeling", afdeling)
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
        ctx.onderwerp("medewerker", medewerker.id)
    return medewerker.id
