"""Browser walk (slow) of the inbox and the notities, in real Chromium against the real server
(migrate + demo + serve) with a real SMTP server on loopback (aiosmtpd): joost finds the demo's
mention in his inbox and the header counter, follows it and marks it seen; karim mentions sanne
in a note through the form, and the notification mail arrives at the SMTP server, naming the
kenmerk and a link but not the note. Every page passes axe with zero violations."""

from __future__ import annotations

import contextlib
import email
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from doorbraak.demo import DEMO_BSNS
from tests.web.test_browser import ROOT, _bezoeker, browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow
POORTEN = range(8150, 8160)


class Postbus:
    def __init__(self) -> None:
        self.berichten: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.berichten.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _vrij(bezet: set[int]) -> int:
    for poort in POORTEN:
        if poort in bezet:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
            return poort
    raise RuntimeError("no free port in 8150-8159")


@pytest.fixture(scope="module")
def omgeving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Postbus]]:
    bus = Postbus()
    smtp_poort = _vrij(set())
    controller = Controller(bus, hostname="127.0.0.1", port=smtp_poort)
    controller.start()
    map_ = tmp_path_factory.mktemp("browser-inbox")
    env = {
        **os.environ,
        "DOORBRAAK_DATABASE_URL": f"sqlite+aiosqlite:///{map_ / 'doorbraak.db'}",
        "DOORBRAAK_AUTH_MODE": "dev",
        "DOORBRAAK_SMTP_HOST": "127.0.0.1",
        "DOORBRAAK_SMTP_PORT": str(smtp_poort),
        "DOORBRAAK_SMTP_BEVEILIGING": "geen",
        "DOORBRAAK_MELDINGEN_INTERVAL_SECONDEN": "2",
    }
    for stap in ("migrate", "demo"):
        subprocess.run([sys.executable, "-m", "doorbraak.cli", stap], env=env, cwd=ROOT, check=True)
    poort = _vrij({smtp_poort})
    env["DOORBRAAK_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{poort}"
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
    yield url, bus
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    controller.stop()
    fouten = [r for r in (map_ / "server.log").read_text().splitlines() if "Traceback" in r]
    assert not fouten, (map_ / "server.log").read_text()[-5000:]


async def _teller(bezoeker: Any) -> int:
    return int(await bezoeker.page.locator(".inbox-teller").get_attribute("data-inbox-totaal"))


async def test_inbox_and_a_mention_by_mail(browser: Any, omgeving: tuple[str, Postbus]) -> None:  # noqa: F811
    server, bus = omgeving
    verslag: list[str] = []

    # joost is mentioned in a note of the demo: the inbox lists it, the header counts it.
    joost = await _bezoeker(browser, server, "joost", verslag)
    await joost.inloggen("Joost Bakker")
    await joost.controleer("inbox-joost")
    inbox = joost.page.locator("#inbox")
    genoemd = inbox.locator('li[data-soort="genoemd"] a')
    assert await genoemd.count() == 1
    voor = await _teller(joost)
    assert voor >= 1 and voor == await inbox.locator("li").count()
    async with joost.page.expect_navigation():
        await genoemd.click()
    assert joost.page.url.endswith("#notities")
    await joost.controleer("notities")
    kaart = joost.page.locator("#notities .kaart").filter(has_text="raamaannemer")
    assert await kaart.count() == 1
    async with joost.page.expect_navigation():
        await kaart.get_by_role("button", name="Gezien").click()
    await joost.ga("/")
    assert await joost.page.locator('#inbox li[data-soort="genoemd"]').count() == 0
    assert await _teller(joost) == voor - 1

    # karim sees the work of a coordinator; he mentions sanne on one of his open casussen.
    karim = await _bezoeker(browser, server, "karim", verslag)
    await karim.inloggen("Karim El Amrani")
    await karim.controleer("inbox-karim")
    assert await _teller(karim) == await karim.page.locator("#inbox li").count()
    # One of karim's open casussen that sanne can see too (only she can be mentioned there).
    links = karim.page.locator('#k-casussen ~ ul a[href^="/casussen/DB-"]')
    eigen = [
        h.rsplit("/", 1)[-1]
        for h in await links.evaluate_all("l => l.map(a => a.getAttribute('href'))")
    ]
    async with httpx.AsyncClient(
        base_url=server, headers={"Authorization": "Bearer demo-sanne"}
    ) as api:
        zichtbaar = {
            c["kenmerk"] for c in (await api.get("/api/v1/casussen?limit=100")).json()["results"]
        }
    kenmerk = next(k for k in eigen if k in zichtbaar)
    await karim.ga(f"/casussen/{kenmerk}")
    tekst = "@sanne kun jij morgen de planning met het gezin doornemen?"
    await karim.verstuur(f"/casussen/{kenmerk}/notities", {"Nieuwe notitie (verplicht)": tekst})
    assert await karim.page.locator("#notities .kaart").filter(has_text="planning").count() == 1

    # The mail reaches the SMTP server after the commit, with the kenmerk and a link only.
    # (The demo's own events were mailed at start too: the mention is the one about kenmerk.)
    def genoemd_aan_sanne() -> list[Message]:
        return [
            b
            for b in bus.berichten
            if b["To"] == "sanne@gemeente.example"
            and "genoemd" in b["Subject"]
            and kenmerk in b["Subject"]
        ]

    grens = time.monotonic() + 30
    while not genoemd_aan_sanne():
        assert time.monotonic() < grens, (
            f"no mail for sanne: {[b['Subject'] for b in bus.berichten]}"
        )
        await joost.page.wait_for_timeout(200)
    [mail] = genoemd_aan_sanne()
    assert kenmerk in mail["Subject"] and "genoemd" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert re.search(rf"{re.escape(server)}/casussen/{kenmerk}#notities", body)
    for bericht in bus.berichten:
        inhoud = bericht.as_string()
        assert "planning" not in inhoud and "Karim El Amrani" not in inhoud
        for bsn in DEMO_BSNS:
            assert bsn not in inhoud

    # sanne finds it in her inbox.
    sanne = await _bezoeker(browser, server, "sanne", verslag)
    await sanne.inloggen("Sanne de Vries")
    items = sanne.page.locator('#inbox li[data-soort="genoemd"] a')
    assert kenmerk in " ".join(await items.all_inner_texts())
    await sanne.controleer("inbox-sanne")
    print("\n".join(verslag))
