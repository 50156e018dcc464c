"""The request boundary: one session per request, one commit before the response is sent.

Endpoints and services never commit. `DoorbraakRoute` runs the endpoint, appends the logboek
entries of the request to the hash chain, and commits once; database failures become typed
errors (412/409/503) instead of 500s. A failed request (a refusal, invalid input, a conflict) is
written to the logboek with its result in a transaction of its own after the rollback, so a
refused look at a casus or a rejected change leaves a trace too. Requests without a known
medewerker are counted in an aggregate instead (`logboek/anoniem.py`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from doorbraak.errors import Conflict, DoorbraakError, Overbelast, VersieConflict
from doorbraak.kit.idempotentie import Herhaling, bewaar_antwoord
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import IdempotentieSleutel
from doorbraak.werk.appstaat import appstaat

log = logging.getLogger("doorbraak.verzoek")

GEWEIGERD = {401, 403, 404}
LEZEN = {"GET", "HEAD"}

# Constraints whose violation means a known conflict (PostgreSQL names the constraint, SQLite
# the columns): what to tell the client instead of a generic 409.
CONSTRAINT_FOUTEN: dict[str, tuple[str, str]] = {
    "uq_regievoeringen_huidige": (
        "Iemand anders heeft tegelijk de regie toegewezen of overgedragen; haal de regie opnieuw op.",
        "regie-conflict",
    ),
    "regievoeringen.casus_id": (
        "Iemand anders heeft tegelijk de regie toegewezen of overgedragen; haal de regie opnieuw op.",
        "regie-conflict",
    ),
}


@dataclass
class Verzoekstaat:
    """What one request carries to the boundary: its session, who is calling, what it touched."""

    session: AsyncSession
    request_id: str
    oorsprong: str | None
    actor_id: str | None = None
    casus_id: int | None = None
    doelbinding: str | None = None
    logboek: list[Logboekregel] = field(default_factory=list)
    # Set when this request must not be written to the logboek (health, the OpenAPI document).
    zonder_logboek: bool = False
    # The claimed Idempotency-Key of a POST; it receives the response in the same transaction.
    idempotentie: IdempotentieSleutel | None = None
    # Fields of the answer that the Idempotency-Key's stored copy keeps as null (a new token).
    geheime_velden: frozenset[str] = frozenset()
    # Outside HTTP (werk/systeem.py): the object the unit of work is about, for its logboek entry
    # (a request names it from its route).
    object_soort: str | None = None
    object_id: str | None = None
    # Set when the work queued e-mail meldingen: the sender is woken once it has committed.
    meldingen: bool = False


def verzoekstaat(request: Request) -> Verzoekstaat | None:
    staat: Verzoekstaat | None = getattr(request.state, "doorbraak", None)
    return staat


def request_id(request: Request) -> str:
    rid: str | None = getattr(request.state, "request_id", None)
    if rid is None:
        rid = uuid.uuid4().hex
        request.state.request_id = rid
    return rid


def _object(route_path: str, request: Request) -> tuple[str, str | None]:
    """The most specific resource a route touches: `.../stappen/{id}` gives ("stappen", id)."""
    segmenten = [s for s in route_path.split("/") if s and s not in ("api", "v1")]
    params = request.path_params
    for i in range(len(segmenten) - 1, -1, -1):
        seg = segmenten[i]
        if seg.startswith("{"):
            soort = segmenten[i - 1] if i > 0 else "onbekend"
            return soort, str(params.get(seg.strip("{}")))
    return (segmenten[-1] if segmenten else "api"), None


def _verzoekregel(
    staat: Verzoekstaat, request: Request, route_path: str, resultaat: str
) -> Logboekregel:
    soort, object_id = _object(route_path, request)
    return Logboekregel(
        actie=f"{request.method} {route_path}",
        object_soort=soort,
        object_id=object_id,
        resultaat=resultaat,
        actor=staat.actor_id,
        casus_id=staat.casus_id,
        oorsprong=staat.oorsprong,
        doelbinding=staat.doelbinding,
        request_id=staat.request_id,
    )


def vertaal_databasefout(exc: BaseException, request: Request) -> DoorbraakError | None:
    vertaald = _vertaal(exc, request)
    if vertaald is not None:
        log.warning(
            "database error answered as %s: %s", vertaald.status, type(exc).__name__, exc_info=exc
        )
    return vertaald


def _vertaal(exc: BaseException, request: Request) -> DoorbraakError | None:
    if isinstance(exc, StaleDataError):
        if request.headers.get("if-match"):
            return VersieConflict()
        return Conflict(
            "Iemand anders wijzigde dit tegelijk; haal de gegevens opnieuw op.",
            code="gelijktijdige-wijziging",
        )
    if isinstance(exc, sa_exc.IntegrityError):
        bericht = str(exc.orig)
        for constraint, (detail, code) in CONSTRAINT_FOUTEN.items():
            if constraint in bericht:
                return Conflict(detail, code=code)
        return Conflict(
            "Dit botst met bestaande gegevens (al aanwezig of gelijktijdig gewijzigd).",
            code="integriteit",
        )
    if isinstance(exc, sa_exc.TimeoutError):
        return Overbelast()
    if isinstance(exc, sa_exc.DBAPIError) and (
        exc.connection_invalidated
        or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    ):
        return Overbelast("De database is even niet bereikbaar; probeer het zo opnieuw.")
    if isinstance(exc, ConnectionError | OSError):
        return Overbelast("De database is even niet bereikbaar; probeer het zo opnieuw.")
    return None


def _resultaat(status: int) -> str:
    # A web form that was refused or rejected is answered with a page (not an exception), and
    # is still logged for what it was.
    if status in GEWEIGERD:
        return f"geweigerd-{status}"
    return f"succes-{status}" if status < 400 else f"fout-{status}"


def _anoniem(staat: Verzoekstaat) -> bool:
    """No medewerker known: counted in the aggregate, never a row of its own (logboek/anoniem.py)."""
    return staat.actor_id is None and not staat.logboek


def _tel_anoniem(request: Request, route_path: str, resultaat: str, staat: Verzoekstaat) -> None:
    request.app.state.anoniem.tel(f"{request.method} {route_path}", resultaat, staat.oorsprong)


async def _afronden(request: Request, route_path: str, response: Response) -> None:
    staat = verzoekstaat(request)
    if staat is None:
        return
    try:
        if staat.idempotentie is not None:
            bewaar_antwoord(staat.idempotentie, response, staat.geheime_velden)
        regels: list[Logboekregel] = []
        if not staat.zonder_logboek:
            resultaat = _resultaat(response.status_code)
            if _anoniem(staat):
                _tel_anoniem(request, route_path, resultaat, staat)
            else:
                regels = [_verzoekregel(staat, request, route_path, resultaat)]
                regels.extend(staat.logboek)
        if request.method in LEZEN and regels:
            # A read changed nothing: its entries join the group commit of the logboek
            # (logboek/schrijver.py) and are durable before the response leaves.
            await staat.session.commit()
            await staat.session.close()
            await appstaat(request).logboekschrijver.schrijf(regels)
            return
        if regels:
            await logboek.toevoegen(staat.session, regels, request.app.state.logboek_sleutels)
        await staat.session.commit()
        if staat.meldingen:
            # Only now: a mail is never sent for a write that did not commit.
            appstaat(request).bezorger.wek()
    except Exception as exc:
        await _veilig_terugdraaien(staat)
        vertaald = vertaal_databasefout(exc, request)
        if vertaald is None:
            raise
        raise vertaald from exc
    finally:
        await staat.session.close()


async def _veilig_terugdraaien(staat: Verzoekstaat) -> None:
    try:
        await staat.session.rollback()
    except Exception:  # the connection may be gone; closing the session returns it anyway
        log.warning("rollback failed", exc_info=True)


def _foutstatus(exc: BaseException) -> int:
    if isinstance(exc, DoorbraakError):
        return exc.status
    if isinstance(exc, RequestValidationError):
        return 400
    return 500


async def _afbreken(request: Request, route_path: str, exc: BaseException) -> None:
    """After a failed request: roll back, then leave its logboek entry with the result, in a
    transaction of its own (the work was undone; the attempt was not)."""
    staat = verzoekstaat(request)
    if staat is None:
        return
    try:
        await _veilig_terugdraaien(staat)
        if staat.zonder_logboek:
            return
        status = _foutstatus(exc)
        resultaat = _resultaat(status)
        staat.logboek.clear()  # entries of the undone work describe what did not happen
        if _anoniem(staat):
            _tel_anoniem(request, route_path, resultaat, staat)
            return
        regel = _verzoekregel(staat, request, route_path, resultaat)
        try:
            await logboek.toevoegen(staat.session, [regel], request.app.state.logboek_sleutels)
            await staat.session.commit()
        except Exception:
            await _veilig_terugdraaien(staat)
            log.error("logboek entry for a failed request could not be written", exc_info=True)
            if status in GEWEIGERD:
                # A refusal is only answered once it is on record.
                raise
    finally:
        await staat.session.close()


class DoorbraakRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        # The template without convertors (`{kenmerk}`, not `{kenmerk:kenmerk}`): names the actie.
        route_path = self.path_format

        async def handler(request: Request) -> Response:
            try:
                response = await original(request)
            except Herhaling as herhaling:
                staat = verzoekstaat(request)
                if staat is not None:
                    await _veilig_terugdraaien(staat)
                await _afronden(request, route_path, herhaling.response)
                return herhaling.response
            except DoorbraakError as exc:
                await _afbreken(request, route_path, exc)
                raise
            except Exception as exc:
                vertaald = vertaal_databasefout(exc, request)
                await _afbreken(request, route_path, vertaald or exc)
                if vertaald is None:
                    raise
                raise vertaald from exc
            await _afronden(request, route_path, response)
            return response

        return handler
