"""Browser walkthrough (slow): the leaking home, end to end through the web frontend, in real
Chromium, as the coordinator (karim) and a leidinggevende (marieke, vastgoed, mandaat EUR 25k /
midden) for rugdekking. Every page is checked with axe-core (zero violations) and must carry no
inline script or style (the CSP forbids them); screenshots of the main pages go to
var/screenshots/. The result is checked through the API afterwards.

Needs /usr/bin/chromium (Debian package) and axe-core in tests/web/node_modules (npm install in
tests/web). The server is the real one: `python -m doorbraak.cli serve` on a fresh SQLite
database with migrate + demo, on a port in 8401-8499 (or DOORBRAAK_TEST_POORTEN).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from doorbraak.demo import regel_id

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1366, "height": 900}
MOBIEL = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "var" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _vrije_poort() -> int:
    # DOORBRAAK_TEST_POORTEN=9100-9199: another range, when several runs share a machine.
    van, _, tot = os.environ.get("DOORBRAAK_TEST_POORTEN", "8401-8499").partition("-")
    poorten = list(range(int(van), int(tot) + 1))
    random.shuffle(poorten)
    for poort in poorten:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
            return poort
    raise RuntimeError(f"no free port in {van}-{tot}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` in tests/web")
    map_ = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "DOORBRAAK_DATABASE_URL": f"sqlite+aiosqlite:///{map_ / 'doorbraak.db'}",
        "DOORBRAAK_AUTH_MODE": "dev",
    }
    for stap in ("migrate", "demo"):
        subprocess.run([sys.executable, "-m", "doorbraak.cli", stap], env=env, cwd=ROOT, check=True)
    poort = _vrije_poort()
    log = (map_ / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "doorbraak.cli", "serve", "--port", str(poort)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{poort}"
    grens = time.monotonic() + 30
    while True:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                break
        if proc.poll() is not None or time.monotonic() > grens:
            raise AssertionError((map_ / "server.log").read_text())
        time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    fouten = [r for r in (map_ / "server.log").read_text().splitlines() if "Traceback" in r]
    assert not fouten, (map_ / "server.log").read_text()[-5000:]


class Bezoeker:
    """One medewerker in one browser context, with the checks every page gets."""

    def __init__(self, page: Any, basis: str, wie: str, verslag: list[str]) -> None:
        self.page = page
        self.basis = basis
        self.wie = wie
        self.verslag = verslag

    async def controleer(self, naam: str | None = None) -> None:
        """axe-core on the page as it is, no inline code, and a screenshot for the main pages."""
        page = self.page
        inline = await page.evaluate(
            "() => document.querySelectorAll('[style], style, script:not([src]):not([data-axe])').length"
        )
        assert inline == 0, f"inline style or script on {page.url}: " + await page.evaluate(
            "() => [...document.querySelectorAll('[style], style, script:not([src]):not([data-axe])')].map(e => e.outerHTML.slice(0, 200)).join(' | ')"
        )
        if not await page.evaluate("() => typeof axe !== 'undefined'"):
            tag = await page.add_script_tag(path=str(AXE))
            await tag.evaluate("e => e.setAttribute('data-axe', '')")
        uitslag = await page.evaluate("async () => await axe.run(document)")
        fouten = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
            for v in uitslag["violations"]
        ]
        assert not fouten, f"axe on {page.url}:\n" + "\n".join(fouten)
        self.verslag.append(f"axe 0 violations, {len(uitslag['passes'])} rules passed: {page.url}")
        if naam:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOTS / f"{naam}.png"), full_page=True)
        await self.smal(naam)

    async def smal(self, naam: str | None = None) -> None:
        """At 390 px (a phone) the page never scrolls sideways: a wide table scrolls in its own
        box. Then back to the desktop size."""
        page = self.page
        await page.set_viewport_size(MOBIEL)
        breedte = await page.evaluate("() => document.documentElement.scrollWidth")
        te_breed = await page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                    && !e.closest('.rol'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        assert breedte <= MOBIEL["width"], f"{page.url} is {breedte} px wide at 390: {te_breed}"
        if naam:
            await page.screenshot(path=str(SCREENSHOTS / f"{naam}-390.png"), full_page=True)
        self.verslag.append(f"{breedte} px wide at 390: {page.url}")
        await page.set_viewport_size(DESKTOP)

    async def ga(self, pad: str, naam: str | None = None) -> None:
        antwoord = await self.page.goto(self.basis + pad)
        assert antwoord is not None and antwoord.status == 200, (
            f"{pad}: {antwoord and antwoord.status}"
        )
        await self.controleer(naam)

    async def inloggen(self, naam: str) -> None:
        await self.page.goto(self.basis + "/inloggen")
        await self.controleer("inloggen" if self.wie == "karim" else None)
        await self.page.get_by_label(naam, exact=False).check()
        async with self.page.expect_navigation():
            await self.page.get_by_role("button", name="Inloggen").click()
        assert "Mijn werk" in await self.page.title()
        # The sign-in form's action has no fragment, so the redirect lands without one.
        assert "#" not in self.page.url, self.page.url

    def formulier(self, actie: str) -> Any:
        # A form's action carries the fragment of its error summary (`...#id-fouten`).
        return self.page.locator(f'form[action="{actie}"], form[action^="{actie}#"]')

    async def open(self, actie: str) -> Any:
        details = self.page.locator(
            f'details:has(form[action="{actie}"]), details:has(form[action^="{actie}#"])'
        )
        if await details.count() and await details.get_attribute("open") is None:
            await details.locator("summary").first.click()
        return self.formulier(actie)

    async def verstuur(self, actie: str, velden: dict[str, Any], *, fout: bool = False) -> None:
        """Fill a form by its labels (text, select by label, checkbox True) and submit it."""
        form = await self.open(actie)
        for label, waarde in velden.items():
            veld = form.get_by_label(label, exact=True)
            soort = await veld.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if soort.startswith("select"):
                if isinstance(waarde, tuple):
                    await veld.select_option(value=waarde[0])
                else:
                    await veld.select_option(label=waarde)
            elif soort == "input:checkbox":
                await veld.set_checked(bool(waarde))
            else:
                await veld.fill(str(waarde))
        async with self.page.expect_navigation():
            await form.locator('button[type="submit"]').click()
        samenvatting = self.page.locator(".fout-samenvatting")
        if fout:
            assert await samenvatting.count() == 1, f"expected an error after {actie}"
            # The answer opens at the error summary, which has the focus.
            assert self.page.url.endswith("-fouten"), self.page.url
            assert await self.page.evaluate(
                "() => document.activeElement.classList.contains('fout-samenvatting')"
            )
        else:
            tekst = await samenvatting.all_inner_texts() if await samenvatting.count() else []
            assert not tekst, f"{actie}: {tekst}"
            if "gelukt=" in self.page.url:
                # What happened is announced (role=status) and has the focus.
                melding = self.page.locator('.gelukt[role="status"]')
                assert await melding.count() == 1, f"no announcement after {actie}"
                assert await self.page.evaluate("() => document.activeElement.id === 'melding'")
        await self.controleer()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        await chromium.close()


async def _bezoeker(browser: Any, server: str, wie: str, verslag: list[str]) -> Bezoeker:
    # axe is injected as an inline script by the test only; the app's own pages are checked for
    # inline code separately (controleer) and for CSP reports in test_geen_csp_schendingen.
    context = await browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    return Bezoeker(await context.new_page(), server, wie, verslag)


async def test_lekkende_woning_door_de_browser(browser: Any, server: str) -> None:
    verslag: list[str] = []
    karim = await _bezoeker(browser, server, "karim", verslag)
    await karim.inloggen("Karim El Amrani")
    await karim.controleer("mijn-werk")
    await karim.ga("/casussen", "casussen")

    # Aanmelden.
    await karim.ga("/casussen/nieuw", "casus-nieuw")
    await karim.verstuur(
        "/casussen/nieuw",
        {
            "Titel (verplicht)": "Lekkende huurwoning, gezin in de kou",
            "Situatie": "Het dak lekt sinds september. Vastgoed wil eerst een rapport; Sociaal "
            "Domein wil het deze week dicht.",
            "Urgentie": "Hoog",
            "Naam van het huishouden": "Familie Demir",
        },
    )
    kenmerk = karim.page.url.rsplit("/", 1)[-1].split("#")[0].split("?")[0]
    basis = f"/casussen/{kenmerk}"
    assert kenmerk.startswith("DB-")

    # Regie, deelnames with standpunten, betrokkenen with their costs.
    await karim.verstuur(
        basis + "/regie",
        {
            "Nieuwe regiehouder (verplicht)": "Karim El Amrani (Sociaal Domein)",
            "Reden": "Casusregisseur Sociaal Domein",
        },
    )
    await karim.verstuur(
        basis + "/deelnames",
        {
            "Afdeling (verplicht)": "Vastgoed",
            "Contactpersoon": "Joost Bakker (Vastgoed)",
            "Standpunt: wat wil de afdeling en waarom?": "Eerst een bouwkundig rapport en een duurzaam plan.",
        },
    )
    await karim.verstuur(
        basis + "/deelnames",
        {
            "Afdeling (verplicht)": "Sociaal Domein",
            "Contactpersoon": "Sanne de Vries (Sociaal Domein)",
            "Standpunt: wat wil de afdeling en waarom?": "Het gezin zit in de kou: deze week dicht.",
        },
    )
    for organisatie, leefgebied, kosten in (
        ("Woningcorporatie (noodreparaties)", "Wonen", "12.000,00"),
        ("GGD (klachten door vocht)", "Gezondheid", "4500"),
        ("Schuldhulpverlening (energieschuld)", "Financiën", "8000,00"),
    ):
        await karim.verstuur(
            basis + "/betrokkenen",
            {
                "Organisatie (verplicht)": organisatie,
                "Leefgebied (verplicht)": leefgebied,
                "Geschatte kosten per jaar (euro) (verplicht)": kosten,
            },
        )
    assert "€ 24.500,00" in await karim.page.inner_text("#betrokkenen")

    # Fasen, the household's perspectiefplan and the doorbraak.
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "In kaart"})
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Perspectief"})
    # Moving on without a doel of the household is refused with what is missing.
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Afpellen"}, fout=True)
    await karim.controleer("casus-fout")
    await karim.verstuur(
        basis + "/huishoudleden", {"Naam of rol (verplicht)": "Moeder", "Geboortejaar": "1988"}
    )
    await karim.verstuur(
        basis + "/doelen",
        {
            "Leefgebied (verplicht)": "Wonen",
            "In de woorden van het huishouden (verplicht)": "Warm en droog voor de winter, de kinderen weer naar school.",
            "Gezegd door": "Moeder",
        },
    )
    assert "Warm en droog voor de winter" in await karim.page.inner_text("#perspectiefplan")
    await karim.verstuur(basis + "/perspectiefplan/instemming", {})
    assert "Het huishouden stemde in op" in await karim.page.inner_text("#perspectiefplan")
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Afpellen"})
    await karim.ga(basis + "/bewerken")
    await karim.verstuur(
        basis + "/bewerken",
        {
            "Doorbraak: het ene probleem waarvan de oplossing de rest losmaakt": "Het dak: zolang het lekt, lukt niets anders."
        },
    )
    await karim.verstuur(
        basis + "/knelpunten",
        {
            "Soort (verplicht)": "Regel",
            "Niveau (verplicht)": "Systeem",
            "Omschrijving (verplicht)": "Het inkoopbeleid vraagt drie offertes; dat kost weken.",
            "Regel uit de catalogus": (str(regel_id("offertes")),),
            "Afdeling": "Vastgoed",
        },
    )
    await karim.verstuur(
        basis + "/knelpunten",
        {
            "Soort (verplicht)": "Samenwerking",
            "Niveau (verplicht)": "Professional",
            "Omschrijving (verplicht)": "Geen gedeeld budget tussen Vastgoed en Sociaal Domein.",
        },
    )
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Maatwerk"})

    # Maatwerk: besluit, reactie, afwijking.
    await karim.verstuur(
        basis + "/besluiten",
        {
            "Wat doen we? (verplicht)": "Het dak deze week repareren via de raamaannemer; het rapport volgt.",
            "Waarom? (verplicht)": "Het gezin zit in de kou; het rapport kan daarna.",
            "Kosten eenmalig (euro)": "18.500",
            "Betalende afdeling": "Vastgoed",
        },
    )
    besluit_id = (
        await karim.page.locator('form[action*="/vaststellen#"]').get_attribute("action")
    ).split("/")[-2]
    await karim.verstuur(
        f"{basis}/besluiten/{besluit_id}/reacties",
        {
            "Namens afdeling (verplicht)": "Sociaal Domein",
            "Reactie (verplicht)": "Akkoord",
            "Toelichting": "Precies wat het gezin nu nodig heeft.",
        },
    )
    await karim.verstuur(
        basis + "/afwijkingen",
        {
            "Voor besluit (verplicht)": (besluit_id,),
            "Regel (verplicht)": (str(regel_id("offertes")),),
            "Wat de regel zegt (verplicht)": "Boven EUR 10.000 vraagt inkoop drie offertes.",
            "Wat we in plaats daarvan doen (verplicht)": "We gunnen direct aan de raamaannemer.",
            "Grondslag (verplicht)": "Awb art. 4:84",
            "Motivering (verplicht)": "Drie offertes kosten weken; de gevolgen zijn onevenredig.",
            "Legitimiteit (verplicht)": "Het doel van de regel blijft gediend: de raamaannemer is aanbesteed.",
            "Maatschappelijk rendement (verplicht)": "Schoolverzuim en gezondheidsklachten stoppen.",
            "Betrokkenheid (verplicht)": "Vastgoed en Sociaal Domein zijn gehoord.",
            "Risico (verplicht)": "Midden",
            "Financieel belang (euro) (verplicht)": "18500",
            "Meld deze regel als beleidssignaal: hij zou moeten veranderen": True,
        },
    )
    # Fixing before every afdeling is heard is refused, and says why.
    await karim.verstuur(
        f"{basis}/besluiten/{besluit_id}/vaststellen",
        {"Ik stel dit besluit definitief vast": True},
        fout=True,
    )
    assert (
        "niet elke deelnemende afdeling is gehoord"
        in (await karim.page.inner_text(".fout-samenvatting")).lower()
    )
    await karim.ga(basis, "casus-maatwerk")

    # Marieke: the vastgoed reactie (a bezwaar) and the rugdekking.
    marieke = await _bezoeker(browser, server, "marieke", verslag)
    await marieke.inloggen("Marieke Jansen")
    werk = await marieke.page.inner_text("main")
    assert kenmerk in werk and "Wacht op uw rugdekking" in werk
    await marieke.controleer("mijn-werk-leidinggevende")
    await marieke.ga(basis)
    await marieke.verstuur(
        f"{basis}/besluiten/{besluit_id}/reacties",
        {
            "Namens afdeling (verplicht)": "Vastgoed",
            "Reactie (verplicht)": "Bezwaar",
            "Toelichting": "Zonder rapport repareren we misschien het verkeerde.",
        },
    )
    afwijking_id = (
        await marieke.page.locator('form[action*="/rugdekking#"]').get_attribute("action")
    ).split("/")[-2]
    await marieke.verstuur(
        f"{basis}/afwijkingen/{afwijking_id}/rugdekking",
        {
            "Oordeel (verplicht)": "Gedekt",
            "Toelichting (verplicht)": "Binnen mijn mandaat; de afweging is zorgvuldig.",
            "Waar is uw mandaat vastgelegd?": "Mandaatbesluit Vastgoed 2026, art. 3",
            "Ik geef dit oordeel op eigen mandaat; het staat daarna vast": True,
        },
    )
    await marieke.controleer("casus-rugdekking")
    await marieke.ga("/registers", "registers")
    await marieke.ga("/dashboard", "dashboard")

    # Karim: weigh the bezwaar and fix the besluit, carry it out, learn, close.
    await karim.ga(basis)
    await karim.verstuur(f"{basis}/besluiten/{besluit_id}/vaststellen", {}, fout=True)
    await karim.verstuur(
        f"{basis}/besluiten/{besluit_id}/vaststellen",
        {
            "Afweging": "Het bezwaar van Vastgoed is terecht; het rapport volgt direct na de reparatie.",
            "Ik stel dit besluit definitief vast": True,
        },
    )
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Uitvoering"})
    await karim.verstuur(
        basis + "/stappen",
        {
            "Titel (verplicht)": "Dak repareren via de raamaannemer",
            "Afdeling": "Vastgoed",
            "Eigenaar": "Joost Bakker (Vastgoed)",
            "Deadline": "2026-12-15",
        },
    )
    stap_actie = await karim.page.locator(
        'form[action*="/wijzigen#"][action*="/stappen/"]'
    ).get_attribute("action")
    await karim.verstuur(
        stap_actie,
        {"Status": "Afgerond", "Bevinding": "Dak is dicht; geen lekkage meer."},
    )
    await karim.verstuur(basis + "/fase", {"Naar fase (verplicht)": "Evaluatie"})
    await karim.verstuur(
        basis + "/leerpunten",
        {
            "Soort (verplicht)": "Succes",
            "Tekst (verplicht)": "Eén regiehouder, één afweging op papier en rugdekking van een "
            "leidinggevende: het dak was binnen een week dicht.",
            "Voor wie": "Alle wijkteams",
            "Delen als verhaal (alleen bij succes; geen namen, adressen of nummers)": True,
            "Het huishouden geeft toestemming om dit verhaal te delen": True,
        },
    )
    await karim.verstuur(
        basis + "/fase",
        {
            "Naar fase (verplicht)": "Afgesloten",
            "Afsluitreden": "Opgelost",
            "Toelichting": "Dak dicht, gezin warm, kinderen naar school.",
            "Bij afsluiten: ik weet dat de casus daarmee gesloten wordt (heropenen kan alleen met een reden)": True,
        },
    )
    await karim.controleer("casus-afgesloten")
    # The tijdlijn reads as sentences: no event codes, field names, ids, microseconds or False.
    # Its own part of the page (a plain link: tabs without JavaScript) shows all of it.
    await karim.ga(basis + "?deel=tijdlijn", "casus-tijdlijn")
    assert await karim.page.locator("#besluiten").count() == 0
    tijdlijn = await karim.page.inner_text("#tijdlijn")
    assert "Stap ‘Dak repareren via de raamaannemer’ gewijzigd" in tijdlijn
    assert "Status: Open → Afgerond" in tijdlijn
    assert "Casus afgesloten" in tijdlijn and "Afsluitreden: Opgelost" in tijdlijn
    assert "Besluit ‘Het dak deze week repareren" in tijdlijn
    for verboden in ("casus.afsluiten", "Casus.afsluiten", "_id", "False", "True", "None"):
        assert verboden not in tijdlijn, verboden
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", tijdlijn)
    assert not re.search(r"\d{2}:\d{2}:\d{2}", tijdlijn)
    # Four-eyes: a second medewerker of the casus (marieke) publishes the verhaal.
    async with httpx.AsyncClient(
        base_url=server, headers={"Authorization": "Bearer demo-marieke"}
    ) as marieke_api:
        pad = f"/api/v1/casussen/{kenmerk}/leerpunten"
        [gedeeld] = [lp for lp in (await marieke_api.get(pad)).json()["results"] if lp["delen"]]
        assert gedeeld["magGoedkeuren"] is True
        goed = await marieke_api.post(
            f"{pad}/{gedeeld['id']}/goedkeuring", headers={"If-Match": f'"{gedeeld["versie"]}"'}
        )
        assert goed.status_code == 200, goed.text
    await karim.ga("/verhalen", "verhalen")
    assert "binnen een week dicht" in await karim.page.inner_text("main")
    await karim.ga("/", None)

    # The result, through the API.
    async with httpx.AsyncClient(
        base_url=server, headers={"Authorization": "Bearer demo-karim"}
    ) as api:
        casus = (await api.get(f"/api/v1/casussen/{kenmerk}")).json()
        assert casus["fase"] == "afgesloten" and casus["afsluitreden"] == "opgelost"
        assert casus["regiehouder"]["naam"] == "Karim El Amrani"
        plan = (await api.get(f"/api/v1/casussen/{kenmerk}/perspectiefplan")).json()
        assert plan["doelen"][0]["tekst"].startswith("Warm en droog")
        assert plan["doelen"][0]["gezegdDoor"]["naamOfRol"] == "Moeder"
        assert plan["instemming"]["vastgelegdDoor"]["naam"] == "Karim El Amrani"
        assert casus["kostenDoormodderenPerJaarCent"] == 2_450_000
        assert casus["kostenDoorbraakCent"] == 1_850_000
        assert {d["afdeling"] for d in casus["deelnames"]} == {"vastgoed", "sociaal-domein"}
        besluiten = (await api.get(f"/api/v1/casussen/{kenmerk}/besluiten")).json()["results"]
        assert [b["status"] for b in besluiten] == ["vastgesteld"]
        assert besluiten[0]["afweging"].startswith("Het bezwaar van Vastgoed")
        reacties = {r["afdeling"]: r for r in besluiten[0]["reacties"]}
        assert reacties["vastgoed"]["reactie"] == "bezwaar"
        assert reacties["vastgoed"]["door"]["naam"] == "Marieke Jansen"
        afwijkingen = (await api.get(f"/api/v1/casussen/{kenmerk}/afwijkingen")).json()["results"]
        assert afwijkingen[0]["status"] == "gedekt"
        assert afwijkingen[0]["rugdekking"]["door"]["naam"] == "Marieke Jansen"
        assert afwijkingen[0]["financieelBelangCent"] == 1_850_000
        stappen = (await api.get(f"/api/v1/casussen/{kenmerk}/stappen")).json()["results"]
        assert [s["status"] for s in stappen] == ["afgerond"]
        knelpunten = (await api.get(f"/api/v1/casussen/{kenmerk}/knelpunten")).json()["results"]
        assert len(knelpunten) == 2
        leerpunten = (await api.get(f"/api/v1/casussen/{kenmerk}/leerpunten")).json()["results"]
        assert leerpunten[0]["delen"] is True and leerpunten[0]["gedeeldOp"]
        tijdlijn = (await api.get(f"/api/v1/casussen/{kenmerk}/tijdlijn?limit=100")).json()
        door = {r["door"]["naam"] for r in tijdlijn["results"] if r["door"]}
        assert door == {"Karim El Amrani", "Marieke Jansen"}
    print(f"\nbrowser walkthrough {kenmerk}: {len(verslag)} page checks, all with 0 axe violations")
    for regel in verslag:
        print("  " + regel)


async def test_geen_csp_schendingen_en_werkt_zonder_javascript(browser: Any, server: str) -> None:
    """With the real CSP (no bypass) and with JavaScript off, the pages load without a single
    CSP violation and the forms still work (sign-in is a plain form post)."""
    for javascript in (True, False):
        context = await browser.new_context(java_script_enabled=javascript)
        page = await context.new_page()
        meldingen: list[str] = []
        page.on("console", lambda m, bewaar=meldingen: bewaar.append(m.text))
        await page.goto(server + "/inloggen")
        await page.get_by_label("Karim El Amrani", exact=False).check()
        async with page.expect_navigation():
            await page.get_by_role("button", name="Inloggen").click()
        for pad in ("/", "/casussen", "/casussen/DB-2026-0001", "/verhalen"):
            antwoord = await page.goto(server + pad)
            assert antwoord is not None and antwoord.status == 200
        assert not [m for m in meldingen if "Content Security Policy" in m], meldingen
        if not javascript:
            await _zonder_javascript_opent_de_fout_in_beeld(page, server)
        await context.close()


async def _zonder_javascript_opent_de_fout_in_beeld(page: Any, server: str) -> None:
    """Without JavaScript a failed form opens at its error summary (the action's fragment),
    and opening the answer's address again leads back to the casus instead of a 405."""
    await page.set_viewport_size(DESKTOP)
    async with httpx.AsyncClient(
        base_url=server, headers={"Authorization": "Bearer demo-karim"}
    ) as api:
        casussen = (await api.get("/api/v1/casussen?limit=100")).json()["results"]
    kenmerk = next(
        c["kenmerk"]
        for c in casussen
        if c["fase"] != "afgesloten"
        and (c.get("regiehouder") or {}).get("naam") == "Karim El Amrani"
    )
    await page.goto(f"{server}/casussen/{kenmerk}")
    actie = f"/casussen/{kenmerk}/stappen"
    form = page.locator(f'form[action^="{actie}#"]')
    await page.locator(f'details:has(form[action^="{actie}#"]) summary').click()
    async with page.expect_navigation():
        await form.locator('button[type="submit"]').click()
    assert page.url.endswith("-fouten"), page.url
    boven = await page.evaluate(
        "() => document.querySelector('.fout-samenvatting').getBoundingClientRect().top"
    )
    # Sub-pixel layout may put the scrolled-to summary a fraction above 0.
    assert -1 < boven < DESKTOP["height"], f"error summary at {boven} px, not in view"
    assert await page.evaluate("() => window.scrollY") > 0
    antwoord = await page.goto(server + actie)
    assert antwoord is not None and antwoord.status == 200
    assert page.url.endswith(f"/casussen/{kenmerk}#stappen"), page.url


async def _api_token_maken_en_intrekken(bezoeker: Bezoeker) -> None:
    """The beheerder makes an API token (shown once, on the answer to the form), then revokes
    it after ticking the confirmation; the token worked in between and not after."""
    page = bezoeker.page
    await bezoeker.ga("/beheer/api-tokens")
    await bezoeker.verstuur(
        "/beheer/api-tokens/nieuw",
        {
            "Medewerker (verplicht)": "Eva Mulder (schuldhulp)",
            "Waarvoor (verplicht)": "Browsertest",
        },
    )
    assert "Kopieer het nu: het wordt niet opnieuw getoond." in await page.inner_text("main")
    token = await page.input_value("#nieuw-token")
    assert token.startswith("dbk_") and token not in page.url
    assert await page.evaluate("() => document.activeElement.id === 'melding'")
    await bezoeker.controleer("beheer-api-token-nieuw")
    async with httpx.AsyncClient(base_url=bezoeker.basis) as http:
        ik = await http.get("/api/v1/ik", headers={"Authorization": f"Bearer {token}"})
    assert ik.status_code == 200 and ik.json()["naam"] == "Eva Mulder"
    await bezoeker.ga("/beheer/api-tokens")
    assert token not in await page.content()
    actie = await page.locator('form[action*="/intrekken"]').first.get_attribute("action")
    assert actie is not None
    await bezoeker.verstuur(
        actie.split("#", 1)[0], {"Ja, trek Browsertest in: het werkt daarna niet meer": True}
    )
    assert "Het token is ingetrokken" in await page.inner_text("main")
    await bezoeker.controleer("beheer-api-token-ingetrokken")
    async with httpx.AsyncClient(base_url=bezoeker.basis) as http:
        ik = await http.get("/api/v1/ik", headers={"Authorization": f"Bearer {token}"})
    assert ik.status_code == 401


async def test_rollen_beheer_logboek_en_lijst_door_de_browser(browser: Any, server: str) -> None:
    """The start page of every role without casework, the beheer screens, the auditor's
    logboek, the sorted casussen list and the 404 page: axe 0, no sideways scroll at 390 px."""
    verslag: list[str] = []
    for wie, naam, paden in (
        ("lotte", "Lotte Smit", [("/", "start-auditor"), ("/logboek", "logboek")]),
        ("fatima", "Fatima Yilmaz", [("/", "start-beleid")]),
        (
            "bram",
            "Bram de Boer",
            [
                ("/", "start-beheerder"),
                ("/beheer", "beheer"),
                ("/beheer/afdelingen", "beheer-afdelingen"),
                ("/beheer/medewerkers", "beheer-medewerkers"),
                ("/beheer/regels", "beheer-regels"),
                ("/beheer/externe-partijen", "beheer-externe-partijen"),
                ("/beheer/externe-partijen/ggz-noord/bewerken", "beheer-externe-partij"),
                ("/beheer/api-tokens", "beheer-api-tokens"),
            ],
        ),
        (
            "karim",
            "Karim El Amrani",
            [("/casussen?sorteer=deadline&mijn=ja", "casussen-gesorteerd")],
        ),
    ):
        bezoeker = await _bezoeker(browser, server, wie, verslag)
        await bezoeker.inloggen(naam)
        for pad, scherm in paden:
            await bezoeker.ga(pad, scherm)
        if wie == "lotte":
            assert "Casus aanmelden" not in await bezoeker.page.inner_text("main")
        if wie == "bram":
            await bezoeker.ga("/beheer/afdelingen")
            await bezoeker.verstuur(
                "/beheer/afdelingen/nieuw",
                {"Naam (verplicht)": "Leerplicht", "Code (verplicht)": "leerplicht"},
            )
            assert "De afdeling is toegevoegd." in await bezoeker.page.inner_text("main")
            await bezoeker.ga("/beheer/externe-partijen")
            partij = {"Naam (verplicht)": "Zorgverzekeraar Zuid", "Code (verplicht)": "zv-zuid"}
            # No soort chosen: the page again at the error (axe on the error state too).
            await bezoeker.verstuur("/beheer/externe-partijen/nieuw", partij, fout=True)
            await bezoeker.verstuur(
                "/beheer/externe-partijen/nieuw", partij | {"Soort (verplicht)": "Zorgverzekeraar"}
            )
            assert "Zorgverzekeraar Zuid" in await bezoeker.page.inner_text("main")
            await bezoeker.ga("/beheer/externe-partijen/zv-zuid/bewerken")
            await bezoeker.verstuur("/beheer/externe-partijen/zv-zuid/deactiveren", {})
            assert "Weer activeren" in await bezoeker.page.inner_text("main")
            await _api_token_maken_en_intrekken(bezoeker)
        if wie == "karim":
            antwoord = await bezoeker.page.goto(server + "/bestaat/niet")
            assert antwoord is not None and antwoord.status == 404
            await bezoeker.controleer("niet-gevonden")
            tekst = await bezoeker.page.inner_text("body")
            assert "Mijn werk" in tekst and "Uitloggen" in tekst and "log in" not in tekst
    print(f"\nroles and beheer: {len(verslag)} page checks")
    for regel in verslag:
        print("  " + regel)
