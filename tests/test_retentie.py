"""Retention: archiefactiedatum on closing, the anonymising job (dry run and real), its traces."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.config import get_settings
from doorbraak.demo import DEMO_BSNS
from doorbraak.logboek import service as logboek
from doorbraak.models import Betrokkene, Casus, Deelname, LogboekRegel, TijdlijnRegel
from doorbraak.retentie import service as retentie
from tests.conftest import TEST_URL, Api, omgeving_van
from tests.helpers import fase, mid, nieuwe_casus, ok

SITUATIE = "Het dak lekt bij de familie Retentietest aan de Kerkstraat."
STANDPUNT = "Eerst een rapport van de Kerkstraat."
TOEKOMST = dt.date(2100, 1, 1)
ROOT = Path(__file__).resolve().parents[1]


async def _gesloten_casus(api: Api, reden: str = "elders_belegd") -> str:
    sanne, karim = api("sanne"), api("karim")
    casus = await nieuwe_casus(
        sanne, situatie=SITUATIE, huishoudenNaam="Familie Retentietest", bsn=DEMO_BSNS[1]
    )
    k: str = casus["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim"), "reden": "spoed"}), 201)
    ok(
        await karim.post(
            f"{basis}/deelnames", json={"afdeling": "vastgoed", "standpunt": STANDPUNT}
        ),
        201,
    )
    ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "GGD", "leefgebied": "zorg", "kostenPerJaarCent": 12_300},
        ),
        201,
    )
    ok(
        await fase(karim, k, "afgesloten", afsluitreden=reden, toelichting="Wmo-loket Kerkstraat"),
        201,
    )
    return k


async def test_closing_sets_the_archiefactiedatum_and_reopening_clears_it(api: Api) -> None:
    karim = api("karim")
    k = await _gesloten_casus(api, "elders_belegd")
    casus = ok(await karim.get(f"/api/v1/casussen/{k}"))
    gesloten = dt.datetime.fromisoformat(casus["afgeslotenOp"]).date()
    dagen = get_settings().retentie_dagen["elders_belegd"]
    assert casus["archiefactieDatum"] == (gesloten + dt.timedelta(days=dagen)).isoformat()
    ok(await fase(karim, k, "uitvoering", toelichting="nieuw feit"), 201)
    assert ok(await karim.get(f"/api/v1/casussen/{k}"))["archiefactieDatum"] is None


async def _casus(db: async_sessionmaker[AsyncSession], kenmerk: str) -> Casus:
    async with db() as session:
        casus = await session.scalar(select(Casus).where(Casus.kenmerk == kenmerk))
        assert casus is not None
        return casus


async def test_dry_run_lists_and_changes_nothing(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = await _gesloten_casus(api)
    open_k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    voor = await _casus(db, k)
    uitkomst = await retentie.draai(omgeving_van(db), droog=True, peildatum=TOEKOMST)
    assert [kenmerk for kenmerk, _ in uitkomst.geanonimiseerd] == [k]
    assert open_k not in {kenmerk for kenmerk, _ in uitkomst.geanonimiseerd}
    na = await _casus(db, k)
    assert (na.situatie, na.versie, na.geanonimiseerd_op) == (voor.situatie, voor.versie, None)
    # Not yet due: nothing to do.
    vandaag = await retentie.draai(omgeving_van(db), droog=True)
    assert vandaag.geanonimiseerd == []


async def test_real_run_removes_free_text_and_bsn_keeps_the_numbers(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    k = await _gesloten_casus(api)
    later = await _gesloten_casus(api)
    # The second casus is not due yet at the peildatum: it must stay as it is.
    async with db() as session:
        nog_niet = await session.scalar(select(Casus).where(Casus.kenmerk == later))
        assert nog_niet is not None
        nog_niet.archiefactiedatum = TOEKOMST + dt.timedelta(days=1)
        await session.commit()

    uitkomst = await retentie.draai(omgeving_van(db), droog=False, peildatum=TOEKOMST)
    assert [kenmerk for kenmerk, _ in uitkomst.geanonimiseerd] == [k]

    casus = await _casus(db, k)
    assert casus.geanonimiseerd_op is not None
    assert (casus.titel, casus.situatie, casus.huishouden_naam) == (
        "Geanonimiseerde casus",
        "",
        None,
    )
    assert (casus.bsn_versleuteld, casus.bsn_zoekhash, casus.bsn_laatste4) == (None, None, None)
    async with db() as session:
        standpunten = (
            await session.scalars(select(Deelname.standpunt).where(Deelname.casus_id == casus.id))
        ).all()
        assert standpunten == [""]
        kosten = await session.scalar(
            select(func.sum(Betrokkene.kosten_per_jaar_cent)).where(Betrokkene.casus_id == casus.id)
        )
        assert kosten == 12_300, "numbers stay for the statistics"
        tijdlijn = (
            await session.execute(
                select(
                    TijdlijnRegel.actie, TijdlijnRegel.wijzigingen, TijdlijnRegel.toelichting
                ).where(TijdlijnRegel.casus_id == casus.id)
            )
        ).all()
        assert tijdlijn[-1].actie == "casus.geanonimiseerd"
        tekst = repr([tuple(r) for r in tijdlijn])
        for geheim in ("Kerkstraat", "Retentietest", DEMO_BSNS[1]):
            assert geheim not in tekst
        regels = (
            await session.scalars(
                select(LogboekRegel).where(LogboekRegel.actie == "retentie.geanonimiseerd")
            )
        ).all()
        assert [(r.object_id, r.casus_id, r.resultaat) for r in regels] == [(k, casus.id, "succes")]
        assert (await logboek.verifieer(session)).geldig
    # Through the API the casusteam sees an emptied casus.
    zichtbaar = ok(await api("karim").get(f"/api/v1/casussen/{k}"))
    assert zichtbaar["geanonimiseerdOp"] and zichtbaar["bsn"] is None
    assert "Kerkstraat" not in str(
        ok(await api("karim").get(f"/api/v1/casussen/{k}/tijdlijn?limit=100"))
    )
    # The other casus is untouched, and a second run finds nothing left to do.
    assert (await _casus(db, later)).situatie == SITUATIE
    opnieuw = await retentie.draai(omgeving_van(db), droog=False, peildatum=TOEKOMST)
    assert opnieuw.geanonimiseerd == []


async def test_cli_dry_run_prints_what_it_would_do(api: Api) -> None:
    k = await _gesloten_casus(api)
    proces = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "doorbraak.cli",
        "retentie",
        "--droog",
        "--peildatum",
        "2100-01-01",
        cwd=ROOT,
        env={**os.environ, "DOORBRAAK_DATABASE_URL": TEST_URL},
        stdout=asyncio.subprocess.PIPE,
    )
    uit = (await proces.communicate())[0].decode()
    assert proces.returncode == 0
    assert f"{k}  archiefactiedatum" in uit and "zou anonimiseren" in uit
    assert "retentie (droog) op 2100-01-01: 1 casussen zou anonimiseren" in uit
