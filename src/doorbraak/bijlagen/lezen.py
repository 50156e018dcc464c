"""The read side of bijlagen: the documents of a casus, oldest first, without their content."""

from __future__ import annotations

from collections.abc import Sequence

from doorbraak.auth import policy
from doorbraak.bijlagen import repository
from doorbraak.bijlagen.schemas import BijlageActies, BijlageUit
from doorbraak.bijlagen.service import eis_zien
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.openapi import API_PREFIX
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.models import Bijlage
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext


def _uit(b: Bijlage, toegang: CasusToegang, p: Personen) -> BijlageUit:
    acties = policy.bijlage_acties(toegang.casus, toegang.rechten)
    return BijlageUit(
        id=b.id,
        bestandsnaam=b.bestandsnaam,
        omschrijving=b.omschrijving,
        mediatype=b.mediatype,
        grootte=b.grootte,
        sha256=b.sha256,
        toegevoegd_door=p.ref(b.toegevoegd_door_id),
        toegevoegd_op=b.toegevoegd_op,
        versie=b.versie,
        inhoud=f"{API_PREFIX}/casussen/{toegang.casus.kenmerk}/bijlagen/{b.id}/inhoud",
        toegestane_acties=BijlageActies.model_validate(acties),
    )


async def _bouw(
    ctx: Werkcontext, toegang: CasusToegang, rijen: Sequence[Bijlage]
) -> list[BijlageUit]:
    p = await Personen.laad(ctx, [b.toegevoegd_door_id for b in rijen])
    return [_uit(b, toegang, p) for b in rijen]


async def bijlage(ctx: Werkcontext, toegang: CasusToegang, b: Bijlage) -> BijlageUit:
    return (await _bouw(ctx, toegang, [b]))[0]


async def bijlagen(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[BijlageUit]:
    eis_zien(toegang)
    rijen = await repository.bijlagen(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=await _bouw(ctx, toegang, rijen[: vraag.limit]),
        next=volgende_url(vraag, rijen, lambda b: [b.toegevoegd_op, b.id]),
    )
