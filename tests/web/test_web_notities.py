"""The notes section of the casus page and the meldingvoorkeur on Mijn werk, without JavaScript."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import mid, nieuwe_casus, ok
from tests.web.conftest import csrf_uit


async def test_a_note_with_a_mention_from_the_form_reaches_the_inbox(api: Api, web: Any) -> None:
    k = (await nieuwe_casus(api("sanne")))["kenmerk"]
    ok(
        await api("sanne").post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}),
        201,
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    assert 'id="notities"' in pagina.text and "Nog geen notities." in pagina.text
    csrf = csrf_uit(pagina.text)
    r = await karim.post(
        f"/casussen/{k}/notities", data={"csrf": csrf, "tekst": "@sanne bel jij het gezin?"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/casussen/{k}")
    # An unknown name: the form comes back with the error next to the field, text kept.
    fout = await karim.post(f"/casussen/{k}/notities", data={"csrf": csrf, "tekst": "@niemand hoi"})
    assert fout.status_code == 400 and "@niemand is geen actieve medewerker" in fout.text
    assert "@niemand hoi" in fout.text

    sanne = await web("sanne")
    werk = (await sanne.get("/")).text
    inbox = werk.split('id="k-inbox"', 1)[1].split("</section>", 1)[0]
    assert f'href="/casussen/{k}#notities"' in inbox and "genoemd in een notitie" in inbox
    casus = (await sanne.get(f"/casussen/{k}")).text
    assert "@sanne bel jij het gezin?" in casus and ">Gezien</button>" in casus
    [notitie] = ok(await api("sanne").get(f"/api/v1/casussen/{k}/notities"))["results"]
    r = await sanne.post(
        f"/casussen/{k}/notities/{notitie['id']}/gezien", data={"csrf": csrf_uit(casus)}
    )
    assert r.status_code == 303
    werk = (await sanne.get("/")).text
    assert f"/casussen/{k}#notities" not in werk.split('id="k-inbox"', 1)[1].split("</section>")[0]


async def test_the_meldingvoorkeur_is_set_on_mijn_werk(api: Api, web: Any) -> None:
    sanne = await web("sanne")
    werk = (await sanne.get("/")).text
    assert 'id="meldingen"' in werk and '<option value="direct" selected>' in werk
    r = await sanne.post(
        "/meldingvoorkeur", data={"csrf": csrf_uit(werk), "voorkeur": "dagelijks", "versie": "0"}
    )
    assert r.status_code == 303
    werk = (await sanne.get(r.headers["location"])).text
    assert '<option value="dagelijks" selected>' in werk and 'role="status"' in werk
    assert ok(await api("sanne").get("/api/v1/ik/meldingvoorkeur"))["voorkeur"] == "dagelijks"
    # A stale form (version 0 again) is refused, not silently applied.
    r = await sanne.post(
        "/meldingvoorkeur", data={"csrf": csrf_uit(werk), "voorkeur": "uit", "versie": "0"}
    )
    assert r.status_code == 412
    assert ok(await api("sanne").get("/api/v1/ik/meldingvoorkeur"))["voorkeur"] == "dagelijks"
