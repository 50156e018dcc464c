"""The read side of regie: the regievoeringen, deelnames and escalaties (with what they concern,
their outcome and corrections) of a casus, built here once for the API endpoints and the web
pages. No rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.kit.schema import EscalatieActies, WijzigVerwijderActies
from doorbraak.maatwerk import repository as maatwerk_repository
from doorbraak.models import Deelname, Escalatie, Regievoering
from doorbraak.organisatie.service import Personen
from doorbraak.regie import repository
from doorbraak.regie.schemas import (
    BetreftUit,
    DeelnameUit,
    EscalatieUit,
    LoketUit,
    RegieUit,
    RegievoeringUit,
    UitkomstUit,
)
from doorbraak.werk.context import Werkcontext


def _regievoering(r: Regievoering, p: Personen) -> RegievoeringUit:
    return RegievoeringUit(
        id=r.id,
        medewerker=p.vereist(r.medewerker_id),
        van=r.van,
        tot=r.tot,
        reden=r.reden,
        overdrachtsnotitie=r.overdrachtsnotitie,
        toegewezen_door=p.vereist(r.toegewezen_door_id),
    )


async def regie(ctx: Werkcontext, toegang: CasusToegang) -> RegieUit:
    voeringen = await repository.regievoeringen(ctx.session, toegang.casus.id)
    p = await Personen.laad(
        ctx, [i for r in voeringen for i in (r.medewerker_id, r.toegewezen_door_id)]
    )
    huidige = next((r for r in voeringen if r.tot is None), None)
    return RegieUit(
        huidige=_regievoering(huidige, p) if huidige else None,
        historie=[_regievoering(r, p) for r in voeringen],
    )


async def deelname(d: Deelname, ctx: Werkcontext, toegang: CasusToegang) -> DeelnameUit:
    p = await Personen.laad(ctx, [d.contactpersoon_id])
    return _deelname_uit(d, p, toegang)


def _deelname_uit(d: Deelname, p: Personen, toegang: CasusToegang) -> DeelnameUit:
    return DeelnameUit(
        id=d.id,
        afdeling=d.afdeling_code,
        contactpersoon=p.ref(d.contactpersoon_id),
        standpunt=d.standpunt,
        aangemaakt_op=d.aangemaakt_op,
        versie=d.versie,
        toegestane_acties=WijzigVerwijderActies.model_validate(toegang.onderdeel_acties),
    )


async def deelnames(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[DeelnameUit]:
    rijen = await repository.deelnames(ctx.session, toegang.casus.id, vraag)
    p = await Personen.laad(ctx, [d.contactpersoon_id for d in rijen])
    return Pagina(
        results=[_deelname_uit(d, p, toegang) for d in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda d: [d.aangemaakt_op, d.id]),
    )


def _escalatie(
    e: Escalatie,
    p: Personen,
    afwijkingen: dict[uuid.UUID, list[uuid.UUID]],
    correcties: dict[uuid.UUID, uuid.UUID],
    acties: policy.EscalatieActies,
) -> EscalatieUit:
    uitkomst = None
    if e.afgehandeld_op is not None:
        uitkomst = UitkomstUit(
            soort=e.uitkomst_soort,
            voorwaarden=e.voorwaarden,
            referentie=e.referentie,
            toelichting=e.uitkomst,
            door=p.ref(e.afgehandeld_door_id),
            op=e.afgehandeld_op,
        )
    loket = None
    if e.niveau == "landelijk":
        loket = LoketUit(
            referentie=e.loket_referentie,
            contact=e.loket_contact,
            antwoord_verwacht=e.loket_antwoord_verwacht,
            status=e.loket_status,
        )
    return EscalatieUit(
        id=e.id,
        niveau=e.niveau,
        reden=e.reden,
        betreft=BetreftUit(besluit=e.betreft_besluit_id, afwijkingen=afwijkingen.get(e.id, [])),
        uitkomst=uitkomst,
        loket=loket,
        vervangt=e.vervangt_id,
        correctiereden=e.correctiereden,
        vervangen_door=correcties.get(e.id),
        aangevraagd_door=p.vereist(e.aangevraagd_door_id),
        aangevraagd_op=e.aangevraagd_op,
        afgehandeld_door=p.ref(e.afgehandeld_door_id),
        afgehandeld_op=e.afgehandeld_op,
        versie=e.versie,
        toegestane_acties=EscalatieActies.model_validate(acties),
    )


async def _betrokkenen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    rijen: Sequence[Escalatie],
    afwijkingen: dict[uuid.UUID, list[uuid.UUID]],
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Per escalatie, who may not record its outcome (the service's rule, for a whole list in
    four queries): drafters and regiehouders of the besluiten concerned, proposers of the
    afwijkingen concerned (of every afwijking, when it concerns a whole besluit)."""
    van = await maatwerk_repository.voorstellers_van(
        ctx.session, [a for e in rijen for a in afwijkingen.get(e.id, [])]
    )
    besluit_ids = {b for b, _ in van.values()} | {
        e.betreft_besluit_id for e in rijen if e.betreft_besluit_id is not None
    }
    per_besluit = await maatwerk_repository.betrokkenen_per_besluit(
        ctx.session, toegang.casus.id, sorted(besluit_ids)
    )
    hele_besluiten = [e.betreft_besluit_id for e in rijen if e.betreft_besluit_id is not None]
    voorstellers = await maatwerk_repository.voorstellers_per_besluit(ctx.session, hele_besluiten)
    uit: dict[uuid.UUID, set[uuid.UUID]] = {}
    for e in rijen:
        mensen: set[uuid.UUID] = set()
        for a in afwijkingen.get(e.id, []):
            besluit_id, door = van[a]
            mensen |= {door} | per_besluit.get(besluit_id, set())
        if e.betreft_besluit_id is not None:
            mensen |= per_besluit.get(e.betreft_besluit_id, set())
            mensen |= voorstellers.get(e.betreft_besluit_id, set())
        uit[e.id] = mensen
    return uit


async def escalaties_uit(
    ctx: Werkcontext, toegang: CasusToegang, rijen: Sequence[Escalatie]
) -> list[EscalatieUit]:
    """Escalaties with what they concern, their corrections and people: four queries."""
    ids = [e.id for e in rijen]
    afwijkingen = await repository.betreft_afwijkingen(ctx.session, ids)
    correcties = await repository.correcties(ctx.session, ids)
    p = await Personen.laad(
        ctx, [i for e in rijen for i in (e.aangevraagd_door_id, e.afgehandeld_door_id)]
    )
    betrokkenen = await _betrokkenen(ctx, toegang, rijen, afwijkingen)
    return [
        _escalatie(
            e,
            p,
            afwijkingen,
            correcties,
            policy.escalatie_acties(
                ctx.actor,
                toegang.casus,
                toegang.rechten,
                niveau=e.niveau,
                aangevraagd_door_id=e.aangevraagd_door_id,
                betrokkenen=betrokkenen[e.id],
                beslist=e.afgehandeld_op is not None,
                gecorrigeerd=e.id in correcties,
            ),
        )
        for e in rijen
    ]


async def escalaties(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[EscalatieUit]:
    rijen = await repository.escalaties(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=await escalaties_uit(ctx, toegang, rijen[: vraag.limit]),
        next=volgende_url(vraag, rijen, lambda e: [e.aangevraagd_op, e.id]),
    )
