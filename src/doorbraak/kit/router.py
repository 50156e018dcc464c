"""The router every package uses: `/api/v1`, the request boundary, and shared parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from doorbraak.kit.openapi import API_PREFIX
from doorbraak.kit.pagination import PaginaVraag, pagina_vraag
from doorbraak.kit.verzoek import DoorbraakRoute

PaginaDep = Annotated[PaginaVraag, Depends(pagina_vraag)]


def api_router(tag: str) -> APIRouter:
    return APIRouter(prefix=API_PREFIX, tags=[tag], route_class=DoorbraakRoute)
