"""Rules of leren: leerpunten without culprits, verhalen that identify nobody.

A `succes` with `delen=true` is a proposed verhaal: it needs the household's consent (recorded
with who recorded it and when) and is published organisation-wide only after a second medewerker
of the casus approved it (four-eyes: not its author, not the one who proposed to share it). A
change of its text takes the approval away again. The author, a leidinggevende or the privacy
officer can take a verhaal down at any time, also after the casus is closed.

A `systeem` leerpunt is a beleidssignaal, read across casussen by beleid. Both leave the casus, so
both are refused (400, naming what was found) when their text would identify someone: see
`anonimiteit` (Dutch de-identification; 503 while it is still warming up).
"""

from __future__ import annotations

import uuid
from typing import Any

from doorbraak.auth import policy
from doorbraak.casussen.toegang import CasusToegang
from doorbraak.errors import Conflict, DoorbraakError, NietGevonden, OngeldigeInvoer
from doorbraak.kit.etag import controleer_versie
from doorbraak.kit.repository import onderdeel
from doorbraak.kit.werkdagen import lokale_datum
from doorbraak.leren import anonimiteit, repository
from doorbraak.leren.schemas import BeleidssignaalWijziging, LeerpuntNieuw, LeerpuntWijziging
from doorbraak.models import Beleidssignaal, Leerpunt, Regelversie
from doorbraak.models.enums import SIGNAAL_AFGEHANDELD, LeerpuntSoort, SignaalBron, SignaalStatus
from doorbraak.organisatie import repository as regels
from doorbraak.organisatie.schemas import RegelversieNieuw
from doorbraak.werk.context import Werkcontext, pas_toe, wijziging


class DeidentificatieNietGereed(DoorbraakError):
    status = 503
    code = "deidentificatie-niet-gereed"

    def __init__(self, reden: str) -> None:
        if reden == "bezig":
            detail = (
                "De controle op herkenbare gegevens wordt nog opgestart (dat duurt na een "
                "herstart een minuut of twee). Probeer het zo opnieuw; er is niets opgeslagen."
            )
        else:
            detail = (
                "De controle op herkenbare gegevens is niet beschikbaar (het pakket deduce is "
                "niet geïnstalleerd of niet te laden). Een tekst die de casus verlaat kan nu "
                "niet worden opgeslagen; meld dit aan de beheerder."
            )
        super().__init__(detail)
        self.headers = {"Retry-After": "30"} if reden == "bezig" else {}


def _bewerkbaar(toegang: CasusToegang) -> None:
    toegang.acties.wijzigen.eis()


async def leerpunt_of_404(ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID) -> Leerpunt:
    leerpunt = await onderdeel(ctx.session, Leerpunt, toegang.casus.id, id_)
    if leerpunt is None:
        raise NietGevonden("Dit leerpunt bestaat niet.")
    return leerpunt


def _regels_van_soort(soort: str, delen: bool) -> None:
    if delen and soort != LeerpuntSoort.succes:
        raise OngeldigeInvoer(
            [
                {
                    "name": "delen",
                    "code": "alleen-bij-succes",
                    "reason": "alleen een succes wordt gedeeld",
                }
            ]
        )


async def _eis_anoniem(
    ctx: Werkcontext,
    toegang: CasusToegang,
    velden: dict[str, str | None],
    *,
    gaat_naar_buiten: bool,
) -> None:
    """Refuse a text that leaves the casus when it would identify someone. A BSN is refused in
    every leerpunt: a lesson never needs one, and a BSN may only live in its encrypted field."""
    namen = await repository.medewerkernamen(ctx.session) if gaat_naar_buiten else []
    fouten: list[dict[str, str]] = []
    soorten: list[str] = []
    for veld, tekst in velden.items():
        if not tekst:
            continue
        try:
            gevonden = await anonimiteit.vondsten_async(
                tekst,
                medewerkers=namen,
                huishouden_naam=toegang.casus.huishouden_naam,
                met_deduce=gaat_naar_buiten,
            )
        except anonimiteit.NietGereed as exc:
            raise DeidentificatieNietGereed(exc.reden) from exc
        for vondst in gevonden:
            if not gaat_naar_buiten and vondst != anonimiteit.BSN:
                continue
            fouten.append(
                {"name": veld, "code": vondst.code, "reason": f"bevat {vondst.omschrijving}"}
            )
            if vondst.omschrijving not in soorten:
                soorten.append(vondst.omschrijving)
    if fouten:
        raise OngeldigeInvoer(
            fouten,
            "Deze tekst gaat buiten de casus en mag niemand herkenbaar maken; hij bevat "
            + ", ".join(soorten)
            + ". Haal dat weg en probeer het opnieuw.",
        )


async def leerpunt_toevoegen(
    ctx: Werkcontext, toegang: CasusToegang, invoer: LeerpuntNieuw
) -> Leerpunt:
    _bewerkbaar(toegang)
    _regels_van_soort(invoer.soort, invoer.delen)
    systeem = invoer.soort == LeerpuntSoort.systeem
    await _eis_anoniem(
        ctx,
        toegang,
        {"tekst": invoer.tekst, "voorWie": invoer.voor_wie},
        gaat_naar_buiten=invoer.delen or systeem,
    )
    _eis_toestemming(invoer.delen, invoer.toestemming_huishouden)
    nu = ctx.nu
    leerpunt = Leerpunt(
        casus_id=toegang.casus.id,
        soort=invoer.soort,
        tekst=invoer.tekst,
        voor_wie=invoer.voor_wie,
        delen=invoer.delen,
        gedeeld_op=None,
        auteur_id=ctx.actor.id,
        gedeeld_door_id=ctx.actor.id if invoer.delen else None,
        toestemming_op=nu if invoer.delen else None,
        toestemming_door_id=ctx.actor.id if invoer.delen else None,
        aangemaakt_op=nu,
    )
    ctx.session.add(leerpunt)
    await ctx.session.flush()
    if systeem:
        await signaal_melden(ctx, toegang.casus.id, leerpunt=leerpunt.id)
    ctx.tijdlijn(
        toegang.casus.id,
        "leerpunt.toegevoegd",
        "leerpunt",
        leerpunt.id,
        {
            "soort": wijziging(None, leerpunt.soort),
            "tekst": wijziging(None, leerpunt.tekst),
            "delen": wijziging(None, leerpunt.delen),
        },
    )
    return leerpunt


async def leerpunt_wijzigen(
    ctx: Werkcontext,
    toegang: CasusToegang,
    id_: uuid.UUID,
    invoer: LeerpuntWijziging,
    versie: int | None,
) -> Leerpunt:
    _bewerkbaar(toegang)
    leerpunt = await leerpunt_of_404(ctx, toegang, id_)
    controleer_versie(versie, leerpunt.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    velden: dict[str, Any] = {}
    if gegeven.get("tekst") is not None:
        velden["tekst"] = gegeven["tekst"]
    if "voor_wie" in gegeven:
        velden["voor_wie"] = gegeven["voor_wie"]
    if gegeven.get("delen") is not None:
        velden["delen"] = gegeven["delen"]
    delen = velden.get("delen", leerpunt.delen)
    _regels_van_soort(leerpunt.soort, delen)
    await _eis_anoniem(
        ctx,
        toegang,
        {
            "tekst": velden.get("tekst", leerpunt.tekst),
            "voorWie": velden.get("voor_wie", leerpunt.voor_wie),
        },
        gaat_naar_buiten=delen or leerpunt.soort == LeerpuntSoort.systeem,
    )
    tekst_anders = velden.get("tekst", leerpunt.tekst) != leerpunt.tekst or velden.get(
        "voor_wie", leerpunt.voor_wie
    ) != (leerpunt.voor_wie)
    if delen and not leerpunt.delen:
        _eis_toestemming(True, bool(gegeven.get("toestemming_huishouden")))
        velden.update(
            gedeeld_door_id=ctx.actor.id,
            toestemming_op=ctx.nu,
            toestemming_door_id=ctx.actor.id,
            ingetrokken_op=None,
            ingetrokken_door_id=None,
        )
    if not delen and leerpunt.delen:
        velden.update(_niet_meer_gedeeld(ctx))
    elif delen and leerpunt.delen and tekst_anders:
        # Another text is another verhaal: it waits for a second pair of eyes again, and the
        # one who changed it now counts as its author for that approval.
        velden.update(
            gedeeld_op=None, goedgekeurd_op=None, goedgekeurd_door_id=None,
            gedeeld_door_id=ctx.actor.id,
        )  # fmt: skip
    diff = pas_toe(leerpunt, velden)
    if diff:
        ctx.tijdlijn(toegang.casus.id, "leerpunt.gewijzigd", "leerpunt", leerpunt.id, diff)
        await ctx.session.flush()
    return leerpunt


def _eis_toestemming(delen: bool, toestemming: bool) -> None:
    if delen and not toestemming:
        raise OngeldigeInvoer(
            [
                {
                    "name": "toestemmingHuishouden",
                    "code": "toestemming-ontbreekt",
                    "reason": "een verhaal wordt alleen gedeeld met toestemming van het huishouden",
                }
            ],
            "Vraag het huishouden of dit verhaal gedeeld mag worden, en leg die toestemming vast.",
        )


def _niet_meer_gedeeld(ctx: Werkcontext) -> dict[str, Any]:
    return {
        "delen": False,
        "gedeeld_op": None,
        "goedgekeurd_op": None,
        "goedgekeurd_door_id": None,
        "ingetrokken_op": ctx.nu,
        "ingetrokken_door_id": ctx.actor.id,
    }


async def verhaal_goedkeuren(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> Leerpunt:
    """Publish a proposed verhaal: a second medewerker of the casus looked at it. Also after the
    casus closed (a story is often shared at the end). The text is checked again: the staff list
    may have grown since it was written."""
    leerpunt = await leerpunt_of_404(ctx, toegang, id_)
    policy.eis(toegang.rechten.bewerken, "U mag verhalen van deze casus niet goedkeuren.")
    controleer_versie(versie, leerpunt.versie)
    if leerpunt.soort != LeerpuntSoort.succes or not leerpunt.delen:
        raise Conflict("Dit leerpunt is niet voorgesteld om te delen.", code="niet-voorgesteld")
    if leerpunt.goedgekeurd_op is not None:
        raise Conflict("Dit verhaal is al goedgekeurd en gedeeld.", code="al-goedgekeurd")
    policy.mag_verhaal_goedkeuren(ctx.actor, toegang.rechten, leerpunt)
    await _eis_anoniem(
        ctx, toegang, {"tekst": leerpunt.tekst, "voorWie": leerpunt.voor_wie}, gaat_naar_buiten=True
    )
    diff = pas_toe(
        leerpunt,
        {"goedgekeurd_op": ctx.nu, "goedgekeurd_door_id": ctx.actor.id, "gedeeld_op": ctx.nu},
    )
    ctx.tijdlijn(toegang.casus.id, "leerpunt.goedgekeurd", "leerpunt", leerpunt.id, diff)
    await ctx.session.flush()
    return leerpunt


async def verhaal_intrekken(ctx: Werkcontext, id_: uuid.UUID) -> None:
    """Take a verhaal down (no longer shared, no longer in /verhalen or the export), whatever the
    casus's phase. Someone who may not see the casus gets 404 for one that is not published."""
    leerpunt = await repository.leerpunt(ctx.session, id_)
    if leerpunt is None or leerpunt.soort != LeerpuntSoort.succes or not leerpunt.delen:
        raise NietGevonden("Dit verhaal bestaat niet (meer).")
    if not policy.mag_verhaal_intrekken(ctx.actor, leerpunt):
        if leerpunt.gedeeld_op is None:
            raise NietGevonden("Dit verhaal bestaat niet (meer).")
        policy.eis(
            False,
            "Alleen de schrijver, een leidinggevende of de privacyfunctionaris trekt een verhaal in.",
        )
    diff = pas_toe(leerpunt, _niet_meer_gedeeld(ctx))
    ctx.tijdlijn(leerpunt.casus_id, "leerpunt.ingetrokken", "leerpunt", leerpunt.id, diff)
    await ctx.session.flush()


# --- beleidssignalen: raised by the casusteam, handled by beleid -----------------------------


async def signaal_melden(
    ctx: Werkcontext,
    casus_id: int,
    *,
    leerpunt: uuid.UUID | None = None,
    afwijking: uuid.UUID | None = None,
) -> Beleidssignaal:
    """A systeem-leerpunt or a flagged afwijking becomes a signal for beleid (same id)."""
    bron_id = leerpunt or afwijking
    assert bron_id is not None and (leerpunt is None) != (afwijking is None)
    signaal = Beleidssignaal(
        id=bron_id,
        bron=SignaalBron.leerpunt if leerpunt else SignaalBron.afwijking,
        leerpunt_id=leerpunt,
        afwijking_id=afwijking,
        casus_id=casus_id,
        status=SignaalStatus.nieuw,
        gemeld_op=ctx.nu,
        gewijzigd_op=ctx.nu,
    )
    ctx.session.add(signaal)
    await ctx.session.flush()
    return signaal


def _ongeldig(veld: str, code: str, reden: str, detail: str | None = None) -> OngeldigeInvoer:
    return OngeldigeInvoer([{"name": veld, "code": code, "reason": reden}], detail)


async def _signaal_voor_beleid(ctx: Werkcontext, id_: uuid.UUID) -> Beleidssignaal:
    policy.signaal_behandelen_oordeel(ctx.actor).eis()
    signaal = await repository.beleidssignaal_vergrendeld(ctx.session, id_)
    if signaal is None or await repository.beleidssignaal(ctx.session, id_) is None:
        raise NietGevonden("Dit beleidssignaal bestaat niet.")
    return signaal


async def _regel_van_signaal(ctx: Werkcontext, signaal: Beleidssignaal) -> uuid.UUID | None:
    rij = await repository.beleidssignaal(ctx.session, signaal.id)
    return None if rij is None else rij.regel_id


def _registreer(ctx: Werkcontext, signaal: Beleidssignaal, diff: dict[str, Any]) -> None:
    """The casusteam that raised the signal reads what became of it in its tijdlijn (also when
    the casus is closed: the signal is beleid's, not part of the closed file)."""
    signaal.gewijzigd_op = ctx.nu
    signaal.behandeld_door_id = ctx.actor.id
    ctx.tijdlijn(signaal.casus_id, "beleidssignaal.behandeld", "beleidssignaal", signaal.id, diff)


async def signaal_behandelen(
    ctx: Werkcontext, id_: uuid.UUID, invoer: BeleidssignaalWijziging, versie: int | None
) -> Beleidssignaal:
    """Beleid's answer to a signal: its status, its reactie, the decision date and (for
    regel_aangepast) the new version of the regel. Only beleid; not frozen by closing."""
    signaal = await _signaal_voor_beleid(ctx, id_)
    controleer_versie(versie, signaal.versie)
    gegeven = invoer.model_dump(exclude_unset=True)
    status = gegeven.get("signaal_status") or signaal.status
    reactie = gegeven.get("reactie", signaal.reactie)
    reactie = reactie.strip() or None if reactie is not None else None
    regelversie_id = gegeven.get("regelversie", signaal.regelversie_id)
    if status != SignaalStatus.regel_aangepast:
        regelversie_id = None if "regelversie" not in gegeven else regelversie_id
        if regelversie_id is not None:
            raise _ongeldig(
                "regelversie", "alleen-bij-regel-aangepast",
                "een regelversie hoort alleen bij status regel_aangepast",
            )  # fmt: skip
    else:
        if regelversie_id is None:
            raise _ongeldig(
                "regelversie", "regelversie-ontbreekt",
                "bij regel_aangepast hoort de nieuwe versie van de regel",
                "Leg eerst de nieuwe versie van de regel vast en koppel die aan dit signaal.",
            )  # fmt: skip
        nieuw = await repository.regelversie(ctx.session, regelversie_id)
        if nieuw is None:
            raise _ongeldig("regelversie", "onbekende-regelversie", "onbekende regelversie")
        regel_id = await _regel_van_signaal(ctx, signaal)
        if regel_id is not None and nieuw.regel_id != regel_id:
            raise _ongeldig(
                "regelversie", "andere-regel",
                "de versie hoort bij een andere regel dan de afgeweken regel",
            )  # fmt: skip
    if status == SignaalStatus.niet_aangepast and not reactie:
        raise _ongeldig(
            "reactie", "reden-ontbreekt",
            "bij niet_aangepast hoort de reden",
            "Leg uit waarom de regel of werkwijze niet verandert: de melders lezen het.",
        )  # fmt: skip
    besloten_op = gegeven.get("besloten_op") or signaal.besloten_op
    if status in SIGNAAL_AFGEHANDELD:
        besloten_op = besloten_op or lokale_datum(ctx.nu)
        if besloten_op < lokale_datum(signaal.gemeld_op):
            raise _ongeldig("beslotenOp", "voor-melding", "het besluit ligt voor de melding")
        if besloten_op > lokale_datum(ctx.nu):
            raise _ongeldig("beslotenOp", "in-de-toekomst", "het besluit ligt in de toekomst")
    else:
        besloten_op = None
    diff = pas_toe(
        signaal,
        {
            "status": status,
            "reactie": reactie,
            "besloten_op": besloten_op,
            "regelversie_id": regelversie_id,
        },
    )
    if diff:
        _registreer(ctx, signaal, diff)
        await ctx.session.flush()
    return signaal


async def regelversie_vaststellen(
    ctx: Werkcontext, regel_id: uuid.UUID, invoer: RegelversieNieuw
) -> Regelversie:
    """A new wording of a regel, in force from `geldig_van`: the version before it ends that
    day. The signals named are marked regel_aangepast, linked to it. Under the regel's row
    lock, so two new versions never get the same number or overlap."""
    policy.mag_regelversie_vaststellen(ctx.actor)
    regel = await regels.regel_vergrendeld(ctx.session, regel_id)
    if regel is None:
        raise NietGevonden("Deze regel bestaat niet.")
    vandaag = lokale_datum(ctx.nu)
    geldig_van = invoer.geldig_van or vandaag
    vorige = await regels.laatste_regelversie(ctx.session, regel.id)
    if vorige is not None and geldig_van <= vorige.geldig_van:
        raise Conflict(
            f"De huidige versie {vorige.nummer} geldt sinds {vorige.geldig_van:%d-%m-%Y}; een "
            "nieuwe versie begint later (geldigVan).",
            code="niet-na-vorige-versie",
        )
    signalen: list[Beleidssignaal] = []
    for signaal_id in dict.fromkeys(invoer.signalen):
        signaal = await repository.beleidssignaal_vergrendeld(ctx.session, signaal_id)
        if signaal is None or await repository.beleidssignaal(ctx.session, signaal_id) is None:
            raise _ongeldig("signalen", "onbekend-signaal", f"onbekend beleidssignaal {signaal_id}")
        eigen = await _regel_van_signaal(ctx, signaal)
        if eigen is not None and eigen != regel.id:
            raise _ongeldig(
                "signalen", "andere-regel", f"signaal {signaal_id} gaat over een andere regel"
            )
        signalen.append(signaal)
    if vorige is not None:
        vorige.geldig_tot = geldig_van
    versie = Regelversie(
        regel_id=regel.id,
        nummer=(vorige.nummer + 1) if vorige is not None else 1,
        geldig_van=geldig_van,
        tekst=invoer.tekst,
        reden=invoer.reden,
        vastgesteld_door_id=ctx.actor.id,
        aangemaakt_op=ctx.nu,
    )
    ctx.session.add(versie)
    await ctx.session.flush()
    for signaal in signalen:
        diff = pas_toe(
            signaal,
            {
                "status": SignaalStatus.regel_aangepast,
                "regelversie_id": versie.id,
                "besloten_op": min(vandaag, max(geldig_van, lokale_datum(signaal.gemeld_op))),
            },
        )
        if diff:
            _registreer(ctx, signaal, diff)
    await ctx.session.flush()
    return versie
