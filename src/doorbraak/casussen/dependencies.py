"""`CasusFromPath`: loads the casus of the URL and applies the visibility rule (404 otherwise)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from doorbraak.auth import policy
from doorbraak.auth.dependencies import Ctx
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.casussen.toegang import CasusToegang, casus_toegang
from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.schema import schoon


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
    doelbinding = doelbinding_uit_header(x_doelbinding)
    if doelbinding is not None:
        ctx.staat.doelbinding = doelbinding
    return await casus_toegang(
        ctx, kenmerk, doelbinding=doelbinding, lezen=request.method in ("GET", "HEAD")
    )


async def casus_voor_rugdekking(
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
    """`casus_uit_pad` for the reads a rugdekkingsverzoek needs (the casus, its besluiten and
    afwijkingen): the addressee of an open verzoek on this casus reads them too."""
    doelbinding = doelbinding_uit_header(x_doelbinding)
    if doelbinding is not None:
        ctx.staat.doelbinding = doelbinding
    return await casus_toegang(
        ctx,
        kenmerk,
        doelbinding=doelbinding,
        lezen=request.method in ("GET", "HEAD"),
        voor_rugdekking=True,
    )


def doelbinding_uit_header(waarde: str | None) -> str | None:
    if waarde is None or not waarde.strip():
        return None
    try:
        return schoon(waarde.strip())
    except ValueError as exc:
        raise OngeldigeInvoer(
            [{"name": "X-Doelbinding", "code": "ongeldige-tekens", "reason": str(exc)}]
        ) from exc


CasusFromPath = Annotated[CasusToegang, Depends(casus_uit_pad)]
CasusVoorRugdekking = Annotated[CasusToegang, Depends(casus_voor_rugdekking)]
