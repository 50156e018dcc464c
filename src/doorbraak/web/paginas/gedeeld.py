"""What every page module shares: the page size, paging, redirects and running a form's action
in a savepoint (a refused action is shown again with its error, the request still commits its
logboek entry)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.exc import SQLAlchemyError

from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.errors import DoorbraakError
from doorbraak.kit.pagination import PaginaVraag, lees_cursor
from doorbraak.organisatie import lezen as organisatie
from doorbraak.organisatie.schemas import AfdelingUit, MedewerkerUit
from doorbraak.web.pagina import WebRoute
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.verzoek import vertaal_databasefout

Kenmerk = Annotated[str, Path(pattern=KENMERK_PATROON)]
Cursor = Annotated[str | None, "opaque cursor"]
LIJST = 100
E = TypeVar("E")
# The answers to a rugdekkingsverzoek (Mijn werk, and the casus page of its addressee).
VERZOEK_OORDELEN = [("gedekt", "Gedekt"), ("afgewezen", "Afgewezen")]


def pagina_router() -> APIRouter:
    return APIRouter(route_class=WebRoute, include_in_schema=False)


def vraag(request: Request, limit: int = LIJST, cursor: str | None = None) -> PaginaVraag:
    return PaginaVraag(
        limit=limit, cursor=lees_cursor(cursor) if cursor else None, adres=str(request.url)
    )


def relatief(url: str | None) -> str | None:
    """A `next` URL is absolute; a link on the page stays on the page's own origin."""
    if url is None:
        return None
    delen = urlsplit(url)
    return f"{delen.path}?{delen.query}" if delen.query else delen.path


def terug(kenmerk: str, sectie: str) -> RedirectResponse:
    return RedirectResponse(f"/casussen/{kenmerk}#{sectie}", status_code=303)


def keuze(waarde: str | None, soort: Callable[[str], E]) -> E | None:
    """A filter value from the query string; anything unknown means no filter."""
    if not waarde:
        return None
    try:
        return soort(waarde)
    except ValueError:
        return None


async def poging(
    request: Request, ctx: Werkcontext, doe: Callable[[], Awaitable[object]]
) -> DoorbraakError | None:
    """Run one action in a savepoint: on a domain error nothing of it stays (the page is shown
    again with the error), while the request itself still commits its logboek entry."""
    extra_logboek = len(ctx.staat.logboek)
    try:
        async with ctx.session.begin_nested():
            await doe()
            await ctx.session.flush()
    except DoorbraakError as exc:
        del ctx.staat.logboek[extra_logboek:]
        return exc
    except SQLAlchemyError as exc:
        vertaald = vertaal_databasefout(exc, request)
        if vertaald is None:
            raise
        del ctx.staat.logboek[extra_logboek:]
        return vertaald
    return None


async def afdelingen(ctx: Werkcontext, request: Request) -> list[AfdelingUit]:
    return (await organisatie.afdelingen(ctx, vraag(request), True)).results


async def medewerkers(ctx: Werkcontext, request: Request) -> list[MedewerkerUit]:
    return (await organisatie.medewerkers(ctx, vraag(request), actief=True)).results
