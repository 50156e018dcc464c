"""BOLA matrix (OWASP API1:2023): every operation with an id in its path, called by every persona.

The routes are taken from the app itself, so a new route cannot escape: a route that is missing
from `MATRIX` fails the test. Adding a row = one line: the request (path, body) and the expected
outcome per persona, in the column order of `PERSONAS`:

    ok   authorization passed: 200/201/204, or a domain refusal after the check (409 conflict,
         412 stale If-Match; mutations use those to stay non-destructive)
    403  the persona sees the object but may not do this
    404  the persona may not know the object exists

Personas on one casus (aangemeld by sanne, regie karim, deelnames sociaal-domein with contactpersoon
sanne and schuldhulp, eva an explicit team member, parts of every kind):

    buiten    ruben, sociaal-domein (a participating afdeling) but not on the casusteam
    andere    joost, vastgoed: an afdeling that does not take part
    teamlid   eva, explicit casusteam member
    regie     karim, the regiehouder
    leiding   peter, leidinggevende of sociaal-domein (participating)
    beleid    fatima
    auditor   lotte without X-Doelbinding
    doel      lotte with X-Doelbinding (read-only, purpose logged)
    beheer    bram, beheerder
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.routing import iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.auth.tokens import token_hash
from doorbraak.models import ApiToken, Medewerker
from tests.conftest import Api
from tests.helpers import lokaal_vandaag, mid, nieuwe_casus, ok

PERSONAS = (
    "buiten",
    "andere",
    "teamlid",
    "regie",
    "leiding",
    "beleid",
    "auditor",
    "doel",
    "beheer",
)
TOKENS = {
    "buiten": "dbk_test-ruben",
    "andere": "demo-joost",
    "teamlid": "demo-eva",
    "regie": "demo-karim",
    "leiding": "demo-peter",
    "beleid": "demo-fatima",
    "auditor": "demo-lotte",
    "doel": "demo-lotte",
    "beheer": "demo-bram",
}
DOELBINDING = "Onderzoek klacht 2026-17 naar inzage in dossier"
OK_STATUS = {200, 201, 204, 409, 412}
FOUT_ETAG = {"If-Match": '"999999"'}


@dataclass
class Casus:
    """The ids of the casus and its parts, for building paths."""

    kenmerk: str
    escalatie: str
    betrokkene: str
    stap: str
    knelpunt: str
    regel: str
    besluit: str
    besluit_in: str  # a second concept, for intrekken
    afwijking: str
    leerpunt: str
    export: str = ""
    rechtenverzoek: str = ""
    rugdekkingsverzoek: str = ""
    huishoudlid: str = ""
    doel: str = ""
    afspraak: str = ""
    notitie: str = ""
    bijlage: str = ""
    api_token: str = ""

    @property
    def basis(self) -> str:
        return f"/api/v1/casussen/{self.kenmerk}"


@dataclass(frozen=True)
class Rij:
    pad: Callable[[Casus], str]
    verwacht: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Runs before each cell, as the regiehouder (restores what a successful DELETE removed).
    voorbereiding: Callable[[httpx.AsyncClient, Casus], Any] | None = None
    # A multipart body instead of JSON (the upload of a bijlage).
    bestanden: dict[str, tuple[str, bytes, str]] | None = None


ZIEN = "404 404 ok ok ok 404 404 ok 404"  # read anything of the casus
BEWERKEN = "404 404 ok ok ok 404 404 403 404"  # change parts: the casusteam and leiding
LEIDEN = "404 404 403 ok ok 404 404 403 404"  # fase, regie, team: regiehouder and leiding
IEDEREEN = "ok ok ok ok ok ok ok ok ok"
BEHEERDER = "403 403 403 403 403 403 403 403 ok"
REGIEHOUDER = "404 404 403 ok 403 404 404 403 404"  # besluiten: the regiehouder alone
# Bijlagen: the casusteam and participating leiding; an auditor's purpose-bound read does not
# reach them (404, as for a casus one may not know). A write as that auditor is refused before
# that, as every write of a purpose-bound read is (403 alleen-lezen: they know the casus).
BIJLAGEN = "404 404 ok ok ok 404 404 404 404"
BIJLAGEN_SCHRIJVEN = "404 404 ok ok ok 404 404 403 404"
BESTAND = {"bestand": ("verslag.txt", b"Verslag van het overleg.\n", "text/plain")}


async def _instemming(client: httpx.AsyncClient, c: Casus) -> None:
    r = await client.post(f"{c.basis}/perspectiefplan/instemming", json={"datum": VANDAAG})
    assert r.status_code == 201, r.text


VANDAAG = lokaal_vandaag().isoformat()
PARTIJ = "ggz-noord"


async def _marieke_in_team(client: httpx.AsyncClient, c: Casus) -> None:
    r = await client.post(f"{c.basis}/team", json={"medewerker": mid("marieke")})
    assert r.status_code in (201, 409), r.text


MATRIX: dict[str, Rij] = {
    # casussen
    "GET /casussen/{kenmerk}": Rij(lambda c: c.basis, ZIEN),
    "PATCH /casussen/{kenmerk}": Rij(lambda c: c.basis, BEWERKEN, {"titel": "x"}, FOUT_ETAG),
    "GET /casussen/{kenmerk}/fase-overgangen": Rij(lambda c: f"{c.basis}/fase-overgangen", ZIEN),
    "POST /casussen/{kenmerk}/fase-overgangen": Rij(
        lambda c: f"{c.basis}/fase-overgangen", LEIDEN, {"naar": "maatwerk"}
    ),
    "GET /casussen/{kenmerk}/tijdlijn": Rij(lambda c: f"{c.basis}/tijdlijn", ZIEN),
    "GET /casussen/{kenmerk}/team": Rij(lambda c: f"{c.basis}/team", ZIEN),
    "POST /casussen/{kenmerk}/team": Rij(
        lambda c: f"{c.basis}/team", LEIDEN, {"medewerker": mid("eva")}
    ),
    "DELETE /casussen/{kenmerk}/team/{medewerkerId}": Rij(
        lambda c: f"{c.basis}/team/{mid('marieke')}", LEIDEN, voorbereiding=_marieke_in_team
    ),
    # regie
    "GET /casussen/{kenmerk}/regie": Rij(lambda c: f"{c.basis}/regie", ZIEN),
    "POST /casussen/{kenmerk}/regie": Rij(
        lambda c: f"{c.basis}/regie", LEIDEN, {"medewerker": mid("karim")}
    ),
    "GET /casussen/{kenmerk}/deelnames": Rij(lambda c: f"{c.basis}/deelnames", ZIEN),
    "POST /casussen/{kenmerk}/deelnames": Rij(
        lambda c: f"{c.basis}/deelnames", BEWERKEN, {"afdeling": "sociaal-domein"}
    ),
    "GET /casussen/{kenmerk}/deelnames/{afdelingCode}": Rij(
        lambda c: f"{c.basis}/deelnames/sociaal-domein", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/deelnames/{afdelingCode}": Rij(
        lambda c: f"{c.basis}/deelnames/sociaal-domein", BEWERKEN, {"standpunt": "x"}, FOUT_ETAG
    ),
    "DELETE /casussen/{kenmerk}/deelnames/{afdelingCode}": Rij(
        lambda c: f"{c.basis}/deelnames/schuldhulp", BEWERKEN, None, FOUT_ETAG
    ),
    "GET /casussen/{kenmerk}/escalaties": Rij(lambda c: f"{c.basis}/escalaties", ZIEN),
    "POST /casussen/{kenmerk}/escalaties": Rij(
        lambda c: f"{c.basis}/escalaties", BEWERKEN, {"niveau": "team", "reden": "vast"}
    ),
    "GET /casussen/{kenmerk}/escalaties/{id}": Rij(
        lambda c: f"{c.basis}/escalaties/{c.escalatie}", ZIEN
    ),
    # Only a leidinggevende handles a management escalatie; the regiehouder may not.
    "PATCH /casussen/{kenmerk}/escalaties/{id}": Rij(
        lambda c: f"{c.basis}/escalaties/{c.escalatie}",
        "404 404 403 403 ok 404 404 403 404",
        {"uitkomst": {"soort": "toegekend"}},
        FOUT_ETAG,
    ),
    # A correction is recorded by the same people as the outcome (the escalatie is still open:
    # a 409 after the check).
    "POST /casussen/{kenmerk}/escalaties/{id}/correcties": Rij(
        lambda c: f"{c.basis}/escalaties/{c.escalatie}/correcties",
        "404 404 403 403 ok 404 404 403 404",
        {"uitkomst": {"soort": "afgewezen"}, "reden": "verkeerd genoteerd"},
    ),
    # afpellen
    "GET /casussen/{kenmerk}/betrokkenen": Rij(lambda c: f"{c.basis}/betrokkenen", ZIEN),
    "POST /casussen/{kenmerk}/betrokkenen": Rij(
        lambda c: f"{c.basis}/betrokkenen",
        BEWERKEN,
        {"organisatie": "GGD", "leefgebied": "gezondheid", "kostenPerJaarCent": 100},
    ),
    "GET /casussen/{kenmerk}/betrokkenen/{id}": Rij(
        lambda c: f"{c.basis}/betrokkenen/{c.betrokkene}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/betrokkenen/{id}": Rij(
        lambda c: f"{c.basis}/betrokkenen/{c.betrokkene}",
        BEWERKEN,
        {"organisatie": "x"},
        FOUT_ETAG,
    ),
    "DELETE /casussen/{kenmerk}/betrokkenen/{id}": Rij(
        lambda c: f"{c.basis}/betrokkenen/{c.betrokkene}", BEWERKEN, None, FOUT_ETAG
    ),
    # the cost ledger: read like the casus, booked by those who change its parts
    "GET /casussen/{kenmerk}/kosten": Rij(lambda c: f"{c.basis}/kosten", ZIEN),
    "GET /casussen/{kenmerk}/kostenregels": Rij(lambda c: f"{c.basis}/kostenregels", ZIEN),
    "POST /casussen/{kenmerk}/kostenregels": Rij(
        lambda c: f"{c.basis}/kostenregels",
        BEWERKEN,
        {"omschrijving": "GGD", "soort": "huidig", "bedragCent": 100},
    ),
    # the documents: whoever sees the casus (names only for its casusteam; the memo is a 409
    # without an afwijking buiten kader)
    "GET /casussen/{kenmerk}/samenvatting": Rij(lambda c: f"{c.basis}/samenvatting", ZIEN),
    "GET /casussen/{kenmerk}/bestuursmemo": Rij(lambda c: f"{c.basis}/bestuursmemo", ZIEN),
    "GET /casussen/{kenmerk}/stappen": Rij(lambda c: f"{c.basis}/stappen", ZIEN),
    "POST /casussen/{kenmerk}/stappen": Rij(
        lambda c: f"{c.basis}/stappen", BEWERKEN, {"titel": "Offerte vragen"}
    ),
    "GET /casussen/{kenmerk}/stappen/{id}": Rij(lambda c: f"{c.basis}/stappen/{c.stap}", ZIEN),
    "PATCH /casussen/{kenmerk}/stappen/{id}": Rij(
        lambda c: f"{c.basis}/stappen/{c.stap}", BEWERKEN, {"titel": "x"}, FOUT_ETAG
    ),
    "GET /casussen/{kenmerk}/knelpunten": Rij(lambda c: f"{c.basis}/knelpunten", ZIEN),
    "POST /casussen/{kenmerk}/knelpunten": Rij(
        lambda c: f"{c.basis}/knelpunten",
        BEWERKEN,
        {"soort": "regel", "niveau": "systeem", "omschrijving": "Drie offertes"},
    ),
    "GET /casussen/{kenmerk}/knelpunten/{id}": Rij(
        lambda c: f"{c.basis}/knelpunten/{c.knelpunt}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/knelpunten/{id}": Rij(
        lambda c: f"{c.basis}/knelpunten/{c.knelpunt}", BEWERKEN, {"status": "opgelost"}, FOUT_ETAG
    ),
    # the perspectiefplan and the external parties in the casus (huishouden)
    "GET /casussen/{kenmerk}/perspectiefplan": Rij(lambda c: f"{c.basis}/perspectiefplan", ZIEN),
    "POST /casussen/{kenmerk}/perspectiefplan/instemming": Rij(
        lambda c: f"{c.basis}/perspectiefplan/instemming", BEWERKEN, {"datum": VANDAAG}
    ),
    "DELETE /casussen/{kenmerk}/perspectiefplan/instemming": Rij(
        lambda c: f"{c.basis}/perspectiefplan/instemming", BEWERKEN, voorbereiding=_instemming
    ),
    "POST /casussen/{kenmerk}/huishoudleden": Rij(
        lambda c: f"{c.basis}/huishoudleden", BEWERKEN, {"naamOfRol": "Tante"}
    ),
    "GET /casussen/{kenmerk}/huishoudleden/{id}": Rij(
        lambda c: f"{c.basis}/huishoudleden/{c.huishoudlid}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/huishoudleden/{id}": Rij(
        lambda c: f"{c.basis}/huishoudleden/{c.huishoudlid}",
        BEWERKEN,
        {"geboortejaar": 1990},
        FOUT_ETAG,
    ),
    "DELETE /casussen/{kenmerk}/huishoudleden/{id}": Rij(
        lambda c: f"{c.basis}/huishoudleden/{c.huishoudlid}", BEWERKEN, None, FOUT_ETAG
    ),
    "POST /casussen/{kenmerk}/doelen": Rij(
        lambda c: f"{c.basis}/doelen", BEWERKEN, {"leefgebied": "wonen", "tekst": "Droog"}
    ),
    "GET /casussen/{kenmerk}/doelen/{id}": Rij(lambda c: f"{c.basis}/doelen/{c.doel}", ZIEN),
    "PATCH /casussen/{kenmerk}/doelen/{id}": Rij(
        lambda c: f"{c.basis}/doelen/{c.doel}", BEWERKEN, {"tekst": "x"}, FOUT_ETAG
    ),
    "DELETE /casussen/{kenmerk}/doelen/{id}": Rij(
        lambda c: f"{c.basis}/doelen/{c.doel}", BEWERKEN, None, FOUT_ETAG
    ),
    "POST /casussen/{kenmerk}/afspraken": Rij(
        lambda c: f"{c.basis}/afspraken", BEWERKEN, {"tekst": "Huur betalen", "huishouden": True}
    ),
    "GET /casussen/{kenmerk}/afspraken/{id}": Rij(
        lambda c: f"{c.basis}/afspraken/{c.afspraak}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/afspraken/{id}": Rij(
        lambda c: f"{c.basis}/afspraken/{c.afspraak}", BEWERKEN, {"tekst": "x"}, FOUT_ETAG
    ),
    "DELETE /casussen/{kenmerk}/afspraken/{id}": Rij(
        lambda c: f"{c.basis}/afspraken/{c.afspraak}", BEWERKEN, None, FOUT_ETAG
    ),
    "GET /casussen/{kenmerk}/partijdeelnames": Rij(lambda c: f"{c.basis}/partijdeelnames", ZIEN),
    "POST /casussen/{kenmerk}/partijdeelnames": Rij(
        lambda c: f"{c.basis}/partijdeelnames", BEWERKEN, {"partij": PARTIJ}
    ),
    "GET /casussen/{kenmerk}/partijdeelnames/{partijCode}": Rij(
        lambda c: f"{c.basis}/partijdeelnames/{PARTIJ}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/partijdeelnames/{partijCode}": Rij(
        lambda c: f"{c.basis}/partijdeelnames/{PARTIJ}", BEWERKEN, {"standpunt": "x"}, FOUT_ETAG
    ),
    "DELETE /casussen/{kenmerk}/partijdeelnames/{partijCode}": Rij(
        lambda c: f"{c.basis}/partijdeelnames/{PARTIJ}", BEWERKEN, None, FOUT_ETAG
    ),
    # the catalogue of external parties: readable by all, managed by the beheerder
    "GET /externe-partijen/{code}": Rij(lambda c: f"/api/v1/externe-partijen/{PARTIJ}", IEDEREEN),
    "PATCH /externe-partijen/{code}": Rij(
        lambda c: f"/api/v1/externe-partijen/{PARTIJ}", BEHEERDER, {"naam": "GGZ"}, FOUT_ETAG
    ),
    # maatwerk: besluiten by the regiehouder; reacties per afdeling; rugdekking by mandaat
    "GET /casussen/{kenmerk}/besluiten": Rij(lambda c: f"{c.basis}/besluiten", ZIEN),
    "POST /casussen/{kenmerk}/besluiten": Rij(
        lambda c: f"{c.basis}/besluiten",
        REGIEHOUDER,
        {
            "omschrijving": "Dak repareren",
            "motivering": "Gezin in de kou",
            "noodmaatregel": True,
            "noodmaatregelReden": "Lekkage boven de kinderkamer",
        },
    ),
    "GET /casussen/{kenmerk}/besluiten/{id}": Rij(
        lambda c: f"{c.basis}/besluiten/{c.besluit}", ZIEN
    ),
    # A medewerker of the afdeling (karim and peter work at sociaal-domein) or its contactpersoon.
    "POST /casussen/{kenmerk}/besluiten/{id}/reacties": Rij(
        lambda c: f"{c.basis}/besluiten/{c.besluit}/reacties",
        "404 404 403 ok ok 404 404 403 404",
        {"afdeling": "sociaal-domein", "reactie": "akkoord"},
    ),
    "POST /casussen/{kenmerk}/besluiten/{id}/overslagen": Rij(
        lambda c: f"{c.basis}/besluiten/{c.besluit}/overslagen",
        REGIEHOUDER,
        {"afdeling": "schuldhulp", "reden": "Geen schulden in beeld"},
    ),
    # The afwijking still waits for rugdekking: the regiehouder's vaststellen is a 409.
    "POST /casussen/{kenmerk}/besluiten/{id}/vaststellen": Rij(
        lambda c: f"{c.basis}/besluiten/{c.besluit}/vaststellen", REGIEHOUDER, {}
    ),
    "POST /casussen/{kenmerk}/besluiten/{id}/intrekken": Rij(
        lambda c: f"{c.basis}/besluiten/{c.besluit_in}/intrekken", REGIEHOUDER, {"reden": "anders"}
    ),
    "GET /casussen/{kenmerk}/afwijkingen": Rij(lambda c: f"{c.basis}/afwijkingen", ZIEN),
    "POST /casussen/{kenmerk}/afwijkingen": Rij(
        lambda c: f"{c.basis}/afwijkingen",
        BEWERKEN,
        body=None,  # filled in by `_afwijking_body` (needs the ids)
    ),
    "GET /casussen/{kenmerk}/afwijkingen/{id}": Rij(
        lambda c: f"{c.basis}/afwijkingen/{c.afwijking}", ZIEN
    ),
    # One rugdekking, by someone whose mandaat covers it and who did not propose it: peter.
    # (eva has no mandaat, karim is the regiehouder; after peter's, a second one is a 409.)
    "POST /casussen/{kenmerk}/afwijkingen/{id}/rugdekking": Rij(
        lambda c: f"{c.basis}/afwijkingen/{c.afwijking}/rugdekking",
        "404 404 403 403 ok 404 404 403 404",
        {"oordeel": "gedekt", "toelichting": "Past in mijn mandaat"},
    ),
    # rugdekking by request (to marieke, not on this casus): the kandidaten are read by whoever
    # sees the casus; the verzoek too; only its addressee answers, only the regiehouder withdraws
    # (after peter's direct rugdekking above the verzoek has lapsed: a 409 after the check)
    "GET /casussen/{kenmerk}/afwijkingen/{id}/kandidaten": Rij(
        lambda c: f"{c.basis}/afwijkingen/{c.afwijking}/kandidaten", ZIEN
    ),
    "GET /rugdekkingsverzoeken/{id}": Rij(
        lambda c: f"/api/v1/rugdekkingsverzoeken/{c.rugdekkingsverzoek}", ZIEN
    ),
    "POST /rugdekkingsverzoeken/{id}/beantwoorden": Rij(
        lambda c: f"/api/v1/rugdekkingsverzoeken/{c.rugdekkingsverzoek}/beantwoorden",
        "404 404 403 403 403 404 404 403 404",
        {"oordeel": "gedekt", "motivering": "Past"},
    ),
    "POST /rugdekkingsverzoeken/{id}/intrekken": Rij(
        lambda c: f"/api/v1/rugdekkingsverzoeken/{c.rugdekkingsverzoek}/intrekken",
        REGIEHOUDER,
        {"reden": "Een ander vragen"},
    ),
    # leren
    "GET /casussen/{kenmerk}/leerpunten": Rij(lambda c: f"{c.basis}/leerpunten", ZIEN),
    "POST /casussen/{kenmerk}/leerpunten": Rij(
        lambda c: f"{c.basis}/leerpunten",
        BEWERKEN,
        {"soort": "verbetering", "tekst": "Eerder het budget regelen"},
    ),
    "GET /casussen/{kenmerk}/leerpunten/{id}": Rij(
        lambda c: f"{c.basis}/leerpunten/{c.leerpunt}", ZIEN
    ),
    "PATCH /casussen/{kenmerk}/leerpunten/{id}": Rij(
        lambda c: f"{c.basis}/leerpunten/{c.leerpunt}", BEWERKEN, {"tekst": "x"}, FOUT_ETAG
    ),
    "POST /casussen/{kenmerk}/leerpunten/{id}/goedkeuring": Rij(
        lambda c: f"{c.basis}/leerpunten/{c.leerpunt}/goedkeuring", BEWERKEN, None, FOUT_ETAG
    ),
    # notities: casus content; a note mentions eva, so only she marks it seen (others: 409)
    "GET /casussen/{kenmerk}/notities": Rij(lambda c: f"{c.basis}/notities", ZIEN),
    "POST /casussen/{kenmerk}/notities": Rij(
        lambda c: f"{c.basis}/notities", BEWERKEN, {"tekst": "Overleg morgen om tien uur"}
    ),
    "GET /casussen/{kenmerk}/bijlagen": Rij(lambda c: f"{c.basis}/bijlagen", BIJLAGEN),
    "POST /casussen/{kenmerk}/bijlagen": Rij(
        lambda c: f"{c.basis}/bijlagen", BIJLAGEN_SCHRIJVEN, bestanden=BESTAND
    ),
    "GET /casussen/{kenmerk}/bijlagen/{id}": Rij(
        lambda c: f"{c.basis}/bijlagen/{c.bijlage}", BIJLAGEN
    ),
    "GET /casussen/{kenmerk}/bijlagen/{id}/inhoud": Rij(
        lambda c: f"{c.basis}/bijlagen/{c.bijlage}/inhoud", BIJLAGEN
    ),
    "DELETE /casussen/{kenmerk}/bijlagen/{id}": Rij(
        lambda c: f"{c.basis}/bijlagen/{c.bijlage}", BIJLAGEN_SCHRIJVEN, None, FOUT_ETAG
    ),
    "POST /casussen/{kenmerk}/notities/{id}/gezien": Rij(
        lambda c: f"{c.basis}/notities/{c.notitie}/gezien", BEWERKEN
    ),
    # a leerpunt that is no shared verhaal cannot be taken down by anyone: it is no verhaal
    "DELETE /verhalen/{id}": Rij(
        lambda c: f"/api/v1/verhalen/{c.leerpunt}", "404 404 404 404 404 404 404 404 404"
    ),
    # beleidssignalen: read by the registers' readers (beleid, leiding), handled by beleid alone
    "GET /beleidssignalen/{id}": Rij(
        lambda c: f"/api/v1/beleidssignalen/{c.leerpunt}", "403 403 403 403 ok ok 403 403 403"
    ),
    "PATCH /beleidssignalen/{id}": Rij(
        lambda c: f"/api/v1/beleidssignalen/{c.leerpunt}",
        "403 403 403 403 403 ok 403 403 403",
        {"signaalStatus": "in_behandeling"},
        FOUT_ETAG,
    ),
    # precedents: for whoever sees the casus (no case content of the other casussen)
    "GET /casussen/{kenmerk}/precedenten": Rij(
        lambda c: f"{c.basis}/precedenten?regel={c.regel}", ZIEN
    ),
    # versions of a regel: readable by all; a new one by beleid (or the beheerder: after
    # beleid's version of 2030 a second one on the same day is a 409)
    "GET /regels/{id}/versies": Rij(lambda c: f"/api/v1/regels/{c.regel}/versies", IEDEREEN),
    "POST /regels/{id}/versies": Rij(
        lambda c: f"/api/v1/regels/{c.regel}/versies",
        "403 403 403 403 403 ok 403 403 ok",
        {"tekst": "Eén offerte volstaat bij spoed", "reden": "Signalen", "geldigVan": "2030-01-01"},
    ),
    # the rule catalogue: readable by all, managed by the beheerder
    "GET /regels/{id}": Rij(lambda c: f"/api/v1/regels/{c.regel}", IEDEREEN),
    "PATCH /regels/{id}": Rij(
        lambda c: f"/api/v1/regels/{c.regel}", BEHEERDER, {"titel": "Drie offertes"}, FOUT_ETAG
    ),
    # organisatie: staff data, no case content; managed by the beheerder
    "GET /afdelingen/{code}": Rij(lambda c: "/api/v1/afdelingen/wonen", IEDEREEN),
    "PATCH /afdelingen/{code}": Rij(
        lambda c: "/api/v1/afdelingen/wonen", BEHEERDER, {"naam": "Wonen"}, FOUT_ETAG
    ),
    "GET /medewerkers/{id}": Rij(lambda c: f"/api/v1/medewerkers/{mid('sanne')}", IEDEREEN),
    "PATCH /medewerkers/{id}": Rij(
        lambda c: f"/api/v1/medewerkers/{mid('sanne')}", BEHEERDER, {"naam": "S"}, FOUT_ETAG
    ),
    # export runs: the beheerder's, with pseudonymised data of every casus
    "GET /exports/{id}": Rij(lambda c: f"/api/v1/exports/{c.export}", BEHEERDER),
    # rechtenverzoeken (bram asked for sanne): beheerders read them; a second beheerder judges,
    # so bram, the only beheerder persona and the one who asked, is refused as well (four-eyes)
    "GET /rechtenverzoeken/{id}": Rij(
        lambda c: f"/api/v1/rechtenverzoeken/{c.rechtenverzoek}", BEHEERDER
    ),
    # API tokens: the beheerder's (bram made one for eva); revoking again is a 409 (still ok)
    "POST /api-tokens/{id}/intrekken": Rij(
        lambda c: f"/api/v1/api-tokens/{c.api_token}/intrekken", BEHEERDER
    ),
    "POST /rechtenverzoeken/{id}/beoordeling": Rij(
        lambda c: f"/api/v1/rechtenverzoeken/{c.rechtenverzoek}/beoordeling",
        "403 403 403 403 403 403 403 403 403",
        {"oordeel": "goedgekeurd"},
    ),
}


def routes_met_id(app: Any) -> dict[str, str]:
    """`METHOD /path` (without /api/v1) -> path template, for every route with a path parameter."""
    gevonden: dict[str, str] = {}
    for route in iter_route_contexts(app.routes):
        pad = route.path_format
        # The web frontend's pages have their own matrix (tests/web/test_web_bola.py).
        if not pad or "{" not in pad or not pad.startswith("/api/"):
            continue
        for methode in sorted(route.methods or ()):
            if methode in ("HEAD", "OPTIONS"):
                continue
            gevonden[f"{methode} {pad.removeprefix('/api/v1')}"] = pad
    return gevonden


async def _ruben(maker: async_sessionmaker[AsyncSession]) -> None:
    async with maker() as session:
        ruben = Medewerker(
            id=uuid.uuid4(),
            naam="Ruben Buiten",
            email="ruben@gemeente.example",
            afdeling_code="sociaal-domein",
            rollen=["medewerker"],
            actief=True,
        )
        session.add(ruben)
        await session.flush()
        session.add(
            ApiToken(medewerker_id=ruben.id, naam="test", token_hash=token_hash(TOKENS["buiten"]))
        )
        await session.commit()


async def casus_met_onderdelen(api: Api) -> Casus:
    sanne, karim = api("sanne"), api("karim")
    k = (await nieuwe_casus(sanne, bsn="111222333"))["kenmerk"]
    basis = f"/api/v1/casussen/{k}"
    ok(await sanne.post(f"{basis}/regie", json={"medewerker": mid("karim")}), 201)
    ok(
        await karim.post(
            f"{basis}/deelnames",
            json={"afdeling": "sociaal-domein", "contactpersoon": mid("sanne"), "standpunt": "nu"},
        ),
        201,
    )
    ok(await karim.post(f"{basis}/deelnames", json={"afdeling": "schuldhulp"}), 201)
    ok(await karim.post(f"{basis}/team", json={"medewerker": mid("eva")}), 201)
    escalatie = ok(
        await karim.post(f"{basis}/escalaties", json={"niveau": "management", "reden": "budget"}),
        201,
    )
    betrokkene = ok(
        await karim.post(
            f"{basis}/betrokkenen",
            json={"organisatie": "Corporatie", "leefgebied": "wonen", "kostenPerJaarCent": 5},
        ),
        201,
    )
    stap = ok(await karim.post(f"{basis}/stappen", json={"titel": "Dak bekijken"}), 201)
    ok(
        await api("bram").post(
            "/api/v1/externe-partijen", json={"code": PARTIJ, "naam": "GGZ Noord", "soort": "ggz"}
        ),
        201,
    )
    ok(await karim.post(f"{basis}/partijdeelnames", json={"partij": PARTIJ}), 201)
    huishoudlid = ok(await karim.post(f"{basis}/huishoudleden", json={"naamOfRol": "Moeder"}), 201)
    doel = ok(
        await karim.post(f"{basis}/doelen", json={"leefgebied": "wonen", "tekst": "Droog"}), 201
    )
    afspraak = ok(
        await karim.post(f"{basis}/afspraken", json={"tekst": "Huur", "huishouden": True}), 201
    )
    knelpunt = ok(
        await karim.post(
            f"{basis}/knelpunten",
            json={"soort": "regel", "niveau": "systeem", "omschrijving": "Drie offertes"},
        ),
        201,
    )
    regel = ok(
        await api("bram").post(
            "/api/v1/regels",
            json={
                "titel": "Drie offertes",
                "regeling": "Inkoopbeleid",
                "artikel": "4.2",
                "soort": "beleidsregel",
            },
        ),
        201,
    )
    besluiten = [
        ok(
            await karim.post(
                f"{basis}/besluiten",
                json={
                    "omschrijving": f"Besluit {i}",
                    "motivering": "Nodig",
                    "noodmaatregel": True,
                    "noodmaatregelReden": "Het dak lekt nu",
                },
            ),
            201,
        )
        for i in (1, 2)
    ]
    afwijking = ok(
        await karim.post(
            f"{basis}/afwijkingen", json=_afwijking_body(besluiten[0]["id"], regel["id"])
        ),
        201,
    )
    leerpunt = ok(
        await karim.post(
            f"{basis}/leerpunten", json={"soort": "systeem", "tekst": "Een offerte volstaat"}
        ),
        201,
    )
    rugdekkingsverzoek = ok(
        await karim.post(
            "/api/v1/rugdekkingsverzoeken",
            json={"afwijking": afwijking["id"], "aan": mid("marieke")},
        ),
        201,
    )
    export = ok(await api("bram").post("/api/v1/exports", json={"modus": "volledig"}), 202)
    rechtenverzoek = ok(
        await api("bram").post(
            "/api/v1/rechtenverzoeken",
            json={"medewerker": mid("sanne"), "rollen": ["auditor"], "toelichting": "BOLA"},
        ),
        201,
    )
    notitie = ok(await karim.post(f"{basis}/notities", json={"tekst": "@eva kijk jij mee?"}), 201)
    bijlage = ok(await karim.post(f"{basis}/bijlagen", files=BESTAND), 201)
    api_token = ok(
        await api("bram").post(
            "/api/v1/api-tokens", json={"medewerker": mid("eva"), "naam": "BOLA"}
        ),
        201,
    )
    return Casus(
        k,
        escalatie["id"],
        betrokkene["id"],
        stap["id"],
        knelpunt["id"],
        regel["id"],
        besluiten[0]["id"],
        besluiten[1]["id"],
        afwijking["id"],
        leerpunt["id"],
        export["id"],
        rechtenverzoek["id"],
        rugdekkingsverzoek["id"],
        huishoudlid["id"],
        doel["id"],
        afspraak["id"],
        notitie["id"],
        bijlage["id"],
        api_token["id"],
    )


def _afwijking_body(besluit: str, regel: str) -> dict[str, Any]:
    return {
        "besluit": besluit,
        "regel": regel,
        "watDeRegelZegt": "Drie offertes",
        "watWeDoen": "Een offerte van de raamcontractant",
        "grondslag": "awb_4_84",
        "motivering": "Spoed: gezin in de kou",
        "waardentoets": {
            "legitimiteit": "Awb 4:84",
            "rendement": "Winter",
            "betrokkenheid": "Gezin",
        },
        "risico": "laag",
        "financieelBelangCent": 100_000,
    }


def _client(app: Any, persona: str | None) -> httpx.AsyncClient:
    headers = {}
    if persona is not None:
        headers["Authorization"] = f"Bearer {TOKENS[persona]}"
    if persona == "doel":
        headers["X-Doelbinding"] = DOELBINDING
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers
    )


def _klasse(status: int) -> str:
    return "ok" if status in OK_STATUS else str(status)


async def test_every_route_with_an_id_is_in_the_matrix(app: Any) -> None:
    ontbreekt = sorted(set(routes_met_id(app)) - set(MATRIX))
    assert not ontbreekt, f"add these routes to MATRIX in tests/test_bola.py: {ontbreekt}"
    verouderd = sorted(set(MATRIX) - set(routes_met_id(app)))
    assert not verouderd, f"MATRIX has rows for routes that no longer exist: {verouderd}"
    for sleutel, rij in MATRIX.items():
        assert len(rij.verwacht.split()) == len(PERSONAS), sleutel


async def test_bola_matrix(app: Any, api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    await _ruben(db)
    casus = await casus_met_onderdelen(api)
    sjablonen = routes_met_id(app)
    clients = {p: _client(app, p) for p in PERSONAS}
    anoniem = _client(app, None)
    fouten: list[str] = []
    try:
        for sleutel, rij in MATRIX.items():
            methode = sleutel.split(" ", 1)[0]
            pad = rij.pad(casus)
            patroon = re.sub(r"\{[^}]+\}", "[^/]+", sjablonen[sleutel])
            assert re.fullmatch(patroon, pad.split("?")[0]), f"{sleutel}: {pad} does not fit"
            body = rij.body
            if sleutel == "POST /casussen/{kenmerk}/afwijkingen":
                body = _afwijking_body(casus.besluit, casus.regel)
            r = await anoniem.request(
                methode, pad, json=body, files=rij.bestanden, headers=rij.headers
            )
            if r.status_code != 401:
                fouten.append(f"{sleutel} anoniem: {r.status_code}, expected 401")
            for persona, verwacht in zip(PERSONAS, rij.verwacht.split(), strict=True):
                if rij.voorbereiding is not None:
                    await rij.voorbereiding(clients["regie"], casus)
                r = await clients[persona].request(
                    methode, pad, json=body, files=rij.bestanden, headers=rij.headers
                )
                if _klasse(r.status_code) != verwacht:
                    fouten.append(
                        f"{sleutel} as {persona}: {r.status_code} ({r.text[:120]}), expected {verwacht}"
                    )
    finally:
        for client in (*clients.values(), anoniem):
            await client.aclose()
    assert not fouten, "\n".join(fouten)
