"""Beheer (afdelingen, medewerkers, the regelcatalogus, the external parties, API tokens) for the beheerder,
and the logboek for the auditor. The same read modules and services as the API, so the same rules and checks: each
page asks the policy first, each form's action is the service the API calls."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from doorbraak.auth import lezen as token_lezen
from doorbraak.auth import policy
from doorbraak.auth import service as token_service
from doorbraak.auth.schemas import ApiTokenAangemaakt, ApiTokenNieuw
from doorbraak.casussen.schemas import KENMERK_PATROON
from doorbraak.errors import OngeldigeInvoer
from doorbraak.huishouden import lezen as huishouden
from doorbraak.huishouden import service as huishouden_service
from doorbraak.huishouden.schemas import ExternePartijNieuw, ExternePartijWijziging
from doorbraak.kit.schema import CODE_PATROON, Invoer
from doorbraak.kit.werkdagen import TIJDZONE
from doorbraak.logboek import lezen as logboek
from doorbraak.models import Medewerker
from doorbraak.models.enums import PartijSoort, RegelSoort, Risico, Rol
from doorbraak.organisatie import lezen as organisatie
from doorbraak.organisatie import service as organisatie_service
from doorbraak.organisatie.schemas import AfdelingNieuw, MedewerkerNieuw, RegelNieuw
from doorbraak.web import formulieren
from doorbraak.web.formulieren import formulier_met_fout, veldnamen
from doorbraak.web.pagina import render
from doorbraak.web.paginas.gedeeld import pagina_router, poging, relatief, vraag
from doorbraak.web.sessie import Csrf, WebCtx
from doorbraak.werk.context import Werkcontext

router = pagina_router()
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")]

GELUKT = {
    "afdeling": "De afdeling is toegevoegd.",
    "medewerker": "De medewerker is toegevoegd.",
    "regel": "De regel staat in de catalogus.",
    "externe-partij": "De externe partij staat in de catalogus.",
}


def _gelukt(request: Request) -> str | None:
    return GELUKT.get(request.query_params.get("gelukt", ""))


async def _afdelingen_context(
    request: Request, ctx: Werkcontext, cursor: str | None
) -> dict[str, Any]:
    pagina = await organisatie.afdelingen(ctx, vraag(request, 100, cursor))
    return {"afdelingen": pagina.results, "volgende": relatief(pagina.next)}


async def _medewerkers_context(
    request: Request, ctx: Werkcontext, cursor: str | None
) -> dict[str, Any]:
    pagina = await organisatie.medewerkers(ctx, vraag(request, 100, cursor))
    afdelingen = (await organisatie.afdelingen(ctx, vraag(request, 100), True)).results
    return {
        "medewerkers": pagina.results,
        "volgende": relatief(pagina.next),
        "afdeling_opties": [(a.code, a.naam) for a in afdelingen],
        "afdelingsnamen": {a.code: a.naam for a in afdelingen},
        "rollen": list(Rol),
        "risicos": list(Risico),
    }


async def _regels_context(request: Request, ctx: Werkcontext, cursor: str | None) -> dict[str, Any]:
    pagina = await organisatie.regels(ctx, vraag(request, 100, cursor))
    return {
        "regels": pagina.results,
        "volgende": relatief(pagina.next),
        "soorten": list(RegelSoort),
    }


async def _partijen_context(
    request: Request, ctx: Werkcontext, cursor: str | None
) -> dict[str, Any]:
    pagina = await huishouden.partijen(ctx, vraag(request, 100, cursor))
    return {
        "partijen": pagina.results,
        "volgende": relatief(pagina.next),
        "soorten": list(PartijSoort),
    }


LIJSTEN: dict[str, tuple[str, Callable[[Medewerker], None], Any]] = {
    "afdelingen": ("beheer_afdelingen.html", policy.mag_organisatie_beheren, _afdelingen_context),
    "medewerkers": (
        "beheer_medewerkers.html",
        policy.mag_organisatie_beheren,
        _medewerkers_context,
    ),
    "regels": ("beheer_regels.html", policy.mag_regels_beheren, _regels_context),
    "externe-partijen": (
        "beheer_externe_partijen.html",
        policy.mag_partijen_beheren,
        _partijen_context,
    ),
}


@router.get("/beheer", response_class=HTMLResponse)
async def beheer(request: Request, ctx: WebCtx) -> Response:
    policy.mag_organisatie_beheren(ctx.actor)
    return render(request, "beheer.html", {})


def _lijstpagina(naam: str) -> None:
    sjabloon, mag, context = LIJSTEN[naam]

    async def pagina(request: Request, ctx: WebCtx, cursor: Cursor = None) -> Response:
        mag(ctx.actor)
        inhoud = await context(request, ctx, cursor)
        return render(request, sjabloon, inhoud | {"gelukt_tekst": _gelukt(request)})

    pagina.__name__ = f"beheer_{naam.replace('-', '_')}"
    router.add_api_route(f"/beheer/{naam}", pagina, methods=["GET"], response_class=HTMLResponse)


for _naam in LIJSTEN:
    _lijstpagina(_naam)


def _formulier(
    naam: str,
    code: str,
    model: type[Invoer],
    doen: Callable[[Werkcontext, Any], Awaitable[object]],
    vooraf: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    sjabloon, mag, context = LIJSTEN[naam]

    async def verstuur(request: Request, ctx: WebCtx) -> Response:
        mag(ctx.actor)
        form = await request.form()

        async def doe() -> None:
            gegevens: Any = form
            if vooraf is not None:
                gegevens = vooraf(
                    {k: form.getlist(k) if k == "rollen" else v for k, v in form.items()}
                )
            await doen(ctx, formulieren.lees(model, gegevens))

        fout = await poging(request, ctx, doe)
        if fout is None:
            return RedirectResponse(f"/beheer/{naam}?gelukt={code}#melding", status_code=303)
        fm = formulier_met_fout(request.url.path, form, fout, veldnamen(model))
        inhoud = await context(request, ctx, None)
        return render(request, sjabloon, inhoud, status=fout.status, formulier=fm)

    async def opnieuw(request: Request, ctx: WebCtx) -> Response:
        mag(ctx.actor)
        return RedirectResponse(f"/beheer/{naam}", status_code=303)

    verstuur.__name__ = f"beheer_{naam.replace('-', '_')}_toevoegen"
    opnieuw.__name__ = f"beheer_{naam.replace('-', '_')}_opnieuw"
    pad = f"/beheer/{naam}/nieuw"
    router.add_api_route(
        pad, verstuur, methods=["POST"], response_class=HTMLResponse, dependencies=[Csrf]
    )
    router.add_api_route(pad, opnieuw, methods=["GET"], response_class=HTMLResponse)


class _Rollen(dict[str, Any]):
    """A form's values with `rollen` as the list of ticked roles (FormData.getlist)."""

    def getlist(self, sleutel: str) -> list[Any]:
        waarde = self.get(sleutel)
        return waarde if isinstance(waarde, list) else [waarde] if waarde else []


_formulier("afdelingen", "afdeling", AfdelingNieuw, organisatie_service.afdeling_toevoegen)
_formulier(
    "medewerkers",
    "medewerker",
    MedewerkerNieuw,
    organisatie_service.medewerker_toevoegen,
    vooraf=_Rollen,
)
_formulier("regels", "regel", RegelNieuw, organisatie_service.regel_toevoegen)
_formulier(
    "externe-partijen", "externe-partij", ExternePartijNieuw, huishouden_service.partij_toevoegen
)


# --- one external party: edit, deactivate, activate again ---------------------------------------

PartijCode = Annotated[str, Path(pattern=CODE_PATROON, max_length=40)]
PARTIJ_GELUKT = {
    "gewijzigd": "De wijziging is opgeslagen.",
    "gedeactiveerd": "De partij is gedeactiveerd: nieuwe casussen kunnen haar niet meer kiezen.",
    "geactiveerd": "De partij is weer actief.",
}


def _versie(form: Any) -> int | None:
    waarde = form.get("versie")
    return int(waarde) if isinstance(waarde, str) and waarde.isdigit() else None


async def _partij_context(ctx: Werkcontext, code: str) -> dict[str, Any]:
    policy.mag_partijen_beheren(ctx.actor)
    partij = huishouden.partij(await huishouden_service.partij_of_404(ctx, code))
    return {"partij": partij, "soorten": list(PartijSoort)}


# `/bewerken`: the path `/beheer/externe-partijen/nieuw` is the add form's.
@router.get("/beheer/externe-partijen/{code}/bewerken", response_class=HTMLResponse)
async def beheer_externe_partij(request: Request, ctx: WebCtx, code: PartijCode) -> Response:
    context = await _partij_context(ctx, code)
    gelukt = PARTIJ_GELUKT.get(request.query_params.get("gelukt", ""))
    return render(request, "beheer_externe_partij.html", context | {"gelukt_tekst": gelukt})


async def _partij_wijzigen(
    request: Request, ctx: Werkcontext, code: str, vaste: dict[str, Any], gelukt: str
) -> Response:
    """The edit form and the (de)activate button: both the API's PATCH, with the versie the
    page was shown with (a change made in between answers 412 on the page)."""
    policy.mag_partijen_beheren(ctx.actor)
    form = await request.form()

    async def doe() -> None:
        gegevens = {k: v for k, v in form.items() if k in ("naam", "soort")} | vaste
        gelezen = formulieren.lees(ExternePartijWijziging, gegevens)
        # `lees` reads a boolean the form does not carry as an unticked box (False): only the
        # fields of this form change, or saving the name would deactivate the party.
        invoer = ExternePartijWijziging.model_validate(gelezen.model_dump(include=set(gegevens)))
        await huishouden_service.partij_wijzigen(ctx, code, invoer, _versie(form))

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse(
            f"/beheer/externe-partijen/{code}/bewerken?gelukt={gelukt}#melding", status_code=303
        )
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(ExternePartijWijziging))
    context = await _partij_context(ctx, code)
    return render(request, "beheer_externe_partij.html", context, status=fout.status, formulier=fm)


@router.post(
    "/beheer/externe-partijen/{code}/wijzigen", response_class=HTMLResponse, dependencies=[Csrf]
)
async def beheer_externe_partij_wijzigen(
    request: Request, ctx: WebCtx, code: PartijCode
) -> Response:
    return await _partij_wijzigen(request, ctx, code, {}, "gewijzigd")


@router.post(
    "/beheer/externe-partijen/{code}/deactiveren",
    response_class=HTMLResponse,
    dependencies=[Csrf],
)
async def beheer_externe_partij_deactiveren(
    request: Request, ctx: WebCtx, code: PartijCode
) -> Response:
    return await _partij_wijzigen(request, ctx, code, {"actief": False}, "gedeactiveerd")


@router.post(
    "/beheer/externe-partijen/{code}/activeren", response_class=HTMLResponse, dependencies=[Csrf]
)
async def beheer_externe_partij_activeren(
    request: Request, ctx: WebCtx, code: PartijCode
) -> Response:
    return await _partij_wijzigen(request, ctx, code, {"actief": True}, "geactiveerd")


@router.get("/logboek", response_class=HTMLResponse)
async def logboek_pagina(
    request: Request,
    ctx: WebCtx,
    casus: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Cursor = None,
) -> Response:
    """The auditor's logboek: newest first, filtered on one casus if asked."""
    policy.mag_logboek_lezen(ctx.actor)
    kenmerk = casus if casus and re.fullmatch(KENMERK_PATROON, casus) else None
    pagina = await logboek.regels(
        ctx, logboek.Logboekfilter(casus_kenmerk=kenmerk), vraag(request, 50, cursor)
    )
    namen = {
        str(m.id): m.naam for m in (await organisatie.medewerkers(ctx, vraag(request, 500))).results
    }
    return render(
        request,
        "logboek.html",
        {
            "regels": pagina.results,
            "volgende": relatief(pagina.next),
            "casus": kenmerk or "",
            "namen": namen,
        },
    )


# --- API tokens: list, make one (shown once), revoke ------------------------------------------

TOKEN_GELUKT = {"ingetrokken": "Het token is ingetrokken: het werkt niet meer."}


async def _tokens_context(
    request: Request, ctx: Werkcontext, cursor: str | None = None
) -> dict[str, Any]:
    pagina = await token_lezen.tokens(ctx, vraag(request, 100, cursor))
    medewerkers = (await organisatie.medewerkers(ctx, vraag(request, 500), actief=True)).results
    return {
        "tokens": pagina.results,
        "volgende": relatief(pagina.next),
        "medewerker_opties": [(str(m.id), f"{m.naam} ({m.afdeling})") for m in medewerkers],
        "max_dagen": ctx.settings.token_max_dagen,
    }


@router.get("/beheer/api-tokens", response_class=HTMLResponse)
async def beheer_api_tokens(request: Request, ctx: WebCtx, cursor: Cursor = None) -> Response:
    policy.mag_tokens_beheren(ctx.actor)
    gelukt = TOKEN_GELUKT.get(request.query_params.get("gelukt", ""))
    inhoud = await _tokens_context(request, ctx, cursor)
    return render(request, "beheer_api_tokens.html", inhoud | {"gelukt_tekst": gelukt})


def _token_invoer(form: Any) -> ApiTokenNieuw:
    """The form's day (a date field) is the moment 00:00 that day in Amsterdam."""
    gegevens = {k: v for k, v in form.items() if k in ("medewerker", "naam", "verlooptOp")}
    dag = str(gegevens.get("verlooptOp") or "").strip()
    if dag:
        try:
            moment = dt.datetime.combine(dt.date.fromisoformat(dag), dt.time(0), TIJDZONE)
            gegevens["verlooptOp"] = moment.isoformat()
        except ValueError:
            raise OngeldigeInvoer(
                [
                    {
                        "name": "verlooptOp",
                        "code": "ongeldige-datum",
                        "reason": "Vul een datum in als JJJJ-MM-DD.",
                    }
                ]
            ) from None
    return formulieren.lees(ApiTokenNieuw, gegevens)


@router.post("/beheer/api-tokens/nieuw", response_class=HTMLResponse, dependencies=[Csrf])
async def beheer_api_token_maken(request: Request, ctx: WebCtx) -> Response:
    """The API's service; the answer is the page itself with the new token, not a redirect:
    the token must not travel in a URL, and nothing keeps it for a page after this one."""
    policy.mag_tokens_beheren(ctx.actor)
    form = await request.form()
    gemaakt: list[ApiTokenAangemaakt] = []

    async def doe() -> None:
        invoer = _token_invoer(form)
        nieuw = await token_service.token_aanmaken(
            ctx, invoer.medewerker, invoer.naam, invoer.verloopt_op
        )
        gemaakt.append(token_lezen.aangemaakt_uit(ctx, nieuw))

    fout = await poging(request, ctx, doe)
    inhoud = await _tokens_context(request, ctx)
    if fout is None:
        return render(request, "beheer_api_tokens.html", inhoud | {"nieuw": gemaakt[0]})
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(ApiTokenNieuw))
    return render(request, "beheer_api_tokens.html", inhoud, status=fout.status, formulier=fm)


@router.get("/beheer/api-tokens/nieuw", response_class=HTMLResponse)
async def beheer_api_token_opnieuw(request: Request, ctx: WebCtx) -> Response:
    policy.mag_tokens_beheren(ctx.actor)
    return RedirectResponse("/beheer/api-tokens", status_code=303)


@router.post("/beheer/api-tokens/{id}/intrekken", response_class=HTMLResponse, dependencies=[Csrf])
async def beheer_api_token_intrekken(request: Request, ctx: WebCtx, id: uuid.UUID) -> Response:
    """A final action: only with the confirmation box ticked (checked here, also without JS)."""
    policy.mag_tokens_beheren(ctx.actor)
    form = await request.form()

    async def doe() -> None:
        formulieren.eis_bevestiging(form)
        await token_service.token_intrekken(ctx, id)

    fout = await poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse("/beheer/api-tokens?gelukt=ingetrokken#melding", status_code=303)
    if fout.status == 404:
        raise fout
    fm = formulier_met_fout(request.url.path, form, fout, {"bevestigd"})
    inhoud = await _tokens_context(request, ctx)
    # A revoked token has no form left to show the refusal next to: it goes on top.
    boven = fout.detail if fout.status == 409 else None
    return render(
        request,
        "beheer_api_tokens.html",
        inhoud | {"fout_tekst": boven},
        status=fout.status,
        formulier=fm,
    )
