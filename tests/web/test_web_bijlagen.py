"""The Bijlagen section of the casus page, without JavaScript: upload with the form
(multipart/form-data with the CSRF token), the limit shown, download, delete with confirmation;
outsiders see no section."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import mid, nieuwe_casus, ok
from tests.test_bijlagen import ELF, PDF
from tests.web.conftest import csrf_uit


async def _casus(api: Api) -> str:
    k: str = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    return k


async def test_upload_download_and_delete_from_the_casus_page(api: Api, web: Any) -> None:
    k = await _casus(api)
    karim = await web("karim")
    pagina = (await karim.get(f"/casussen/{k}")).text
    sectie = pagina.split('id="bijlagen"', 1)[1].split("</section>", 1)[0]
    assert "Nog geen bijlagen." in sectie and 'enctype="multipart/form-data"' in sectie
    assert "Hoogstens 20 MB" in sectie and 'href="#bijlagen"' in pagina
    csrf = csrf_uit(pagina)
    r = await karim.post(
        f"/casussen/{k}/bijlagen",
        data={"csrf": csrf, "omschrijving": "Beschikking schuldhulp"},
        files={"bestand": ("beschikking.pdf", PDF, "application/pdf")},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/casussen/{k}?gelukt=bijlagen#melding"
    pagina = (await karim.get(r.headers["location"])).text
    assert "De bijlage is toegevoegd." in pagina
    [b] = ok(await api("karim").get(f"/api/v1/casussen/{k}/bijlagen"))["results"]
    link = f'href="/casussen/{k}/bijlagen/{b["id"]}/inhoud"'
    assert link in pagina and "beschikking.pdf" in pagina and "(PDF," in pagina
    d = await karim.get(f"/casussen/{k}/bijlagen/{b['id']}/inhoud")
    assert d.status_code == 200 and d.content == PDF
    assert d.headers["content-type"] == "application/pdf"
    assert d.headers["content-disposition"].startswith("attachment;")

    # A renamed program comes back as the form with its error; nothing is stored.
    fout = await karim.post(
        f"/casussen/{k}/bijlagen",
        data={"csrf": csrf_uit(pagina)},
        files={"bestand": ("brief.pdf", ELF, "application/pdf")},
    )
    assert fout.status_code == 415 and "programma" in fout.text
    # Without the CSRF token: refused.
    r = await karim.post(
        f"/casussen/{k}/bijlagen", files={"bestand": ("brief.pdf", PDF, "application/pdf")}
    )
    assert r.status_code == 403

    # Delete: only with the confirmation ticked.
    weg = f"/casussen/{k}/bijlagen/{b['id']}/verwijderen"
    zonder = await karim.post(weg, data={"csrf": csrf_uit(pagina), "versie": str(b["versie"])})
    assert zonder.status_code == 400
    r = await karim.post(
        weg, data={"csrf": csrf_uit(pagina), "versie": str(b["versie"]), "bevestigd": "on"}
    )
    assert r.status_code == 303
    assert ok(await api("karim").get(f"/api/v1/casussen/{k}/bijlagen"))["results"] == []
    tijdlijn = (await karim.get(f"/casussen/{k}?deel=tijdlijn")).text
    assert "Bijlage ‘beschikking.pdf’ verwijderd" in tijdlijn
    assert "Bijlage ‘beschikking.pdf’ gedownload" in tijdlijn


async def test_participating_leiding_sees_the_section_others_no_page(api: Api, web: Any) -> None:
    k = await _casus(api)
    basis = f"/api/v1/casussen/{k}"
    ok(await api("karim").post(f"{basis}/deelnames", json={"afdeling": "sociaal-domein"}), 201)
    ok(
        await api("karim").post(
            f"{basis}/bijlagen", files={"bestand": ("beschikking.pdf", PDF, "application/pdf")}
        ),
        201,
    )
    peter = (await (await web("peter")).get(f"/casussen/{k}")).text
    assert 'id="bijlagen"' in peter and "beschikking.pdf" in peter
    # marieke leads vastgoed, which is not at the table: no casus page, no document.
    marieke = await web("marieke")
    assert (await marieke.get(f"/casussen/{k}")).status_code == 404
    [b] = ok(await api("karim").get(f"{basis}/bijlagen"))["results"]
    assert (await marieke.get(f"/casussen/{k}/bijlagen/{b['id']}/inhoud")).status_code == 404
