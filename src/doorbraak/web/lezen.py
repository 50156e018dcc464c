"""The read side of the web's own pages: the work lists of "Mijn werk" and the dashboard's
series. Each list is the policy's rule as SQL (web/repository.py), never a second copy."""

from __future__ import annotations

from collections.abc import Sequence

from doorbraak.kit.pagination import Rij
from doorbraak.web import repository
from doorbraak.werk.context import Werkcontext


async def mijn_casussen(ctx: Werkcontext) -> Sequence[Rij]:
    return await repository.mijn_casussen(ctx.session, ctx.actor)


async def wachten_op_reactie(ctx: Werkcontext) -> Sequence[Rij]:
    return await repository.wachten_op_reactie(ctx.session, ctx.actor)


async def wachten_op_rugdekking(ctx: Werkcontext) -> Sequence[Rij]:
    """Exactly the afwijkingen the actor may cover (policy.rugdekking_mogelijk)."""
    return await repository.wachten_op_rugdekking(ctx.session, ctx.actor)
