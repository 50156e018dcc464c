"""No route waits for the threadpool: FastAPI runs a `def` dependency or endpoint in a worker
thread, one hop there and back per call. Three such dependencies on every request cost about
0.3 ms of CPU and 0.6 ms of wall time (`bench/afhankelijkheid.py`), for functions that do no
blocking work. Every dependency and endpoint of the app is therefore `async def`."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from doorbraak.app import create_app


def _is_async(call: Any) -> bool:
    functie = call if inspect.isfunction(call) or inspect.ismethod(call) else call.__call__
    return inspect.iscoroutinefunction(functie) or inspect.isasyncgenfunction(functie)


def _naam(call: Any) -> str:
    return (
        f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', type(call).__name__)}"
    )


def synchroon(dependant: Dependant) -> set[str]:
    gevonden: set[str] = set()
    for sub in dependant.dependencies:
        if sub.call is not None and not _is_async(sub.call):
            gevonden.add(_naam(sub.call))
        gevonden |= synchroon(sub)
    return gevonden


def gewoon() -> int:
    return 1


async def met_gewoon(waarde: Annotated[int, Depends(gewoon)]) -> int:
    return waarde


def test_synchroon_finds_a_def_dependency() -> None:
    proef = FastAPI()
    proef.get("/x")(met_gewoon)
    (route,) = [r for r in iter_route_contexts(proef.routes) if getattr(r, "path", "") == "/x"]
    assert synchroon(route.dependant) == {_naam(gewoon)}


def test_every_dependency_and_endpoint_is_async() -> None:
    app = create_app()
    routes = [r for r in iter_route_contexts(app.routes) if hasattr(r, "dependant")]
    assert len(routes) > 100  # the API and the web, not an empty walk
    deps: set[str] = set()
    endpoints: set[str] = set()
    for route in routes:
        deps |= synchroon(route.dependant)
        if not _is_async(route.dependant.call):
            endpoints.add(_naam(route.dependant.call))
    assert deps == set(), f"def dependencies (run in the threadpool): {sorted(deps)}"
    assert endpoints == set(), f"def endpoints (run in the threadpool): {sorted(endpoints)}"
