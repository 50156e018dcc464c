"""The web frontend without a browser (httpx + ASGITransport): sign-in, the API's 404 for a
casus that is not visible, CSRF, errors next to their field, the 412 conflict page, and the
OIDC authorization-code flow against a mocked identity provider."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak.app import create_app
from doorbraak.casussen.toegang import NIET_ZICHTBAAR
from doorbraak.config import Settings
from doorbraak.models import Casus, LogboekRegel, Medewerker, WebSessie
from doorbraak.web.sessie import COOKIE
from tests.conftest import TEST_URL, Api
from tests.helpers import nieuwe_casus, wijzig_casus
from tests.personas import medewerker_id
from tests.web.conftest import BASIS, csrf_uit


async def test_pagina_vraagt_om_inloggen_en_heeft_strikte_headers(web: Any, app: object) -> None:
    anoniem = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS)  # type: ignore[arg-type]
    r = await anoniem.get("/casussen")
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen?terug=")
    await anoniem.aclose()

    karim = await web("karim")
    r = await karim.get("/")
    assert r.status_code == 200 and "Mijn werk" in r.text and "Karim El Amrani" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["cache-control"] == "no-store"
    cookie = next(h for h in r.request.headers.get_list("cookie"))
    assert COOKIE in cookie


async def test_sessiecookie_is_httponly_en_samesite_lax(app: object) -> None:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS)  # type: ignore[arg-type]
    r = await client.get("/inloggen")
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    r = await client.post(
        "/inloggen/demo",
        data={"csrf": csrf_uit(r.text), "medewerker": str(medewerker_id("karim"))},
    )
    # A new session token at sign-in: the one from before signing in is worthless now.
    assert r.status_code == 303 and "httponly" in r.headers["set-cookie"].lower()
    await client.aclose()


async def test_inloggen_met_de_demokeuze_landt_zonder_het_anker_van_het_formulier(
    app: object,
) -> None:
    """A 303 without a fragment keeps the one of the form's action: the sign-in form has none,
    so the page after signing in opens at the top, not at `#inloggen-demo-fouten`."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASIS)  # type: ignore[arg-type]
    pagina = await client.get("/inloggen?terug=%2Fcasussen")
    assert 'action="/inloggen/demo"' in pagina.text and "inloggen-demo-fouten" not in pagina.text
    r = await client.post(
        "/inloggen/demo",
        data={"csrf": csrf_uit(pagina.text), "medewerker": str(medewerker_id("karim"))},
    )
    assert r.status_code == 303 and r.headers["location"] == "/casussen"
    await client.aclose()


async def test_onzichtbare_casus_geeft_dezelfde_404_als_de_api(
    web: Any, api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    casus = await nieuwe_casus(api("karim"))
    joost = await web("joost")
    r = await joost.get(f"/casussen/{casus['kenmerk']}")
    assert r.status_code == 404 and NIET_ZICHTBAAR in r.text
    onbekend = await joost.get("/casussen/DB-2026-9999")
    assert onbekend.status_code == 404 and NIET_ZICHTBAAR in onbekend.text
    # The same words as the API, so existence does not leak through the web either.
    api_antwoord = await api("joost").get(f"/api/v1/casussen/{casus['kenmerk']}")
    assert api_antwoord.status_code == 404 and api_antwoord.json()["detail"] == NIET_ZICHTBAAR
    # A form post on it is refused the same way, and nothing changes.
    pagina = await joost.get("/")
    r = await joost.post(
        f"/casussen/{casus['kenmerk']}/stappen",
        data={"csrf": csrf_uit(pagina.text), "titel": "Mag niet"},
    )
    assert r.status_code == 404 and NIET_ZICHTBAAR in r.text
    async with db() as session:
        regels = (
            await session.scalars(
                select(LogboekRegel.resultaat).where(
                    LogboekRegel.actor == str(medewerker_id("joost"))
                )
            )
        ).all()
    assert regels.count("geweigerd-404") >= 3


async def test_post_zonder_geldig_csrf_token_wordt_geweigerd(
    web: Any, db: async_sessionmaker[AsyncSession]
) -> None:
    karim = await web("karim")
    for data in ({"titel": "Zonder token"}, {"titel": "Fout token", "csrf": "niet-het-token"}):
        r = await karim.post("/casussen/nieuw", data=data)
        assert r.status_code == 403 and "formulier is verlopen" in r.text
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Casus)) == 0


async def test_fout_staat_naast_het_veld_en_invoer_blijft_staan(web: Any) -> None:
    karim = await web("karim")
    pagina = await karim.get("/casussen/nieuw")
    r = await karim.post(
        "/casussen/nieuw",
        data={
            "csrf": csrf_uit(pagina.text),
            "titel": "",
            "situatie": "Het dak lekt al weken.",
            "urgentie": "hoog",
            "bsn": "123456789",
        },
    )
    assert r.status_code == 400
    html = r.text
    assert re.search(r'id="casussen-nieuw-titel-fout"[^>]*>.*Vul dit veld in', html)
    assert re.search(r'id="casussen-nieuw-titel"[^>]*aria-invalid="true"', html)
    assert re.search(r'id="casussen-nieuw-bsn-fout"[^>]*>.*11-proef', html)
    assert "Het dak lekt al weken." in html
    assert 'value="hoog" selected' in html


async def test_dienstfout_staat_bovenaan_het_formulier(web: Any, api: Api) -> None:
    casus = await nieuwe_casus(api("karim"))
    karim = await web("karim")
    pagina = await karim.get(f"/casussen/{casus['kenmerk']}")
    # Leaving aangemeld needs a regiehouder: the refusal lists what is missing.
    r = await karim.post(
        f"/casussen/{casus['kenmerk']}/fase",
        data={"csrf": csrf_uit(pagina.text), "naar": "in_kaart"},
    )
    assert r.status_code == 409
    assert "Dit is nog niet gelukt" in r.text and "regiehouder" in r.text.lower()


async def test_versieconflict_toont_wat_veranderde_en_houdt_de_invoer(web: Any, api: Api) -> None:
    casus = await nieuwe_casus(api("karim"), titel="Lekkend dak")
    kenmerk = casus["kenmerk"]
    karim = await web("karim")
    formulier = (await karim.get(f"/casussen/{kenmerk}/bewerken")).text
    versie = re.search(r'name="versie" value="(\d+)"', formulier)
    assert versie
    was = dict(re.findall(r'name="(was\.[A-Za-z]+)" value="([^"]*)"', formulier))
    # Meanwhile somebody else changes the title through the API.
    await wijzig_casus(api("karim"), kenmerk, titel="Lekkend dak en schimmel")
    r = await karim.post(
        f"/casussen/{kenmerk}/bewerken",
        data={
            "csrf": csrf_uit(formulier),
            "versie": versie.group(1),
            **was,
            "titel": "Lekkend dak",
            "situatie": "Mijn eigen aanvulling op de situatie.",
            "urgentie": "hoog",
            "vertrouwelijkheid": "zaakvertrouwelijk",
        },
    )
    assert r.status_code == 412
    assert "Intussen gewijzigd door een ander" in r.text
    assert "Lekkend dak en schimmel" in r.text  # what it is now
    assert "Mijn eigen aanvulling op de situatie." in r.text  # the user's input is kept
    # Saving again from the refreshed form keeps the other person's title.
    nieuw = re.search(r'name="versie" value="(\d+)"', r.text)
    assert nieuw and nieuw.group(1) != versie.group(1)
    was2 = dict(re.findall(r'name="(was\.[A-Za-z]+)" value="([^"]*)"', r.text))
    r = await karim.post(
        f"/casussen/{kenmerk}/bewerken",
        data={
            "csrf": csrf_uit(r.text),
            "versie": nieuw.group(1),
            **was2,
            "titel": "Lekkend dak en schimmel",
            "situatie": "Mijn eigen aanvulling op de situatie.",
            "urgentie": "hoog",
            "vertrouwelijkheid": "zaakvertrouwelijk",
        },
    )
    assert r.status_code == 303
    opgeslagen = (await api("karim").get(f"/api/v1/casussen/{kenmerk}")).json()
    assert opgeslagen["titel"] == "Lekkend dak en schimmel"
    assert opgeslagen["situatie"] == "Mijn eigen aanvulling op de situatie."


async def test_uitloggen_beeindigt_de_sessie(
    web: Any, db: async_sessionmaker[AsyncSession]
) -> None:
    karim = await web("karim")
    pagina = await karim.get("/")
    r = await karim.post("/uitloggen", data={"csrf": csrf_uit(pagina.text)})
    assert r.status_code == 303
    async with db() as session:
        aantal = await session.scalar(
            select(func.count())
            .select_from(WebSessie)
            .where(WebSessie.medewerker_id == medewerker_id("karim"))
        )
    assert aantal == 0
    assert (await karim.get("/")).status_code == 303


# --- OIDC authorization-code flow against a mocked identity provider --------------------------

ISSUER = "https://idp.gemeente.example/realms/medewerkers"
SLEUTEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class IdP:
    """Token endpoint and JWKS of the identity provider; remembers what it was asked."""

    def __init__(self) -> None:
        self.nonce: str | None = None
        self.token_verzoeken: list[httpx.Request] = []
        self.discovery_verzoeken = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/realms/medewerkers/.well-known/openid-configuration":
            self.discovery_verzoeken += 1
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": "https://idp.gemeente.example/auth",
                    "token_endpoint": "https://idp.gemeente.example/token",
                    "end_session_endpoint": "https://idp.gemeente.example/logout",
                    "jwks_uri": "https://idp.gemeente.example/jwks",
                    "token_endpoint_auth_methods_supported": [
                        "client_secret_basic",
                        "client_secret_post",
                        "none",
                    ],
                },
            )
        if request.url.path == "/jwks":
            jwk: dict[str, Any] = RSAAlgorithm.to_jwk(SLEUTEL.public_key(), as_dict=True)
            jwk.update(kid="web-1", alg="RS256", use="sig")
            return httpx.Response(200, json={"keys": [jwk]})
        assert request.url.path == "/token"
        self.token_verzoeken.append(request)
        nu = int(time.time())
        id_token = jwt.encode(
            {
                "iss": ISSUER,
                "aud": "doorbraak-web",
                "sub": "idp|karim",
                "nonce": self.nonce,
                "iat": nu,
                "exp": nu + 300,
            },
            SLEUTEL,
            algorithm="RS256",
            headers={"kid": "web-1"},
        )
        return httpx.Response(200, json={"id_token": id_token, "token_type": "Bearer"})


@pytest.fixture
def idp_instellingen(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings of the web client at the IdP; a test overrides them with parametrize."""
    instellingen: dict[str, Any] = getattr(request, "param", {"oidc_client_secret": "geheim"})
    return instellingen


@pytest.fixture
async def oidc_web(
    db: async_sessionmaker[AsyncSession], idp_instellingen: dict[str, Any]
) -> AsyncIterator[tuple[Any, IdP]]:
    async with db() as session:
        await session.execute(
            update(Medewerker)
            .where(Medewerker.id == medewerker_id("karim"))
            .values(oidc_sub="idp|karim")
        )
        await session.commit()
    idp = IdP()
    settings = Settings(
        database_url=TEST_URL,
        auth_mode="oidc",
        oidc_issuer=ISSUER,
        oidc_audience="doorbraak",
        oidc_client_id="doorbraak-web",
        public_base_url="https://doorbraak.gemeente.example",
        # Every endpoint comes from the IdP's discovery document.
        **idp_instellingen,
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(idp))
    app = create_app(settings, http_client=http)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://doorbraak.gemeente.example"
    )
    yield client, idp
    await client.aclose()
    await http.aclose()
    await app.state.engine.dispose()


async def test_oidc_code_flow_logt_in_met_pkce_state_en_nonce(
    oidc_web: tuple[httpx.AsyncClient, IdP],
) -> None:
    client, idp = oidc_web
    r = await client.get("/inloggen?terug=/casussen")
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen/oidc")
    r = await client.get(r.headers["location"])
    assert r.status_code == 303
    naar_idp = urlsplit(r.headers["location"])
    assert f"{naar_idp.scheme}://{naar_idp.netloc}{naar_idp.path}" == (
        "https://idp.gemeente.example/auth"
    )
    vraag = {k: v[0] for k, v in parse_qs(naar_idp.query).items()}
    assert vraag["client_id"] == "doorbraak-web" and vraag["response_type"] == "code"
    assert vraag["code_challenge_method"] == "S256"
    assert vraag["redirect_uri"] == "https://doorbraak.gemeente.example/inloggen/terug"
    assert "secure" in r.headers["set-cookie"].lower()  # behind TLS

    # A callback with another state is refused.
    fout = await client.get("/inloggen/terug", params={"code": "x", "state": "vervalst"})
    assert fout.status_code == 401 and not idp.token_verzoeken

    idp.nonce = vraag["nonce"]
    r = await client.get("/inloggen/terug", params={"code": "code-1", "state": vraag["state"]})
    assert r.status_code == 303 and r.headers["location"] == "/casussen"
    verzoek = idp.token_verzoeken[0]
    body = parse_qs(verzoek.content.decode())
    assert body["grant_type"] == ["authorization_code"] and body["code"] == ["code-1"]
    assert "code_verifier" in body and verzoek.headers["authorization"].startswith("Basic ")
    pagina = await client.get("/casussen")
    assert pagina.status_code == 200 and "Karim El Amrani" in pagina.text
    # The endpoints came from the discovery document, read once and cached.
    assert idp.discovery_verzoeken == 1


async def _inloggen_via_idp(client: httpx.AsyncClient, idp: IdP) -> httpx.Request:
    r = await client.get("/inloggen/oidc")
    vraag = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    idp.nonce = vraag["nonce"]
    r = await client.get("/inloggen/terug", params={"code": "c", "state": vraag["state"]})
    assert r.status_code == 303, r.text
    return idp.token_verzoeken[-1]


@pytest.mark.parametrize(
    "idp_instellingen", [{"oidc_client_secret": "a+b%c:d e/f=="}], indirect=True
)
async def test_client_secret_met_plus_en_procent_gaat_form_encoded_in_basic(
    oidc_web: tuple[httpx.AsyncClient, IdP],
) -> None:
    verzoek = await _inloggen_via_idp(*oidc_web)
    schema, waarde = verzoek.headers["authorization"].split(" ")
    assert schema == "Basic"
    # RFC 6749 2.3.1: form-encoded before Basic; the IdP decodes both parts back.
    assert base64.b64decode(waarde).decode() == "doorbraak-web:a%2Bb%25c%3Ad+e%2Ff%3D%3D"
    gebruiker, geheim = base64.b64decode(waarde).decode().split(":")
    assert unquote_plus(geheim) == "a+b%c:d e/f==" and unquote_plus(gebruiker) == "doorbraak-web"
    assert "client_secret" not in parse_qs(verzoek.content.decode())


@pytest.mark.parametrize(
    "idp_instellingen",
    [{"oidc_client_secret": "a+b%c", "oidc_client_auth": "client_secret_post"}],
    indirect=True,
)
async def test_client_secret_post_zet_het_geheim_in_de_body(
    oidc_web: tuple[httpx.AsyncClient, IdP],
) -> None:
    verzoek = await _inloggen_via_idp(*oidc_web)
    body = parse_qs(verzoek.content.decode())
    assert body["client_secret"] == ["a+b%c"] and body["client_id"] == ["doorbraak-web"]
    assert "authorization" not in verzoek.headers


@pytest.mark.parametrize("idp_instellingen", [{}], indirect=True)
async def test_publieke_client_met_pkce_stuurt_geen_basic_auth(
    oidc_web: tuple[httpx.AsyncClient, IdP],
) -> None:
    verzoek = await _inloggen_via_idp(*oidc_web)
    body = parse_qs(verzoek.content.decode())
    assert "authorization" not in verzoek.headers and "client_secret" not in body
    assert body["client_id"] == ["doorbraak-web"] and body["code_verifier"]


async def _web_sessies(db: async_sessionmaker[AsyncSession]) -> list[WebSessie]:
    async with db() as session:
        return list((await session.scalars(select(WebSessie))).all())


async def test_uitloggen_gaat_ook_naar_de_idp_met_id_token_hint_onder_de_csp(
    oidc_web: tuple[httpx.AsyncClient, IdP], db: async_sessionmaker[AsyncSession]
) -> None:
    client, idp = oidc_web
    r = await client.get("/inloggen/oidc")
    vraag = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    # On the way to the IdP nothing is stored: the sign-in waits in the sealed cookie.
    assert await _web_sessies(db) == []
    idp.nonce = vraag["nonce"]
    r = await client.get("/inloggen/terug", params={"code": "c", "state": vraag["state"]})
    assert r.status_code == 303, r.text
    # The session row is created at sign-in, with the ID token for the logout's id_token_hint.
    (sessie,) = await _web_sessies(db)
    assert sessie.medewerker_id == medewerker_id("karim") and sessie.oidc_id_token
    assert sessie.oidc_state is None and sessie.oidc_verifier is None
    pagina = await client.get("/")
    r = await client.post("/uitloggen", data={"csrf": csrf_uit(pagina.text)})
    # A page, not a redirect of the form post (form-action 'self' would block that).
    assert r.status_code == 200 and "form-action 'self'" in r.headers["content-security-policy"]
    doel = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', r.text)
    assert doel, r.text
    url = urlsplit(doel.group(1).replace("&amp;", "&"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://idp.gemeente.example/logout"
    vraag = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert vraag["client_id"] == "doorbraak-web"
    assert vraag["post_logout_redirect_uri"] == "https://doorbraak.gemeente.example/uitgelogd"
    assert jwt.decode(vraag["id_token_hint"], options={"verify_signature": False})["sub"] == (
        "idp|karim"
    )
    assert (await client.get("/")).status_code == 303  # signed out here
    assert await _web_sessies(db) == []
    terug = await client.get("/uitgelogd")
    assert terug.status_code == 200 and "U bent uitgelogd" in terug.text


async def test_oidc_id_token_met_verkeerde_nonce_wordt_geweigerd(
    oidc_web: tuple[httpx.AsyncClient, IdP],
) -> None:
    client, idp = oidc_web
    r = await client.get("/inloggen/oidc")
    vraag = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    idp.nonce = "een-andere-nonce"
    r = await client.get("/inloggen/terug", params={"code": "c", "state": vraag["state"]})
    assert r.status_code == 401 and "nonce" in r.text
    assert (await client.get("/")).status_code == 303
