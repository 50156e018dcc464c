"""The router every package uses: `/api/v1`, the request boundary, and shared parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.params import Depends as DependsParam

from doorbraak.auth.dependencies import CurrentUser
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.idempotentie import IdempotencyKeyHeader, idempotentie_claimen
from doorbraak.kit.openapi import API_PREFIX
from doorbraak.kit.paden import met_convertors
from doorbraak.kit.pagination import PaginaVraag, pagina_vraag
from doorbraak.werk.deps import VerzoekDep
from doorbraak.werk.verzoek import DoorbraakRoute

PaginaDep = Annotated[PaginaVraag, Depends(pagina_vraag)]
# The period and afdeling filters of the registers, statistieken and the learning report.
Van = Annotated[
    dt.date | None, Query(description="First day of the period (Europe/Amsterdam), inclusive.")
]
Tot = Annotated[
    dt.date | None, Query(description="Last day of the period (Europe/Amsterdam), inclusive.")
]
AfdelingFilter = Annotated[
    str | None,
    Query(
        max_length=50,
        pattern=r"^[a-z0-9-]+$",
        description="Only casussen this afdeling takes part in (a deelname).",
    ),
]


async def idempotentie(
    request: Request,
    staat: VerzoekDep,
    actor: CurrentUser,
    idempotency_key: IdempotencyKeyHeader = None,
) -> None:
    staat.idempotentie = await idempotentie_claimen(request, staat.session, actor, idempotency_key)


def queryparameters(dependant: Dependant) -> set[str]:
    """The query parameters a route declares, through all its dependencies."""
    namen = {veld.alias for veld in dependant.query_params}
    for sub in dependant.dependencies:
        namen |= queryparameters(sub)
    return namen


class ApiRoute(DoorbraakRoute):
    """Every POST of the API accepts an Idempotency-Key. A query parameter the route does not
    know is refused (400) instead of silently ignored: a misspelt filter must not look like an
    answer."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        origineel = super().get_route_handler()
        bekend = queryparameters(self.dependant)

        async def handler(request: Request) -> Response:
            onbekend = sorted(set(request.query_params.keys()) - bekend)
            if onbekend:
                raise OngeldigeInvoer(
                    [
                        {
                            "name": naam,
                            "code": "onbekende-parameter",
                            "reason": "deze route kent deze queryparameter niet"
                            + (f" (wel: {', '.join(sorted(bekend))})" if bekend else ""),
                        }
                        for naam in onbekend
                    ],
                    "Onbekende queryparameter.",
                )
            return await origineel(request)

        return handler

    def __init__(
        self,
        path: str,
        endpoint: Any,
        *,
        methods: set[str] | list[str] | None = None,
        dependencies: Any = None,
        **kwargs: Any,
    ) -> None:
        if methods and "POST" in {m.upper() for m in methods}:
            eigen: list[DependsParam] = [Depends(idempotentie)]
            dependencies = [*eigen, *(dependencies or [])]
        super().__init__(
            met_convertors(path), endpoint, methods=methods, dependencies=dependencies, **kwargs
        )


def api_router(tag: str) -> APIRouter:
    return APIRouter(prefix=API_PREFIX, tags=[tag], route_class=ApiRoute)
