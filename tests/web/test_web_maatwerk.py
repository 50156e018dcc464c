"""The casus page shows what the API knows about maatwerk: afdelingen not yet heard, the cost
split, the escalatie bound to an afwijking with its structured outcome; and its forms drive the
new actions (passing an afdeling over, recording an outcome)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit, nieuwe_afwijking, ok
from tests.web.conftest import csrf_uit


async def test_the_casus_page_shows_hearing_cost_split_and_bound_escalation(
    web: Any, api: Api
) -> None:
    casus = await casus_in_maatwerk(api)
    k = casus["kenmerk"]
    besluit = await nieuw_besluit(
        api("karim"),
        k,
        betalendeAfdeling=None,
        kostenEenmaligCent=1_000_000,
        kostenverdeling=[
            {"afdeling": "vastgoed", "eenmaligCent": 500_000},
            {"afdeling": "sociaal-domein", "eenmaligCent": 500_000},
        ],
    )
    afwijking = await nieuwe_afwijking(
        api("karim"), k, besluit["id"], casus["regel"], grondslag="buiten_kader"
    )
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{k}")
    assert "Nog niet gehoord:" in pagina.text
    assert "Wie betaalt" in pagina.text and "5.000,00" in pagina.text
    # Karim passes vastgoed over through the form.
    r = await karim.post(
        f"/casussen/{k}/besluiten/{besluit['id']}/overslagen",
        data={"csrf": csrf_uit(pagina.text), "afdeling": "vastgoed", "reden": "Geen reactie."},
    )
    assert r.status_code in (200, 303), r.text
    gelezen = ok(await api("karim").get(f"/api/v1/casussen/{k}/besluiten/{besluit['id']}"))
    assert gelezen["nietGehoord"] == ["sociaal-domein"]
    # A bestuur escalatie about the afwijking; peter records the outcome through the form.
    e = ok(
        await api("karim").post(
            f"/api/v1/casussen/{k}/escalaties",
            json={
                "niveau": "bestuur",
                "reden": "Buiten kader.",
                "betreft": {"afwijkingen": [afwijking["id"]]},
            },
        ),
        201,
    )
    peter = await web("peter")
    pagina = await peter.get(f"/casussen/{k}")
    assert "Over 1 afwijking(en)" in pagina.text
    r = await peter.post(
        f"/casussen/{k}/escalaties/{e['id']}/afhandelen",
        data={
            "csrf": csrf_uit(pagina.text),
            "versie": str(e["versie"]),
            "uitkomst.soort": "toegekend",
            "uitkomst.referentie": "Collegebesluit 2026-114",
        },
    )
    assert r.status_code in (200, 303), r.text
    pagina = await peter.get(f"/casussen/{k}")
    assert "Collegebesluit 2026-114" in pagina.text and "Toegekend" in pagina.text
