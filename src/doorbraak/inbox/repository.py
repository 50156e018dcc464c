"""Every query of the inbox: one per kind of item, each within the policy's visibility rule
(`policy.zichtbare_casussen`) and, where the work is a decision, within the rule that says who
may take it. Each returns rows of (id, kenmerk, uiterlijk, sinds), at most `PER_BRON`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from doorbraak.auth import policy
from doorbraak.kit.pagination import Rij
from doorbraak.models import (
    Afwijking,
    Besluit,
    Casus,
    Deelname,
    Escalatie,
    Leerpunt,
    Medewerker,
    Notitie,
    Overslag,
    Reactie,
    Stap,
    Vermelding,
)
from doorbraak.models.enums import (
    BesluitStatus,
    EscalatieNiveau,
    Fase,
    LeerpuntSoort,
    Rol,
    StapStatus,
)

# A source never returns more than this: an inbox is a to-do list, not a register.
PER_BRON = 200


async def _rijen(session: AsyncSession, stmt: object) -> Sequence[Rij]:
    return (await session.execute(stmt.limit(PER_BRON))).all()  # type: ignore[attr-defined]


async def stappen_te_laat(
    session: AsyncSession, actor: Medewerker, grens: dt.date
) -> Sequence[Rij]:
    """The actor's own open steps whose deadline is on or before `grens` (the last working day
    before today): overdue in working days."""
    stmt = (
        select(
            Stap.id.label("id"),
            Casus.kenmerk,
            Stap.deadline_datum.label("uiterlijk"),
            Stap.aangemaakt_op.label("sinds"),
        )
        .join(Casus, Casus.id == Stap.casus_id)
        .where(
            Stap.eigenaar_id == actor.id,
            Stap.status.in_((StapStatus.open, StapStatus.bezig)),
            Stap.deadline_datum <= grens,
            Casus.fase != Fase.afgesloten,
            policy.zichtbare_casussen(actor),
        )
        .order_by(Stap.deadline_datum, Stap.id)
    )
    return await _rijen(session, stmt)


async def besluit_uiterlijk(
    session: AsyncSession, actor: Medewerker, grens: dt.date
) -> Sequence[Rij]:
    """Open casussen of which the actor holds regie (or, while nobody does, registered them)
    without a vastgesteld besluit yet, whose besluit uiterlijk is on or before `grens`."""
    stmt = (
        select(
            Casus.kenmerk.label("id"),
            Casus.kenmerk,
            Casus.besluit_uiterlijk_datum.label("uiterlijk"),
            Casus.aangemeld_op.label("sinds"),
        )
        .where(
            or_(
                Casus.regiehouder_id == actor.id,
                and_(Casus.regiehouder_id.is_(None), Casus.aanmelder_id == actor.id),
            ),
            Casus.fase != Fase.afgesloten,
            Casus.besluit_uiterlijk_datum <= grens,
            ~exists().where(Besluit.casus_id == Casus.id, Besluit.vastgesteld_op.is_not(None)),
        )
        .order_by(Casus.besluit_uiterlijk_datum, Casus.id)
    )
    return await _rijen(session, stmt)


async def reacties_gevraagd(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Concept besluiten on which an afdeling the actor may react for (their own, or one they
    are the contactpersoon of: `policy.mag_reageren`) has neither reacted nor been passed over."""
    # An alias: the visibility rule has its own EXISTS over deelnames.
    deelname = aliased(Deelname)
    stmt = (
        select(
            Besluit.id.label("id"),
            Casus.kenmerk,
            literal(None).label("uiterlijk"),
            Besluit.aangemaakt_op.label("sinds"),
        )
        .join(Casus, Casus.id == Besluit.casus_id)
        .join(deelname, deelname.casus_id == Casus.id)
        .where(
            Besluit.status == BesluitStatus.concept,
            Casus.fase != Fase.afgesloten,
            policy.zichtbare_casussen(actor),
            or_(
                deelname.afdeling_code == actor.afdeling_code,
                deelname.contactpersoon_id == actor.id,
            ),
            ~exists().where(
                Reactie.besluit_id == Besluit.id, Reactie.afdeling_code == deelname.afdeling_code
            ),
            ~exists().where(
                Overslag.besluit_id == Besluit.id, Overslag.afdeling_code == deelname.afdeling_code
            ),
        )
        .distinct()
        .order_by(Besluit.aangemaakt_op, Besluit.id)
    )
    return await _rijen(session, stmt)


async def rugdekking_gevraagd(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Afwijkingen the actor may cover now (`policy.rugdekking_mogelijk`)."""
    if not policy.kan_rugdekking_geven(actor):
        return []
    stmt = (
        select(
            Afwijking.id.label("id"),
            Casus.kenmerk,
            literal(None).label("uiterlijk"),
            Afwijking.aangemaakt_op.label("sinds"),
        )
        .join(Casus, Casus.id == Afwijking.casus_id)
        .where(policy.zichtbare_casussen(actor), policy.rugdekking_mogelijk(actor))
        .order_by(Afwijking.aangemaakt_op, Afwijking.id)
    )
    return await _rijen(session, stmt)


async def escalaties_af_te_handelen(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Escalaties without an outcome on open casussen where the actor, a leidinggevende on the
    casus, may record it (`policy.escalatie_uitkomst_recht`: not one's own at bestuur or the
    national loket). A landelijk one waits until the loket's expected answer."""
    if Rol.leidinggevende not in actor.rollen:
        return []
    eigen = or_(Casus.regiehouder_id == actor.id, Escalatie.aangevraagd_door_id == actor.id)
    stmt = (
        select(
            Escalatie.id.label("id"),
            Casus.kenmerk,
            Escalatie.loket_antwoord_verwacht.label("uiterlijk"),
            Escalatie.aangevraagd_op.label("sinds"),
        )
        .join(Casus, Casus.id == Escalatie.casus_id)
        .where(
            Escalatie.uitkomst_soort.is_(None),
            Casus.fase != Fase.afgesloten,
            policy.zichtbare_casussen(actor),
            ~and_(
                Escalatie.niveau.in_((EscalatieNiveau.bestuur, EscalatieNiveau.landelijk)), eigen
            ),
        )
        .order_by(Escalatie.aangevraagd_op, Escalatie.id)
    )
    return await _rijen(session, stmt)


async def verhalen_te_beoordelen(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Verhalen waiting for a second medewerker's approval on casussen the actor works on, not
    written or proposed by the actor (`policy.mag_verhaal_goedkeuren`)."""
    stmt = (
        select(
            Leerpunt.id.label("id"),
            Casus.kenmerk,
            literal(None).label("uiterlijk"),
            Leerpunt.aangemaakt_op.label("sinds"),
        )
        .join(Casus, Casus.id == Leerpunt.casus_id)
        .where(
            Leerpunt.soort == LeerpuntSoort.succes,
            Leerpunt.delen.is_(True),
            Leerpunt.gedeeld_op.is_(None),
            or_(Leerpunt.auteur_id.is_(None), Leerpunt.auteur_id != actor.id),
            or_(Leerpunt.gedeeld_door_id.is_(None), Leerpunt.gedeeld_door_id != actor.id),
            policy.zichtbare_casussen(actor),
        )
        .order_by(Leerpunt.aangemaakt_op, Leerpunt.id)
    )
    return await _rijen(session, stmt)


async def zonder_regiehouder(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """For a leidinggevende: open casussen they see that nobody holds regie of."""
    if Rol.leidinggevende not in actor.rollen:
        return []
    stmt = (
        select(
            Casus.kenmerk.label("id"),
            Casus.kenmerk,
            literal(None).label("uiterlijk"),
            Casus.aangemeld_op.label("sinds"),
        )
        .where(
            Casus.regiehouder_id.is_(None),
            Casus.fase != Fase.afgesloten,
            policy.zichtbare_casussen(actor),
        )
        .order_by(Casus.aangemeld_op, Casus.id)
    )
    return await _rijen(session, stmt)


async def vermeldingen(session: AsyncSession, actor: Medewerker) -> Sequence[Rij]:
    """Notities on casussen the actor sees that mention them and that they have not marked seen."""
    stmt = (
        select(
            Notitie.id.label("id"),
            Casus.kenmerk,
            literal(None).label("uiterlijk"),
            Notitie.aangemaakt_op.label("sinds"),
        )
        .join(Vermelding, Vermelding.notitie_id == Notitie.id)
        .join(Casus, Casus.id == Notitie.casus_id)
        .where(
            Vermelding.medewerker_id == actor.id,
            Vermelding.gezien_op.is_(None),
            policy.zichtbare_casussen(actor),
        )
        .order_by(Notitie.aangemaakt_op, Notitie.id)
    )
    return await _rijen(session, stmt)
