"""Demo data: the afdelingen, a medewerker for every role, and the leaking home of api.md.

Loaded once (`doorbraak demo` does nothing when afdelingen exist). Everything goes through the
services, so the demo has the same tijdlijn and logboek as real use. The demo tokens are public
knowledge and only accepted in development mode.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.auth.tokens import token_hash
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import CasusNieuw
from doorbraak.config import Settings
from doorbraak.db import create_engine, create_sessionmaker
from doorbraak.kit.systeem import als
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import Afdeling, ApiToken, Medewerker

AFDELINGEN = {
    "vastgoed": "Vastgoed",
    "sociaal-domein": "Sociaal Domein",
    "schuldhulp": "Schuldhulp",
    "wonen": "Wonen",
    "werk-en-inkomen": "Werk en Inkomen",
}


@dataclass(frozen=True)
class DemoMedewerker:
    sleutel: str
    naam: str
    afdeling: str
    rollen: tuple[str, ...]
    mandaat_cent: int = 0
    mandaat_risico: str | None = None

    @property
    def token(self) -> str:
        return f"demo-{self.sleutel}"

    @property
    def email(self) -> str:
        return f"{self.sleutel}@gemeente.example"


MEDEWERKERS = [
    DemoMedewerker("sanne", "Sanne de Vries", "sociaal-domein", ("medewerker",)),
    DemoMedewerker("karim", "Karim El Amrani", "sociaal-domein", ("medewerker", "casusregisseur")),
    DemoMedewerker("eva", "Eva Mulder", "schuldhulp", ("medewerker", "casusregisseur")),
    DemoMedewerker("joost", "Joost Bakker", "vastgoed", ("medewerker",)),
    DemoMedewerker(
        "marieke", "Marieke Jansen", "vastgoed", ("leidinggevende",), 2_500_000, "midden"
    ),
    DemoMedewerker(
        "peter",
        "Peter Visser",
        "sociaal-domein",
        ("leidinggevende", "casusregisseur"),
        10_000_000,
        "hoog",
    ),
    DemoMedewerker("fatima", "Fatima Yilmaz", "werk-en-inkomen", ("beleid",)),
    DemoMedewerker("lotte", "Lotte Smit", "wonen", ("auditor",)),
    DemoMedewerker("bram", "Bram de Boer", "wonen", ("beheerder",)),
]

# Valid under the 11-proef, and never real: used to prove BSNs do not leak.
DEMO_BSNS = ("111222333", "123456782")


def medewerker_id(sleutel: str) -> uuid.UUID:
    """Stable ids, so demo tokens and links survive a fresh database."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.nl/demo/medewerker/{sleutel}")


async def laden(settings: Settings) -> int:
    engine = create_engine(settings)
    maker = create_sessionmaker(engine)
    try:
        async with maker() as session:
            if await session.scalar(select(func.count()).select_from(Afdeling)):
                print("demo-data staan er al; niets gedaan")
                _print_tokens()
                return 0
            await organisatie_laden(session)
            await session.commit()
        await casussen_laden(maker)
        print("demo-data geladen")
        _print_tokens()
        return 0
    finally:
        await engine.dispose()


async def organisatie_laden(session: AsyncSession) -> None:
    for code, naam in AFDELINGEN.items():
        session.add(Afdeling(code=code, naam=naam, actief=True))
    await session.flush()
    for m in MEDEWERKERS:
        mid = medewerker_id(m.sleutel)
        session.add(
            Medewerker(
                id=mid,
                naam=m.naam,
                email=m.email,
                afdeling_code=m.afdeling,
                rollen=list(m.rollen),
                mandaat_max_bedrag_cent=m.mandaat_cent,
                mandaat_max_risico=m.mandaat_risico,
                actief=True,
            )
        )
        await session.flush()
        session.add(ApiToken(medewerker_id=mid, naam="demo", token_hash=token_hash(m.token)))
    await session.flush()
    await logboek.toevoegen(
        session, [Logboekregel("demo.organisatie", "demo", None, "succes", oorsprong="cli")]
    )


async def casussen_laden(maker: async_sessionmaker[AsyncSession]) -> None:
    sanne = medewerker_id("sanne")
    async with als(maker, sanne, "demo.casus") as ctx:
        await casussen.aanmelden(
            ctx,
            CasusNieuw.model_validate(
                {
                    "titel": "Lekkende huurwoning, gezin in de kou",
                    "situatie": (
                        "Het dak van de huurwoning lekt sinds september. Vastgoed wil eerst een rapport en "
                        "een duurzaam plan; Sociaal Domein wil het deze week opgelost, want het gezin met "
                        "drie kinderen zit in de kou en de kinderen verzuimen school."
                    ),
                    "urgentie": "hoog",
                    "huishoudenNaam": "Familie Demir",
                    "bsn": DEMO_BSNS[0],
                }
            ),
        )


def _print_tokens() -> None:
    print("Demo-tokens (alleen in ontwikkelmodus):")
    for m in MEDEWERKERS:
        print(f"  {m.token:<16} {m.naam} ({', '.join(m.rollen)}, {m.afdeling})")
