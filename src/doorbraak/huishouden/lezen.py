"""The read side of the perspectiefplan, the external parties and nazorg, for the API and the
web pages alike. No rules, no HTTP. `nazorg_te_doen` is the work list of nazorg moments that
are due (also on closed casussen) for a medewerker or for the casusteams she is on."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.huishouden import repository
from doorbraak.huishouden.schemas import (
    AfspraakUit,
    ContactpersoonUit,
    DoelUit,
    Eigenaar,
    ExternePartijUit,
    HuishoudlidRef,
    HuishoudlidUit,
    InstemmingUit,
    NazorgMoment,
    PartijdeelnameUit,
    PerspectiefplanUit,
    Toezegging,
)
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.kit.schema import PlanActies, WijzigVerwijderActies
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.models import Afspraak, Doel, ExternePartij, Huishoudlid, Partijdeelname, Stap
from doorbraak.models.enums import Fase
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext

HUISHOUDEN = "het huishouden"


def _acties(toegang: CasusToegang) -> WijzigVerwijderActies:
    return WijzigVerwijderActies.model_validate(toegang.onderdeel_acties)


def huishoudlid(lid: Huishoudlid, toegang: CasusToegang) -> HuishoudlidUit:
    return HuishoudlidUit(
        id=lid.id,
        naam_of_rol=lid.naam_of_rol,
        geboortejaar=lid.geboortejaar,
        aangemaakt_op=lid.aangemaakt_op,
        versie=lid.versie,
        toegestane_acties=_acties(toegang),
    )


def _ref(lid: Huishoudlid | None) -> HuishoudlidRef | None:
    return None if lid is None else HuishoudlidRef(id=lid.id, naam_of_rol=lid.naam_of_rol)


class Namen:
    """Members and parties by id, for a list of doelen, afspraken or stappen in one query each."""

    def __init__(
        self, leden: dict[uuid.UUID, Huishoudlid], partijen: dict[uuid.UUID, tuple[str, str]]
    ) -> None:
        self.leden = leden
        self.partijen = partijen

    @classmethod
    async def laad(
        cls,
        ctx: Werkcontext,
        leden: Sequence[uuid.UUID | None],
        deelnames: Sequence[uuid.UUID | None],
    ) -> Namen:
        rijen = await repository.partijnamen(ctx.session, {d for d in deelnames if d})
        return cls(
            await repository.leden(ctx.session, {i for i in leden if i}),
            {k: (r.code, r.naam) for k, r in rijen.items()},
        )

    def lid(self, id_: uuid.UUID | None) -> HuishoudlidRef | None:
        return _ref(self.leden.get(id_)) if id_ else None

    def eigenaar(
        self,
        *,
        door_huishouden: bool,
        huishoudlid_id: uuid.UUID | None,
        partijdeelname_id: uuid.UUID | None,
        afdeling_code: str | None = None,
    ) -> Eigenaar | None:
        if door_huishouden:
            return Eigenaar(soort="huishouden", naam=HUISHOUDEN)
        if huishoudlid_id is not None:
            ref = self.lid(huishoudlid_id)
            return Eigenaar(
                soort="huishoudlid", huishoudlid=ref, naam=ref.naam_of_rol if ref else "?"
            )
        if partijdeelname_id is not None:
            code, naam = self.partijen.get(partijdeelname_id, ("?", "?"))
            return Eigenaar(soort="externe_partij", externe_partij=code, naam=naam)
        if afdeling_code is not None:
            return Eigenaar(soort="afdeling", afdeling=afdeling_code, naam=afdeling_code)
        return None


def doel(d: Doel, namen: Namen, toegang: CasusToegang) -> DoelUit:
    return DoelUit(
        id=d.id,
        leefgebied=d.leefgebied,
        tekst=d.tekst,
        gezegd_door=namen.lid(d.gezegd_door_id),
        aangemaakt_op=d.aangemaakt_op,
        versie=d.versie,
        toegestane_acties=_acties(toegang),
    )


def afspraak(a: Afspraak, namen: Namen, toegang: CasusToegang) -> AfspraakUit:
    eigenaar = namen.eigenaar(
        door_huishouden=a.door_huishouden,
        huishoudlid_id=a.huishoudlid_id,
        partijdeelname_id=a.partijdeelname_id,
        afdeling_code=a.afdeling_code,
    )
    assert eigenaar is not None  # the service keeps one owner
    return AfspraakUit(
        id=a.id,
        tekst=a.tekst,
        eigenaar=eigenaar,
        aangemaakt_op=a.aangemaakt_op,
        versie=a.versie,
        toegestane_acties=_acties(toegang),
    )


async def een_doel(ctx: Werkcontext, toegang: CasusToegang, d: Doel) -> DoelUit:
    return doel(d, await Namen.laad(ctx, [d.gezegd_door_id], []), toegang)


async def een_afspraak(ctx: Werkcontext, toegang: CasusToegang, a: Afspraak) -> AfspraakUit:
    namen = await Namen.laad(ctx, [a.huishoudlid_id], [a.partijdeelname_id])
    return afspraak(a, namen, toegang)


async def perspectiefplan(ctx: Werkcontext, toegang: CasusToegang) -> PerspectiefplanUit:
    casus = toegang.casus
    s = ctx.session
    leden = await repository.van_casus(s, Huishoudlid, casus.id)
    doelen = await repository.van_casus(s, Doel, casus.id)
    afspraken = await repository.van_casus(s, Afspraak, casus.id)
    namen = await Namen.laad(
        ctx, [a.huishoudlid_id for a in afspraken], [a.partijdeelname_id for a in afspraken]
    )
    namen.leden.update({lid.id: lid for lid in leden})
    instemming = None
    if casus.instemming_datum is not None:
        personen = await Personen.laad(ctx, [casus.instemming_door_id])
        instemming = InstemmingUit(
            datum=casus.instemming_datum, vastgelegd_door=personen.ref(casus.instemming_door_id)
        )
    acties = policy.plan_acties(casus, toegang.rechten, aantal_doelen=len(doelen))
    return PerspectiefplanUit(
        kenmerk=casus.kenmerk,
        doorbraakvraag=casus.doorbraakvraag,
        doorbraak=casus.doorbraak,
        huishoudleden=[huishoudlid(lid, toegang) for lid in leden],
        doelen=[doel(d, namen, toegang) for d in doelen],
        afspraken=[afspraak(a, namen, toegang) for a in afspraken],
        instemming=instemming,
        toegestane_acties=PlanActies.model_validate(acties),
    )


# --- external parties ---------------------------------------------------------------------------


def partij(p: ExternePartij) -> ExternePartijUit:
    return ExternePartijUit.model_validate(p)


async def partijen(
    ctx: Werkcontext, vraag: PaginaVraag, actief: bool | None = None
) -> Pagina[ExternePartijUit]:
    rijen = await repository.partijen(ctx.session, vraag, actief)
    return Pagina(
        results=[partij(p) for p in rijen[: vraag.limit]],
        next=volgende_url(vraag, rijen, lambda p: [p.code]),
    )


def _partijdeelname(
    d: Partijdeelname, p: ExternePartij, stappen: list[Stap], toegang: CasusToegang
) -> PartijdeelnameUit:
    contact = None
    if d.contact_naam is not None and policy.mag_contactgegevens_zien(toegang.rechten):
        contact = ContactpersoonUit(
            naam=d.contact_naam, telefoon=d.contact_telefoon, email=d.contact_email
        )
    return PartijdeelnameUit(
        partij=partij(p),
        standpunt=d.standpunt,
        contactpersoon=contact,
        toezeggingen=[
            Toezegging(stap=s.id, titel=s.titel, status=s.status, deadline_datum=s.deadline_datum)
            for s in stappen
        ],
        aangemaakt_op=d.aangemaakt_op,
        versie=d.versie,
        toegestane_acties=_acties(toegang),
    )


async def partijdeelnames(ctx: Werkcontext, toegang: CasusToegang) -> list[PartijdeelnameUit]:
    rijen = await repository.partijdeelnames(ctx.session, toegang.casus.id)
    stappen = await repository.toezeggingen(ctx.session, [r.Partijdeelname.id for r in rijen])
    return [
        _partijdeelname(
            r.Partijdeelname, r.ExternePartij, stappen.get(r.Partijdeelname.id, []), toegang
        )
        for r in rijen
    ]


async def partijdeelname(
    ctx: Werkcontext, toegang: CasusToegang, d: Partijdeelname
) -> PartijdeelnameUit:
    p = await repository.partij(ctx.session, d.partij_code)
    assert p is not None  # the foreign key keeps it
    stappen = await repository.toezeggingen(ctx.session, [d.id])
    return _partijdeelname(d, p, stappen.get(d.id, []), toegang)


# --- nazorg ----------------------------------------------------------------------------------


async def nazorg_te_doen(
    ctx: Werkcontext,
    *,
    tot: dt.date | None = None,
    alleen_eigen: bool = False,
    limit: int = 100,
) -> list[NazorgMoment]:
    """Nazorg moments due by `tot` (default: today) on the casussen the actor may see: with
    `alleen_eigen` only those she owns, otherwise every due moment of her casusteams. Moments of
    closed casussen are included: the team completes them without reopening."""
    rijen = await repository.nazorg_te_doen(
        ctx.session,
        ctx.actor,
        tot=tot or lokale_datum(ctx.nu),
        eigenaar=ctx.actor.id if alleen_eigen else None,
        limit=limit,
    )
    personen = await Personen.laad(ctx, [r.eigenaar_id for r in rijen])
    return [
        NazorgMoment(
            stap=r.id,
            kenmerk=r.kenmerk,
            titel=r.titel,
            verwacht_op=r.deadline_datum,
            eigenaar=personen.ref(r.eigenaar_id),
            casus_afgesloten=r.fase == Fase.afgesloten,
        )
        for r in rijen
    ]
