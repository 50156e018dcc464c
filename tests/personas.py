"""The people of the tests: afdelingen and medewerkers made by a small factory, independent of the
demo module (the demo may change its people without touching a test).

The standard organisation is the one the tests were written against: sanne (medewerker), karim
and eva (casusregisseurs), joost (medewerker at vastgoed), marieke and peter (leidinggevenden with
a mandaat), fatima (beleid), lotte (auditor) and bram (beheerder). Every persona has the API token
`demo-<sleutel>` (accepted in DOORBRAAK_AUTH_MODE=dev, as the tests run). Ids are derived from the
sleutel the same way the demo derives them, so the demo's casussen can be loaded on top of this
organisation by the tests of the demo and the export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.auth.tokens import token_hash
from doorbraak.models import Afdeling, ApiToken, Medewerker
from doorbraak.models.enums import Risico, Rol

AFDELINGEN = {
    "vastgoed": "Vastgoed",
    "sociaal-domein": "Sociaal Domein",
    "schuldhulp": "Schuldhulp",
    "wonen": "Wonen",
    "werk-en-inkomen": "Werk en Inkomen",
}


@dataclass(frozen=True)
class Persona:
    sleutel: str
    naam: str
    afdeling: str
    rollen: tuple[Rol, ...]
    mandaat_cent: int = 0
    mandaat_risico: Risico | None = None

    @property
    def id(self) -> uuid.UUID:
        return medewerker_id(self.sleutel)

    @property
    def token(self) -> str:
        return f"demo-{self.sleutel}"

    @property
    def email(self) -> str:
        return f"{self.sleutel}@gemeente.example"


PERSONAS = [
    Persona("sanne", "Sanne de Vries", "sociaal-domein", (Rol.medewerker,)),
    Persona("karim", "Karim El Amrani", "sociaal-domein", (Rol.medewerker, Rol.casusregisseur)),
    Persona("eva", "Eva Mulder", "schuldhulp", (Rol.medewerker, Rol.casusregisseur)),
    Persona("joost", "Joost Bakker", "vastgoed", (Rol.medewerker,)),
    Persona(
        "marieke", "Marieke Jansen", "vastgoed", (Rol.leidinggevende,), 2_500_000, Risico.midden
    ),
    Persona(
        "peter",
        "Peter Visser",
        "sociaal-domein",
        (Rol.leidinggevende, Rol.casusregisseur),
        10_000_000,
        Risico.hoog,
    ),
    Persona("fatima", "Fatima Yilmaz", "werk-en-inkomen", (Rol.beleid,)),
    Persona("lotte", "Lotte Smit", "wonen", (Rol.auditor,)),
    Persona("bram", "Bram de Boer", "wonen", (Rol.beheerder,)),
]
PER_SLEUTEL = {p.sleutel: p for p in PERSONAS}


def medewerker_id(sleutel: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.nl/demo/medewerker/{sleutel}")


async def afdeling(session: AsyncSession, code: str, naam: str | None = None) -> Afdeling:
    nieuw = Afdeling(code=code, naam=naam or code.capitalize(), actief=True)
    session.add(nieuw)
    await session.flush()
    return nieuw


async def medewerker(session: AsyncSession, persona: Persona) -> Medewerker:
    """The medewerker of `persona`, with its API token."""
    nieuw = Medewerker(
        id=persona.id,
        naam=persona.naam,
        email=persona.email,
        afdeling_code=persona.afdeling,
        rollen=list(persona.rollen),
        mandaat_max_bedrag_cent=persona.mandaat_cent,
        mandaat_max_risico=persona.mandaat_risico,
        actief=True,
    )
    session.add(nieuw)
    await session.flush()
    session.add(ApiToken(medewerker_id=nieuw.id, naam="test", token_hash=token_hash(persona.token)))
    await session.flush()
    return nieuw


async def organisatie(session: AsyncSession) -> None:
    """The standard organisation: every afdeling and every persona."""
    for code, naam in AFDELINGEN.items():
        await afdeling(session, code, naam)
    for persona in PERSONAS:
        await medewerker(session, persona)
