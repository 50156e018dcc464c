"""Afdelingen, medewerkers and `/ik`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from doorbraak.auth import lezen as token_lezen
from doorbraak.auth import service as token_service
from doorbraak.auth.dependencies import Ctx
from doorbraak.auth.schemas import ApiTokenAangemaakt, ApiTokenNieuw, ApiTokenUit
from doorbraak.kit.etag import IfMatch, zet_etag
from doorbraak.kit.openapi import fouten
from doorbraak.kit.pagination import Pagina
from doorbraak.kit.schema import CODE_PATROON, ZONDER_STUURTEKENS
from doorbraak.models.enums import RechtenverzoekStatus, RegelSoort
from doorbraak.organisatie import lezen, rechten, service
from doorbraak.organisatie.schemas import (
    AfdelingNieuw,
    AfdelingUit,
    AfdelingWijziging,
    MedewerkerNieuw,
    MedewerkerUit,
    MedewerkerWijziging,
    RechtenverzoekBeoordeling,
    RechtenverzoekNieuw,
    RechtenverzoekUit,
    RegelNieuw,
    RegelUit,
    RegelWijziging,
)
from doorbraak.werk.router import PaginaDep, api_router

router = api_router("organisatie")
AfdelingCode = Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


@router.get(
    "/ik", response_model=MedewerkerUit, responses=fouten(401), summary="The calling medewerker"
)
async def ik(ctx: Ctx) -> MedewerkerUit:
    return service.medewerker_uit(ctx.actor)


@router.get("/afdelingen", response_model=Pagina[AfdelingUit], responses=fouten(401))
async def afdelingen_lijst(
    ctx: Ctx, vraag: PaginaDep, actief: Annotated[bool | None, Query()] = None
) -> Pagina[AfdelingUit]:
    return await lezen.afdelingen(ctx, vraag, actief)


@router.post(
    "/afdelingen", status_code=201, response_model=AfdelingUit, responses=fouten(401, 403, 409)
)
async def afdeling_toevoegen(ctx: Ctx, invoer: AfdelingNieuw, response: Response) -> AfdelingUit:
    afdeling = await service.afdeling_toevoegen(ctx, invoer)
    zet_etag(response, afdeling.versie)
    return AfdelingUit.model_validate(afdeling)


@router.get("/afdelingen/{code}", response_model=AfdelingUit, responses=fouten(401, 404))
async def afdeling_lezen(ctx: Ctx, code: AfdelingCode, response: Response) -> AfdelingUit:
    afdeling = await service.afdeling_of_404(ctx, code)
    zet_etag(response, afdeling.versie)
    return AfdelingUit.model_validate(afdeling)


@router.patch(
    "/afdelingen/{code}", response_model=AfdelingUit, responses=fouten(401, 403, 404, 412, 428)
)
async def afdeling_wijzigen(
    ctx: Ctx, code: AfdelingCode, invoer: AfdelingWijziging, versie: IfMatch, response: Response
) -> AfdelingUit:
    afdeling = await service.afdeling_wijzigen(ctx, code, invoer, versie)
    zet_etag(response, afdeling.versie)
    return AfdelingUit.model_validate(afdeling)


@router.get("/medewerkers", response_model=Pagina[MedewerkerUit], responses=fouten(401))
async def medewerkers_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    afdeling: Annotated[str | None, Query(max_length=40, pattern=CODE_PATROON)] = None,
    actief: Annotated[bool | None, Query()] = None,
) -> Pagina[MedewerkerUit]:
    return await lezen.medewerkers(ctx, vraag, afdeling=afdeling, actief=actief)


@router.post(
    "/medewerkers", status_code=201, response_model=MedewerkerUit, responses=fouten(401, 403, 409)
)
async def medewerker_toevoegen(
    ctx: Ctx, invoer: MedewerkerNieuw, response: Response
) -> MedewerkerUit:
    medewerker = await service.medewerker_toevoegen(ctx, invoer)
    zet_etag(response, medewerker.versie)
    return service.medewerker_uit(medewerker)


@router.get("/medewerkers/{id}", response_model=MedewerkerUit, responses=fouten(401, 404))
async def medewerker_lezen(ctx: Ctx, id: uuid.UUID, response: Response) -> MedewerkerUit:
    medewerker = await service.medewerker_of_404(ctx, id)
    zet_etag(response, medewerker.versie)
    return service.medewerker_uit(medewerker)


@router.patch(
    "/medewerkers/{id}",
    response_model=MedewerkerUit,
    responses=fouten(401, 403, 404, 409, 412, 428),
    description=(
        "Lowers roles or a mandaat, changes name, afdeling, `actief`. Raising privileges, and "
        "changing the e-mail address or OIDC subject of a medewerker with beheerder, auditor, "
        "leidinggevende or privacy or a mandaat, answers 403 `vier-ogen-vereist`: that is a "
        "rechtenverzoek (`POST /rechtenverzoeken`). One's own roles, mandaat, e-mail address or "
        "OIDC subject: 403 `eigen-rechten`."
    ),
)
async def medewerker_wijzigen(
    ctx: Ctx, id: uuid.UUID, invoer: MedewerkerWijziging, versie: IfMatch, response: Response
) -> MedewerkerUit:
    medewerker = await service.medewerker_wijzigen(ctx, id, invoer, versie)
    zet_etag(response, medewerker.versie)
    return service.medewerker_uit(medewerker)


# --- rechtenverzoeken: four-eyes on privileges ------------------------------------------------

VIER_OGEN = (
    "Granting beheerder, auditor, leidinggevende or privacy, or raising a mandaat, is not a PATCH "
    "of the medewerker: one beheerder asks here, a second beheerder (not the one who asked, not "
    "the medewerker concerned) approves with `POST /rechtenverzoeken/{id}/beoordeling`; only then "
    "the medewerker changes. The same for a new e-mail address or OIDC subject (`email`, "
    "`oidcSub`) of a medewerker who holds beheerder, auditor, leidinggevende or privacy, or a "
    "mandaat: the identity a privileged account signs in with. Nobody asks for their own roles, "
    "mandaat or identity. 409 `bestaat-al` when the new e-mail address or subject is another "
    "medewerker's."
)


@router.post(
    "/rechtenverzoeken",
    status_code=201,
    response_model=RechtenverzoekUit,
    responses=fouten(400, 401, 403, 409),
    summary="Ask for new roles, a higher mandaat or a new identity of a medewerker (four-eyes)",
    description=VIER_OGEN,
)
async def rechtenverzoek_indienen(
    ctx: Ctx, invoer: RechtenverzoekNieuw, response: Response
) -> RechtenverzoekUit:
    verzoek = await rechten.aanvragen(ctx, invoer)
    zet_etag(response, verzoek.versie)
    return rechten.verzoek_uit(verzoek)


@router.get(
    "/rechtenverzoeken",
    response_model=Pagina[RechtenverzoekUit],
    responses=fouten(401, 403),
    summary="Rechtenverzoeken, newest first (beheerder only)",
)
async def rechtenverzoeken_lijst(
    ctx: Ctx, vraag: PaginaDep, status: RechtenverzoekStatus | None = None
) -> Pagina[RechtenverzoekUit]:
    return await lezen.rechtenverzoeken(ctx, vraag, status)


@router.get(
    "/rechtenverzoeken/{id}",
    response_model=RechtenverzoekUit,
    responses=fouten(401, 403, 404),
    summary="One rechtenverzoek (beheerder only)",
)
async def rechtenverzoek_lezen(ctx: Ctx, id: uuid.UUID, response: Response) -> RechtenverzoekUit:
    verzoek = await rechten.verzoek_of_404(ctx, id)
    zet_etag(response, verzoek.versie)
    return rechten.verzoek_uit(verzoek)


@router.post(
    "/rechtenverzoeken/{id}/beoordeling",
    response_model=RechtenverzoekUit,
    responses=fouten(400, 401, 403, 404, 409),
    summary="Approve or reject a rechtenverzoek: a second beheerder",
    description=(
        "Approval applies the requested roles, mandaat and identity to the medewerker in the same "
        "transaction. Refused (403 `vier-ogen`) for the beheerder who asked and for the "
        "medewerker concerned; 409 when the verzoek was already judged or the medewerker "
        "changed since it was asked (`rechtenverzoek-verouderd`)."
    ),
)
async def rechtenverzoek_beoordelen(
    ctx: Ctx, id: uuid.UUID, invoer: RechtenverzoekBeoordeling, response: Response
) -> RechtenverzoekUit:
    verzoek = await rechten.beoordelen(ctx, id, invoer)
    zet_etag(response, verzoek.versie)
    return rechten.verzoek_uit(verzoek)


# --- regels ------------------------------------------------------------------------------------


@router.get(
    "/regels",
    response_model=Pagina[RegelUit],
    responses=fouten(401),
    summary="The rule catalogue, with how often each regel is bent",
)
async def regels_lijst(
    ctx: Ctx,
    vraag: PaginaDep,
    soort: RegelSoort | None = None,
    actief: Annotated[bool | None, Query()] = None,
    zoek: Annotated[
        str | None,
        Query(max_length=100, pattern=ZONDER_STUURTEKENS, description="Text in titel or regeling."),
    ] = None,
) -> Pagina[RegelUit]:
    return await lezen.regels(
        ctx, vraag, soort=soort, actief=actief, zoek=zoek.strip() if zoek and zoek.strip() else None
    )


@router.post("/regels", status_code=201, response_model=RegelUit, responses=fouten(401, 403))
async def regel_toevoegen(ctx: Ctx, invoer: RegelNieuw, response: Response) -> RegelUit:
    regel = await service.regel_toevoegen(ctx, invoer)
    zet_etag(response, regel.versie)
    return regel


@router.get("/regels/{id}", response_model=RegelUit, responses=fouten(401, 404))
async def regel_lezen(ctx: Ctx, id: uuid.UUID, response: Response) -> RegelUit:
    regel = await service.regel_of_404(ctx, id)
    zet_etag(response, regel.versie)
    return regel


@router.patch("/regels/{id}", response_model=RegelUit, responses=fouten(401, 403, 404, 412, 428))
async def regel_wijzigen(
    ctx: Ctx, id: uuid.UUID, invoer: RegelWijziging, versie: IfMatch, response: Response
) -> RegelUit:
    regel = await service.regel_wijzigen(ctx, id, invoer, versie)
    zet_etag(response, regel.versie)
    return regel


# --- API tokens ----------------------------------------------------------------------------------


@router.get(
    "/api-tokens",
    response_model=Pagina[ApiTokenUit],
    responses=fouten(401, 403),
    summary="API tokens, newest first (beheerder only); never the tokens themselves",
)
async def api_tokens_lijst(ctx: Ctx, vraag: PaginaDep) -> Pagina[ApiTokenUit]:
    return await token_lezen.tokens(ctx, vraag)


@router.post(
    "/api-tokens",
    status_code=201,
    response_model=ApiTokenAangemaakt,
    responses=fouten(401, 403),
    summary="Make an API token for a medewerker (beheerder only); the token is in this answer only",
    description=(
        "Only the token's SHA-256 is stored: `token` is in this answer and nowhere else, not in "
        "the logboek, not in a replay of the same Idempotency-Key (there it is null). A token "
        "for a medewerker with the role beheerder, auditor, leidinggevende or privacy, or a "
        "mandaat, other than yourself: 403 `bevoorrechte-medewerker`."
    ),
)
async def api_token_maken(ctx: Ctx, invoer: ApiTokenNieuw) -> ApiTokenAangemaakt:
    nieuw = await token_service.token_aanmaken(
        ctx, invoer.medewerker, invoer.naam, invoer.verloopt_op
    )
    ctx.staat.geheime_velden = frozenset({"token"})
    return token_lezen.aangemaakt_uit(ctx, nieuw)


@router.post(
    "/api-tokens/{id}/intrekken",
    response_model=ApiTokenUit,
    responses=fouten(401, 403, 404, 409),
    summary="Revoke an API token (beheerder only); once",
    description=(
        "The token is refused from the next request on in this process, and in every other "
        "app process within DOORBRAAK_AUTH_CACHE_SECONDEN. An already revoked token: 409 "
        "`al-ingetrokken`, nothing changes."
    ),
)
async def api_token_intrekken(ctx: Ctx, id: uuid.UUID) -> ApiTokenUit:
    rij = await token_service.token_intrekken(ctx, id)
    return await token_lezen.ingetrokken_uit(ctx, rij)
