"""Every SQL statement of the web frontend: sessions, the Mijn werk lists, the dashboard series."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.auth import policy
from doorbraak.kit.pagination import Rij
from doorbraak.models import Afwijking, Besluit, Casus, Deelname, Medewerker, Reactie, WebSessie
from doorbraak.models.enums import BesluitStatus, Fase

# --- sessions ----------------------------------------------------------------------------------


async def sessie(session: AsyncSession, token_hash: str, nu: dt.datetime) -> WebSessie | None:
    stmt = select(WebSessie).where(WebSessie.token_hash == token_hash, WebSessie.verloopt_op > nu)
    return (await session.scalars(stmt)).one_or_none()


async def sessie_verwijderen(session: AsyncSession, token_hash: str) -> None:
    await session.execute(delete(WebSessie).where(WebSessie.token_hash == token_hash))


async def verlopen_sessies_opruimen(session: AsyncSession, nu: dt.datetime) -> None:
    await session.execute(delete(WebSessie).where(WebSessie.verloopt_op <= nu))


async def medewerker(session: AsyncSession, medewerker_id: uuid.UUID) -> Medewerker | None:
    return await session.get(Medewerker, medewerker_id)


async def actieve_medewerkers(
    session: AsyncSession, ids: set[uuid.UUID] | None = None
) -> Sequence[Medewerker]:
    stmt = select(Medewerker).where(Medewerker.actief.is_(True)).order_by(Medewerker.naam)
    if ids is not None:
        stmt = stmt.where(Medewerker.id.in_(ids))
    return (await session.scalars(stmt)).all()


# --- Mijn werk ---------------------------------------------------------------------------------


async def mijn_casussen(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Open casussen where the actor is regiehouder or on the casusteam (newest first)."""
    stmt = (
        select(
            Casus.kenmerk,
            Casus.titel,
            Casus.fase,
            Casus.urgentie,
            Casus.besluit_uiterlijk_datum,
            (Casus.regiehouder_id == actor.id).label("is_regiehouder"),
        )
        .where(
            Casus.fase != Fase.afgesloten,
            or_(
                Casus.regiehouder_id == actor.id,
                Casus.aanmelder_id == actor.id,
                policy.is_contactpersoon(actor),
                policy.is_expliciet_lid(actor),
            ),
        )
        .order_by(Casus.id.desc())
        .limit(100)
    )
    return (await session.execute(stmt)).all()


async def wachten_op_reactie(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Concept besluiten in visible casussen where the actor's afdeling takes part and has not
    reacted yet (regie, not a signature chain: a reactie is asked for, never required)."""
    stmt = (
        select(Besluit.id, Besluit.omschrijving, Casus.kenmerk, Casus.titel)
        .join(Casus, Casus.id == Besluit.casus_id)
        .where(
            Besluit.status == BesluitStatus.concept,
            Casus.fase != Fase.afgesloten,
            policy.zichtbare_casussen(actor),
            exists().where(
                Deelname.casus_id == Casus.id, Deelname.afdeling_code == actor.afdeling_code
            ),
            ~exists().where(
                Reactie.besluit_id == Besluit.id, Reactie.afdeling_code == actor.afdeling_code
            ),
        )
        .order_by(Besluit.aangemaakt_op)
        .limit(100)
    )
    return (await session.execute(stmt)).all()


async def wachten_op_rugdekking(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Afwijkingen on visible casussen the actor may cover now: the policy's rugdekking rule
    as SQL (`policy.rugdekking_mogelijk`), the same one the casus page and the API apply."""
    if not policy.kan_rugdekking_geven(actor):
        return []
    stmt = (
        select(
            Afwijking.id,
            Afwijking.wat_we_doen,
            Afwijking.risico,
            Afwijking.financieel_belang_cent,
            Casus.kenmerk,
            Casus.titel,
        )
        .join(Casus, Casus.id == Afwijking.casus_id)
        .where(policy.zichtbare_casussen(actor), policy.rugdekking_mogelijk(actor))
        .order_by(Afwijking.aangemaakt_op)
        .limit(100)
    )
    return (await session.execute(stmt)).all()
