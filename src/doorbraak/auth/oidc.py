"""OIDC bearer tokens (JWTs) from the municipality's identity provider.

Only asymmetric signatures are accepted (RS256, ES256): `alg: none`, HS256 and friends are refused
before any key is looked at, so a public key can never be used as an HMAC secret. Signing keys come
from the IdP's JWKS, fetched with the app's `httpx.AsyncClient`, cached per process (a cache, not
shared state: every process fetches its own) and refetched when a token names an unknown `kid`,
at most once per `oidc_jwks_min_refresh_seconds`, so a flood of made-up kids cannot hammer the IdP.

The IdP's endpoints (authorization, token, end-session, JWKS) come from its discovery document,
`{issuer}/.well-known/openid-configuration`, cached and refreshed like the JWKS; a setting for one
of them overrides what the document says. The document must name the configured issuer.

With `DOORBRAAK_OIDC_CLAIM=email` a token is accepted only with `email_verified: true`: an address
the IdP did not verify could be anybody's.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from jwt import PyJWK, PyJWKSet

from doorbraak.config import Settings

log = logging.getLogger("doorbraak.auth.oidc")

TOEGESTANE_ALGORITMES = {"RS256": "RSA", "ES256": "EC"}


class OngeldigToken(Exception):
    """The bearer JWT is not acceptable; the message is safe to show (no token content)."""


def lijkt_op_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


def oidc_ingesteld(settings: Settings) -> bool:
    return bool(
        settings.oidc_issuer
        and settings.oidc_audience
        and (settings.oidc_jwks_url or settings.oidc_discovery)
    )


def controleer_instellingen(settings: Settings) -> None:
    """`auth_mode=oidc` without issuer, audience and a way to the keys is a configuration error."""
    if settings.auth_mode == "oidc" and not oidc_ingesteld(settings):
        raise ValueError(
            "DOORBRAAK_AUTH_MODE=oidc needs DOORBRAAK_OIDC_ISSUER, DOORBRAAK_OIDC_AUDIENCE and "
            "either DOORBRAAK_OIDC_DISCOVERY=true (the default) or DOORBRAAK_OIDC_JWKS_URL"
        )


@dataclass(frozen=True)
class Eindpunten:
    """Where the IdP lives: from its discovery document, each overridable by a setting."""

    authorization: str | None
    token: str | None
    end_session: str | None
    jwks: str | None
    token_auth_methods: tuple[str, ...] = ()


class Discovery:
    """The IdP's `.well-known/openid-configuration`, cached per process for
    `oidc_jwks_cache_seconds` and fetched again at most once per `oidc_jwks_min_refresh_seconds`
    (a failed fetch keeps what was known). Without discovery, only the settings count."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: Settings,
        *,
        klok: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._settings = settings
        self._klok = klok
        self._document: dict[str, Any] | None = None
        self._opgehaald_op: float | None = None
        self._laatste_poging: float | None = None
        self._lock = asyncio.Lock()
        self.aantal_ophalingen = 0

    @property
    def url(self) -> str:
        return (self._settings.oidc_issuer or "").rstrip("/") + "/.well-known/openid-configuration"

    async def eindpunten(self) -> Eindpunten:
        s = self._settings
        doc = await self._document_of_cache() if s.oidc_discovery and s.oidc_issuer else None
        doc = doc or {}

        def kies(instelling: str | None, sleutel: str) -> str | None:
            waarde = doc.get(sleutel)
            return instelling or (waarde if isinstance(waarde, str) and waarde else None)

        methodes = doc.get("token_endpoint_auth_methods_supported")
        return Eindpunten(
            authorization=kies(s.oidc_authorization_endpoint, "authorization_endpoint"),
            token=kies(s.oidc_token_endpoint, "token_endpoint"),
            end_session=kies(s.oidc_end_session_endpoint, "end_session_endpoint"),
            jwks=kies(s.oidc_jwks_url, "jwks_uri"),
            token_auth_methods=tuple(m for m in methodes if isinstance(m, str))
            if isinstance(methodes, list)
            else (),
        )

    async def _document_of_cache(self) -> dict[str, Any] | None:
        nu = self._klok()
        cache = self._settings.oidc_jwks_cache_seconds
        if self._document is not None and self._opgehaald_op and nu - self._opgehaald_op <= cache:
            return self._document
        async with self._lock:
            nu = self._klok()
            vers = self._opgehaald_op is not None and nu - self._opgehaald_op <= cache
            mag = (
                self._laatste_poging is None
                or nu - self._laatste_poging >= self._settings.oidc_jwks_min_refresh_seconds
            )
            if not vers and mag:
                self._laatste_poging = nu
                await self._ophalen()
        return self._document

    async def _ophalen(self) -> None:
        self.aantal_ophalingen += 1
        try:
            antwoord = await self._client.get(self.url, timeout=5.0)
            antwoord.raise_for_status()
            document = antwoord.json()
            if not isinstance(document, dict):
                raise ValueError("not an object")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("OIDC discovery document could not be fetched: %s", type(exc).__name__)
            return
        if str(document.get("issuer", "")).rstrip("/") != (self._settings.oidc_issuer or "").rstrip(
            "/"
        ):
            # OpenID Connect Discovery 1.0, section 4.3: the issuer must be the one asked for.
            log.error("OIDC discovery document names another issuer: ignored")
            return
        self._document = document
        self._opgehaald_op = self._klok()


class JwksCache:
    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        *,
        min_refresh_seconds: float,
        cache_seconds: float,
        klok: Callable[[], float] = time.monotonic,
        discovery: Discovery | None = None,
    ) -> None:
        self._client = client
        self._url = url
        self._discovery = discovery
        self._min_refresh = min_refresh_seconds
        self._cache_seconds = cache_seconds
        self._klok = klok
        self._sleutels: dict[str, PyJWK] = {}
        self._opgehaald_op: float | None = None
        self._laatste_poging: float | None = None
        self._lock = asyncio.Lock()
        self.aantal_ophalingen = 0

    async def sleutel(self, kid: str) -> PyJWK | None:
        nu = self._klok()
        verlopen = self._opgehaald_op is None or nu - self._opgehaald_op > self._cache_seconds
        if kid in self._sleutels and not verlopen:
            return self._sleutels[kid]
        async with self._lock:
            nu = self._klok()
            # Another request may have refreshed while this one waited for the lock.
            if (
                kid in self._sleutels
                and self._opgehaald_op is not None
                and nu - self._opgehaald_op <= self._cache_seconds
            ):
                return self._sleutels[kid]
            if self._laatste_poging is None or nu - self._laatste_poging >= self._min_refresh:
                self._laatste_poging = nu
                await self._ophalen()
        return self._sleutels.get(kid)

    async def _ophalen(self) -> None:
        self.aantal_ophalingen += 1
        url = self._url
        if not url and self._discovery is not None:
            url = (await self._discovery.eindpunten()).jwks or ""
        if not url:
            log.warning("JWKS URL unknown: neither DOORBRAAK_OIDC_JWKS_URL nor discovery gave one")
            return
        try:
            antwoord = await self._client.get(url, timeout=5.0)
            antwoord.raise_for_status()
            sleutelset = PyJWKSet.from_dict(antwoord.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            # Keep the keys we have: an IdP hiccup must not sign everybody out.
            log.warning("JWKS could not be fetched: %s", type(exc).__name__)
            return
        self._sleutels = {k.key_id: k for k in sleutelset.keys if k.key_id}
        self._opgehaald_op = self._klok()


@dataclass(frozen=True)
class Identiteit:
    """Who the IdP says is calling: the value of the configured claim."""

    claim: str
    waarde: str


async def verifieer(
    token: str,
    settings: Settings,
    cache: JwksCache,
    *,
    audience: str | None = None,
    nonce: str | None = None,
) -> Identiteit:
    """Verify an access token (audience: the API) or, with `audience` and `nonce`, the ID token
    of the web frontend's sign-in (audience: its client id; the nonce binds it to the session)."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise OngeldigToken("Het token is geen geldig JWT.") from exc
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in TOEGESTANE_ALGORITMES:
        raise OngeldigToken("Het token gebruikt een niet-toegestaan algoritme.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise OngeldigToken("Het token noemt geen sleutel (kid).")
    sleutel = await cache.sleutel(kid)
    if sleutel is None:
        raise OngeldigToken("Het token is ondertekend met een onbekende sleutel.")
    if sleutel.key_type != TOEGESTANE_ALGORITMES[alg]:
        raise OngeldigToken("Algoritme en sleutel van het token passen niet bij elkaar.")
    claim = settings.oidc_claim
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            sleutel.key,
            algorithms=[alg],
            audience=audience or settings.oidc_audience,
            issuer=settings.oidc_issuer,
            leeway=settings.oidc_leeway_seconds,
            # The claim that names the user is checked below: its absence is "no usable user",
            # not "invalid token" (the signature and the rest are fine).
            options={"require": ["exp", "iat", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise OngeldigToken("Het token is verlopen.") from exc
    except jwt.ImmatureSignatureError as exc:
        raise OngeldigToken("Het token is nog niet geldig.") from exc
    except jwt.PyJWTError as exc:
        raise OngeldigToken("Het token is ongeldig.") from exc
    if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OngeldigToken("Het token hoort niet bij deze aanmelding (nonce).")
    waarde = claims.get(claim)
    if not isinstance(waarde, str) or not waarde or len(waarde) > 255:
        raise OngeldigToken("Het token noemt geen bruikbare gebruiker.")
    if claim == "email" and claims.get("email_verified") is not True:
        raise OngeldigToken(
            "Het token noemt geen bruikbare gebruiker: het e-mailadres is niet geverifieerd."
        )
    return Identiteit(claim=claim, waarde=waarde.lower() if claim == "email" else waarde)
