"""The web session: a random token in an HttpOnly cookie, the session itself in the database.

Several app processes share the sessions (the database holds them), a stolen database does not
give working cookies (only the SHA-256 of each token is stored), and every form carries the
session's CSRF token (synchronizer token), checked on every POST.

Before signing in there is no session row: what a sign-in in progress needs (the CSRF token of
the sign-in form; the OIDC state, nonce and PKCE verifier; where to return to) travels in a
sealed cookie (AES-GCM, a key derived from DOORBRAAK_PSEUDONYM_KEY), valid for ten minutes and
for the sign-in paths only. So anonymous requests cannot grow the sessions table at all.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Annotated

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Depends, Request, Response

from doorbraak.auth.tokens import token_hash
from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.errors import NietGeauthenticeerd, NietToegestaan
from doorbraak.inbox import lezen as inbox
from doorbraak.models import Medewerker, WebSessie
from doorbraak.web import repository
from doorbraak.werk.appstaat import appstaat
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.deps import VerzoekDep
from doorbraak.werk.verzoek import Verzoekstaat

COOKIE = "doorbraak_sessie"
CSRF_VELD = "csrf"
AANMELD_COOKIE = "doorbraak_aanmelding"
AANMELD_PAD = "/inloggen"
AANMELD_SECONDEN = 600
_AANMELD_AAD = b"doorbraak-aanmelding-v1"


class NietIngelogd(NietGeauthenticeerd):
    """No (valid) web session: pages answer with the sign-in page instead."""

    def __init__(self) -> None:
        super().__init__("Log eerst in.")
        self.headers = {}


class CsrfFout(NietToegestaan):
    def __init__(self) -> None:
        super().__init__(
            "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en "
            "probeer het nog eens.",
            code="csrf",
        )


@dataclass(frozen=True)
class Ingelogd:
    """Who is signed in, as plain values: error pages render after the request's rollback,
    when the ORM objects can no longer be read."""

    id: uuid.UUID
    naam: str
    afdeling_code: str
    rollen: tuple[str, ...]


def nieuwe_sessie(
    staat: Verzoekstaat, settings: Settings, medewerker_id: object = None, **oidc: str
) -> str:
    """Add a session row (flushed by the boundary's commit) and return its cookie token."""
    token = secrets.token_urlsafe(32)
    nu = utcnow()
    staat.session.add(
        WebSessie(
            token_hash=token_hash(token),
            medewerker_id=medewerker_id,
            csrf_token=secrets.token_urlsafe(32),
            aangemaakt_op=nu,
            verloopt_op=nu + dt.timedelta(hours=settings.web_sessie_uren),
            **oidc,
        )
    )
    return token


def _secure(request: Request, settings: Settings) -> bool:
    if settings.web_secure_cookie is not None:
        return settings.web_secure_cookie
    return settings.public_base_url.startswith("https://") or request.url.scheme == "https"


def zet_cookie(request: Request, response: Response, token: str) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.web_sessie_uren * 3600),
        path="/",
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


def wis_cookie(request: Request, response: Response) -> None:
    settings: Settings = request.app.state.settings
    response.delete_cookie(
        COOKIE, path="/", httponly=True, secure=_secure(request, settings), samesite="lax"
    )


async def huidige_sessie(request: Request, staat: VerzoekDep) -> WebSessie | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 100:
        return None
    sessie = await repository.sessie(staat.session, token_hash(token), utcnow())
    request.state.web_csrf = sessie.csrf_token if sessie is not None else ""
    return sessie


SessieDep = Annotated[WebSessie | None, Depends(huidige_sessie)]


async def web_medewerker(request: Request, staat: VerzoekDep, sessie: SessieDep) -> Medewerker:
    if sessie is None or sessie.medewerker_id is None:
        raise NietIngelogd()
    medewerker = await repository.medewerker(staat.session, sessie.medewerker_id)
    if medewerker is None or not medewerker.actief:
        raise NietIngelogd()
    staat.actor_id = str(medewerker.id)
    request.state.web_ik = Ingelogd(
        id=medewerker.id,
        naam=medewerker.naam,
        afdeling_code=medewerker.afdeling_code,
        rollen=tuple(medewerker.rollen),
    )
    return medewerker


WebMedewerker = Annotated[Medewerker, Depends(web_medewerker)]


async def ik_uit_cookie(request: Request) -> None:
    """For a page outside the routes (an unknown address): who is signed in, so the error page
    keeps the navigation and does not offer to sign in. Reads only; no session is made."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 100 or getattr(request.state, "web_ik", None) is not None:
        return
    async with appstaat(request).sessionmaker() as session:
        sessie = await repository.sessie(session, token_hash(token), utcnow())
        if sessie is None or sessie.medewerker_id is None:
            return
        medewerker = await repository.medewerker(session, sessie.medewerker_id)
        if medewerker is None or not medewerker.actief:
            return
        request.state.web_csrf = sessie.csrf_token
        request.state.web_ik = Ingelogd(
            id=medewerker.id,
            naam=medewerker.naam,
            afdeling_code=medewerker.afdeling_code,
            rollen=tuple(medewerker.rollen),
        )


async def web_werkcontext(request: Request, staat: VerzoekDep, actor: WebMedewerker) -> Werkcontext:
    ctx = Werkcontext(
        session=staat.session, actor=actor, staat=staat, settings=appstaat(request).settings
    )
    if request.method == "GET":
        # The counters in the page header: what waits in the inbox (within need-to-know).
        request.state.web_inbox = await inbox.telling(ctx)
    return ctx


WebCtx = Annotated[Werkcontext, Depends(web_werkcontext)]


async def csrf_controle(request: Request, sessie: SessieDep) -> None:
    """Every POST carries the session's CSRF token in the form; otherwise 403. Without a
    session at all (it expired while the form was open) the answer is "sign in again", which
    shows the person what they typed."""
    formulier = await request.form()
    gegeven = formulier.get(CSRF_VELD)
    if sessie is None or sessie.medewerker_id is None:
        raise NietIngelogd()
    if not isinstance(gegeven, str) or not hmac.compare_digest(
        gegeven.encode(), sessie.csrf_token.encode()
    ):
        raise CsrfFout()


Csrf = Depends(csrf_controle)


# --- a sign-in in progress: a sealed cookie, no database row -----------------------------------


@dataclass(frozen=True)
class Aanmelding:
    csrf: str
    terug: str
    verloopt: float
    oidc_state: str | None = None
    oidc_nonce: str | None = None
    oidc_verifier: str | None = None


def nieuwe_aanmelding(terug: str, **oidc: str) -> Aanmelding:
    return Aanmelding(
        csrf=secrets.token_urlsafe(32),
        terug=terug,
        verloopt=time.time() + AANMELD_SECONDEN,
        **oidc,
    )


def _aanmeld_sleutel(settings: Settings) -> bytes:
    geheim = settings.pseudonym_key.get_secret_value().encode()
    return hmac.new(geheim, b"doorbraak web aanmelding v1", hashlib.sha256).digest()


def verzegel(settings: Settings, aanmelding: Aanmelding) -> str:
    nonce = os.urandom(12)
    inhoud = json.dumps(asdict(aanmelding), separators=(",", ":")).encode()
    blob = nonce + AESGCM(_aanmeld_sleutel(settings)).encrypt(nonce, inhoud, _AANMELD_AAD)
    return base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def ontzegel(settings: Settings, waarde: str) -> Aanmelding | None:
    """The sign-in in progress, or None when the cookie is forged, damaged or expired."""
    if len(waarde) > 1500:
        return None
    try:
        blob = base64.urlsafe_b64decode(waarde + "=" * (-len(waarde) % 4))
        inhoud = AESGCM(_aanmeld_sleutel(settings)).decrypt(blob[:12], blob[12:], _AANMELD_AAD)
        aanmelding = Aanmelding(**json.loads(inhoud))
    except (InvalidTag, ValueError, TypeError, binascii.Error):
        return None
    return aanmelding if aanmelding.verloopt > time.time() else None


def lees_aanmelding(request: Request) -> Aanmelding | None:
    waarde = request.cookies.get(AANMELD_COOKIE)
    return ontzegel(request.app.state.settings, waarde) if waarde else None


def zet_aanmelding(request: Request, response: Response, aanmelding: Aanmelding) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        AANMELD_COOKIE,
        verzegel(settings, aanmelding),
        max_age=AANMELD_SECONDEN,
        path=AANMELD_PAD,
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


def wis_aanmelding(request: Request, response: Response) -> None:
    settings: Settings = request.app.state.settings
    response.delete_cookie(
        AANMELD_COOKIE,
        path=AANMELD_PAD,
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


async def aanmeld_csrf_controle(request: Request) -> Aanmelding:
    """The sign-in form's POST carries the CSRF token of its sealed cookie; otherwise 403."""
    formulier = await request.form()
    gegeven = formulier.get(CSRF_VELD)
    aanmelding = lees_aanmelding(request)
    if (
        aanmelding is None
        or not isinstance(gegeven, str)
        or not hmac.compare_digest(gegeven.encode(), aanmelding.csrf.encode())
    ):
        raise CsrfFout()
    return aanmelding


AanmeldingDep = Annotated[Aanmelding, Depends(aanmeld_csrf_controle)]


# --- a form sent after the session expired: kept, sealed, across the sign-in -----------------
#
# Nothing of it is saved; what the person typed (never a BSN: `pagina.NIET_TERUG` and
# `bsns_in_tekst`) travels in a sealed cookie to the first page they see after signing in
# again, where the same form shows it refilled. A cookie, not a row: it belongs to this browser
# only, and is gone once shown or after AANMELD_SECONDEN.

FORMULIER_COOKIE = "doorbraak_formulier"
_FORMULIER_AAD = b"doorbraak-formulier-v1"
# Browsers keep a cookie up to about 4 KB; a larger form is shown on the page to copy instead.
FORMULIER_MAX_TEKENS = 3600


@dataclass(frozen=True)
class BewaardFormulier:
    actie: str
    waarden: dict[str, str]
    verloopt: float


def _formulier_sleutel(settings: Settings) -> bytes:
    geheim = settings.pseudonym_key.get_secret_value().encode()
    return hmac.new(geheim, b"doorbraak web formulier v1", hashlib.sha256).digest()


def verzegel_formulier(settings: Settings, actie: str, waarden: dict[str, str]) -> str | None:
    """The sealed cookie value, or None when it would not fit in a cookie."""
    bewaard = BewaardFormulier(actie, waarden, time.time() + AANMELD_SECONDEN)
    nonce = os.urandom(12)
    inhoud = json.dumps(asdict(bewaard), separators=(",", ":")).encode()
    blob = nonce + AESGCM(_formulier_sleutel(settings)).encrypt(nonce, inhoud, _FORMULIER_AAD)
    waarde = base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")
    return waarde if len(waarde) <= FORMULIER_MAX_TEKENS else None


def lees_bewaard_formulier(request: Request) -> BewaardFormulier | None:
    """The kept form, or None when there is none, or it is forged, damaged or expired."""
    waarde = request.cookies.get(FORMULIER_COOKIE)
    if not waarde or len(waarde) > FORMULIER_MAX_TEKENS:
        return None
    settings: Settings = request.app.state.settings
    try:
        blob = base64.urlsafe_b64decode(waarde + "=" * (-len(waarde) % 4))
        inhoud = AESGCM(_formulier_sleutel(settings)).decrypt(blob[:12], blob[12:], _FORMULIER_AAD)
        bewaard = BewaardFormulier(**json.loads(inhoud))
    except (InvalidTag, ValueError, TypeError, binascii.Error):
        return None
    if bewaard.verloopt <= time.time() or not isinstance(bewaard.waarden, dict):
        return None
    return bewaard


def zet_bewaard_formulier(request: Request, response: Response, waarde: str) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        FORMULIER_COOKIE,
        waarde,
        max_age=AANMELD_SECONDEN,
        path="/",
        httponly=True,
        secure=_secure(request, settings),
        samesite="lax",
    )


def wis_bewaard_formulier(request: Request, response: Response) -> None:
    settings: Settings = request.app.state.settings
    response.delete_cookie(
        FORMULIER_COOKIE, path="/", httponly=True, secure=_secure(request, settings), samesite="lax"
    )
