"""Request-scoped dependencies shared by every package."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.werk.appstaat import appstaat
from doorbraak.werk.verzoek import Verzoekstaat, request_id, verzoekstaat


async def verzoek(request: Request) -> Verzoekstaat:
    """The request's session and audit state; opened once, committed by DoorbraakRoute."""
    staat = verzoekstaat(request)
    if staat is None:
        maker = appstaat(request).sessionmaker
        staat = Verzoekstaat(
            session=maker(),
            request_id=request_id(request),
            oorsprong=request.client.host if request.client else None,
        )
        request.state.doorbraak = staat
    return staat


VerzoekDep = Annotated[Verzoekstaat, Depends(verzoek)]


async def sessie(staat: VerzoekDep) -> AsyncSession:
    return staat.session


SessionDep = Annotated[AsyncSession, Depends(sessie)]
