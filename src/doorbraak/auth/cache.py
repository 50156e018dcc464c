"""A short-lived per-process cache of who a bearer token belongs to.

Every request authenticates. Looking the token up is a database round trip and an ORM entity
load, on every read of every casus: the largest single item of a read's CPU after the read
itself (docs/performance.md). This cache keeps, per worker, what that lookup found (the
medewerker's columns, and an API token's revocation and expiry) for at most
`DOORBRAAK_AUTH_CACHE_SECONDEN` (default 5, 0 turns it off).

The bound, documented in docs/security.md and docs/performance.md:

- a token revoked, or a medewerker deactivated or changed, *by another process* (another
  worker, another host, the CLI) is refused at most that many seconds after the change was
  committed: an entry is stamped with the moment before its query was sent, and is never used
  longer than the TTL after that;
- a change made *in this process* through the ORM (a unit-of-work flush or an ORM `UPDATE` /
  `DELETE` of a medewerker or token) empties every cache of the process at once, and an entry
  whose query began before such a change is not stored;
- expiry (`verloopt_op`) is checked on every request against the cached value, so an API token
  expires on the second, cached or not; an OIDC token's own signature and `exp` are verified on
  every request, only the medewerker it names is cached;
- unknown tokens are never cached: a new token works at once.
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, make_transient_to_detached
from sqlalchemy.orm.base import instance_state
from sqlalchemy.orm.instrumentation import manager_of_class

from doorbraak.models import ApiToken, Medewerker

# Beyond this many entries the cache starts over (a worker serves far fewer active users).
MAX_INGANGEN = 10_000

_KOLOMMEN = tuple(a.key for a in Medewerker.__mapper__.column_attrs)
_MANAGER = manager_of_class(Medewerker)
_CACHES: weakref.WeakSet[Authcache] = weakref.WeakSet()


@dataclass(frozen=True)
class Aanmelding:
    """What one lookup found: the medewerker's column values, and an API token's state."""

    kolommen: dict[str, Any]
    ingetrokken_op: dt.datetime | None
    verloopt_op: dt.datetime | None
    geldig_tot: float
    # When the API token was made: its maximum lifetime counts from here.
    aangemaakt_op: dt.datetime | None = None

    def medewerker(self, session: Session) -> Medewerker:
        """A fresh instance in this request's session, as if the query had loaded it: its
        attributes count as loaded and unchanged, it is in the session's identity map, and no
        other request shares it."""
        # Straight into the instance's state, as a load does: the mapped __init__ would fire an
        # attribute event per column (twice the CPU, docs/performance.md). Lists are copied so
        # that no request changes what the cache keeps.
        medewerker = _MANAGER.new_instance()
        instance_state(medewerker).dict.update(
            {k: list(v) if isinstance(v, list) else v for k, v in self.kolommen.items()}
        )
        make_transient_to_detached(medewerker)
        session.add(medewerker)
        return medewerker


@dataclass(frozen=True)
class Begin:
    """Taken before the lookup's query: its stamp and the invalidations seen so far."""

    moment: float
    generatie: int


class Authcache:
    def __init__(self, seconden: float, klok: Callable[[], float] = time.monotonic) -> None:
        self.seconden = seconden
        self.klok = klok
        self.generatie = 0
        self._ingangen: dict[Hashable, Aanmelding] = {}
        _CACHES.add(self)

    @property
    def aan(self) -> bool:
        return self.seconden > 0

    def zoek(self, sleutel: Hashable) -> Aanmelding | None:
        if not self.aan:
            return None
        gevonden = self._ingangen.get(sleutel)
        if gevonden is None:
            return None
        if self.klok() >= gevonden.geldig_tot:
            self._ingangen.pop(sleutel, None)
            return None
        return gevonden

    def begin(self) -> Begin:
        return Begin(self.klok(), self.generatie)

    def bewaar(
        self,
        sleutel: Hashable,
        begin: Begin,
        medewerker: Medewerker,
        token: ApiToken | None = None,
    ) -> None:
        if not self.aan or begin.generatie != self.generatie:
            return  # a change in this process since the query began: do not keep what it saw
        if len(self._ingangen) >= MAX_INGANGEN:
            self._ingangen.clear()
        self._ingangen[sleutel] = Aanmelding(
            kolommen={k: getattr(medewerker, k) for k in _KOLOMMEN},
            ingetrokken_op=token.ingetrokken_op if token is not None else None,
            verloopt_op=token.verloopt_op if token is not None else None,
            geldig_tot=begin.moment + self.seconden,
            aangemaakt_op=token.aangemaakt_op if token is not None else None,
        )

    def leeg(self) -> None:
        self._ingangen.clear()
        self.generatie += 1


def alles_legen() -> None:
    """Empty every authentication cache of this process (also for tests that change the
    database behind the app's back)."""
    for cache in list(_CACHES):
        cache.leeg()


_BETROKKEN = (Medewerker, ApiToken)


@event.listens_for(Session, "after_flush")
def _na_flush(session: Session, _context: UOWTransaction) -> None:
    if any(
        isinstance(obj, _BETROKKEN) for obj in chain(session.new, session.dirty, session.deleted)
    ):
        alles_legen()


@event.listens_for(Session, "do_orm_execute")
def _bij_orm_statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        issubclass(m.class_, _BETROKKEN) for m in state.all_mappers
    ):
        alles_legen()
