"""The API contract as generated clients see it: stable operation ids, a document that says
exactly what the server accepts, and paging by cursor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Api
from tests.helpers import mid, nieuwe_casus, nieuwe_regel, ok, probleem

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi" / "doorbraak.json"

# Generated clients name their functions after these: changing one breaks every integration
# that calls it. Add new ones; do not rename.
OPERATIES = {
    "GET /ik": "ik",
    "GET /inbox": "inbox",
    "GET /inbox/telling": "inboxTelling",
    "GET /ik/meldingvoorkeur": "meldingvoorkeurLezen",
    "PUT /ik/meldingvoorkeur": "meldingvoorkeurZetten",
    "GET /casussen/{kenmerk}/notities": "notitiesLijst",
    "POST /casussen/{kenmerk}/notities": "notitiePlaatsen",
    "POST /casussen/{kenmerk}/notities/{id}/gezien": "notitieGezien",
    "GET /casussen/{kenmerk}/bijlagen": "bijlagenLijst",
    "POST /casussen/{kenmerk}/bijlagen": "bijlageToevoegen",
    "GET /casussen/{kenmerk}/bijlagen/{id}": "bijlageLezen",
    "GET /casussen/{kenmerk}/bijlagen/{id}/inhoud": "bijlageDownloaden",
    "DELETE /casussen/{kenmerk}/bijlagen/{id}": "bijlageVerwijderen",
    "GET /afdelingen": "afdelingenLijst",
    "POST /afdelingen": "afdelingToevoegen",
    "GET /afdelingen/{code}": "afdelingLezen",
    "PATCH /afdelingen/{code}": "afdelingWijzigen",
    "GET /medewerkers": "medewerkersLijst",
    "POST /medewerkers": "medewerkerToevoegen",
    "GET /medewerkers/{id}": "medewerkerLezen",
    "PATCH /medewerkers/{id}": "medewerkerWijzigen",
    "GET /regels": "regelsLijst",
    "POST /regels": "regelToevoegen",
    "GET /regels/{id}": "regelLezen",
    "PATCH /regels/{id}": "regelWijzigen",
    "GET /casussen": "casussenLijst",
    "POST /casussen": "casusAanmelden",
    "POST /casussen/_zoek": "casussenZoeken",
    "GET /casussen/{kenmerk}": "casusLezen",
    "PATCH /casussen/{kenmerk}": "casusWijzigen",
    "GET /casussen/{kenmerk}/fase-overgangen": "faseOvergangenLijst",
    "POST /casussen/{kenmerk}/fase-overgangen": "faseOvergangMaken",
    "GET /casussen/{kenmerk}/tijdlijn": "tijdlijnLijst",
    "GET /casussen/{kenmerk}/team": "teamLijst",
    "POST /casussen/{kenmerk}/team": "teamlidToevoegen",
    "DELETE /casussen/{kenmerk}/team/{medewerkerId}": "teamlidVerwijderen",
    "GET /casussen/{kenmerk}/regie": "regieLezen",
    "POST /casussen/{kenmerk}/regie": "regieToewijzen",
    "GET /casussen/{kenmerk}/deelnames": "deelnamesLijst",
    "POST /casussen/{kenmerk}/deelnames": "deelnameToevoegen",
    "GET /casussen/{kenmerk}/deelnames/{afdelingCode}": "deelnameLezen",
    "PATCH /casussen/{kenmerk}/deelnames/{afdelingCode}": "deelnameWijzigen",
    "DELETE /casussen/{kenmerk}/deelnames/{afdelingCode}": "deelnameVerwijderen",
    "GET /casussen/{kenmerk}/escalaties": "escalatiesLijst",
    "POST /casussen/{kenmerk}/escalaties": "escaleren",
    "GET /casussen/{kenmerk}/escalaties/{id}": "escalatieLezen",
    "PATCH /casussen/{kenmerk}/escalaties/{id}": "escalatieAfhandelen",
    "POST /casussen/{kenmerk}/escalaties/{id}/correcties": "escalatieCorrigeren",
    "GET /casussen/{kenmerk}/betrokkenen": "betrokkenenLijst",
    "POST /casussen/{kenmerk}/betrokkenen": "betrokkeneToevoegen",
    "GET /casussen/{kenmerk}/betrokkenen/{id}": "betrokkeneLezen",
    "PATCH /casussen/{kenmerk}/betrokkenen/{id}": "betrokkeneWijzigen",
    "DELETE /casussen/{kenmerk}/betrokkenen/{id}": "betrokkeneVerwijderen",
    "GET /casussen/{kenmerk}/kosten": "kostenLezen",
    "GET /casussen/{kenmerk}/kostenregels": "kostenregelsLijst",
    "POST /casussen/{kenmerk}/kostenregels": "kostenregelBoeken",
    "GET /casussen/{kenmerk}/samenvatting": "samenvattingLezen",
    "GET /casussen/{kenmerk}/bestuursmemo": "bestuursmemoLezen",
    "GET /stappen": "werklijst",
    "GET /casussen/{kenmerk}/stappen": "stappenLijst",
    "POST /casussen/{kenmerk}/stappen": "stapToevoegen",
    "GET /casussen/{kenmerk}/stappen/{id}": "stapLezen",
    "PATCH /casussen/{kenmerk}/stappen/{id}": "stapWijzigen",
    "GET /casussen/{kenmerk}/knelpunten": "knelpuntenLijst",
    "POST /casussen/{kenmerk}/knelpunten": "knelpuntToevoegen",
    "GET /casussen/{kenmerk}/knelpunten/{id}": "knelpuntLezen",
    "PATCH /casussen/{kenmerk}/knelpunten/{id}": "knelpuntWijzigen",
    "GET /casussen/{kenmerk}/besluiten": "besluitenLijst",
    "POST /casussen/{kenmerk}/besluiten": "besluitOpstellen",
    "GET /casussen/{kenmerk}/besluiten/{id}": "besluitLezen",
    "POST /casussen/{kenmerk}/besluiten/{id}/reacties": "reageren",
    "POST /casussen/{kenmerk}/besluiten/{id}/vaststellen": "vaststellen",
    "POST /casussen/{kenmerk}/besluiten/{id}/overslagen": "overslaan",
    "POST /casussen/{kenmerk}/besluiten/{id}/intrekken": "intrekken",
    "GET /casussen/{kenmerk}/afwijkingen": "afwijkingenLijst",
    "POST /casussen/{kenmerk}/afwijkingen": "afwijkingVoorstellen",
    "GET /casussen/{kenmerk}/afwijkingen/{id}": "afwijkingLezen",
    "POST /casussen/{kenmerk}/afwijkingen/{id}/rugdekking": "rugdekkingGeven",
    "GET /casussen/{kenmerk}/afwijkingen/{id}/kandidaten": "kandidatenLijst",
    "GET /rugdekkingsverzoeken": "rugdekkingsverzoekenLijst",
    "POST /rugdekkingsverzoeken": "rugdekkingsverzoekSturen",
    "GET /rugdekkingsverzoeken/{id}": "rugdekkingsverzoekLezen",
    "POST /rugdekkingsverzoeken/{id}/beantwoorden": "rugdekkingsverzoekBeantwoorden",
    "POST /rugdekkingsverzoeken/{id}/intrekken": "rugdekkingsverzoekIntrekken",
    "GET /casussen/{kenmerk}/leerpunten": "leerpuntenLijst",
    "POST /casussen/{kenmerk}/leerpunten": "leerpuntToevoegen",
    "GET /casussen/{kenmerk}/leerpunten/{id}": "leerpuntLezen",
    "PATCH /casussen/{kenmerk}/leerpunten/{id}": "leerpuntWijzigen",
    "POST /casussen/{kenmerk}/leerpunten/{id}/goedkeuring": "verhaalGoedkeuren",
    "DELETE /verhalen/{id}": "verhaalIntrekken",
    "GET /verhalen": "verhalen",
    "GET /beleidssignalen": "beleidssignalen",
    "GET /beleidssignalen/{id}": "beleidssignaalLezen",
    "PATCH /beleidssignalen/{id}": "beleidssignaalBehandelen",
    "GET /regels/{id}/versies": "regelversiesLijst",
    "POST /regels/{id}/versies": "regelversieVaststellen",
    "GET /casussen/{kenmerk}/precedenten": "precedenten",
    "GET /leerrapport": "leerrapport",
    "GET /afwijkingen": "afwijkingenRegister",
    "GET /statistieken": "statistieken",
    "GET /logboek": "logboekLijst",
    "GET /logboek/verificatie": "logboekVerificatie",
    "POST /exports": "exportStarten",
    "GET /exports": "exportsLijst",
    "GET /exports/{id}": "exportLezen",
    "POST /rechtenverzoeken": "rechtenverzoekIndienen",
    "GET /rechtenverzoeken": "rechtenverzoekenLijst",
    "GET /rechtenverzoeken/{id}": "rechtenverzoekLezen",
    "POST /rechtenverzoeken/{id}/beoordeling": "rechtenverzoekBeoordelen",
    "GET /api-tokens": "apiTokensLijst",
    "POST /api-tokens": "apiTokenMaken",
    "POST /api-tokens/{id}/intrekken": "apiTokenIntrekken",
    "GET /casussen/{kenmerk}/perspectiefplan": "perspectiefplanLezen",
    "POST /casussen/{kenmerk}/perspectiefplan/instemming": "instemmingVastleggen",
    "DELETE /casussen/{kenmerk}/perspectiefplan/instemming": "instemmingIntrekken",
    "POST /casussen/{kenmerk}/huishoudleden": "huishoudlidToevoegen",
    "GET /casussen/{kenmerk}/huishoudleden/{id}": "huishoudlidLezen",
    "PATCH /casussen/{kenmerk}/huishoudleden/{id}": "huishoudlidWijzigen",
    "DELETE /casussen/{kenmerk}/huishoudleden/{id}": "huishoudlidVerwijderen",
    "POST /casussen/{kenmerk}/doelen": "doelToevoegen",
    "GET /casussen/{kenmerk}/doelen/{id}": "doelLezen",
    "PATCH /casussen/{kenmerk}/doelen/{id}": "doelWijzigen",
    "DELETE /casussen/{kenmerk}/doelen/{id}": "doelVerwijderen",
    "POST /casussen/{kenmerk}/afspraken": "afspraakToevoegen",
    "GET /casussen/{kenmerk}/afspraken/{id}": "afspraakLezen",
    "PATCH /casussen/{kenmerk}/afspraken/{id}": "afspraakWijzigen",
    "DELETE /casussen/{kenmerk}/afspraken/{id}": "afspraakVerwijderen",
    "GET /externe-partijen": "externePartijenLijst",
    "POST /externe-partijen": "externePartijToevoegen",
    "GET /externe-partijen/{code}": "externePartijLezen",
    "PATCH /externe-partijen/{code}": "externePartijWijzigen",
    "GET /casussen/{kenmerk}/partijdeelnames": "partijdeelnamesLijst",
    "POST /casussen/{kenmerk}/partijdeelnames": "partijdeelnameToevoegen",
    "GET /casussen/{kenmerk}/partijdeelnames/{partijCode}": "partijdeelnameLezen",
    "PATCH /casussen/{kenmerk}/partijdeelnames/{partijCode}": "partijdeelnameWijzigen",
    "DELETE /casussen/{kenmerk}/partijdeelnames/{partijCode}": "partijdeelnameVerwijderen",
    "GET /nazorgmomenten": "nazorgmomentenLijst",
    "GET /health": "health",
    "GET /health/gereed": "healthGereed",
}


def _document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text())  # type: ignore[no-any-return]


def test_every_operation_has_its_pinned_operation_id() -> None:
    gevonden = {
        f"{methode.upper()} {pad}": operatie["operationId"]
        for pad, operaties in _document()["paths"].items()
        for methode, operatie in operaties.items()
    }
    assert gevonden == OPERATIES
    assert len(set(gevonden.values())) == len(gevonden)


def test_the_health_routes_are_declared_public_and_typed() -> None:
    paden = _document()["paths"]
    for pad in ("/health", "/health/gereed"):
        operatie = paden[pad]["get"]
        assert operatie["security"] == [], pad
        schema = operatie["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/"), pad
        assert any(s.startswith("4") for s in operatie["responses"]), pad
    assert _document()["info"]["license"]["identifier"]


# PATCH fields the server refuses to set to null (400 `verplicht`): not nullable in the document.
NIET_NULL = {
    "CasusWijziging": {"titel", "situatie"},
    "RegelWijziging": {"titel", "regeling", "artikel", "soort", "actief"},
    "StapWijziging": {"titel"},
}


def _nullable(schema: dict[str, Any]) -> bool:
    soort = schema.get("type")
    if soort == "null" or (isinstance(soort, list) and "null" in soort):
        return True
    return any(_nullable(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def test_patch_fields_that_refuse_null_are_not_nullable_in_the_document() -> None:
    schemas = _document()["components"]["schemas"]
    for naam, velden in NIET_NULL.items():
        eigenschappen = schemas[naam]["properties"]
        for veld in velden:
            assert not _nullable(eigenschappen[veld]), (naam, veld)
            assert veld not in schemas[naam].get("required", []), (naam, veld)
    # The other fields of a PATCH stay nullable where null means "clear it".
    assert _nullable(schemas["CasusWijziging"]["properties"]["doorbraakvraag"])


async def test_null_for_those_fields_is_refused(api: Api) -> None:
    sanne, karim, bram = api("sanne"), api("karim"), api("bram")
    casus = await nieuwe_casus(sanne)
    pad = f"/api/v1/casussen/{casus['kenmerk']}"
    for veld in ("titel", "situatie"):
        r = await sanne.patch(pad, json={veld: None}, headers={"If-Match": '"1"'})
        assert probleem(r, 400)["invalidParams"][0]["code"] == "verplicht"
    regel = await nieuwe_regel(bram)
    for veld in NIET_NULL["RegelWijziging"]:
        r = await bram.patch(
            f"/api/v1/regels/{regel['id']}", json={veld: None}, headers={"If-Match": '"1"'}
        )
        assert probleem(r, 400)["invalidParams"][0]["code"] == "verplicht", veld
    ok(await sanne.post(f"{pad}/regie", json={"medewerker": mid("karim")}), 201)
    stap = ok(await karim.post(f"{pad}/stappen", json={"titel": "Dak dicht"}), 201)
    r = await karim.patch(
        f"{pad}/stappen/{stap['id']}", json={"titel": None}, headers={"If-Match": '"1"'}
    )
    assert probleem(r, 400)["invalidParams"][0]["code"] == "verplicht"


async def test_next_cursor_is_the_cursor_of_the_next_url(api: Api) -> None:
    sanne = api("sanne")
    for _ in range(3):
        await nieuwe_casus(sanne)
    gezien: list[str] = []
    pagina = ok(await sanne.get("/api/v1/casussen", params={"limit": 2}))
    while True:
        gezien += [c["kenmerk"] for c in pagina["results"]]
        if pagina["next"] is None:
            assert pagina["nextCursor"] is None
            break
        assert f"cursor={pagina['nextCursor']}" in pagina["next"]
        # The supported way: the cursor as a parameter, same limit.
        via_cursor = ok(
            await sanne.get("/api/v1/casussen", params={"limit": 2, "cursor": pagina["nextCursor"]})
        )
        assert via_cursor == ok(await sanne.get(pagina["next"]))
        pagina = via_cursor
    assert len(gezien) == len(set(gezien)) == 3
