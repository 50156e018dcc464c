"""The fase state machine: every kind of move, allowed and refused, as a table and via the API."""

from __future__ import annotations

import pytest

from doorbraak.casussen.fasen import VERLAATVOORWAARDEN, Feiten, Soort, beoordeel, open_voorwaarden
from doorbraak.models.enums import FASE_VOLGORDE, Afsluitreden, Fase
from tests.conftest import Api
from tests.helpers import fase, mid, nieuw_doel, nieuwe_casus, ok, probleem

ALLES_VERVULD = Feiten(
    heeft_regiehouder=True,
    aantal_deelnames=1,
    aantal_doelen=1,
    heeft_doorbraak=True,
    aantal_knelpunten=1,
    aantal_vastgestelde_besluiten=1,
    ongedekte_afwijkingen=0,
    onafgeronde_stappen=0,
    aantal_leerpunten=1,
)
NIETS = Feiten(onafgeronde_stappen=1, ongedekte_afwijkingen=1)
OPEN_FASEN = [f for f in FASE_VOLGORDE if f != Fase.afgesloten]


@pytest.mark.parametrize("van", OPEN_FASEN[:-1])
def test_forward_one_step_needs_the_conditions_of_the_current_fase(van: Fase) -> None:
    naar = FASE_VOLGORDE[FASE_VOLGORDE.index(van) + 1]
    soort, weigering = beoordeel(van, naar, ALLES_VERVULD, toelichting=None, afsluitreden=None)
    assert (soort, weigering) == (Soort.VOORUIT, None)
    soort, weigering = beoordeel(van, naar, NIETS, toelichting=None, afsluitreden=None)
    assert weigering is not None and weigering.code == "fase-voorwaarden"
    assert [v.code for v in weigering.voorwaarden] == [v.code for v in VERLAATVOORWAARDEN[van]]


def test_evaluatie_has_no_forward_move_but_closing() -> None:
    _, weigering = beoordeel(
        Fase.evaluatie, Fase.afgesloten, ALLES_VERVULD, toelichting=None, afsluitreden=None
    )
    assert weigering is not None and weigering.code == "afsluitreden-verplicht"


@pytest.mark.parametrize("van", OPEN_FASEN)
@pytest.mark.parametrize("naar", OPEN_FASEN)
def test_every_pair_of_open_fasen(van: Fase, naar: Fase) -> None:
    stap = FASE_VOLGORDE.index(naar) - FASE_VOLGORDE.index(van)
    soort, weigering = beoordeel(van, naar, ALLES_VERVULD, toelichting=None, afsluitreden=None)
    if stap == 1:
        assert weigering is None
    elif stap == 0:
        assert weigering is not None and weigering.code == "zelfde-fase"
    elif stap > 1:
        assert weigering is not None and weigering.code == "fase-overslaan"
    else:
        assert (
            soort == Soort.TERUG
            and weigering is not None
            and weigering.ongeldig_veld == "toelichting"
        )
        _, met_reden = beoordeel(van, naar, NIETS, toelichting="opnieuw kijken", afsluitreden=None)
        assert met_reden is None, "moving back needs only a reason"


@pytest.mark.parametrize("van", OPEN_FASEN)
@pytest.mark.parametrize("reden", list(Afsluitreden))
def test_closing(van: Fase, reden: Afsluitreden) -> None:
    soort, weigering = beoordeel(
        van, Fase.afgesloten, ALLES_VERVULD, toelichting=None, afsluitreden=reden
    )
    assert soort == Soort.AFSLUITEN
    if reden == Afsluitreden.opgelost and van != Fase.evaluatie:
        assert weigering is not None and weigering.code == "opgelost-alleen-na-evaluatie"
    else:
        assert weigering is None
    _, zonder_leerpunt = beoordeel(
        Fase.evaluatie,
        Fase.afgesloten,
        Feiten(),
        toelichting=None,
        afsluitreden=Afsluitreden.opgelost,
    )
    assert zonder_leerpunt is not None and [v.code for v in zonder_leerpunt.voorwaarden] == [
        "leerpunt"
    ]


@pytest.mark.parametrize("naar", list(Fase))
def test_reopening(naar: Fase) -> None:
    soort, weigering = beoordeel(
        Fase.afgesloten, naar, NIETS, toelichting="nieuw feit", afsluitreden=None
    )
    assert soort == Soort.HEROPENEN
    if naar in (Fase.uitvoering, Fase.evaluatie):
        assert weigering is None
        _, zonder_reden = beoordeel(
            Fase.afgesloten, naar, NIETS, toelichting=None, afsluitreden=None
        )
        assert zonder_reden is not None and zonder_reden.ongeldig_veld == "toelichting"
    else:
        assert weigering is not None and weigering.code == "casus-gesloten"


def test_afsluitreden_only_when_closing() -> None:
    _, weigering = beoordeel(
        Fase.aangemeld,
        Fase.in_kaart,
        ALLES_VERVULD,
        toelichting=None,
        afsluitreden=Afsluitreden.opgelost,
    )
    assert weigering is not None and weigering.ongeldig_veld == "afsluitreden"


def test_open_voorwaarden_lists_all_unmet_conditions() -> None:
    assert [v.code for v in open_voorwaarden(Fase.afpellen, Feiten())] == ["doorbraak", "knelpunt"]


# --- through the API ------------------------------------------------------------------------------


async def test_refused_move_lists_every_unmet_condition(api: Api) -> None:
    karim = api("karim")
    casus = await nieuwe_casus(karim)
    k = casus["kenmerk"]
    body = probleem(await fase(karim, k, "in_kaart"), 409, "fase-voorwaarden")
    assert body["voorwaarden"] == [
        {"code": "regiehouder", "omschrijving": "De casus heeft een regiehouder."}
    ]
    probleem(await fase(karim, k, "afpellen"), 409, "fase-overslaan")
    ok(await karim.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    ok(await fase(karim, k, "in_kaart"), 201)
    ok(await karim.post(f"/api/v1/casussen/{k}/deelnames", json={"afdeling": "vastgoed"}), 201)
    ok(await fase(karim, k, "perspectief"), 201)
    probleem(await fase(karim, k, "afpellen"), 409, "fase-voorwaarden")
    body = probleem(await fase(karim, k, "afpellen"), 409, "fase-voorwaarden")
    assert [v["code"] for v in body["voorwaarden"]] == ["doel"]
    await nieuw_doel(karim, k, "Warm en droog")
    ok(await fase(karim, k, "afpellen"), 201)
    body = probleem(await fase(karim, k, "maatwerk"), 409, "fase-voorwaarden")
    assert [v["code"] for v in body["voorwaarden"]] == ["doorbraak", "knelpunt"]


async def test_back_close_and_reopen(api: Api) -> None:
    karim, sanne, peter = api("karim"), api("sanne"), api("peter")
    casus = await nieuwe_casus(sanne)
    k = casus["kenmerk"]
    ok(await sanne.post(f"/api/v1/casussen/{k}/regie", json={"medewerker": mid("karim")}), 201)
    ok(await fase(karim, k, "in_kaart"), 201)
    body = probleem(await fase(karim, k, "aangemeld"), 400, "ongeldige-invoer")
    assert body["invalidParams"][0]["name"] == "toelichting"
    terug = ok(await fase(karim, k, "aangemeld", toelichting="aanmelding onvolledig"), 201)
    assert (terug["van"], terug["naar"]) == ("in_kaart", "aangemeld")
    probleem(await fase(karim, k, "afgesloten"), 400)
    probleem(
        await fase(karim, k, "afgesloten", afsluitreden="opgelost"),
        409,
        "opgelost-alleen-na-evaluatie",
    )
    # Only the regiehouder (or a leidinggevende) moves the fase: the aanmelder no longer may.
    probleem(await fase(sanne, k, "afgesloten", afsluitreden="ingetrokken"), 403)
    dicht = ok(
        await fase(karim, k, "afgesloten", afsluitreden="elders_belegd", toelichting="Wmo-loket"),
        201,
    )
    assert dicht["afsluitreden"] == "elders_belegd"
    detail = ok(await karim.get(f"/api/v1/casussen/{k}"))
    assert (
        detail["fase"] == "afgesloten"
        and detail["afgeslotenOp"]
        and detail["afsluitreden"] == "elders_belegd"
    )
    assert detail["volgendeFase"] is None
    # Closed means read-only.
    probleem(
        await karim.patch(
            f"/api/v1/casussen/{k}",
            json={"titel": "x"},
            headers={"If-Match": f'"{detail["versie"]}"'},
        ),
        409,
        "casus-gesloten",
    )
    probleem(
        await karim.post(f"/api/v1/casussen/{k}/deelnames", json={"afdeling": "wonen"}),
        409,
        "casus-gesloten",
    )
    probleem(await fase(karim, k, "in_kaart", toelichting="toch"), 409, "casus-gesloten")
    probleem(await fase(karim, k, "uitvoering"), 400)
    # The aanmelder may not reopen; the last regiehouder may.
    probleem(await fase(sanne, k, "uitvoering", toelichting="nieuw feit"), 403)
    heropend = ok(await fase(karim, k, "evaluatie", toelichting="nieuw feit"), 201)
    assert heropend["naar"] == "evaluatie"
    detail = ok(await karim.get(f"/api/v1/casussen/{k}"))
    assert detail["afgeslotenOp"] is None and detail["afsluitreden"] is None
    # peter is a leidinggevende, but until his afdeling takes part he does not see the casus.
    probleem(await peter.get(f"/api/v1/casussen/{k}/fase-overgangen"), 404)
    ok(
        await karim.post(f"/api/v1/casussen/{k}/deelnames", json={"afdeling": "sociaal-domein"}),
        201,
    )
    lijst = ok(await peter.get(f"/api/v1/casussen/{k}/fase-overgangen"))["results"]
    assert [(o["van"], o["naar"]) for o in lijst] == [
        (None, "aangemeld"),
        ("aangemeld", "in_kaart"),
        ("in_kaart", "aangemeld"),
        ("aangemeld", "afgesloten"),
        ("afgesloten", "evaluatie"),
    ]
    assert all(o["door"]["naam"] for o in lijst)
