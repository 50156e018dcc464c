"""The web frontend's pages and forms, under `/` and outside the API document.

Every route runs through the same request boundary as the API (one commit, one logboek entry)
and calls the same services and the same authorization policy with a `Werkcontext` built from
the session cookie. Reads reuse the API's read functions (the thin functions that turn rows into
the API's output models) as plain Python calls; nothing here goes over HTTP to the API.
A failed form is shown again with the user's input and the API's error next to its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.exc import SQLAlchemyError

from doorbraak.afpellen import endpoints as afpellen_ep
from doorbraak.afpellen import repository as afpellen_repo
from doorbraak.afpellen import service as afpellen
from doorbraak.afpellen.schemas import (
    BetrokkeneNieuw,
    BetrokkeneWijziging,
    KnelpuntNieuw,
    KnelpuntWijziging,
    StapNieuw,
    StapWijziging,
)
from doorbraak.auth import policy
from doorbraak.casussen import endpoints as casussen_ep
from doorbraak.casussen import repository as casussen_repo
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import (
    KENMERK_PATROON,
    CasusNieuw,
    CasusUit,
    CasusWijziging,
    FaseOvergangNieuw,
    TeamlidNieuw,
)
from doorbraak.casussen.toegang import CasusToegang, casus_toegang
from doorbraak.errors import DoorbraakError, NietGevonden, VersieConflict
from doorbraak.kit.pagination import PaginaVraag, lees_cursor, volgende_url
from doorbraak.kit.schema import Invoer
from doorbraak.leren import endpoints as leren_ep
from doorbraak.leren import service as leren
from doorbraak.leren.schemas import LeerpuntNieuw, LeerpuntWijziging
from doorbraak.maatwerk import endpoints as maatwerk_ep
from doorbraak.maatwerk import service as maatwerk
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    BesluitNieuw,
    IntrekkenInvoer,
    ReactieNieuw,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.models.enums import (
    Afsluitreden,
    BesluitStatus,
    EscalatieNiveau,
    Fase,
    Grondslag,
    KnelpuntNiveau,
    KnelpuntSoort,
    KnelpuntStatus,
    Leefgebied,
    LeerpuntSoort,
    ReactieOordeel,
    Risico,
    RugdekkingOordeel,
    SignaalStatus,
    StapStatus,
    Urgentie,
    Vertrouwelijkheid,
)
from doorbraak.organisatie import repository as organisatie_repo
from doorbraak.rapportage import service as rapportage
from doorbraak.rapportage.repository import Registerfilter
from doorbraak.regie import endpoints as regie_ep
from doorbraak.regie import service as regie
from doorbraak.regie.schemas import (
    DeelnameNieuw,
    DeelnameWijziging,
    EscalatieNieuw,
    EscalatieWijziging,
    RegieNieuw,
)
from doorbraak.web import formulieren, grafieken, inloggen
from doorbraak.web import repository as web_repo
from doorbraak.web.formulieren import formulier_met_fout, veldnamen
from doorbraak.web.pagina import WebRoute, label, render
from doorbraak.web.sessie import Csrf, WebCtx
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.verzoek import vertaal_databasefout

router = APIRouter(route_class=WebRoute, include_in_schema=False)
router.include_router(inloggen.router)

Kenmerk = Annotated[str, Path(pattern=KENMERK_PATROON)]
LIJST = 100


def _vraag(request: Request, limit: int = LIJST, cursor: str | None = None) -> PaginaVraag:
    return PaginaVraag(
        limit=limit, cursor=lees_cursor(cursor) if cursor else None, adres=str(request.url)
    )


def _relatief(url: str | None) -> str | None:
    """The API's `next` URL is absolute; a link on the page stays on the page's own origin."""
    if url is None:
        return None
    delen = urlsplit(url)
    return f"{delen.path}?{delen.query}" if delen.query else delen.path


def _terug(kenmerk: str, sectie: str) -> RedirectResponse:
    return RedirectResponse(f"/casussen/{kenmerk}#{sectie}", status_code=303)


async def _poging(
    request: Request, ctx: Werkcontext, doe: Callable[[], Awaitable[object]]
) -> DoorbraakError | None:
    """Run one action in a savepoint: on a domain error nothing of it stays (the page is shown
    again with the error), while the request itself still commits its logboek entry."""
    extra_logboek = len(ctx.staat.logboek)
    try:
        async with ctx.session.begin_nested():
            await doe()
            await ctx.session.flush()
    except DoorbraakError as exc:
        del ctx.staat.logboek[extra_logboek:]
        return exc
    except SQLAlchemyError as exc:
        vertaald = vertaal_databasefout(exc, request)
        if vertaald is None:
            raise
        del ctx.staat.logboek[extra_logboek:]
        return vertaald
    return None


# --- Mijn werk ---------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def mijn_werk(request: Request, ctx: WebCtx) -> Response:
    ik = ctx.actor
    stappen = await afpellen_repo.werklijst(
        ctx.session,
        ik,
        _vraag(request),
        eigenaar=ik.id,
        te_laat=None,
        status=None,
        vandaag=afpellen_ep.vandaag(),
    )
    dag = afpellen_ep.vandaag()
    open_stappen = [
        (r.Stap, r.kenmerk, afpellen.te_laat(r.Stap, dag))
        for r in stappen
        if r.Stap.status in (StapStatus.open, StapStatus.bezig)
    ]
    rugdekking = [
        r
        for r in await web_repo.wachten_op_rugdekking(ctx.session, ik)
        if policy.mandaat_dekt(ik, r.financieel_belang_cent, r.risico)
    ]
    return render(
        request,
        "mijn_werk.html",
        {
            "casussen": await web_repo.mijn_casussen(ctx.session, ik),
            "stappen": sorted(open_stappen, key=lambda s: (not s[2], str(s[0].deadline_datum))),
            "reacties": await web_repo.wachten_op_reactie(ctx.session, ik),
            "rugdekking": rugdekking,
        },
    )


# --- Casussen ----------------------------------------------------------------------------------


def _keuze(waarde: str | None, soort: type[Any]) -> Any:
    if not waarde:
        return None
    try:
        return soort(waarde)
    except ValueError:
        return None


@router.get("/casussen", response_class=HTMLResponse)
async def casussen_lijst(
    request: Request,
    ctx: WebCtx,
    zoek: Annotated[str | None, Query(max_length=100)] = None,
    fase: Annotated[str | None, Query(max_length=20)] = None,
    urgentie: Annotated[str | None, Query(max_length=20)] = None,
    afdeling: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=10)] = None,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    gekozen_fase = _keuze(fase, Fase)
    gekozen_urgentie = _keuze(urgentie, Urgentie)
    afdelingen = await _afdelingen(ctx, request)
    gekozen_afdeling = afdeling if afdeling in {a.code for a in afdelingen} else None
    filter_ = casussen_repo.Casusfilter(
        fase=gekozen_fase,
        urgentie=gekozen_urgentie,
        afdeling=gekozen_afdeling,
        zoek=formulieren.schone_zoektekst(zoek),
        open={"open": True, "gesloten": False}.get(status or ""),
    )
    vraag = _vraag(request, 25, cursor)
    rijen = await casussen_repo.lijst(ctx.session, ctx.actor, filter_, vraag)
    return render(
        request,
        "casussen.html",
        {
            "rijen": rijen[: vraag.limit],
            "volgende": _relatief(volgende_url(vraag, rijen, lambda r: [r.id])),
            "eerste": bool(cursor),
            "filter": {
                "zoek": zoek or "",
                "fase": gekozen_fase or "",
                "urgentie": gekozen_urgentie or "",
                "afdeling": gekozen_afdeling or "",
                "status": status if status in ("open", "gesloten") else "",
            },
            "fasen": list(Fase),
            "urgenties": list(Urgentie),
            "afdelingen": afdelingen,
        },
    )


async def _afdelingen(ctx: Werkcontext, request: Request) -> list[Any]:
    return list((await organisatie_repo.afdelingen(ctx.session, _vraag(request), True))[:LIJST])


async def _medewerkers(ctx: Werkcontext, request: Request) -> list[Any]:
    rijen = await organisatie_repo.medewerkers(
        ctx.session, _vraag(request), afdeling=None, actief=True
    )
    return list(rijen[:LIJST])


def _nieuw_context() -> dict[str, Any]:
    return {"urgenties": list(Urgentie), "vertrouwelijkheden": list(Vertrouwelijkheid)}


@router.get("/casussen/nieuw", response_class=HTMLResponse)
async def casus_nieuw(request: Request, ctx: WebCtx) -> Response:
    policy.mag_casus_aanmelden(ctx.actor)
    return render(request, "casus_nieuw.html", _nieuw_context())


@router.post("/casussen/nieuw", response_class=HTMLResponse, dependencies=[Csrf])
async def casus_aanmelden(request: Request, ctx: WebCtx) -> Response:
    form = await request.form()
    gemaakt: list[str] = []

    async def doe() -> None:
        casus = await casussen.aanmelden(ctx, formulieren.lees(CasusNieuw, form))
        gemaakt.append(casus.kenmerk)

    fout = await _poging(request, ctx, doe)
    if fout is None:
        return RedirectResponse(f"/casussen/{gemaakt[0]}", status_code=303)
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(CasusNieuw))
    return render(request, "casus_nieuw.html", _nieuw_context(), status=fout.status, formulier=fm)


# --- Casus -------------------------------------------------------------------------------------


async def _casus_context(request: Request, ctx: Werkcontext, kenmerk: str) -> dict[str, Any]:
    toegang = await casus_toegang(ctx, kenmerk)
    vraag = _vraag(request)
    casus = await casussen.casus_uit(ctx, toegang)
    besluiten = (await maatwerk_ep.besluiten_lijst(ctx, toegang, vraag, None)).results
    afwijkingen = (await maatwerk_ep.afwijkingen_lijst(ctx, toegang, vraag, None, None)).results
    deelnames = (await regie_ep.deelnames_lijst(ctx, toegang, vraag)).results
    betrokkenen = (await afpellen_ep.betrokkenen_lijst(ctx, toegang, vraag)).results
    tijdlijn = await casussen_ep.tijdlijn_lijst(ctx, toegang, _vraag(request, LIJST))
    regels = await organisatie_repo.regels(ctx.session, vraag, soort=None, actief=True, zoek=None)
    return {
        "casus": casus,
        "rechten": toegang.rechten,
        "regie": await regie_ep.regie_lezen(ctx, toegang),
        "team": await casussen_ep.team_lijst(ctx, toegang),
        "deelnames": deelnames,
        "eigen_deelname": next(
            (d for d in deelnames if d.afdeling == ctx.actor.afdeling_code), None
        ),
        "escalaties": (await regie_ep.escalaties_lijst(ctx, toegang, vraag)).results,
        "betrokkenen": betrokkenen,
        "stappen": (await afpellen_ep.stappen_lijst(ctx, toegang, vraag)).results,
        "knelpunten": (await afpellen_ep.knelpunten_lijst(ctx, toegang, vraag)).results,
        "besluiten": besluiten,
        "afwijkingen": afwijkingen,
        "leerpunten": (await leren_ep.leerpunten_lijst(ctx, toegang, vraag)).results,
        "tijdlijn": list(reversed(tijdlijn.results)),
        "tijdlijn_meer": tijdlijn.next is not None,
        "regels": [r.Regel for r in regels[:LIJST]],
        "fasen": list(Fase),
        "fase_index": list(Fase).index(casus.fase),
        "keuzes": {
            "afsluitreden": list(Afsluitreden),
            "niveau_escalatie": list(EscalatieNiveau),
            "leefgebied": list(Leefgebied),
            "stapstatus": list(StapStatus),
            "knelpuntsoort": list(KnelpuntSoort),
            "knelpuntniveau": list(KnelpuntNiveau),
            "knelpuntstatus": list(KnelpuntStatus),
            "reactie": list(ReactieOordeel),
            "grondslag": list(Grondslag),
            "risico": list(Risico),
            "rugdekking": list(RugdekkingOordeel),
            "leerpuntsoort": list(LeerpuntSoort),
            "signaalstatus": list(SignaalStatus),
        },
        "regel_namen": {r.Regel.id: f"{r.Regel.titel} ({r.Regel.regeling})" for r in regels},
    } | _keuzelijsten(
        ctx,
        deelnames,
        besluiten,
        regels,
        await _medewerkers(ctx, request),
        await _afdelingen(ctx, request),
    )


def _keuzelijsten(
    ctx: Werkcontext,
    deelnames: list[Any],
    besluiten: list[Any],
    regels: Any,
    medewerkers: list[Any],
    afdelingen: list[Any],
) -> dict[str, Any]:
    afdelingsnamen = {a.code: a.naam for a in afdelingen}
    return {
        "afdelingsnamen": afdelingsnamen,
        "mw_opties": [
            (str(m.id), f"{m.naam} ({afdelingsnamen.get(m.afdeling_code, m.afdeling_code)})")
            for m in medewerkers
        ],
        "regisseur_opties": [
            (str(m.id), f"{m.naam} ({afdelingsnamen.get(m.afdeling_code, m.afdeling_code)})")
            for m in medewerkers
            if policy.kan_regie_voeren(m)
        ],
        "afdeling_opties": [(a.code, a.naam) for a in afdelingen],
        "deelnemer_opties": [
            (d.afdeling, afdelingsnamen.get(d.afdeling, d.afdeling)) for d in deelnames
        ],
        "regel_opties": [
            (str(r.Regel.id), f"{r.Regel.titel} ({r.Regel.regeling})") for r in regels
        ],
        "besluit_opties": [
            (str(b.id), b.omschrijving[:80]) for b in besluiten if b.status == BesluitStatus.concept
        ],
        "vastgesteld_opties": [
            (str(b.id), b.omschrijving[:80])
            for b in besluiten
            if b.status == BesluitStatus.vastgesteld
        ],
    }


@router.get("/casussen/{kenmerk}", response_class=HTMLResponse)
async def casus_pagina(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
    return render(request, "casus.html", await _casus_context(request, ctx, kenmerk))


@dataclass(frozen=True)
class Actie:
    """One form on the casus page: the API's input model and the service call behind it."""

    pad: str
    model: type[Invoer] | None
    uitvoeren: Callable[[Werkcontext, CasusToegang, Any, Mapping[str, Any], Any], Awaitable[object]]
    sectie: str


def _id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(str(request.path_params["id"]))
    except ValueError as exc:
        raise NietGevonden("Dit onderdeel bestaat niet.") from exc


def _versie(form: Mapping[str, Any]) -> int | None:
    waarde = form.get("versie")
    return int(waarde) if isinstance(waarde, str) and waarde.isdigit() else None


ACTIES: list[Actie] = [
    Actie(
        "/fase", FaseOvergangNieuw, lambda c, t, i, f, r: casussen.fase_wijzigen(c, t, i), "fase"
    ),
    Actie("/regie", RegieNieuw, lambda c, t, i, f, r: regie.regie_toewijzen(c, t, i), "regie"),
    Actie(
        "/team",
        TeamlidNieuw,
        lambda c, t, i, f, r: casussen.teamlid_toevoegen(c, t, i.medewerker),
        "team",
    ),
    Actie(
        "/team/{id}/verwijderen",
        None,
        lambda c, t, i, f, r: casussen.teamlid_verwijderen(c, t, _id(r)),
        "team",
    ),
    Actie(
        "/deelnames",
        DeelnameNieuw,
        lambda c, t, i, f, r: regie.deelname_toevoegen(c, t, i),
        "deelnames",
    ),
    Actie(
        "/deelnames/{afdeling}/wijzigen",
        DeelnameWijziging,
        lambda c, t, i, f, r: regie.deelname_wijzigen(
            c, t, str(r.path_params["afdeling"]), i, _versie(f)
        ),
        "deelnames",
    ),
    Actie(
        "/deelnames/{afdeling}/verwijderen",
        None,
        lambda c, t, i, f, r: regie.deelname_verwijderen(
            c, t, str(r.path_params["afdeling"]), _versie(f)
        ),
        "deelnames",
    ),
    Actie("/escalaties", EscalatieNieuw, lambda c, t, i, f, r: regie.escaleren(c, t, i), "regie"),
    Actie(
        "/escalaties/{id}/afhandelen",
        EscalatieWijziging,
        lambda c, t, i, f, r: regie.escalatie_afhandelen(c, t, _id(r), i, _versie(f)),
        "regie",
    ),
    Actie(
        "/betrokkenen",
        BetrokkeneNieuw,
        lambda c, t, i, f, r: afpellen.betrokkene_toevoegen(c, t, i),
        "betrokkenen",
    ),
    Actie(
        "/betrokkenen/{id}/wijzigen",
        BetrokkeneWijziging,
        lambda c, t, i, f, r: afpellen.betrokkene_wijzigen(c, t, _id(r), i, _versie(f)),
        "betrokkenen",
    ),
    Actie(
        "/betrokkenen/{id}/verwijderen",
        None,
        lambda c, t, i, f, r: afpellen.betrokkene_verwijderen(c, t, _id(r), _versie(f)),
        "betrokkenen",
    ),
    Actie("/stappen", StapNieuw, lambda c, t, i, f, r: afpellen.stap_toevoegen(c, t, i), "stappen"),
    Actie(
        "/stappen/{id}/wijzigen",
        StapWijziging,
        lambda c, t, i, f, r: afpellen.stap_wijzigen(c, t, _id(r), i, _versie(f)),
        "stappen",
    ),
    Actie(
        "/knelpunten",
        KnelpuntNieuw,
        lambda c, t, i, f, r: afpellen.knelpunt_toevoegen(c, t, i),
        "knelpunten",
    ),
    Actie(
        "/knelpunten/{id}/wijzigen",
        KnelpuntWijziging,
        lambda c, t, i, f, r: afpellen.knelpunt_wijzigen(c, t, _id(r), i, _versie(f)),
        "knelpunten",
    ),
    Actie(
        "/besluiten",
        BesluitNieuw,
        lambda c, t, i, f, r: maatwerk.besluit_opstellen(c, t, i),
        "besluiten",
    ),
    Actie(
        "/besluiten/{id}/reacties",
        ReactieNieuw,
        lambda c, t, i, f, r: maatwerk.reageren(c, t, _id(r), i),
        "besluiten",
    ),
    Actie(
        "/besluiten/{id}/vaststellen",
        VaststellenInvoer,
        lambda c, t, i, f, r: maatwerk.vaststellen(c, t, _id(r), i),
        "besluiten",
    ),
    Actie(
        "/besluiten/{id}/intrekken",
        IntrekkenInvoer,
        lambda c, t, i, f, r: maatwerk.intrekken(c, t, _id(r), i),
        "besluiten",
    ),
    Actie(
        "/afwijkingen",
        AfwijkingNieuw,
        lambda c, t, i, f, r: maatwerk.afwijking_voorstellen(c, t, i),
        "afwijkingen",
    ),
    Actie(
        "/afwijkingen/{id}/rugdekking",
        RugdekkingNieuw,
        lambda c, t, i, f, r: maatwerk.rugdekking_geven(c, t, _id(r), i),
        "afwijkingen",
    ),
    Actie(
        "/leerpunten",
        LeerpuntNieuw,
        lambda c, t, i, f, r: leren.leerpunt_toevoegen(c, t, i),
        "leerpunten",
    ),
    Actie(
        "/leerpunten/{id}/wijzigen",
        LeerpuntWijziging,
        lambda c, t, i, f, r: leren.leerpunt_wijzigen(c, t, _id(r), i, _versie(f)),
        "leerpunten",
    ),
]


def _actie_route(actie: Actie) -> None:
    async def handler(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
        form = await request.form()
        toegang = await casus_toegang(ctx, kenmerk, lezen=False)

        async def doe() -> None:
            invoer = formulieren.lees(actie.model, form) if actie.model else None
            await actie.uitvoeren(ctx, toegang, invoer, form, request)

        fout = await _poging(request, ctx, doe)
        if fout is None:
            return _terug(kenmerk, actie.sectie)
        velden = veldnamen(actie.model) if actie.model else set()
        fm = formulier_met_fout(request.url.path, form, fout, velden)
        context = await _casus_context(request, ctx, kenmerk)
        context["fout_sectie"] = actie.sectie
        return render(request, "casus.html", context, status=fout.status, formulier=fm)

    handler.__name__ = "casus_" + actie.pad.strip("/").replace("/", "_").replace("{", "").replace(
        "}", ""
    )
    router.add_api_route(
        "/casussen/{kenmerk}" + actie.pad,
        handler,
        methods=["POST"],
        response_class=HTMLResponse,
        dependencies=[Csrf],
    )


for _actie in ACTIES:
    _actie_route(_actie)


# --- Casus bewerken, with the versie: a conflict shows what changed and keeps the input --------

BEWERKBAAR = [
    ("titel", "Titel"),
    ("situatie", "Situatie"),
    ("urgentie", "Urgentie"),
    ("vertrouwelijkheid", "Vertrouwelijkheid"),
    ("huishoudenNaam", "Naam huishouden"),
    ("perspectief", "Perspectief"),
    ("doorbraak", "Doorbraak"),
    ("besluitUiterlijkDatum", "Besluit uiterlijk"),
]


def _huidig(casus: CasusUit) -> dict[str, str]:
    ruw = casus.model_dump(by_alias=True, mode="json")
    return {naam: "" if ruw.get(naam) is None else str(ruw[naam]) for naam, _ in BEWERKBAAR}


def _bewerk_context(casus: CasusUit) -> dict[str, Any]:
    return {
        "casus": casus,
        "huidig": _huidig(casus),
        "bewerkbaar": BEWERKBAAR,
        **_nieuw_context(),
    }


@router.get("/casussen/{kenmerk}/bewerken", response_class=HTMLResponse)
async def casus_bewerken(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
    toegang = await casus_toegang(ctx, kenmerk)
    policy.eis(toegang.rechten.bewerken, "U mag deze casus niet wijzigen.")
    return render(
        request, "casus_bewerken.html", _bewerk_context(await casussen.casus_uit(ctx, toegang))
    )


@router.post("/casussen/{kenmerk}/bewerken", response_class=HTMLResponse, dependencies=[Csrf])
async def casus_opslaan(request: Request, ctx: WebCtx, kenmerk: Kenmerk) -> Response:
    form = await request.form()
    toegang = await casus_toegang(ctx, kenmerk, lezen=False)
    # Only what this person changed is sent: a field they left alone never overwrites what
    # somebody else saved in the meantime.
    gewijzigd = {
        naam: form.get(naam)
        for naam, _ in BEWERKBAAR
        if form.get(naam) is not None and form.get(naam) != form.get(f"was.{naam}")
    }
    if form.get("bsn"):
        gewijzigd["bsn"] = form.get("bsn")

    async def doe() -> None:
        invoer = formulieren.lees(CasusWijziging, gewijzigd)
        await casussen.wijzigen(ctx, toegang, invoer, _versie(form))

    fout = await _poging(request, ctx, doe)
    if fout is None:
        return _terug(kenmerk, "casus")
    toegang = await casus_toegang(ctx, kenmerk)
    casus = await casussen.casus_uit(ctx, toegang)
    waarden = {naam: str(form.get(naam) or "") for naam, _ in BEWERKBAAR}
    fm = formulier_met_fout(request.url.path, form, fout, veldnamen(CasusWijziging))
    fm.waarden = {**_huidig(casus), **{k: str(v) for k, v in gewijzigd.items() if k != "bsn"}}
    if isinstance(fout, VersieConflict):
        nu = _huidig(casus)
        fm.algemeen = [
            "Iemand anders heeft deze casus gewijzigd terwijl u bezig was. Hieronder ziet u wat "
            "er veranderde; uw eigen invoer staat nog in het formulier. Controleer het en sla "
            "opnieuw op."
        ]
        fm.extra["wijzigingen"] = [
            {
                "label": tekst,
                "was": str(form.get(f"was.{naam}") or ""),
                "nu": nu[naam],
                "uw": waarden[naam],
            }
            for naam, tekst in BEWERKBAAR
            if str(form.get(f"was.{naam}") or "") != nu[naam]
        ]
    return render(
        request,
        "casus_bewerken.html",
        _bewerk_context(casus),
        status=fout.status,
        formulier=fm,
    )


# --- Verhalen, registers, dashboard -------------------------------------------------------------


@router.get("/verhalen", response_class=HTMLResponse)
async def verhalen(
    request: Request,
    ctx: WebCtx,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    pagina = await leren_ep.verhalen(ctx, _vraag(request, 20, cursor))
    return render(
        request,
        "verhalen.html",
        {"verhalen": pagina.results, "volgende": _relatief(pagina.next), "eerste": bool(cursor)},
    )


@router.get("/registers", response_class=HTMLResponse)
async def registers(
    request: Request,
    ctx: WebCtx,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    policy.mag_registers_lezen(ctx.actor)
    register = await rapportage.afwijkingen_register(ctx, Registerfilter(), _vraag(request, 1))
    signalen = await leren_ep.beleidssignalen(ctx, _vraag(request, 25, cursor), None)
    return render(
        request,
        "registers.html",
        {
            "register": register,
            "signalen": signalen.results,
            "volgende": _relatief(signalen.next),
            "eerste": bool(cursor),
        },
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, ctx: WebCtx) -> Response:
    stats = await rapportage.statistieken(ctx)
    per_maand = [
        (r.maand, round(float(r.gemiddeld), 1), int(r.aantal))
        for r in await web_repo.doorlooptijd_per_maand(ctx.session)
    ]
    fasen = [(label(f.fase), float(f.aantal)) for f in stats.casussen_per_fase]
    regels = [(r.regel.titel, float(r.aantal)) for r in stats.top_regels]
    kosten = [
        ("Doormodderen (per jaar)", stats.kosten_doormodderen_per_jaar_cent / 100),
        ("Doorbraak (maatwerk)", stats.kosten_doorbraak_cent / 100),
    ]
    return render(
        request,
        "dashboard.html",
        {
            "stats": stats,
            "per_maand": per_maand,
            "grafiek_doorlooptijd": grafieken.lijndiagram(
                "g-doorlooptijd",
                "Doorlooptijd tot het eerste besluit, per maand",
                "Gemiddeld aantal dagen van aanmelding tot het eerste vastgestelde besluit, per "
                "maand waarin dat besluit viel. De tabel eronder geeft dezelfde getallen.",
                [(m, d) for m, d, _ in per_maand],
                eenheid=" d",
            ),
            "grafiek_fasen": grafieken.staafdiagram(
                "g-fasen",
                "Casussen per fase",
                "Aantal casussen in elke fase. De tabel eronder geeft dezelfde getallen.",
                fasen,
            ),
            "grafiek_kosten": grafieken.staafdiagram(
                "g-kosten",
                "Doormodderen tegenover doorbraak",
                "Geschatte jaarlijkse kosten van doormodderen over alle casussen, tegenover de "
                "kosten van de vastgestelde maatwerkbesluiten, in euro.",
                kosten,
                kleuren=[grafieken.BALK_2, grafieken.BALK],
            ),
            "grafiek_regels": grafieken.staafdiagram(
                "g-regels",
                "Regels waarvan het vaakst is afgeweken",
                "Aantal afwijkingen per regel, de tien meest gebogen regels.",
                regels,
            ),
            "fasen": fasen,
            "kosten": kosten,
        },
    )
