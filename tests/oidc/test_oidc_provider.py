"""doorbraak against a real OpenID Provider (slow): panva's certified `oidc-provider` (npm,
pinned in tests/oidc/package.json, configured by tests/oidc/idp.mjs) on loopback, the real
`doorbraak serve`, and Debian's Chromium through Playwright.

End to end: discovery, the browser code flow with PKCE and a client secret holding '+' and '%'
(form-encoded HTTP Basic), ES256 ID tokens, the e-mail claim with email_verified, bearer tokens
(JWT access tokens of a public PKCE client) on the API, key rotation at the IdP, and logout that
ends the session at the IdP too (under the page's CSP).

Needs /usr/bin/chromium and `npm install` in tests/oidc (.ci/run does both). Ports 8751-8799.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HIER = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
# '+' and '%' broke sign-in before the secret was form-encoded for HTTP Basic (RFC 6749 2.3.1).
WEB_SECRET = "geheim+met%25procent en spatie"
API = "urn:doorbraak:api"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def _vrije_poort(bezet: set[int]) -> int:
    poorten = [p for p in range(8751, 8800) if p not in bezet]
    random.shuffle(poorten)
    for poort in poorten:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
            bezet.add(poort)
            return poort
    raise RuntimeError("no free port in 8751-8799")


def _sleutel(kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1())))
    jwk.update(kid=kid, use="sig", alg="ES256")
    return jwk


def _wacht(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    grens = time.monotonic() + 60
    while True:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        if proc.poll() is not None or time.monotonic() > grens:
            raise AssertionError(log.read_text()[-5000:])
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


class IdP:
    """The provider process; `roteer()` restarts it with a new signing key first."""

    def __init__(self, map_: Path, poort: int, app_basis: str) -> None:
        self.map = map_
        self.poort = poort
        self.app_basis = app_basis
        self.issuer = f"http://127.0.0.1:{poort}"
        self.sleutels = [_sleutel("sleutel-1")]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        pad = self.map / "keys.json"
        pad.write_text(json.dumps({"keys": self.sleutels}))
        log = self.map / f"idp-{len(self.sleutels)}.log"
        self.uitvoer = log.open("wb")
        self.proc = subprocess.Popen(
            ["node", str(HIER / "idp.mjs")],
            env={
                **os.environ,
                "IDP_PORT": str(self.poort),
                "IDP_KEYS": str(pad),
                "APP_BASE": self.app_basis,
                "WEB_SECRET": WEB_SECRET,
            },
            stdout=self.uitvoer,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wacht(f"{self.issuer}/.well-known/openid-configuration", self.proc, log)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.uitvoer.close()
            self.proc = None

    def roteer(self) -> str:
        """Key rotation: a new key signs, the old one is still published (tokens it signed
        stay valid until they expire). Returns the new kid."""
        self.stop()
        nieuw = _sleutel(f"sleutel-{len(self.sleutels) + 1}")
        self.sleutels = [nieuw, *self.sleutels]
        self.start()
        return str(nieuw["kid"])


@pytest.fixture(scope="module")
def omgeving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, IdP]]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if not (HIER / "node_modules" / "oidc-provider").exists():
        pytest.fail("oidc-provider is missing: run `npm install` in tests/oidc")
    map_ = tmp_path_factory.mktemp("oidc")
    bezet: set[int] = set()
    app_poort, idp_poort = _vrije_poort(bezet), _vrije_poort(bezet)
    app_basis = f"http://127.0.0.1:{app_poort}"
    idp = IdP(map_, idp_poort, app_basis)
    idp.start()
    env = {
        **os.environ,
        "DOORBRAAK_DATABASE_URL": f"sqlite+aiosqlite:///{map_ / 'doorbraak.db'}",
        "DOORBRAAK_AUTH_MODE": "oidc",
        "DOORBRAAK_OIDC_ISSUER": idp.issuer,
        "DOORBRAAK_OIDC_AUDIENCE": API,
        "DOORBRAAK_OIDC_CLAIM": "email",
        "DOORBRAAK_OIDC_CLIENT_ID": "doorbraak-web",
        "DOORBRAAK_OIDC_CLIENT_SECRET": WEB_SECRET,
        # Every endpoint comes from discovery; a new kid is fetched at once (rotation test).
        "DOORBRAAK_OIDC_JWKS_MIN_REFRESH_SECONDS": "0",
        "DOORBRAAK_PUBLIC_BASE_URL": app_basis,
        "DOORBRAAK_WEB_SECURE_COOKIE": "false",
        # Outside development mode the public development keys are refused.
        "DOORBRAAK_BSN_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DOORBRAAK_PSEUDONYM_KEY": secrets.token_urlsafe(32),
    }
    for stap in (
        ["migrate"],
        [
            "medewerker",
            "aanmaken",
            "--naam",
            "Karim El Amrani",
            "--email",
            "karim@gemeente.example",
            "--afdeling",
            "sociaal-domein",
            "--afdeling-naam",
            "Sociaal Domein",
            "--rol",
            "medewerker",
        ],
        [
            "medewerker",
            "aanmaken",
            "--naam",
            "Lotte Smit",
            "--email",
            "lotte@gemeente.example",
            "--afdeling",
            "wonen",
            "--afdeling-naam",
            "Wonen",
            "--rol",
            "auditor",
        ],
    ):
        subprocess.run(
            [sys.executable, "-m", "doorbraak.cli", *stap], env=env, cwd=ROOT, check=True
        )
    log = map_ / "server.log"
    uitvoer = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "doorbraak.cli", "serve", "--port", str(app_poort)],
        env=env,
        cwd=ROOT,
        stdout=uitvoer,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wacht(f"{app_basis}/api/v1/health", proc, log)
        yield app_basis, idp
    finally:
        _stop(proc)
        uitvoer.close()
        idp.stop()
    fouten = [r for r in log.read_text().splitlines() if "Traceback" in r]
    assert not fouten, log.read_text()[-5000:]


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def _login_bij_idp(page: Any, wie: str) -> None:
    """oidc-provider's own login and consent pages (development interactions)."""
    if await page.locator("input[name=login]").count():
        await page.fill("input[name=login]", wie)
        await page.fill("input[name=password]", "wat-dan-ook")
        await page.click("button[type=submit]")
        await page.wait_for_load_state()
    if await page.locator("input[name=prompt][value=consent]").count():
        await page.click("button[type=submit]")
        await page.wait_for_load_state()


def _kid(token: str) -> str:
    kop = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(kop + "=" * (-len(kop) % 4)))["kid"])


async def _access_token(context: Any, idp: IdP) -> str:
    """A bearer token for the API as a public client would get it: code flow with PKCE in the
    same browser (the IdP session signs in silently), the code exchanged without a secret."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    redirect = "http://127.0.0.1:9/callback"
    vraag = {
        "response_type": "code",
        "client_id": "doorbraak-cli",
        "redirect_uri": redirect,
        "scope": "openid email",
        "resource": API,
        "code_challenge": challenge.decode(),
        "code_challenge_method": "S256",
        "state": secrets.token_urlsafe(16),
    }
    page = await context.new_page()
    gevangen: list[str] = []

    async def vang(route: Any) -> None:
        gevangen.append(route.request.url)
        await route.fulfill(status=200, body="ok")

    await page.route(f"{redirect}*", vang)
    await page.goto(f"{idp.issuer}/auth?{urlencode(vraag)}")
    for _ in range(50):
        if gevangen:
            break
        await _login_bij_idp(page, "karim")
        await page.wait_for_timeout(200)
    await page.close()
    assert gevangen, "the IdP did not redirect back with a code"
    code = parse_qs(urlsplit(gevangen[0]).query)["code"][0]
    async with httpx.AsyncClient(timeout=10) as http:
        antwoord = await http.post(
            f"{idp.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect,
                "client_id": "doorbraak-cli",
                "code_verifier": verifier,
                "resource": API,
            },
        )
    assert antwoord.status_code == 200, antwoord.text
    return str(antwoord.json()["access_token"])


async def test_browser_login_bearer_tokens_key_rotation_and_logout(
    omgeving: tuple[str, IdP], browser: Any
) -> None:
    basis, idp = omgeving
    context = await browser.new_context()
    page = await context.new_page()
    geblokkeerd: list[str] = []
    page.on(
        "console", lambda m: geblokkeerd.append(m.text) if "Content Security" in m.text else None
    )

    # Sign in: /casussen -> /inloggen -> the IdP (endpoints from discovery) -> back, signed in.
    await page.goto(f"{basis}/casussen")
    assert page.url.startswith(f"{idp.issuer}/"), page.url
    await _login_bij_idp(page, "karim")
    await page.wait_for_url(f"{basis}/casussen")
    assert "Karim El Amrani" in await page.inner_text("body")

    # A bearer token from the IdP (JWT access token, ES256) works on the API.
    token = await _access_token(context, idp)
    assert _kid(token) == "sleutel-1"
    api = httpx.AsyncClient(base_url=basis, timeout=10)
    ik = await api.get("/api/v1/ik", headers={"Authorization": f"Bearer {token}"})
    assert ik.status_code == 200 and ik.json()["naam"] == "Karim El Amrani", ik.text

    # Key rotation at the IdP: a new key signs, the old one is still published. The old token
    # keeps working; a new one (new kid) is accepted after the app fetched the JWKS again.
    nieuw = idp.roteer()
    ik = await api.get("/api/v1/ik", headers={"Authorization": f"Bearer {token}"})
    assert ik.status_code == 200, ik.text
    # The IdP's sessions did not survive its restart: sign in there again (same browser).
    nieuw_token = await _access_token(context, idp)
    assert _kid(nieuw_token) == nieuw
    ik = await api.get("/api/v1/ik", headers={"Authorization": f"Bearer {nieuw_token}"})
    await api.aclose()
    assert ik.status_code == 200 and ik.json()["naam"] == "Karim El Amrani", ik.text

    # Logout: ends the session here and at the IdP (id_token_hint, client_id,
    # post_logout_redirect_uri); the page's CSP (form-action 'self') does not block it.
    await page.goto(f"{basis}/casussen")
    await page.click("button:has-text('Uitloggen')")
    await page.wait_for_url(f"{idp.issuer}/**")
    await page.click("button[name=logout][value=yes]")
    await page.wait_for_url(f"{basis}/uitgelogd")
    assert "U bent uitgelogd" in await page.inner_text("main")
    assert not geblokkeerd, geblokkeerd
    # Signed out at the IdP too: the next visit asks for a login again, no silent sign-in.
    await page.goto(f"{basis}/casussen")
    assert page.url.startswith(f"{idp.issuer}/")
    assert await page.locator("input[name=login]").count() == 1

    # An unverified e-mail address is no usable user, even when it names a medewerker.
    await _login_bij_idp(page, "lotte-onverifieerd")
    await page.wait_for_load_state()
    assert page.url.startswith(f"{basis}/inloggen/terug")
    assert "niet geverifieerd" in await page.inner_text("body")
    await context.close()
