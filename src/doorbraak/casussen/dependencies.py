"""`CasusFromPath`: loads the casus of the URL and applies the visibility rule (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen import repository
from doorbraak.casussen.repository import GeladenCasus
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.errors import Conflict, NietGevonden, OngeldigeInvoer
from doorbraak.kit.schema import _schoon
from doorbraak.kit.werkcontext import Werkcontext
from doorbraak.models import Casus
from doorbraak.models.enums import Fase

NIET_ZICHTBAAR = "Deze casus bestaat niet of is niet zichtbaar voor u."


@dataclass
class CasusToegang:
    geladen: GeladenCasus
    rechten: policy.Casusrechten

    @property
    def casus(self) -> Casus:
        return self.geladen.casus

    def eis_open(self) -> None:
        """A closed casus is read-only until it is reopened."""
        if self.casus.fase == Fase.afgesloten:
            raise Conflict("De casus is afgesloten en alleen nog te lezen.", code="casus-gesloten")


async def casus_toegang(
    ctx: Werkcontext, kenmerk: str, *, doelbinding: str | None = None, lezen: bool = True
) -> CasusToegang:
    """Load a casus and what the actor may do with it; 404 when it is not visible."""
    geladen = await repository.laad_casus(ctx.session, ctx.actor, kenmerk)
    if geladen is None:
        raise NietGevonden(NIET_ZICHTBAAR)
    casus = geladen.casus
    ctx.staat.casus_id = casus.id
    laatste = geladen.laatste_regiehouder_id if casus.fase == Fase.afgesloten else None
    rechten = policy.casusrechten(
        ctx.actor,
        casus,
        contactpersoon=geladen.contactpersoon,
        expliciet_lid=geladen.expliciet_lid,
        leidinggevende_deelnemer=geladen.leidinggevende_deelnemer,
        laatste_regiehouder_id=laatste,
    )
    if not rechten.zien:
        inzage = policy.auditor_inzage(ctx.actor, doelbinding, lezen=lezen)
        if inzage is None:
            raise NietGevonden(NIET_ZICHTBAAR)
        rechten = inzage
    return CasusToegang(geladen=geladen, rechten=rechten)


async def casus_uit_pad(
    ctx: Ctx,
    request: Request,
    kenmerk: Annotated[str, Path(pattern=KENMERK_PATROON, description="e.g. DB-2026-0042")],
    x_doelbinding: Annotated[
        str | None,
        Header(
            max_length=policy.DOELBINDING_MAX,
            description=(
                "Purpose of this read (auditor only, required for an auditor outside the "
                "casusteam); kept in the logboek."
            ),
        ),
    ] = None,
) -> CasusToegang:
    doelbinding = _doelbinding(x_doelbinding)
    if doelbinding is not None:
        ctx.staat.doelbinding = doelbinding
    return await casus_toegang(
        ctx, kenmerk, doelbinding=doelbinding, lezen=request.method in ("GET", "HEAD")
    )


def _doelbinding(waarde: str | None) -> str | None:
    if waarde is None or not waarde.strip():
        return None
    try:
        return _schoon(waarde.strip())
    except ValueError as exc:
        raise OngeldigeInvoer(
            [{"name": "X-Doelbinding", "code": "ongeldige-tekens", "reason": str(exc)}]
        ) from exc


CasusFromPath = Annotated[CasusToegang, Depends(casus_uit_pad)]
