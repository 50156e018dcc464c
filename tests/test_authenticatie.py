"""Authentication: OIDC JWTs against a local JWKS (httpx.MockTransport), API tokens, dev mode."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorbraak import cli
from doorbraak.app import create_app
from doorbraak.auth import beheer
from doorbraak.auth.oidc import JwksCache
from doorbraak.config import Settings, get_settings
from doorbraak.db import utcnow
from doorbraak.models import ApiToken, Medewerker
from tests.conftest import TEST_URL, Api, omgeving_van
from tests.helpers import ok, probleem
from tests.personas import medewerker_id

ISSUER = "https://idp.gemeente.example/realms/medewerkers"
AUDIENCE = "doorbraak"
JWKS_URL = "https://idp.gemeente.example/jwks"

RSA_SLEUTEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_SLEUTEL = ec.generate_private_key(ec.SECP256R1())
VREEMDE_SLEUTEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(publiek: Any, kid: str, soort: str) -> dict[str, Any]:
    algoritme = RSAAlgorithm if soort == "RS256" else ECAlgorithm
    jwk: dict[str, Any] = algoritme.to_jwk(publiek, as_dict=True)
    jwk.update(kid=kid, alg=soort, use="sig")
    return jwk


class IdP:
    """A JWKS endpoint that counts how often it is asked."""

    def __init__(self) -> None:
        self.sleutels = [
            _jwk(RSA_SLEUTEL.public_key(), "rsa-1", "RS256"),
            _jwk(EC_SLEUTEL.public_key(), "ec-1", "ES256"),
        ]
        self.opgevraagd = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == JWKS_URL
        self.opgevraagd += 1
        return httpx.Response(200, json={"keys": self.sleutels})


def oidc_settings(**extra: Any) -> Settings:
    return Settings(
        database_url=TEST_URL,
        auth_mode="oidc",
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=JWKS_URL,
        **extra,
    )


def claims(**extra: Any) -> dict[str, Any]:
    nu = int(time.time())
    basis: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "idp|karim",
        "email": "karim@gemeente.example",
        "iat": nu,
        "nbf": nu,
        "exp": nu + 300,
    }
    basis.update(extra)
    return {k: v for k, v in basis.items() if v is not None}


def token(payload: dict[str, Any] | None = None, *, kid: str = "rsa-1", alg: str = "RS256") -> str:
    sleutel: Any = EC_SLEUTEL if alg == "ES256" else RSA_SLEUTEL
    return jwt.encode(payload or claims(), sleutel, algorithm=alg, headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handgemaakt(header: dict[str, Any], payload: dict[str, Any], handtekening: bytes) -> str:
    return ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), _b64(handtekening)]
    )


@pytest.fixture
async def idp() -> IdP:
    return IdP()


@pytest.fixture
async def oidc_api(
    idp: IdP, db: async_sessionmaker[AsyncSession]
) -> AsyncIterator[tuple[Any, Any]]:
    """An app in oidc mode whose JWKS comes from `idp`; karim is known to the IdP as idp|karim."""
    async with db() as session:
        await session.execute(
            update(Medewerker)
            .where(Medewerker.id == medewerker_id("karim"))
            .values(oidc_sub="idp|karim")
        )
        await session.commit()
    http = httpx.AsyncClient(transport=httpx.MockTransport(idp))
    app = create_app(oidc_settings(), http_client=http)
    # A clock the test moves, so the refresh rate limit is tested without sleeping.
    app.state.klok = [1000.0]
    app.state.jwks = JwksCache(
        http,
        JWKS_URL,
        min_refresh_seconds=60,
        cache_seconds=3600,
        klok=lambda: app.state.klok[0],
    )

    def client(bearer: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {bearer}"},
        )

    yield app, client
    await http.aclose()
    await app.state.engine.dispose()


async def _ik(oidc_api: tuple[Any, Any], bearer: str) -> httpx.Response:
    async with oidc_api[1](bearer) as client:
        return await client.get("/api/v1/ik")


async def test_valid_rs256_and_es256_tokens_find_the_medewerker(
    oidc_api: tuple[Any, Any], idp: IdP
) -> None:
    assert ok(await _ik(oidc_api, token()))["naam"] == "Karim El Amrani"
    assert ok(await _ik(oidc_api, token(kid="ec-1", alg="ES256")))["naam"] == "Karim El Amrani"
    # The keys are cached: one JWKS fetch for both requests.
    assert idp.opgevraagd == 1


@pytest.mark.parametrize(
    ("naam", "payload"),
    [
        ("expired", claims(exp=int(time.time()) - 120, iat=int(time.time()) - 600)),
        ("not yet valid", claims(nbf=int(time.time()) + 300)),
        ("issued in the future", claims(iat=int(time.time()) + 300)),
        ("wrong audience", claims(aud="een-andere-app")),
        ("wrong issuer", claims(iss="https://kwaadwillend.example")),
        ("no exp", claims(exp=None)),
        ("unknown subject", claims(sub="idp|onbekend")),
    ],
)
async def test_invalid_claims_are_401(
    oidc_api: tuple[Any, Any], naam: str, payload: dict[str, Any]
) -> None:
    # Fresh claims for time-sensitive cases: parametrize runs at import time.
    r = await _ik(oidc_api, token(payload))
    probleem(r, 401, "niet-geauthenticeerd")
    assert r.headers["WWW-Authenticate"] == "Bearer"


async def test_small_clock_skew_is_tolerated(oidc_api: tuple[Any, Any]) -> None:
    nu = int(time.time())
    ok(await _ik(oidc_api, token(claims(exp=nu - 10, iat=nu - 300, nbf=nu + 10))))


async def test_token_signed_with_another_key_is_401(oidc_api: tuple[Any, Any]) -> None:
    vals = jwt.encode(claims(), VREEMDE_SLEUTEL, algorithm="RS256", headers={"kid": "rsa-1"})
    probleem(await _ik(oidc_api, vals), 401)


async def test_unknown_kid_triggers_one_rate_limited_refresh(
    oidc_api: tuple[Any, Any], idp: IdP
) -> None:
    ok(await _ik(oidc_api, token()))
    assert idp.opgevraagd == 1
    oidc_api[0].state.klok[0] += 61
    vals = jwt.encode(claims(), VREEMDE_SLEUTEL, algorithm="RS256", headers={"kid": "rsa-2"})
    probleem(await _ik(oidc_api, vals), 401)
    assert idp.opgevraagd == 2
    # A flood of made-up kids does not reach the IdP again within the refresh interval.
    for i in range(5):
        kid = f"verzonnen-{i}"
        vals = jwt.encode(claims(), VREEMDE_SLEUTEL, algorithm="RS256", headers={"kid": kid})
        probleem(await _ik(oidc_api, vals), 401)
    assert idp.opgevraagd == 2
    # Known keys keep working meanwhile, from the cache.
    ok(await _ik(oidc_api, token()))
    assert idp.opgevraagd == 2
    oidc_api[0].state.klok[0] += 61
    probleem(await _ik(oidc_api, vals), 401)
    assert idp.opgevraagd == 3


async def test_key_rotation_is_picked_up_on_unknown_kid(
    oidc_api: tuple[Any, Any], idp: IdP
) -> None:
    ok(await _ik(oidc_api, token()))
    # The IdP rotates: a new key with a new kid. The first token with it makes the app refetch.
    idp.sleutels.append(_jwk(VREEMDE_SLEUTEL.public_key(), "rsa-2", "RS256"))
    nieuw = jwt.encode(claims(), VREEMDE_SLEUTEL, algorithm="RS256", headers={"kid": "rsa-2"})
    oidc_api[0].state.klok[0] += 61  # past the refresh interval
    ok(await _ik(oidc_api, nieuw))
    assert idp.opgevraagd == 2


async def test_alg_none_is_401(oidc_api: tuple[Any, Any]) -> None:
    zonder = handgemaakt({"alg": "none", "typ": "JWT", "kid": "rsa-1"}, claims(), b"")
    probleem(await _ik(oidc_api, zonder), 401)
    zonder_handtekening = zonder.rsplit(".", 1)[0] + "."
    probleem(await _ik(oidc_api, zonder_handtekening), 401)


async def test_hs256_signed_with_the_public_key_is_401(oidc_api: tuple[Any, Any]) -> None:
    """Key confusion: an HMAC 'signed' with the RSA public key, as if it were a shared secret."""
    pem = RSA_SLEUTEL.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    inhoud = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims()).encode())}"
    handtekening = hmac.new(pem, inhoud.encode(), hashlib.sha256).digest()
    probleem(await _ik(oidc_api, f"{inhoud}.{_b64(handtekening)}"), 401)


async def test_es256_header_with_rsa_key_is_401(oidc_api: tuple[Any, Any]) -> None:
    vals = jwt.encode(claims(), EC_SLEUTEL, algorithm="ES256", headers={"kid": "rsa-1"})
    probleem(await _ik(oidc_api, vals), 401)


async def test_idp_unreachable_is_401_not_500(db: async_sessionmaker[AsyncSession]) -> None:
    def kapot(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("idp down")

    http = httpx.AsyncClient(transport=httpx.MockTransport(kapot))
    app = create_app(oidc_settings(), http_client=http)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token()}"},
        ) as client:
            probleem(await client.get("/api/v1/ik"), 401)
    finally:
        await http.aclose()
        await app.state.engine.dispose()


async def test_email_claim_can_find_the_medewerker(
    idp: IdP, db: async_sessionmaker[AsyncSession]
) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(idp))
    app = create_app(oidc_settings(oidc_claim="email"), http_client=http)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token(claims(email='Eva@Gemeente.example'))}"},
        ) as client:
            assert ok(await client.get("/api/v1/ik"))["naam"] == "Eva Mulder"
    finally:
        await http.aclose()
        await app.state.engine.dispose()


async def test_oidc_mode_refuses_demo_tokens_but_accepts_real_api_tokens(
    oidc_api: tuple[Any, Any], db: async_sessionmaker[AsyncSession]
) -> None:
    probleem(await _ik(oidc_api, "demo-karim"), 401)
    _, echt = await beheer.token_aanmaken(
        omgeving_van(db), "karim@gemeente.example", "script", None
    )
    assert echt.startswith("dbk_")
    assert ok(await _ik(oidc_api, echt))["naam"] == "Karim El Amrani"


def test_oidc_mode_without_idp_settings_is_refused() -> None:
    with pytest.raises(ValueError, match="DOORBRAAK_OIDC_ISSUER"):
        create_app(Settings(database_url=TEST_URL, auth_mode="oidc"))


def test_cors_wildcard_is_refused() -> None:
    with pytest.raises(ValueError, match="CORS"):
        Settings(database_url=TEST_URL, cors_origins=["*"])


# --- API tokens ----------------------------------------------------------------------------


async def test_api_token_create_expire_and_revoke(
    api: Api, db: async_sessionmaker[AsyncSession]
) -> None:
    omg = omgeving_van(db)
    token_id, geheim = await beheer.token_aanmaken(omg, "eva@gemeente.example", "script", None)
    client = api(None)
    client.headers["Authorization"] = f"Bearer {geheim}"
    assert ok(await client.get("/api/v1/ik"))["naam"] == "Eva Mulder"

    lijst = await beheer.token_lijst(omg, "eva@gemeente.example")
    assert [(t.id, t.naam) for t in lijst if t.naam == "script"] == [(token_id, "script")]

    assert await beheer.token_intrekken(omg, token_id)
    body = probleem(await client.get("/api/v1/ik"), 401)
    assert "ingetrokken" in body["detail"]

    verlopen_id, verlopen = await beheer.token_aanmaken(
        omg, "eva@gemeente.example", "kort", utcnow() + dt.timedelta(seconds=1)
    )
    client.headers["Authorization"] = f"Bearer {verlopen}"
    ok(await client.get("/api/v1/ik"))
    async with db() as session:
        await session.execute(
            update(ApiToken)
            .where(ApiToken.id == verlopen_id)
            .values(verloopt_op=utcnow() - dt.timedelta(seconds=1))
        )
        await session.commit()
    body = probleem(await client.get("/api/v1/ik"), 401)
    assert "verlopen" in body["detail"]


async def test_inactive_medewerker_is_401(api: Api, db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session:
        await session.execute(
            update(Medewerker).where(Medewerker.id == medewerker_id("joost")).values(actief=False)
        )
        await session.commit()
    probleem(await api("joost").get("/api/v1/ik"), 401)


def test_token_cli_prints_the_token_once_and_revokes(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(
            [
                "token",
                "create",
                "--medewerker",
                "sanne@gemeente.example",
                "--naam",
                "cli",
                "--dagen",
                "30",
            ]
        )
        == 0
    )
    uit = capsys.readouterr()
    geheim = uit.out.strip()
    assert geheim.startswith("dbk_")
    token_id = uit.err.split("Token-id ", 1)[1].split(" ", 1)[0]

    assert cli.main(["token", "list", "--medewerker", "sanne@gemeente.example"]) == 0
    lijst = capsys.readouterr().out
    assert token_id in lijst and "geldig" in lijst
    assert geheim not in lijst  # only the hash is stored; the list never shows a token

    assert cli.main(["token", "revoke", token_id]) == 0
    assert cli.main(["token", "list"]) == 0
    assert "ingetrokken" in capsys.readouterr().out
    assert cli.main(["token", "revoke", "geen-uuid"]) == 1


def test_serve_in_dev_mode_refuses_a_public_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert get_settings().auth_mode == "dev"
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "8201"]) == 2
    assert "loopback" in capsys.readouterr().err
    assert cli.is_loopback("127.0.0.1") and cli.is_loopback("::1") and cli.is_loopback("localhost")
    assert not cli.is_loopback("10.0.0.5") and not cli.is_loopback("::")


async def test_beheerder_links_a_medewerker_to_the_idp(oidc_api: tuple[Any, Any], api: Api) -> None:
    bram = api("bram")
    eva = ok(await bram.get(f"/api/v1/medewerkers/{medewerker_id('eva')}"))
    assert eva["oidcSub"] is None
    probleem(await _ik(oidc_api, token(claims(sub="idp|eva"))), 401)
    r = await bram.patch(
        f"/api/v1/medewerkers/{medewerker_id('eva')}",
        json={"oidcSub": "idp|eva"},
        headers={"If-Match": f'"{eva["versie"]}"'},
    )
    assert ok(r)["oidcSub"] == "idp|eva"
    assert ok(await _ik(oidc_api, token(claims(sub="idp|eva"))))["naam"] == "Eva Mulder"
    probleem(
        await api("karim").patch(
            f"/api/v1/medewerkers/{medewerker_id('karim')}",
            json={"oidcSub": "idp|eva"},
            headers={"If-Match": '"1"'},
        ),
        403,
    )
