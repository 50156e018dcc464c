"""Bijlagen on a casus: upload, list, download, delete; the size limit while streaming, the type
told from the content, need-to-know, the logboek and tijdlijn, retention and the export."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from doorbraak.app import create_app
from doorbraak.bijlagen import soorten
from doorbraak.config import get_settings
from doorbraak.demo import kleine_pdf
from doorbraak.kit.document import download
from doorbraak.models import Bijlage, Casus, LogboekRegel, TijdlijnRegel
from doorbraak.retentie import service as retentie
from tests.conftest import Api, omgeving_van
from tests.helpers import fase, mid, nieuwe_casus, ok, probleem
from tests.test_export import _alle_tekst, _demo, complete_mappen, exporteren, lees_csv
from tests.test_migratie_integriteit import _migreer, leeg
from tests.test_retentie import TOEKOMST

__all__ = ["leeg"]

Maker = async_sessionmaker[AsyncSession]
PDF = kleine_pdf(["Beschikking schuldhulp", "Toegekend: budgetbeheer voor twaalf maanden."])
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
# The start of a real x86-64 ELF program and of a Windows PE ("MZ", the DOS stub).
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for naam, inhoud in entries.items():
            z.writestr(naam, inhoud)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


async def _casus(api: Api) -> str:
    """Aangemeld by sanne, regie karim; sociaal-domein takes part (peter is its leidinggevende)."""
    sanne = api("sanne")
    k: str = (await nieuwe_casus(sanne))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim"), "reden": "x"}), 201)
    r = await api("karim").post(f"{basis}/deelnames", json={"afdeling": "sociaal-domein"})
    assert r.status_code in (201, 409), r.text
    return k


async def _upload(
    client: httpx.AsyncClient,
    k: str,
    inhoud: bytes,
    naam: str = "beschikking.pdf",
    type_: str = "application/pdf",
    omschrijving: str | None = None,
) -> httpx.Response:
    data = {"omschrijving": omschrijving} if omschrijving is not None else None
    return await client.post(
        f"/api/v1/casussen/{k}/bijlagen", files={"bestand": (naam, inhoud, type_)}, data=data
    )


# --- the whole round -----------------------------------------------------------------------------


async def test_upload_list_download_delete(api: Api, db: Maker) -> None:
    karim = api("karim")
    k = await _casus(api)
    r = await _upload(karim, k, PDF, "C:\\Documenten\\beschikking.pdf", omschrijving="Schuldhulp")
    b = ok(r, 201)
    assert r.headers["ETag"] == '"1"'
    assert (b["bestandsnaam"], b["omschrijving"], b["mediatype"]) == (
        "beschikking.pdf",
        "Schuldhulp",
        "application/pdf",
    )
    assert b["grootte"] == len(PDF) and b["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert b["toegevoegdDoor"]["id"] == mid("karim") and b["toegevoegdOp"]
    assert b["inhoud"] == f"/api/v1/casussen/{k}/bijlagen/{b['id']}/inhoud"
    assert b["toegestaneActies"]["verwijderen"]["toegestaan"] is True

    lijst = ok(await karim.get(f"/api/v1/casussen/{k}/bijlagen"))
    assert [x["id"] for x in lijst["results"]] == [b["id"]]
    meta = await karim.get(f"/api/v1/casussen/{k}/bijlagen/{b['id']}")
    assert ok(meta)["sha256"] == b["sha256"] and meta.headers["ETag"] == '"1"'

    d = await karim.get(b["inhoud"])
    assert d.status_code == 200 and d.content == PDF
    assert d.headers["content-type"] == "application/pdf"
    assert d.headers["content-disposition"].startswith('attachment; filename="beschikking.pdf"')
    assert d.headers["x-content-type-options"] == "nosniff"

    weg = f"/api/v1/casussen/{k}/bijlagen/{b['id']}"
    probleem(await karim.delete(weg), 428, "if-match-ontbreekt")
    probleem(await karim.delete(weg, headers={"If-Match": '"7"'}), 412, "versie-conflict")
    assert (await karim.delete(weg, headers={"If-Match": '"1"'})).status_code == 204
    probleem(await karim.get(weg), 404)
    probleem(await karim.get(b["inhoud"]), 404)
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Bijlage)) == 0
        regels = (
            await session.execute(
                select(TijdlijnRegel.actie, TijdlijnRegel.object_id, TijdlijnRegel.wijzigingen)
                .where(TijdlijnRegel.object_soort == "bijlage")
                .order_by(TijdlijnRegel.op, TijdlijnRegel.id)
            )
        ).all()
    # The tijdlijn keeps that it existed (name, type, size, hash), never the content.
    assert [r.actie for r in regels] == [
        "bijlage.toegevoegd",
        "bijlage.gedownload",
        "bijlage.verwijderd",
    ]
    assert {r.object_id for r in regels} == {b["id"]}
    assert regels[2].wijzigingen["bestandsnaam"] == {"oud": "beschikking.pdf", "nieuw": None}
    assert regels[0].wijzigingen["sha256"]["nieuw"] == b["sha256"]
    assert "Beschikking schuldhulp" not in repr([tuple(r) for r in regels])


async def test_a_name_with_accents_downloads_under_its_own_name(api: Api) -> None:
    karim = api("karim")
    k = await _casus(api)
    b = ok(await _upload(karim, k, PDF, "besluit één.pdf"), 201)
    assert b["bestandsnaam"] == "besluit één.pdf"
    d = await karim.get(b["inhoud"])
    assert d.headers["content-disposition"] == (
        "attachment; filename=\"besluit __n.pdf\"; filename*=UTF-8''besluit%20%C3%A9%C3%A9n.pdf"
    )
    # Quotes, backslashes and semicolons never reach the plain filename parameter.
    kop = download(b"x", soorten.TEKST, 'a"b\\c;d.txt').headers["content-disposition"]
    assert kop.startswith('attachment; filename="a_b_c_d.txt"; ')


# --- content sniffing ----------------------------------------------------------------------------


@pytest.mark.parametrize("programma", [ELF, PE], ids=["elf", "pe"])
async def test_a_renamed_program_is_refused(api: Api, db: Maker, programma: bytes) -> None:
    k = await _casus(api)
    r = await _upload(api("karim"), k, programma, "beschikking.pdf", "application/pdf")
    body = probleem(r, 415, "bestandstype-niet-toegestaan")
    assert "programma" in body["detail"]
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Bijlage)) == 0


async def test_the_type_comes_from_the_content_not_the_name(api: Api) -> None:
    karim = api("karim")
    k = await _casus(api)
    # A PNG called .txt and sent as text/plain is stored (and served) as what it is.
    png = ok(await _upload(karim, k, PNG, "notitie.txt", "text/plain"), 201)
    assert png["mediatype"] == "image/png"
    d = await karim.get(png["inhoud"])
    assert d.headers["content-type"] == "image/png" and d.content == PNG
    # A real PDF sent as application/octet-stream with no extension.
    assert ok(await _upload(karim, k, PDF, "scan", "application/octet-stream"), 201)[
        "mediatype"
    ] == ("application/pdf")
    tekst = ok(await _upload(karim, k, "Afspraak: één keer per week.\n".encode(), "a.pdf"), 201)
    assert tekst["mediatype"] == "text/plain; charset=utf-8"
    docx = ok(await _upload(karim, k, DOCX, "brief.zip", "application/zip"), 201)
    assert docx["mediatype"] == soorten.DOCX
    # A ZIP that is no office document, text that is not UTF-8, and an empty file.
    probleem(await _upload(karim, k, _zip({"a.exe": ELF}), "b.docx"), 415)
    probleem(await _upload(karim, k, "caf\xe9 in latin-1".encode("latin-1"), "c.txt"), 415)
    body = probleem(await _upload(karim, k, b"", "leeg.pdf"), 400, "ongeldige-invoer")
    assert body["invalidParams"][0]["code"] == "leeg-bestand"


def test_sniffing_of_the_office_formats() -> None:
    odt = _zip({"mimetype": soorten.ODT.encode(), "content.xml": b"<office:document-content/>"})
    xlsx = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert soorten.soort(odt) == soorten.ODT
    assert soorten.soort(xlsx) == soorten.XLSX
    assert soorten.soort(DOCX) == soorten.DOCX
    assert soorten.soort(b"\xff\xd8\xff\xe0\x00\x10JFIF") == soorten.JPEG
    with pytest.raises(soorten.Geweigerd):
        soorten.soort(b"PK\x03\x04 not really a zip")
    with pytest.raises(soorten.Geweigerd):
        soorten.soort(b"tekst met een NUL\x00erin")


# --- the size limit --------------------------------------------------------------------------------


@pytest.fixture
async def klein(app: Any) -> AsyncIterator[tuple[Any, int]]:
    """The app with a bijlage limit of 1000 bytes (the same database)."""
    grens = 1000
    klein_app = create_app(get_settings().model_copy(update={"bijlage_max_bytes": grens}))
    yield klein_app, grens
    await klein_app.state.engine.dispose()


def _client(app: Any, wie: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer demo-{wie}"},
    )


async def test_at_the_limit_is_accepted_one_byte_over_is_413(
    api: Api, klein: tuple[Any, int]
) -> None:
    app, grens = klein
    k = await _casus(api)
    tekst = b"a" * (grens - 1) + b"\n"
    async with _client(app, "karim") as karim:
        assert ok(await _upload(karim, k, tekst, "precies.txt"), 201)["grootte"] == grens
        body = probleem(await _upload(karim, k, tekst + b"b", "te-groot.txt"), 413, "te-groot")
        assert body["grensBytes"] == grens
        # Far beyond: refused on its Content-Length, before the body is read.
        r = await _upload(karim, k, b"a" * (grens * 200), "veel.txt")
        probleem(r, 413, "te-groot")
    lijst = ok(await api("karim").get(f"/api/v1/casussen/{k}/bijlagen"))
    assert [b["bestandsnaam"] for b in lijst["results"]] == ["precies.txt"]


async def test_a_streamed_body_stops_at_the_limit(api: Api, klein: tuple[Any, int]) -> None:
    """Sent chunked without a Content-Length, as a 2 GB file would come: the app stops reading
    as soon as the count passes the limit; the rest is never asked for."""
    app, grens = klein
    k = await _casus(api)
    grens_route = grens + 64 * 1024
    gelezen = 0
    stuk = b"x" * 65536
    kop = (
        b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="groot.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
    )

    async def lichaam() -> AsyncIterator[bytes]:
        nonlocal gelezen
        gelezen += len(kop)
        yield kop
        for _ in range(2 * 1024 * 1024 * 1024 // len(stuk)):  # 2 GB, if anyone kept asking
            gelezen += len(stuk)
            yield stuk

    async with _client(app, "karim") as karim:
        r = await karim.post(
            f"/api/v1/casussen/{k}/bijlagen",
            content=lichaam(),
            headers={"Content-Type": "multipart/form-data; boundary=grens"},
        )
    probleem(r, 413, "te-groot")
    assert gelezen <= grens_route + len(stuk), gelezen


async def test_every_other_route_keeps_json_and_its_1_mib(api: Api) -> None:
    karim = api("karim")
    k = await _casus(api)
    groot = {"tekst": "x" * (1024 * 1024 + 1)}
    # A JSON route: still 413 above 1 MiB, still 415 for a file.
    probleem(await karim.post(f"/api/v1/casussen/{k}/notities", json=groot), 413, "te-groot")
    r = await karim.post(
        f"/api/v1/casussen/{k}/notities", files={"bestand": ("a.pdf", PDF, "application/pdf")}
    )
    probleem(r, 415, "mediatype")
    # A PATCH or PUT to the upload's path is not an upload: JSON rules.
    r = await karim.patch(
        f"/api/v1/casussen/{k}/bijlagen", content=b"x" * (1024 * 1024 + 1), headers={}
    )
    probleem(r, 413, "te-groot")
    # The upload route: not JSON.
    probleem(await karim.post(f"/api/v1/casussen/{k}/bijlagen", json={"bestand": "x"}), 415)
    # A file larger than 1 MiB is fine there.
    groot_bestand = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    assert ok(await _upload(karim, k, groot_bestand), 201)["grootte"] == len(groot_bestand)


async def test_default_limit_is_20_mib() -> None:
    assert get_settings().bijlage_max_bytes == 20 * 1024 * 1024


# --- need-to-know, closed casus, logboek ---------------------------------------------------------


async def test_only_the_casusteam_and_participating_leiding(api: Api) -> None:
    k = await _casus(api)
    b = ok(await _upload(api("karim"), k, PDF), 201)
    basis = f"/api/v1/casussen/{k}/bijlagen"
    # sanne (aanmelder), karim (regie), peter (leidinggevende of a participating afdeling)
    for wie in ("sanne", "karim", "peter"):
        assert ok(await api(wie).get(basis))["results"], wie
        assert (await api(wie).get(b["inhoud"])).content == PDF, wie
    # joost (vastgoed, not at the table), fatima (beleid), bram (beheerder): as if nothing
    for wie in ("joost", "fatima", "bram"):
        probleem(await api(wie).get(basis), 404)
        probleem(await api(wie).get(b["inhoud"]), 404)
        probleem(await _upload(api(wie), k, PDF), 404)
        probleem(await api(wie).delete(f"{basis}/{b['id']}", headers={"If-Match": '"1"'}), 404)
    # An auditor with a stated purpose reads the casus, never its documents.
    lotte = api("lotte")
    doel = {"X-Doelbinding": "Onderzoek klacht 2026-17"}
    ok(await lotte.get(f"/api/v1/casussen/{k}", headers=doel))
    probleem(await lotte.get(basis, headers=doel), 404)
    probleem(await lotte.get(b["inhoud"], headers=doel), 404)


async def test_a_closed_casus_is_read_only_but_downloads(api: Api) -> None:
    karim = api("karim")
    k = await _casus(api)
    b = ok(await _upload(karim, k, PDF), 201)
    ok(await fase(karim, k, "afgesloten", afsluitreden="elders_belegd", toelichting="Wmo"), 201)
    probleem(await _upload(karim, k, PDF), 409, "casus-gesloten")
    weg = f"/api/v1/casussen/{k}/bijlagen/{b['id']}"
    probleem(await karim.delete(weg, headers={"If-Match": '"1"'}), 409, "casus-gesloten")
    assert (await karim.get(b["inhoud"])).content == PDF
    gezien = ok(await karim.get(weg))
    assert gezien["toegestaneActies"]["verwijderen"]["code"] == "casus-gesloten"


async def test_upload_download_and_delete_are_in_the_logboek(api: Api, db: Maker) -> None:
    karim = api("karim")
    k = await _casus(api)
    b = ok(await _upload(karim, k, PDF), 201)
    await karim.get(b["inhoud"])
    await api("joost").get(b["inhoud"])
    await karim.delete(f"/api/v1/casussen/{k}/bijlagen/{b['id']}", headers={"If-Match": '"1"'})
    async with db() as session:
        regels = (
            await session.execute(
                select(
                    LogboekRegel.actie,
                    LogboekRegel.object_soort,
                    LogboekRegel.object_id,
                    LogboekRegel.resultaat,
                    LogboekRegel.casus_id,
                ).where(LogboekRegel.actie.like("%/casussen/{kenmerk}/bijlagen%"))
            )
        ).all()
        casus_id = await session.scalar(select(Casus.id).where(Casus.kenmerk == k))
    gezien = {(r.actie, r.object_id, r.resultaat) for r in regels}
    assert ("POST /api/v1/casussen/{kenmerk}/bijlagen", k, "succes-201") in gezien
    assert ("GET /api/v1/casussen/{kenmerk}/bijlagen/{id}/inhoud", b["id"], "succes-200") in gezien
    assert (
        "GET /api/v1/casussen/{kenmerk}/bijlagen/{id}/inhoud",
        b["id"],
        "geweigerd-404",
    ) in gezien
    assert ("DELETE /api/v1/casussen/{kenmerk}/bijlagen/{id}", b["id"], "succes-204") in gezien
    # The casusteam's entries name the casus; the refused look of an outsider does not learn it.
    assert all(r.casus_id == casus_id for r in regels if r.resultaat.startswith("succes"))


# --- retention and the export --------------------------------------------------------------------


async def test_retention_removes_the_documents_with_the_casus(api: Api, db: Maker) -> None:
    karim = api("karim")
    k = await _casus(api)
    ander = await _casus(api)
    ok(await _upload(karim, k, PDF), 201)
    ok(await _upload(karim, ander, PNG, "foto.png"), 201)
    ok(await fase(karim, k, "afgesloten", afsluitreden="elders_belegd", toelichting="Wmo"), 201)
    uitkomst = await retentie.draai(omgeving_van(db), droog=False, peildatum=TOEKOMST)
    assert [kenmerk for kenmerk, _ in uitkomst.geanonimiseerd] == [k]
    async with db() as session:
        rijen = await session.execute(
            select(Casus.kenmerk, func.count(Bijlage.id))
            .outerjoin(Bijlage, Bijlage.casus_id == Casus.id)
            .group_by(Casus.kenmerk)
        )
        per_casus = {kenmerk: aantal for kenmerk, aantal in rijen}
    assert per_casus == {k: 0, ander: 1}
    assert ok(await karim.get(f"/api/v1/casussen/{k}/bijlagen"))["results"] == []


async def test_the_export_counts_documents_and_names_none(db: Maker, tmp_path: Path) -> None:
    await _demo(db)
    async with db() as session:
        namen = (await session.execute(select(Bijlage.bestandsnaam, Bijlage.omschrijving))).all()
        aantal = await session.scalar(select(func.count()).select_from(Bijlage))
    assert aantal and namen, "the demo has a bijlage"
    await exporteren(db, tmp_path)
    [map_] = complete_mappen(tmp_path)
    casussen = lees_csv(map_, "casussen")
    assert sum(int(r["aantal_bijlagen"]) for r in casussen) == aantal
    assert sorted(int(r["aantal_bijlagen"]) for r in casussen)[-1] >= 1
    alles = _alle_tekst(map_).casefold()
    for naam, omschrijving in namen:
        assert naam.casefold() not in alles and omschrijving.casefold() not in alles


# --- the migration -------------------------------------------------------------------------------


async def test_migration_up_and_down(leeg: str) -> None:
    await asyncio.to_thread(_migreer, leeg, "bijlagen")
    engine = create_async_engine(leeg)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT id, inhoud, sha256 FROM bijlagen"))
    finally:
        await engine.dispose()

    def terug() -> None:
        from alembic import command

        from doorbraak.cli import alembic_config

        command.downgrade(alembic_config(leeg), "logboek_actie")

    await asyncio.to_thread(terug)
    engine = create_async_engine(leeg)
    try:
        async with engine.connect() as conn:
            with pytest.raises(Exception, match="bijlagen"):
                await conn.execute(text("SELECT id FROM bijlagen"))
    finally:
        await engine.dispose()


async def test_a_repeated_upload_with_its_idempotency_key_is_stored_once(
    api: Api, db: Maker
) -> None:
    karim = api("karim")
    k = await _casus(api)
    pad = f"/api/v1/casussen/{k}/bijlagen"
    # A retry sends the same bytes (the same multipart boundary), as a client's retry does.
    verzoek = httpx.Request(
        "POST", "http://x" + pad, files={"bestand": ("offerte.pdf", PDF, "application/pdf")}
    )
    lichaam = verzoek.read()
    kop = {"Content-Type": verzoek.headers["Content-Type"], "Idempotency-Key": "upload-1"}
    eerste = ok(await karim.post(pad, content=lichaam, headers=kop), 201)
    r = await karim.post(pad, content=lichaam, headers=kop)
    assert r.status_code == 201 and r.headers["Idempotent-Replayed"] == "true"
    assert r.json()["id"] == eerste["id"]
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Bijlage)) == 1


async def test_a_file_name_with_a_bsn_is_refused(api: Api) -> None:
    from doorbraak.demo import DEMO_BSNS

    k = await _casus(api)
    body = probleem(await _upload(api("karim"), k, PDF, f"{DEMO_BSNS[0]}.pdf"), 400)
    assert body["invalidParams"][0]["name"] == "bestandsnaam"


async def test_another_method_with_a_file_is_405_not_a_media_type_question(api: Api) -> None:
    # Found by the fuzzer: PUT with a multipart body on the upload path answered 415 "send JSON"
    # from the request boundary; the route does not take PUT at all.
    k = await _casus(api)
    r = await api("karim").put(
        f"/api/v1/casussen/{k}/bijlagen",
        files={"bestand": ("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert r.status_code == 405 and "POST" in r.headers["Allow"], r.text
    assert r.headers["content-type"].startswith("application/problem+json")
