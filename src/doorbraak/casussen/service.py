"""Rules of the casus: aanmelden, wijzigen, fase moves and the casusteam."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import lru_cache
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen import fasen, repository
from doorbraak.casussen.schemas import (
    CasusNieuw,
    CasusWijziging,
    FaseOvergangNieuw,
)
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.config import Settings
from doorbraak.db import Keuze
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.huishouden.service import nazorg_plannen_na_afsluiten
from doorbraak.kit import bsn as bsn_kit
from doorbraak.kit import werkdagen
from doorbraak.kit.etag import controleer_versie
from doorbraak.kosten import service as kosten
from doorbraak.models import Casus, CasusteamLid, FaseOvergang
from doorbraak.models.enums import FASE_VOLGORDE, Fase, Urgentie
from doorbraak.organisatie.service import bestaande_medewerker
from doorbraak.retentie.service import archiefactiedatum
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging

# Default target for the first vastgesteld besluit, in working days (weekends and Dutch public
# holidays do not count): the method's promise is weeks, not months.
BESLUIT_TERMIJN_WERKDAGEN = {
    Urgentie.acuut: 5,
    Urgentie.hoog: 10,
    Urgentie.normaal: 30,
    Urgentie.laag: 60,
}


@lru_cache(maxsize=4096)
def _uiterlijk(dag: dt.date, urgentie: Urgentie) -> dt.date:
    return werkdagen.plus_werkdagen(dag, BESLUIT_TERMIJN_WERKDAGEN[urgentie])


def standaard_besluit_uiterlijk(aangemeld_op: dt.datetime, urgentie: Urgentie) -> dt.date:
    """The default besluit uiterlijk: the urgentie's term in working days from the day of
    registration in Amsterdam."""
    return _uiterlijk(werkdagen.lokale_datum(aangemeld_op), Urgentie(urgentie))


def _bsn_velden(settings: Settings, bsn: str | None) -> dict[str, Any]:
    if bsn is None:
        return {"bsn_versleuteld": None, "bsn_zoekhash": None, "bsn_laatste4": None}
    return {
        "bsn_versleuteld": bsn_kit.versleutel(settings, bsn),
        "bsn_zoekhash": bsn_kit.zoekhash(settings, bsn),
        "bsn_laatste4": bsn[-4:],
    }


def _kolomwaarden(gegeven: dict[str, Any]) -> dict[str, Any]:
    """The changed fields of CasusWijziging (each a column of the same name). A null clears an
    optional column; a required one refuses it, except a vocabulary, where null means unchanged."""
    kolommen = Casus.__table__.columns
    velden: dict[str, Any] = {}
    for naam, waarde in gegeven.items():
        kolom = kolommen[naam]
        if waarde is None and not kolom.nullable:
            if isinstance(kolom.type, Keuze):
                continue
            raise OngeldigeInvoer(
                [{"name": naam, "code": "verplicht", "reason": "mag niet leeg zijn"}]
            )
        velden[naam] = waarde
    return velden


async def aanmelden(ctx: Werkcontext, invoer: CasusNieuw) -> Casus:
    policy.mag_casus_aanmelden(ctx.actor)
    nu = ctx.nu
    nummer = await repository.volgend_kenmerknummer(ctx.session, nu.year)
    # Every field of CasusNieuw is a column of the same name, except the BSN (stored encrypted).
    velden = invoer.model_dump(exclude={"bsn"})
    velden["besluit_uiterlijk_datum"] = invoer.besluit_uiterlijk_datum or (
        standaard_besluit_uiterlijk(nu, invoer.urgentie)
    )
    casus = Casus(
        **velden,
        kenmerk=f"DB-{nu.year}-{nummer:04d}",
        fase=Fase.aangemeld,
        aanmelder_id=ctx.actor.id,
        aangemeld_op=nu,
        gewijzigd_op=nu,
        **_bsn_velden(ctx.settings, invoer.bsn),
    )
    ctx.session.add(casus)
    await ctx.session.flush()
    ctx.session.add(
        FaseOvergang(casus_id=casus.id, van=None, naar=Fase.aangemeld, door_id=ctx.actor.id, op=nu)
    )
    ctx.tijdlijn(
        casus.id,
        "casus.aangemeld",
        "casus",
        casus.kenmerk,
        {
            "titel": wijziging(None, casus.titel),
            "urgentie": wijziging(None, casus.urgentie),
            "fase": wijziging(None, casus.fase),
            **({"bsn": wijziging(None, "***")} if invoer.bsn else {}),
        },
    )
    return casus


async def wijzigen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: CasusWijziging, versie: int | None
) -> Casus:
    toegang.acties.wijzigen.eis()
    casus = toegang.casus
    controleer_versie(versie, casus.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden = _kolomwaarden({k: v for k, v in gegeven.items() if k != "bsn"})
    diff = pas_toe(casus, velden)
    if "bsn" in gegeven:
        nieuw = _bsn_velden(ctx.settings, gegeven["bsn"])
        if nieuw["bsn_zoekhash"] != casus.bsn_zoekhash:
            pas_toe(casus, nieuw)
            diff["bsn"] = wijziging("***", "***" if gegeven["bsn"] else None)
    if diff:
        casus.gewijzigd_op = ctx.nu
        ctx.tijdlijn(casus.id, "casus.gewijzigd", "casus", casus.kenmerk, diff)
        await ctx.session.flush()
    return casus


async def fase_wijzigen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: FaseOvergangNieuw
) -> FaseOvergang:
    casus = toegang.casus
    van = Fase(casus.fase)
    feiten = await repository.feiten(ctx.session, casus)
    soort, weigering = fasen.beoordeel(
        van,
        invoer.naar,
        feiten,
        toelichting=(invoer.toelichting or "").strip() or None,
        afsluitreden=invoer.afsluitreden,
    )
    if soort == fasen.Soort.HEROPENEN:
        policy.mag_heropenen(toegang.rechten).eis()
    else:
        policy.mag_fase_wijzigen(toegang.rechten).eis()
    if invoer.terugval and soort != fasen.Soort.HEROPENEN and weigering is None:
        weigering = fasen.Weigering(
            "terugval-alleen-bij-heropenen",
            "Een terugval is het heropenen van een afgesloten casus.",
            ongeldig_veld="terugval",
        )
    if weigering is not None:
        if weigering.ongeldig_veld:
            raise OngeldigeInvoer(
                [
                    {
                        "name": weigering.ongeldig_veld,
                        "code": weigering.code,
                        "reason": weigering.detail,
                    }
                ],
                weigering.detail,
            )
        extra: dict[str, Any] = {}
        if weigering.voorwaarden:
            extra["voorwaarden"] = [
                {"code": v.code, "omschrijving": v.omschrijving} for v in weigering.voorwaarden
            ]
        raise Conflict(weigering.detail, code=weigering.code, **extra)

    nu = ctx.nu
    overgang = FaseOvergang(
        casus_id=casus.id,
        van=van,
        naar=invoer.naar,
        door_id=ctx.actor.id,
        op=nu,
        toelichting=invoer.toelichting,
        afsluitreden=invoer.afsluitreden,
        terugval=invoer.terugval,
    )
    ctx.session.add(overgang)
    velden: dict[str, Any] = {"fase": invoer.naar}
    if soort == fasen.Soort.AFSLUITEN:
        assert overgang.afsluitreden is not None
        velden.update(
            afgesloten_op=nu,
            afsluitreden=overgang.afsluitreden,
            archiefactiedatum=archiefactiedatum(ctx.settings, overgang.afsluitreden, nu),
        )
        await nazorg_plannen_na_afsluiten(ctx, casus.id, werkdagen.lokale_datum(nu))
    elif soort == fasen.Soort.HEROPENEN:
        velden.update(afgesloten_op=None, afsluitreden=None, archiefactiedatum=None)
    diff = pas_toe(casus, velden)
    if overgang.terugval:
        diff["terugval"] = wijziging(None, True)
    casus.gewijzigd_op = nu
    ctx.tijdlijn(casus.id, f"casus.{soort}", "casus", casus.kenmerk, diff)
    await ctx.session.flush()
    in_kaart = FASE_VOLGORDE.index(Fase.in_kaart)
    if (
        FASE_VOLGORDE.index(van) <= in_kaart < FASE_VOLGORDE.index(invoer.naar)
        and invoer.naar != Fase.afgesloten
    ):
        # Leaving in_kaart: the costs as they stand are the baseline of before/after.
        await kosten.nulmeting_nemen(ctx, casus)
    return overgang


# --- casusteam --------------------------------------------------------------------------------


async def teamlid_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, medewerker_id: uuid.UUID
) -> None:
    toegang.acties.team_beheren.eis()
    casus = toegang.casus
    medewerker = await bestaande_medewerker(ctx, medewerker_id, "medewerker")
    if await repository.expliciet_lid(ctx.session, casus.id, medewerker.id) is not None:
        raise Conflict("Deze medewerker is al lid van het casusteam.", code="bestaat-al")
    ctx.session.add(
        CasusteamLid(
            casus_id=casus.id, medewerker_id=medewerker.id, toegevoegd_door_id=ctx.actor.id
        )
    )
    ctx.tijdlijn(
        casus.id,
        "casusteam.toegevoegd",
        "casusteam",
        medewerker.id,
        {"medewerker": wijziging(None, medewerker.naam)},
    )
    await ctx.session.flush()


async def teamlid_verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, medewerker_id: uuid.UUID
) -> None:
    toegang.acties.team_beheren.eis()
    casus = toegang.casus
    lid = await repository.expliciet_lid(ctx.session, casus.id, medewerker_id)
    if lid is None:
        raise NietGevonden("Deze medewerker is geen expliciet lid van het casusteam.")
    medewerker = await repository.medewerker(ctx.session, medewerker_id)
    await ctx.session.delete(lid)
    ctx.tijdlijn(
        casus.id,
        "casusteam.verwijderd",
        "casusteam",
        medewerker_id,
        {"medewerker": wijziging(medewerker.naam if medewerker else str(medewerker_id), None)},
    )
    await ctx.session.flush()
