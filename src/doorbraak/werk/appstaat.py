"""The application's shared objects, typed: `appstaat(request).settings`, not an untyped
`request.app.state.settings`. Built once by `create_app(settings)`; every request and every
dependency reads the settings that app was made with, never the environment."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.datastructures import State

from doorbraak.auth.cache import Authcache
from doorbraak.auth.oidc import Discovery, JwksCache
from doorbraak.config import Settings
from doorbraak.logboek.anker import Ankerwachter
from doorbraak.logboek.anoniem import Anoniemteller
from doorbraak.logboek.schrijver import Logboekschrijver
from doorbraak.logboek.sleutels import Sleutelring
from doorbraak.meldingen.bezorging import Bezorger
from doorbraak.werk.periodiek import Periodiek


class Appstaat(State):
    """`app.state` of doorbraak (a Starlette State, so `app.state.x` keeps working)."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    logboekschrijver: Logboekschrijver
    logboek_sleutels: Sleutelring
    anoniem: Anoniemteller
    ankerwachter: Ankerwachter
    http: httpx.AsyncClient
    jwks: JwksCache
    oidc_discovery: Discovery
    # Who each seen bearer token belongs to, for a few seconds (auth/cache.py).
    authcache: Authcache
    # Delivers e-mail meldingen from the outbox after commit and retries them (meldingen/).
    bezorger: Bezorger
    # Renews the statistieken snapshot every few seconds when it is old (rapportage/).
    statistieken: Periodiek
    # Filled on first use by the 405 handler (errors.py): every method per path.
    methodes: list[tuple[re.Pattern[str], set[str]]]


def appstaat(request: Any) -> Appstaat:
    """The typed state of the app serving `request` (a Request, or the app itself)."""
    app = getattr(request, "app", request)
    staat = app.state
    if not isinstance(staat, Appstaat):
        raise TypeError("app.state is not set up by create_app")
    return staat
