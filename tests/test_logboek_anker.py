"""The logboek against someone with database access: truncation, wiping, deletion with a
recomputed chain, forged checkpoints; key rotation; taking over an unkeyed chain; and the
database refusing changes (SQLite trigger, PostgreSQL app role without ownership)."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import cli
from doorbraak.config import Settings, get_settings
from doorbraak.logboek import anker, repository, service
from doorbraak.logboek.beheer import verifieer_met_checkpoint
from doorbraak.logboek.service import GENESIS, GESLEUTELDE_VELDEN, Logboekregel
from doorbraak.logboek.sleutels import Sleutelring, lees_sleutels, sleutelring
from doorbraak.migraties import app_rol_rechten
from doorbraak.models import LogboekRegel
from doorbraak.models.logboek import installatie
from tests.conftest import (
    ANKERMAP,
    IS_POSTGRES,
    TEST_URL,
    Api,
    postgres_only,
    zonder_logboektriggers,
)
from tests.helpers import mid, ok, probleem

Maker = async_sessionmaker[AsyncSession]


def _ring() -> Sleutelring:
    return sleutelring(get_settings())


async def _regels(maker: Maker) -> list[LogboekRegel]:
    async with maker() as session:
        return list((await session.scalars(select(LogboekRegel).order_by(LogboekRegel.id))).all())


async def _knoeien(maker: Maker, *statements: Any) -> None:
    """As the database owner does it: triggers off, then change the table."""
    async with maker() as session:
        if IS_POSTGRES:
            await session.execute(text("SET session_replication_role = replica"))
            for stmt in statements:
                await session.execute(stmt)
            await session.execute(text("SET session_replication_role = DEFAULT"))
        else:
            async with zonder_logboektriggers(session):
                for stmt in statements:
                    await session.execute(stmt)
        await session.commit()


async def _checkpoint(maker: Maker) -> anker.Checkpoint:
    async with maker() as session:
        checkpoint = await anker.maak(session, _ring())
    anker.bewaar(checkpoint, ANKERMAP)
    return checkpoint


async def _verificatie(maker: Maker, *bronnen: Path) -> service.Verificatie:
    async with maker() as session:
        return await verifieer_met_checkpoint(session, get_settings(), list(bronnen))


async def _cli_verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`doorbraak logboek verify` as an operator runs it (its own engine and event loop)."""
    code = await asyncio.to_thread(cli.main, ["logboek", "verify"])
    return code, capsys.readouterr().out


async def _verkeer(api: Api, aantal: int) -> None:
    """Entries of several medewerkers, bram's refusals among them (he may not read the logboek)."""
    for i in range(aantal):
        if i % 3 == 0:
            probleem(await api("bram").get("/api/v1/logboek"), 403)
        else:
            ok(await api("bram" if i % 3 == 1 else "karim").get("/api/v1/ik"))


async def test_every_new_entry_is_keyed_and_verify_closes_on_the_checkpoint(
    api: Api, db: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    await _verkeer(api, 9)
    regels = await _regels(db)
    assert regels and all(r.sleutel_id == "test" for r in regels)
    # The stored hash is an HMAC: the unkeyed function of before does not reproduce it.
    eerste = regels[0]
    waarden = {k: getattr(eerste, k) for k in GESLEUTELDE_VELDEN}
    assert service.bereken_hash(GENESIS, waarden) != eerste.hash
    assert service.bereken_mac(_ring().huidige, GENESIS, waarden) == eerste.hash

    code, uit = await _cli_verify(capsys)
    assert code == 0 and "geen checkpoint" in uit
    checkpoint = await _checkpoint(db)
    assert checkpoint.head_id == regels[-1].id and checkpoint.head_hash == regels[-1].hash
    code, uit = await _cli_verify(capsys)
    assert code == 0, uit
    assert f"checkpoint van regel {checkpoint.head_id}" in uit
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is True and verificatie["checkpointId"] == checkpoint.head_id


async def test_a_checkpoint_of_the_empty_chain_accepts_the_chain_that_grows_after_it(
    api: Api, db: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first start of a new installation anchors an empty chain (head 0); entries written
    # after it are the chain's beginning, not a deletion of "entry 0".
    await _knoeien(db, delete(LogboekRegel))
    leeg = await _checkpoint(db)
    assert leeg.head_id == 0
    await _verkeer(api, 6)
    code, uit = await _cli_verify(capsys)
    assert code == 0, uit


async def test_deleting_the_last_50_entries_is_reported(
    api: Api, db: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    await _verkeer(api, 70)
    await _checkpoint(db)
    regels = await _regels(db)
    await _knoeien(
        db, delete(LogboekRegel).where(LogboekRegel.id.in_([r.id for r in regels[-50:]]))
    )
    code, uit = await _cli_verify(capsys)
    assert code == 2 and "afgekapt" in uit, uit
    # The app goes on appending to the shortened chain: still reported.
    await _verkeer(api, 60)
    code, uit = await _cli_verify(capsys)
    assert code == 2 and "GEBROKEN" in uit, uit
    verificatie = ok(await api("lotte").get("/api/v1/logboek/verificatie"))
    assert verificatie["geldig"] is False


async def test_emptying_the_logboek_is_reported(
    api: Api, db: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    await _verkeer(api, 5)
    checkpoint = await _checkpoint(db)
    await _knoeien(db, text("DELETE FROM logboek"))
    code, uit = await _cli_verify(capsys)
    assert code == 2 and "leeg" in uit and str(checkpoint.head_id) in uit, uit


def _herberekenen(
    regels: list[LogboekRegel], hash_: Callable[[str, dict[str, Any]], str], sleutel_id: str | None
) -> list[Any]:
    """The whole chain recomputed from the genesis, as an attacker with the table does it."""
    vorige = GENESIS
    nieuw: list[dict[str, Any]] = []
    for r in regels:
        waarden = {k: getattr(r, k) for k in GESLEUTELDE_VELDEN}
        waarden["sleutel_id"] = sleutel_id
        h = hash_(vorige, waarden)
        nieuw.append({"id": r.id, **waarden, "vorige_hash": vorige, "hash": h})
        vorige = h
    return [delete(LogboekRegel), *[insert(LogboekRegel).values(**w) for w in nieuw]]


def _verbergen(regels: list[LogboekRegel], wie: str, aantal: int) -> list[LogboekRegel]:
    """Drop `aantal` of one medewerker's entries and rewrite the rest of his refusals as successes."""
    van_hem = [r for r in regels if r.actor == wie]
    weg = {r.id for r in van_hem[:aantal]}
    over = [r for r in regels if r.id not in weg]
    for r in over:
        if r.actor == wie and r.resultaat.startswith("geweigerd"):
            r.resultaat = "succes-200"
    return over


@pytest.mark.parametrize(
    "aanval",
    [
        # The unkeyed function of before, entries marked as from before the keyed chain.
        "ongesleuteld",
        # The HMAC with the development key from the source code.
        "ontwikkelsleutel",
        # The HMAC with a guessed key under the real key id.
        "geraden",
    ],
)
async def test_deleting_and_rewriting_one_users_entries_and_recomputing_is_reported(
    api: Api, db: Maker, capsys: pytest.CaptureFixture[str], aanval: str
) -> None:
    await _verkeer(api, 140)
    await _checkpoint(db)
    await _verkeer(api, 6)  # entries after the checkpoint: protected by the key alone
    regels = await _regels(db)
    assert sum(r.actor == mid("bram") for r in regels) > 60
    over = _verbergen(regels, mid("bram"), 44)
    assert not any(r.actor == mid("bram") and r.resultaat.startswith("geweigerd") for r in over)
    if aanval == "ongesleuteld":
        statements = _herberekenen(over, service.bereken_hash, None)
    else:
        tekst = Settings.model_fields["logboek_sleutel"].default.get_secret_value()
        if aanval == "geraden":
            tekst = "test:" + base64.b64encode(b"x" * 32).decode()
        sleutel = lees_sleutels(tekst, "aanvaller").huidige
        statements = _herberekenen(
            over, lambda v, w: service.bereken_mac(sleutel, v, w), sleutel.id
        )
    await _knoeien(db, *statements)
    code, uit = await _cli_verify(capsys)
    assert code == 2 and "GEBROKEN" in uit, uit

    # Without the checkpoint the keyed forgeries still fail on their HMAC; the unkeyed
    # rewrite would pass as a chain taken over from before the key, which is why the app
    # writes a checkpoint at every start.
    for pad in ANKERMAP.glob("*.json"):
        pad.unlink()
    uitkomst = await _verificatie(db)
    assert uitkomst.geldig is (aanval == "ongesleuteld")


async def test_only_rows_after_the_checkpoint_changed_fails_on_the_hmac(
    api: Api, db: Maker
) -> None:
    await _verkeer(api, 6)
    await _checkpoint(db)
    await _verkeer(api, 6)
    laatste = (await _regels(db))[-2]
    await _knoeien(
        db,
        update(LogboekRegel).where(LogboekRegel.id == laatste.id).values(resultaat="succes-204"),
    )
    uitkomst = await _verificatie(db)
    assert not uitkomst.geldig and uitkomst.eerste_fout_id == laatste.id
    assert "HMAC" in (uitkomst.reden or "")


async def test_a_forged_checkpoint_is_reported(api: Api, db: Maker) -> None:
    await _verkeer(api, 4)
    checkpoint = await _checkpoint(db)
    vals = json.loads(checkpoint.als_json())
    vals["head_id"] = checkpoint.head_id - 2
    (ANKERMAP / "checkpoint-vals.json").write_text(json.dumps(vals))
    uitkomst = await _verificatie(db)
    assert not uitkomst.geldig and "handtekening" in (uitkomst.reden or "")


async def test_a_checkpoint_from_the_json_log_counts(
    api: Api, db: Maker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await _verkeer(api, 6)
    with caplog.at_level("INFO", logger="doorbraak.logboek.anker"):
        checkpoint = await _checkpoint(db)
    regel = next(r for r in caplog.records if r.name == "doorbraak.logboek.anker")
    # As the log collector keeps it: one JSON object per line; the folder copy is gone.
    log = tmp_path / "doorbraak.log"
    log.write_text(json.dumps({"level": "info", "message": regel.getMessage()}) + "\n")
    for pad in ANKERMAP.glob("*.json"):
        pad.unlink()
    regels = await _regels(db)
    await _knoeien(db, delete(LogboekRegel).where(LogboekRegel.id == regels[-1].id))
    uitkomst = await _verificatie(db, log)
    assert not uitkomst.geldig and "afgekapt" in (uitkomst.reden or "")
    assert checkpoint.head_id == regels[-1].id


async def test_key_rotation_keeps_old_entries_and_checkpoints_verifiable(db: Maker) -> None:
    oud = lees_sleutels("k1:" + base64.b64encode(b"1" * 32).decode(), "test")
    beide = lees_sleutels(
        "k1:"
        + base64.b64encode(b"1" * 32).decode()
        + ",k2:"
        + base64.b64encode(b"2" * 32).decode(),
        "test",
    )
    regel = Logboekregel("test.rotatie", "test", None, "succes")
    await _knoeien(db, delete(LogboekRegel))  # a chain of its own, from the genesis
    async with db() as session:
        await service.toevoegen(session, [regel, regel], oud)
        await session.commit()
        eerste = await anker.maak(session, oud)
    anker.bewaar(eerste, ANKERMAP)
    # Rotated: k2 is current and signs, k1 stays in the ring to verify what it signed.
    async with db() as session:
        await service.toevoegen(session, [regel], beide)
        await session.commit()
        tweede = await anker.maak(session, beide)
    anker.bewaar(tweede, ANKERMAP)
    assert (eerste.sleutel_id, tweede.sleutel_id) == ("k1", "k2")
    assert [r.sleutel_id for r in await _regels(db)] == ["k1", "k1", "k2"]
    gelezen = anker.lees([ANKERMAP], beide)
    assert gelezen.checkpoint == tweede and not gelezen.ongeldig
    async with db() as session:
        assert (await service.verifieer(session, beide, gelezen.checkpoint)).geldig
        # The old checkpoint on its own still verifies against the rotated ring.
        assert (await service.verifieer(session, beide, eerste)).geldig
        # A ring without the old key cannot vouch for what it signed.
        alleen_nieuw = Sleutelring((beide.huidige,))
        uitkomst = await service.verifieer(session, alleen_nieuw)
        assert not uitkomst.geldig and "onbekende sleutel" in (uitkomst.reden or "")
    assert anker.lees([ANKERMAP], alleen_nieuw).ongeldig


async def test_an_unkeyed_chain_is_taken_over_and_sealed(api: Api, db: Maker) -> None:
    """Entries of before the keyed chain (no key id, SHA-256 link) verify as written; after the
    first keyed entry and a checkpoint they can no longer be rewritten or extended unkeyed."""
    vorige = GENESIS
    oude: list[dict[str, Any]] = []
    for i in range(3):
        waarden = {
            "tijdstempel": dt.datetime(2026, 11, 1, 12, i, tzinfo=dt.UTC),
            "actor": mid("karim"),
            "actie": "GET /api/v1/ik",
            "object_soort": "ik",
            "object_id": None,
            "casus_id": None,
            "resultaat": "succes-200",
            "oorsprong": "127.0.0.1",
            "doelbinding": None,
            "request_id": uuid.uuid4().hex,
        }
        h = service.bereken_hash(vorige, waarden)
        oude.append({**waarden, "vorige_hash": vorige, "hash": h})
        vorige = h
    await _knoeien(db, delete(LogboekRegel))  # the database as the old version left it
    async with db() as session:
        for w in oude:
            await session.execute(insert(LogboekRegel).values(**w))
        await session.commit()
    await _verkeer(api, 3)
    await _checkpoint(db)
    uitkomst = await _verificatie(db)
    assert uitkomst.geldig and uitkomst.ongesleuteld == 3, uitkomst
    regels = await _regels(db)
    # Rewriting an old entry breaks the first keyed entry's HMAC (it binds the old head).
    over = _verbergen(regels[:3], mid("karim"), 1) + regels[3:]
    await _knoeien(
        db,
        *_herberekenen(over[:2], service.bereken_hash, None),
        *[
            insert(LogboekRegel).values(
                **{k: getattr(r, k) for k in (*GESLEUTELDE_VELDEN, "id", "vorige_hash", "hash")}
            )
            for r in over[2:]
        ],
    )
    assert not (await _verificatie(db)).geldig


async def test_sqlite_refuses_changes_to_the_logboek(api: Api, db: Maker) -> None:
    if IS_POSTGRES:
        pytest.skip("PostgreSQL: tests/test_beveiliging.py")
    await _verkeer(api, 2)
    eerste = (await _regels(db))[0].id
    for stmt in (
        update(LogboekRegel).where(LogboekRegel.id == eerste).values(actor="x"),
        delete(LogboekRegel).where(LogboekRegel.id == eerste),
        text("DELETE FROM logboek"),
    ):
        async with db() as session:
            with pytest.raises(sa_exc.DBAPIError, match="append-only"):
                await session.execute(stmt)
            await session.rollback()
    assert (await _verificatie(db)).geldig


@postgres_only
async def test_the_app_role_may_only_insert_and_read_the_logboek(api: Api, db: Maker) -> None:
    """The split of docs/installation.md: the migrations' owner grants, the app role owns
    nothing, cannot disable the trigger, and may not change or delete logboek entries."""
    rol = TEST_URL.rsplit("/", 1)[-1] + "_app"
    await _verkeer(api, 2)
    async with db() as session:
        bestaat = await session.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": rol}
        )
        if not bestaat:
            await session.execute(text(f'CREATE ROLE "{rol}" NOLOGIN'))
        await session.run_sync(lambda s: app_rol_rechten(s.connection(), rol))
        await session.commit()
    try:
        for stmt, mag in (
            ("SELECT count(*) FROM logboek", True),
            (
                "INSERT INTO logboek (tijdstempel, actie, object_soort, resultaat, vorige_hash, "
                "hash) VALUES (now(), 'x', 'x', 'x', 'x', 'x')",
                True,
            ),
            ("SELECT count(*) FROM casussen", True),
            ("SELECT database_id FROM installatie", True),
            ("UPDATE installatie SET database_id = 'x'", False),
            ("DELETE FROM installatie", False),
            ("UPDATE logboek SET actor = 'x'", False),
            ("DELETE FROM logboek", False),
            ("TRUNCATE logboek", False),
            ("ALTER TABLE logboek DISABLE TRIGGER ALL", False),
            ("SET session_replication_role = replica", False),
        ):
            async with db() as session:
                await session.execute(text(f'SET ROLE "{rol}"'))
                if mag:
                    await session.execute(text(stmt))
                else:
                    with pytest.raises(sa_exc.DBAPIError, match=r"denied|owner|must be"):
                        await session.execute(text(stmt))
                await session.rollback()
    finally:
        async with db() as session:
            await session.execute(text(f'DROP OWNED BY "{rol}"'))
            await session.execute(text(f'DROP ROLE "{rol}"'))
            await session.commit()


async def test_two_workers_writing_the_same_checkpoint_at_once(db: Maker) -> None:
    """Both workers of a server write the head at shutdown in the same second: no error."""
    async with db() as session:
        checkpoint = await anker.maak(session, _ring())
    await asyncio.gather(
        *(asyncio.to_thread(anker.bewaar, checkpoint, ANKERMAP) for _ in range(20))
    )
    assert [p.name for p in ANKERMAP.iterdir()] == [anker.bestandsnaam(checkpoint)]


def _herteken(checkpoint: anker.Checkpoint, **wijziging: Any) -> anker.Checkpoint:
    """A checkpoint as another installation with the same key would sign it."""
    ongetekend = dataclasses.replace(checkpoint, handtekening="", **wijziging)
    return dataclasses.replace(
        ongetekend, handtekening=_ring().huidige.onderteken(ongetekend.bericht())
    )


async def test_checkpoints_name_their_database_and_another_databases_are_skipped(
    api: Api, db: Maker
) -> None:
    """Two installations writing to one checkpoint folder: the other one's newer checkpoint (a
    head this chain never had) is not held against this chain."""
    await _verkeer(api, 4)
    eigen = await _checkpoint(db)
    async with db() as session:
        database_id = await repository.database_id(session)
    assert database_id and eigen.database_id == database_id and eigen.versie == 2
    ander = _herteken(eigen, database_id=str(uuid.uuid4()), head_id=eigen.head_id + 500)
    anker.bewaar(ander, ANKERMAP)
    uitkomst = await _verificatie(db)
    assert uitkomst.geldig, uitkomst.reden
    assert uitkomst.checkpoint_id == eigen.head_id
    assert any("andere database" in o for o in uitkomst.opmerkingen)
    # Without the identity check the other database's checkpoint would be the newest one.
    async with db() as session:
        zonder = await service.verifieer(
            session, _ring(), anker.lees([ANKERMAP], _ring()).checkpoint
        )
    assert not zonder.geldig and "afgekapt" in (zonder.reden or "")


async def test_a_version_1_checkpoint_without_identity_still_counts(api: Api, db: Maker) -> None:
    await _verkeer(api, 3)
    nieuw = await _checkpoint(db)
    for pad in ANKERMAP.glob("*.json"):
        pad.unlink()
    oud = _herteken(nieuw, versie=1, database_id=None)
    # What version 1 signed had no database_id field at all.
    assert b"database_id" not in oud.bericht()
    anker.bewaar(oud, ANKERMAP)
    uitkomst = await _verificatie(db)
    assert uitkomst.geldig and uitkomst.checkpoint_id == nieuw.head_id


async def test_a_missing_database_identity_is_reported(api: Api, db: Maker) -> None:
    await _verkeer(api, 2)
    await _checkpoint(db)
    async with db() as session:
        rij = (await session.execute(select(installatie))).one()
    if IS_POSTGRES:
        await _knoeien(db, delete(installatie))
    else:
        await _zonder_installatietriggers(db, delete(installatie))
    try:
        uitkomst = await _verificatie(db)
        assert not uitkomst.geldig and "identiteit" in (uitkomst.reden or "")
    finally:
        herstel = installatie.insert().values(**rij._mapping)
        if IS_POSTGRES:
            await _knoeien(db, herstel)
        else:
            await _zonder_installatietriggers(db, herstel)


async def _zonder_installatietriggers(maker: Maker, stmt: Any) -> None:
    async with maker() as session:
        triggers = (
            await session.execute(
                text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'installatie'"
                )
            )
        ).all()
        assert triggers, "SQLite refuses changes to installatie by trigger"
        for naam, _ in triggers:
            await session.execute(text(f"DROP TRIGGER {naam}"))
        await session.execute(stmt)
        for _, sql in triggers:
            await session.execute(text(sql))
        await session.commit()
