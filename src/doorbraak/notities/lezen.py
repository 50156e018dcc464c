"""The read side of notities: the conversation of a casus, oldest first."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from doorbraak.casussen.toegang import CasusToegang
from doorbraak.kit.pagination import Pagina, PaginaVraag, volgende_url
from doorbraak.models import Notitie, Vermelding
from doorbraak.notities import repository
from doorbraak.notities.schemas import NotitieUit
from doorbraak.organisatie.service import Personen
from doorbraak.werk.context import Werkcontext


def _uit(
    n: Notitie, kenmerk: str, p: Personen, vermeld: Sequence[Vermelding], ik: uuid.UUID
) -> NotitieUit:
    eigen = [v for v in vermeld if v.notitie_id == n.id]
    return NotitieUit(
        id=n.id,
        kenmerk=kenmerk,
        auteur=p.ref(n.auteur_id),
        tekst=n.tekst,
        vermeld=[r for v in eigen if (r := p.ref(v.medewerker_id)) is not None],
        aangemaakt_op=n.aangemaakt_op,
        mij_vermeld=any(v.medewerker_id == ik and v.gezien_op is None for v in eigen),
    )


async def _bouw(ctx: Werkcontext, kenmerk: str, rijen: Sequence[Notitie]) -> list[NotitieUit]:
    vermeld = await repository.vermeldingen(ctx.session, [n.id for n in rijen])
    p = await Personen.laad(ctx, [n.auteur_id for n in rijen] + [v.medewerker_id for v in vermeld])
    return [_uit(n, kenmerk, p, vermeld, ctx.actor.id) for n in rijen]


async def notitie(ctx: Werkcontext, toegang: CasusToegang, n: Notitie) -> NotitieUit:
    return (await _bouw(ctx, toegang.casus.kenmerk, [n]))[0]


async def notities(
    ctx: Werkcontext, toegang: CasusToegang, vraag: PaginaVraag
) -> Pagina[NotitieUit]:
    rijen = await repository.notities(ctx.session, toegang.casus.id, vraag)
    return Pagina(
        results=await _bouw(ctx, toegang.casus.kenmerk, rijen[: vraag.limit]),
        next=volgende_url(vraag, rijen, lambda n: [n.aangemaakt_op, n.id]),
    )
