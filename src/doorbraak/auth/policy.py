"""The one authorization policy (need-to-know, BIO 8.03.02).

Every decision about who may see or do what lives here; endpoints, lists, the web frontend and
the export ask it. A casus is visible to its casusteam (regiehouder, aanmelder, contactpersonen of
the deelnames, explicit members) and to leidinggevenden of a participating afdeling. Everyone else
gets 404, never 403, so that a case's existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, and_, exists, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from doorbraak.errors import Conflict, NietToegestaan
from doorbraak.models import (
    Afwijking,
    Besluit,
    Casus,
    CasusteamLid,
    Deelname,
    Leerpunt,
    Medewerker,
    Regel,
    Regievoering,
)
from doorbraak.models.enums import (
    FASE_VOLGORDE,
    RISICO_ORDE,
    VIER_OGEN_ROLLEN,
    AfwijkingStatus,
    BesluitStatus,
    EscalatieNiveau,
    Fase,
    Risico,
    Rol,
)

AANMELDERS = {Rol.medewerker, Rol.casusregisseur, Rol.leidinggevende}


def _heeft(actor: Medewerker, *rollen: Rol) -> bool:
    return any(r in actor.rollen for r in rollen)


# --- casus visibility, as SQL (for lists and for loading one casus) -------------------------


def is_contactpersoon(actor: Medewerker) -> ColumnElement[bool]:
    return exists().where(Deelname.casus_id == Casus.id, Deelname.contactpersoon_id == actor.id)


def is_expliciet_lid(actor: Medewerker) -> ColumnElement[bool]:
    return exists().where(CasusteamLid.casus_id == Casus.id, CasusteamLid.medewerker_id == actor.id)


def is_leidinggevende_deelnemer(actor: Medewerker) -> ColumnElement[bool]:
    if not _heeft(actor, Rol.leidinggevende):
        return false()
    return exists().where(
        Deelname.casus_id == Casus.id, Deelname.afdeling_code == actor.afdeling_code
    )


def zichtbare_casussen(actor: Medewerker) -> ColumnElement[bool]:
    """WHERE clause: the casussen this medewerker may see."""
    return or_(
        Casus.regiehouder_id == actor.id,
        Casus.aanmelder_id == actor.id,
        is_contactpersoon(actor),
        is_expliciet_lid(actor),
        is_leidinggevende_deelnemer(actor),
    )


def zichtbaarheidsbronnen(actor: Medewerker) -> list[tuple[Select[Any], Any]]:
    """The same rule as `zichtbare_casussen`, as one SELECT of casussen per reason to see them,
    each with the column that carries the casus id in index order. A list asks every source for
    its top-N by that column and merges them: each source reads its own composite index, so a
    page costs the same for a coordinator with fifty casussen among a million as for a
    leidinggevende with thousands, and as much deep in the list as on its first page."""
    bronnen: list[tuple[Select[Any], Any]] = [
        (select(Casus.id.label("id")).where(Casus.regiehouder_id == actor.id), Casus.id),
        (select(Casus.id.label("id")).where(Casus.aanmelder_id == actor.id), Casus.id),
        (
            select(Deelname.casus_id.label("id"))
            .join(Casus, Casus.id == Deelname.casus_id)
            .where(Deelname.contactpersoon_id == actor.id),
            Deelname.casus_id,
        ),
        (
            select(CasusteamLid.casus_id.label("id"))
            .join(Casus, Casus.id == CasusteamLid.casus_id)
            .where(CasusteamLid.medewerker_id == actor.id),
            CasusteamLid.casus_id,
        ),
    ]
    if _heeft(actor, Rol.leidinggevende):
        bronnen.append(
            (
                select(Deelname.casus_id.label("id"))
                .join(Casus, Casus.id == Deelname.casus_id)
                .where(Deelname.afdeling_code == actor.afdeling_code),
                Deelname.casus_id,
            )
        )
    return bronnen


def relatie_kolommen(actor: Medewerker) -> list[ColumnElement[bool]]:
    """The actor's relation to a casus, selected next to it in one query."""
    return [
        is_contactpersoon(actor).label("contactpersoon"),
        is_expliciet_lid(actor).label("expliciet_lid"),
        is_leidinggevende_deelnemer(actor).label("leidinggevende_deelnemer"),
    ]


# --- what a medewerker may do with one visible casus ---------------------------------------


@dataclass(frozen=True)
class Casusrechten:
    zien: bool
    bewerken: bool  # add and change parts: deelnames, betrokkenen, stappen, knelpunten, ...
    fase_wijzigen: bool
    regie_toewijzen: bool
    team_beheren: bool
    heropenen: bool
    is_regiehouder: bool
    is_teamlid: bool
    # An auditor's purpose-bound read: every change is refused as `alleen-lezen`.
    alleen_lezen: bool = False
    # Read for an open rugdekkingsverzoek addressed to the actor (its id): only the casus, its
    # besluiten and afwijkingen, and the answer goes through the verzoek.
    rugdekkingsverzoek: object = None


def casusrechten(
    actor: Medewerker,
    casus: Casus,
    *,
    contactpersoon: bool,
    expliciet_lid: bool,
    leidinggevende_deelnemer: bool,
    laatste_regiehouder_id: object = None,
) -> Casusrechten:
    is_regiehouder = casus.regiehouder_id == actor.id
    is_aanmelder = casus.aanmelder_id == actor.id
    teamlid = is_regiehouder or is_aanmelder or contactpersoon or expliciet_lid
    leiding = leidinggevende_deelnemer or (teamlid and _heeft(actor, Rol.leidinggevende))
    zien = teamlid or leidinggevende_deelnemer
    zonder_regie = casus.regiehouder_id is None
    return Casusrechten(
        zien=zien,
        bewerken=teamlid or leiding,
        fase_wijzigen=is_regiehouder or leiding or (zonder_regie and is_aanmelder),
        regie_toewijzen=is_regiehouder or leiding or (zonder_regie and teamlid),
        team_beheren=is_regiehouder or leiding,
        heropenen=leiding or laatste_regiehouder_id == actor.id,
        is_regiehouder=is_regiehouder,
        is_teamlid=teamlid,
    )


# --- permission sets: what an actor may do with one object, and why not ----------------------
#
# Every object a user acts on gets its set from here (`casus_acties`, ...). The API carries it on
# the object as `toegestaneActies`, the web shows a form only when the set allows it, and the
# services enforce the very same `Oordeel` with `.eis()`: what the set says is what the endpoint
# does (tests/test_toegestane_acties.py tries every action of every persona).

GESLOTEN_DETAIL = "De casus is afgesloten en alleen nog te lezen."


@dataclass(frozen=True)
class Oordeel:
    """May the actor do this? When not: the problem code and detail the endpoint answers with
    (403 for a missing right, 409 when the state of the object refuses it)."""

    toegestaan: bool
    code: str | None = None
    reden: str | None = None
    status: int | None = None

    def eis(self) -> None:
        """Raise what the endpoint answers when this is not allowed."""
        if self.toegestaan:
            return
        if self.status == 409:
            raise Conflict(self.reden or "", code=self.code or "conflict")
        raise NietToegestaan(self.reden or "", code=self.code or "niet-toegestaan")


TOEGESTAAN = Oordeel(True)


def oordeel(recht: bool, reden: str, code: str = "niet-toegestaan") -> Oordeel:
    """Allowed when `recht`, else refused (403) with this reason."""
    return TOEGESTAAN if recht else Oordeel(False, code=code, reden=reden, status=403)


def zolang_open(casus: Casus, recht: Oordeel) -> Oordeel:
    """A change to a casus: first the right (403), then the casus must be open (409)."""
    if recht.toegestaan and casus.fase == Fase.afgesloten:
        return Oordeel(False, code="casus-gesloten", reden=GESLOTEN_DETAIL, status=409)
    return recht


def mag_wijzigen(rechten: Casusrechten) -> Oordeel:
    return oordeel(rechten.bewerken, "U mag deze casus niet wijzigen.")


def mag_fase_wijzigen(rechten: Casusrechten) -> Oordeel:
    return oordeel(
        rechten.fase_wijzigen, "Alleen de regiehouder (of een leidinggevende) wijzigt de fase."
    )


def mag_heropenen(rechten: Casusrechten) -> Oordeel:
    return oordeel(
        rechten.heropenen, "Heropenen kan alleen een leidinggevende of de laatste regiehouder."
    )


def mag_regie_toewijzen(rechten: Casusrechten) -> Oordeel:
    return oordeel(
        rechten.regie_toewijzen,
        "Alleen de regiehouder, een leidinggevende of (zolang niemand regie heeft) het "
        "casusteam wijst regie toe.",
    )


def mag_team_beheren(rechten: Casusrechten) -> Oordeel:
    return oordeel(
        rechten.team_beheren, "Alleen de regiehouder of een leidinggevende beheert het casusteam."
    )


@dataclass(frozen=True)
class CasusActies:
    """What the actor may do with one casus."""

    wijzigen: Oordeel  # the casus itself and its parts (deelnames, stappen, knelpunten, ...)
    fase_wijzigen: Oordeel  # a fase-overgang of an open casus (forward, back, closing)
    heropenen: Oordeel  # the fase-overgang out of afgesloten
    regie_toewijzen: Oordeel
    team_beheren: Oordeel


def casus_acties(casus: Casus, rechten: Casusrechten) -> CasusActies:
    if rechten.alleen_lezen:
        nee = Oordeel(False, code="alleen-lezen", reden=ALLEEN_LEZEN, status=403)
        return CasusActies(nee, nee, nee, nee, nee)
    if rechten.rugdekkingsverzoek is not None:
        nee = Oordeel(False, code="alleen-rugdekking", reden=ALLEEN_RUGDEKKING, status=403)
        return CasusActies(nee, nee, nee, nee, nee)
    gesloten = casus.fase == Fase.afgesloten
    niet_gesloten = Oordeel(
        False, code="niet-gesloten", reden="Alleen een afgesloten casus wordt heropend.", status=409
    )
    return CasusActies(
        wijzigen=zolang_open(casus, mag_wijzigen(rechten)),
        fase_wijzigen=zolang_open(casus, mag_fase_wijzigen(rechten)),
        heropenen=mag_heropenen(rechten) if gesloten else niet_gesloten,
        regie_toewijzen=zolang_open(casus, mag_regie_toewijzen(rechten)),
        team_beheren=zolang_open(casus, mag_team_beheren(rechten)),
    )


@dataclass(frozen=True)
class OnderdeelActies:
    """What the actor may do with one part of a casus (a stap, leerpunt, knelpunt,
    betrokkene, deelname): the casusteam changes and removes parts while the casus is open."""

    wijzigen: Oordeel
    verwijderen: Oordeel


def onderdeel_acties(casus: Casus, rechten: Casusrechten) -> OnderdeelActies:
    wijzigen = casus_acties(casus, rechten).wijzigen
    return OnderdeelActies(wijzigen=wijzigen, verwijderen=wijzigen)


@dataclass(frozen=True)
class StapActies:
    """What the actor may do with one stap: change it, and complete it (status and bevinding).
    A nazorg stap is completed on a closed casus too, without reopening it: aftercare comes
    after closing by its nature. Every other change of a closed casus stays refused."""

    wijzigen: Oordeel
    afronden: Oordeel


def stap_acties(casus: Casus, rechten: Casusrechten, *, nazorg: bool) -> StapActies:
    wijzigen = onderdeel_acties(casus, rechten).wijzigen
    if not nazorg or rechten.alleen_lezen:
        return StapActies(wijzigen=wijzigen, afronden=wijzigen)
    afronden = mag_wijzigen(rechten)
    if afronden.toegestaan and casus.geanonimiseerd_op is not None:
        afronden = Oordeel(
            False,
            code="casus-geanonimiseerd",
            reden="De casus is geanonimiseerd; nazorg kan niet meer worden vastgelegd.",
            status=409,
        )
    return StapActies(wijzigen=wijzigen, afronden=afronden)


@dataclass(frozen=True)
class PlanActies:
    """What the actor may do with the perspectiefplan of a casus."""

    wijzigen: Oordeel  # huishoudleden, doelen, afspraken
    instemming_vastleggen: Oordeel  # record (or withdraw) the household's consent


def plan_acties(casus: Casus, rechten: Casusrechten, *, aantal_doelen: int) -> PlanActies:
    wijzigen = casus_acties(casus, rechten).wijzigen
    doelen = (
        TOEGESTAAN
        if aantal_doelen > 0
        else Oordeel(
            False,
            code="plan-zonder-doelen",
            reden="Het huishouden stemt in met een plan: leg eerst minstens één doel vast.",
            status=409,
        )
    )
    return PlanActies(wijzigen=wijzigen, instemming_vastleggen=_en(wijzigen, doelen))


def mag_contactgegevens_zien(rechten: Casusrechten) -> bool:
    """The contact person at an external party is personal data: the casusteam sees it; a
    leidinggevende of a participating afdeling off the team and an auditor's read do not."""
    return rechten.is_teamlid


def mag_partijen_beheren(actor: Medewerker) -> None:
    if not _heeft(actor, Rol.beheerder):
        raise NietToegestaan(
            "Alleen een beheerder beheert de catalogus van externe partijen.", code="rol-ontbreekt"
        )


# --- the cost ledger and the documents of a casus ------------------------------------------


@dataclass(frozen=True)
class KostenActies:
    """What the actor may do with the cost ledger of one casus."""

    toevoegen: Oordeel  # an estimate (huidig, dreigend): the casusteam while the casus is open
    # A gerealiseerd cost at an evaluation moment: also after closing (nazorg measures the
    # result months later, without reopening the casus).
    meten: Oordeel


def kosten_acties(casus: Casus, rechten: Casusrechten) -> KostenActies:
    if rechten.alleen_lezen:
        nee = Oordeel(False, code="alleen-lezen", reden=ALLEEN_LEZEN, status=403)
        return KostenActies(nee, nee)
    return KostenActies(
        toevoegen=casus_acties(casus, rechten).wijzigen, meten=mag_wijzigen(rechten)
    )


@dataclass(frozen=True)
class BijlageActies:
    """What the actor may do with the bijlagen (documents) of one casus. Need-to-know: the
    casusteam and a leidinggevende of a participating afdeling, as for the casus's other
    content. An auditor's purpose-bound read and the addressee of a rugdekkingsverzoek do not
    see them: the caller answers 404, as for a casus one may not know."""

    zien: bool  # list, metadata and download, also on a closed casus
    toevoegen: Oordeel  # upload: while the casus is open
    verwijderen: Oordeel


def bijlage_acties(casus: Casus, rechten: Casusrechten) -> BijlageActies:
    # Whoever may change the casus's parts (team and participating leiding) may see them.
    zien = rechten.bewerken and not rechten.alleen_lezen and rechten.rugdekkingsverzoek is None
    wijzigen = casus_acties(casus, rechten).wijzigen
    return BijlageActies(zien=zien, toevoegen=wijzigen, verwijderen=wijzigen)


# --- maatwerk objects: besluit and escalatie -----------------------------------------------


def _nee(code: str, reden: str, status: int = 409) -> Oordeel:
    return Oordeel(False, code=code, reden=reden, status=status)


ALLEEN_REGIEHOUDER = "Alleen de regiehouder stelt besluiten op, stelt ze vast of trekt ze in."


def _in_maatwerk(casus: Casus) -> bool:
    return FASE_VOLGORDE.index(Fase(casus.fase)) >= FASE_VOLGORDE.index(Fase.maatwerk)


def _en(*oordelen: Oordeel) -> Oordeel:
    """The first refusal, in order (403 for a right before 409 for the state), or allowed."""
    return next((o for o in oordelen if not o.toegestaan), TOEGESTAAN)


@dataclass(frozen=True)
class BesluitActies:
    """What the actor may do with one besluit now."""

    vaststellen: Oordeel
    intrekken: Oordeel
    overslaan: Oordeel  # pass over a participating afdeling with a reason
    afwijking_voorstellen: Oordeel


def besluit_acties(
    casus: Casus,
    rechten: Casusrechten,
    *,
    status: BesluitStatus,
    noodmaatregel: bool,
    niet_gehoord: Sequence[str] = (),
) -> BesluitActies:
    if rechten.alleen_lezen or rechten.rugdekkingsverzoek is not None:
        nee = _alleen_lezen(rechten)
        return BesluitActies(nee, nee, nee, nee)
    regie = zolang_open(
        casus, oordeel(rechten.is_regiehouder, ALLEEN_REGIEHOUDER, code="alleen-regiehouder")
    )
    wijzigen = zolang_open(casus, mag_wijzigen(rechten))
    concept = (
        TOEGESTAAN
        if status == BesluitStatus.concept
        else _nee(
            "besluit-niet-concept",
            f"Dit besluit is {status} en verandert niet meer; stel een nieuw besluit op dat het "
            "vervangt.",
        )
    )
    fase = (
        TOEGESTAAN
        if noodmaatregel or _in_maatwerk(casus)
        else _nee(
            "fase-te-vroeg",
            f"De casus is in fase {casus.fase}; besluiten horen bij fase maatwerk en later.",
        )
    )
    gehoord = (
        TOEGESTAAN
        if not niet_gehoord
        else _nee(
            "afdelingen-niet-gehoord",
            "Nog niet gehoord: " + ", ".join(niet_gehoord) + ".",
        )
    )
    actief = (
        TOEGESTAAN
        if status in (BesluitStatus.concept, BesluitStatus.vastgesteld)
        else _nee("besluit-niet-actief", f"Dit besluit is al {status}.")
    )
    return BesluitActies(
        vaststellen=_en(regie, concept, fase, gehoord),
        intrekken=_en(regie, actief),
        overslaan=_en(regie, concept),
        afwijking_voorstellen=_en(wijzigen, concept, fase),
    )


@dataclass(frozen=True)
class EscalatieActies:
    """What the actor may do with one escalatie now."""

    uitkomst_vastleggen: Oordeel
    corrigeren: Oordeel


def escalatie_acties(
    actor: Medewerker,
    casus: Casus,
    rechten: Casusrechten,
    *,
    niveau: EscalatieNiveau,
    aangevraagd_door_id: object,
    betrokkenen: Iterable[object],
    beslist: bool,
    gecorrigeerd: bool,
) -> EscalatieActies:
    if rechten.alleen_lezen or rechten.rugdekkingsverzoek is not None:
        nee = _alleen_lezen(rechten)
        return EscalatieActies(nee, nee)
    recht = escalatie_uitkomst_recht(
        actor,
        rechten,
        casus,
        niveau=niveau,
        aangevraagd_door_id=aangevraagd_door_id,
        betrokkenen=betrokkenen,
    )
    open_ = zolang_open(casus, recht)
    nog_open = (
        TOEGESTAAN
        if not beslist
        else _nee(
            "escalatie-beslist",
            "Over deze escalatie is beslist; een correctie is een nieuwe vastlegging met een reden.",
        )
    )
    beslist_ = (
        TOEGESTAAN
        if beslist
        else _nee("escalatie-open", "Deze escalatie heeft nog geen uitkomst; leg die eerst vast.")
    )
    laatste = (
        TOEGESTAAN
        if not gecorrigeerd
        else _nee(
            "escalatie-al-gecorrigeerd", "Deze uitkomst is al gecorrigeerd; corrigeer de laatste."
        )
    )
    return EscalatieActies(
        uitkomst_vastleggen=_en(open_, nog_open),
        corrigeren=_en(open_, beslist_, laatste),
    )


# --- the auditor's purpose-bound read (BIO: need-to-know, every read accountable) ----------

DOELBINDING_MAX = 500
ALLEEN_LEZEN = "Een auditor leest een casus alleen; wijzigen kan niet."
ALLEEN_RUGDEKKING = (
    "U ziet deze casus alleen voor het rugdekkingsverzoek aan u; beantwoord dat verzoek "
    "(POST /api/v1/rugdekkingsverzoeken/{id}/beantwoorden)."
)


def _alleen_lezen(rechten: Casusrechten) -> Oordeel:
    if rechten.rugdekkingsverzoek is not None:
        return Oordeel(False, code="alleen-rugdekking", reden=ALLEEN_RUGDEKKING, status=403)
    return Oordeel(False, code="alleen-lezen", reden=ALLEEN_LEZEN, status=403)


# What the addressee of an open rugdekkingsverzoek reads of its casus, and nothing else: the API
# serves these through `casussen/dependencies.CasusVoorRugdekking`, the web's casus page shows
# only these sections for them.
RUGDEKKING_INZAGE_DELEN = frozenset({"casus", "besluiten", "afwijkingen"})


def rugdekking_inzage(verzoek_id: object) -> Casusrechten:
    """The addressee of an open rugdekkingsverzoek reads the casus for that purpose only (the
    caller logs the verzoek as the doelbinding); access ends when the verzoek is closed."""
    return Casusrechten(
        zien=True,
        bewerken=False,
        fase_wijzigen=False,
        regie_toewijzen=False,
        team_beheren=False,
        heropenen=False,
        is_regiehouder=False,
        is_teamlid=False,
        rugdekkingsverzoek=verzoek_id,
    )


def auditor_inzage(
    actor: Medewerker, doelbinding: str | None, *, lezen: bool
) -> Casusrechten | None:
    """An auditor outside the casusteam reads a casus only with a stated purpose (kept in the
    logboek by the caller) and never changes it. None: no access, the caller answers 404."""
    if not _heeft(actor, Rol.auditor) or not doelbinding:
        return None
    if not lezen:
        raise NietToegestaan(ALLEEN_LEZEN, code="alleen-lezen")
    return Casusrechten(
        zien=True,
        bewerken=False,
        fase_wijzigen=False,
        regie_toewijzen=False,
        team_beheren=False,
        heropenen=False,
        is_regiehouder=False,
        is_teamlid=False,
        alleen_lezen=True,
    )


def mag_logboek_lezen(actor: Medewerker) -> None:
    if not _heeft(actor, Rol.auditor):
        raise NietToegestaan("Alleen een auditor leest het logboek.", code="rol-ontbreekt")


# --- organisation-wide actions -------------------------------------------------------------


def kan_casus_aanmelden(actor: Medewerker) -> bool:
    return _heeft(actor, *AANMELDERS)


def mag_casus_aanmelden(actor: Medewerker) -> None:
    if not kan_casus_aanmelden(actor):
        raise NietToegestaan(
            "Alleen medewerkers, casusregisseurs en leidinggevenden melden casussen aan.",
            code="rol-ontbreekt",
        )


def mag_organisatie_beheren(actor: Medewerker) -> None:
    if not _heeft(actor, Rol.beheerder):
        raise NietToegestaan(
            "Alleen een beheerder beheert afdelingen en medewerkers.", code="rol-ontbreekt"
        )


def mag_tokens_beheren(actor: Medewerker) -> None:
    if not _heeft(actor, Rol.beheerder):
        raise NietToegestaan("Alleen een beheerder beheert API-tokens.", code="rol-ontbreekt")


def mag_token_maken_voor(actor: Medewerker, medewerker: Medewerker) -> None:
    """An API token signs in as its medewerker. For one who holds beheerder, auditor,
    leidinggevende or privacy, or a mandaat, a token in a beheerder's hands would hand them
    those rights, as pointing the account's e-mail address elsewhere would (which takes a
    second beheerder): such a token is made on the server (`doorbraak token create`), except
    one's own."""
    if actor.id != medewerker.id and identiteit_vraagt_vier_ogen(medewerker):
        raise NietToegestaan(
            "Een API-token voor een medewerker met de rol beheerder, auditor, leidinggevende of "
            "privacy, of met een mandaat, geeft wie het krijgt diens rechten: dat token maakt "
            "de beheerder van de server (doorbraak token create), of de medewerker zelf.",
            code="bevoorrechte-medewerker",
        )


def mag_eigen_rechten_niet_wijzigen(actor: Medewerker, medewerker_id: Any) -> None:
    """Nobody changes their own roles or mandaat, not even a beheerder."""
    if actor.id == medewerker_id:
        raise NietToegestaan(
            "U kunt uw eigen rollen en mandaat niet wijzigen; vraag een andere beheerder.",
            code="eigen-rechten",
        )


def verhoogt_rechten(
    huidig_rollen: Iterable[str],
    huidig_bedrag: int,
    huidig_risico: str | None,
    rollen: Iterable[str],
    bedrag: int,
    risico: str | None,
) -> bool:
    """Granting beheerder, auditor, leidinggevende or privacy, or raising a mandaat (amount or
    risk)."""
    nieuw = {Rol(r) for r in rollen} - {Rol(r) for r in huidig_rollen}
    if nieuw & VIER_OGEN_ROLLEN:
        return True
    niveau = RISICO_ORDE[Risico(risico)] if risico else 0
    huidig_niveau = RISICO_ORDE[Risico(huidig_risico)] if huidig_risico else 0
    return bedrag > huidig_bedrag or niveau > huidig_niveau


def verbreedt_scope(
    huidig_afdelingen: Sequence[str],
    huidig_regelingen: Sequence[str],
    afdelingen: Sequence[str],
    regelingen: Sequence[str],
) -> bool:
    """A mandaatscope that covers more than before: from a scope to none (everything), or an
    afdeling or regeling added (the scope covers the union of its lists)."""
    if not huidig_afdelingen and not huidig_regelingen:
        return False
    if not afdelingen and not regelingen:
        return True
    return bool(set(afdelingen) - set(huidig_afdelingen)) or bool(
        set(regelingen) - set(huidig_regelingen)
    )


def vier_ogen_vereist() -> NietToegestaan:
    return NietToegestaan(
        "Het toekennen van de rol beheerder, auditor, leidinggevende of privacy, of een hoger "
        "mandaat, vraagt de goedkeuring van een tweede beheerder: dien een rechtenverzoek in "
        "(POST /api/v1/rechtenverzoeken).",
        code="vier-ogen-vereist",
    )


def identiteit_vraagt_vier_ogen(medewerker: Medewerker) -> bool:
    """The e-mail address and the OIDC subject decide who signs in as a medewerker: pointing them
    at another identity hands that identity the medewerker's rights. For one who holds
    beheerder, auditor, leidinggevende or privacy, or any mandaat, that takes a second
    beheerder, as granting those rights does."""
    return (
        bool({Rol(r) for r in medewerker.rollen} & VIER_OGEN_ROLLEN)
        or medewerker.mandaat_max_bedrag_cent > 0
        or medewerker.mandaat_max_risico is not None
    )


def mag_eigen_identiteit_niet_wijzigen(actor: Medewerker, medewerker_id: Any) -> None:
    """Nobody changes the e-mail address or OIDC subject they sign in with themselves."""
    if actor.id == medewerker_id:
        raise NietToegestaan(
            "U kunt uw eigen e-mailadres en OIDC-subject niet wijzigen; vraag een andere "
            "beheerder.",
            code="eigen-rechten",
        )


def vier_ogen_identiteit_vereist() -> NietToegestaan:
    return NietToegestaan(
        "Het e-mailadres of OIDC-subject van een medewerker met de rol beheerder, auditor, "
        "leidinggevende of privacy, of met een mandaat, wijzigt alleen met de goedkeuring van "
        "een tweede beheerder: dien een rechtenverzoek in (POST /api/v1/rechtenverzoeken).",
        code="vier-ogen-vereist",
    )


def mag_rechtenverzoek_beoordelen(
    actor: Medewerker, aangevraagd_door: Any, medewerker_id: Any
) -> None:
    """Four-eyes: a beheerder other than the one who asked, and not the medewerker concerned."""
    mag_organisatie_beheren(actor)
    if actor.id == aangevraagd_door:
        raise NietToegestaan(
            "Een tweede beheerder beoordeelt dit verzoek, niet wie het indiende.", code="vier-ogen"
        )
    mag_eigen_rechten_niet_wijzigen(actor, medewerker_id)


def mag_exports_beheren(actor: Medewerker) -> None:
    """Export runs carry pseudonymised data of every casus: the beheerder runs them, nobody
    reads case content through them."""
    if not _heeft(actor, Rol.beheerder):
        raise NietToegestaan("Alleen een beheerder start en bekijkt exports.", code="rol-ontbreekt")


class Persoon(Protocol):
    """A medewerker as a row or as the API shows one: what the role checks look at."""

    @property
    def actief(self) -> bool: ...

    @property
    def rollen(self) -> Sequence[str]: ...


def kan_regie_voeren(medewerker: Persoon) -> bool:
    return medewerker.actief and Rol.casusregisseur in medewerker.rollen


def eis(recht: bool, detail: str, code: str = "niet-toegestaan") -> None:
    if not recht:
        raise NietToegestaan(detail, code=code)


def escalatie_uitkomst_recht(
    actor: Medewerker,
    rechten: Casusrechten,
    casus: Casus,
    *,
    niveau: str,
    aangevraagd_door_id: object,
    betrokkenen: Iterable[object],
) -> Oordeel:
    """A leidinggevende on the casus (of a participating afdeling, or on the casusteam) records
    an escalatie's outcome. The outcome of one at bestuur or the national loket, decided outside
    the organisation, is recorded by such a leidinggevende who is neither the regiehouder nor
    who asked for the escalatie; nobody records an outcome that decides on a besluit they
    drafted, an afwijking they proposed, or a besluit drafted while they held regie."""
    if not (_heeft(actor, Rol.leidinggevende) and rechten.bewerken):
        return Oordeel(
            False,
            code="rol-ontbreekt",
            reden="Een leidinggevende op de casus legt de uitkomst van een escalatie vast.",
            status=403,
        )
    if niveau in ("bestuur", "landelijk") and actor.id in (
        casus.regiehouder_id,
        aangevraagd_door_id,
    ):
        return Oordeel(
            False,
            code="eigen-escalatie",
            reden="De uitkomst van bestuur of landelijk loket legt een ander vast dan de "
            "regiehouder of wie escaleerde.",
            status=403,
        )
    if actor.id in set(betrokkenen):
        return Oordeel(
            False,
            code="belangenconflict",
            reden="U bent betrokken bij het besluit of de afwijking waarover deze escalatie gaat; "
            "een ander legt de uitkomst vast.",
            status=403,
        )
    return TOEGESTAAN


# --- maatwerk and leren ----------------------------------------------------------------------
#
# Regie, not a signature chain: the regiehouder alone drafts, fixes and withdraws besluiten;
# afdelingen only react. Rugdekking is one decision by someone whose mandaat covers the
# afwijking, never by the regiehouder or the proposer themselves. Cross-case registers are for
# beleid and leidinggevenden; shared verhalen are for everyone.

REGISTERLEZERS = (Rol.beleid, Rol.leidinggevende)


def mag_regels_beheren(actor: Medewerker) -> None:
    if not _heeft(actor, Rol.beheerder):
        raise NietToegestaan(
            "Alleen een beheerder beheert de regelcatalogus.", code="rol-ontbreekt"
        )


def kan_signalen_behandelen(rollen: Iterable[str]) -> bool:
    """Beleid owns the beleidssignalen: only beleid answers them (the casusteam that raised one
    reads the outcome on its casus; leidinggevenden read them in the registers)."""
    return Rol.beleid in rollen


def signaal_behandelen_oordeel(actor: Medewerker) -> Oordeel:
    return oordeel(
        kan_signalen_behandelen(actor.rollen),
        "Alleen beleid behandelt beleidssignalen.",
        "rol-ontbreekt",
    )


def kan_regelversie_vaststellen(rollen: Iterable[str]) -> bool:
    return Rol.beleid in rollen or Rol.beheerder in rollen


def mag_regelversie_vaststellen(actor: Medewerker) -> None:
    """A new wording of a regel is a policy decision (beleid); the beheerder may record one."""
    if not kan_regelversie_vaststellen(actor.rollen):
        raise NietToegestaan(
            "Alleen beleid (of een beheerder) legt een nieuwe versie van een regel vast.",
            code="rol-ontbreekt",
        )


def mag_besluiten(rechten: Casusrechten) -> None:
    """Drafting, fixing (vaststellen) and withdrawing besluiten is the regiehouder's alone."""
    eis(
        rechten.is_regiehouder,
        "Alleen de regiehouder stelt besluiten op, stelt ze vast of trekt ze in.",
        code="alleen-regiehouder",
    )


def reactie_oordeel(
    actor: Medewerker, rechten: Casusrechten, afdeling_code: str, contactpersoon_id: object
) -> Oordeel:
    """An afdeling's reactie is given by its contactpersoon on the casus or by one of its own
    medewerkers on the casusteam (or a leidinggevende of that afdeling). The web offers only
    the afdelingen for which this says yes."""
    eigen_afdeling = actor.afdeling_code == afdeling_code and rechten.zien
    return oordeel(
        rechten.zien and (contactpersoon_id == actor.id or eigen_afdeling),
        "Een reactie namens een afdeling geeft haar contactpersoon of een medewerker van die afdeling.",
        code="niet-namens-afdeling",
    )


def mag_reageren(
    actor: Medewerker, rechten: Casusrechten, afdeling_code: str, contactpersoon_id: object
) -> None:
    reactie_oordeel(actor, rechten, afdeling_code, contactpersoon_id).eis()


def mandaat_dekt(actor: Persoonmandaat, bedrag_cent: int, risico: str) -> bool:
    if actor.mandaat_max_risico is None:
        return False
    return (
        actor.mandaat_max_bedrag_cent >= bedrag_cent
        and RISICO_ORDE[Risico(actor.mandaat_max_risico)] >= RISICO_ORDE[Risico(risico)]
    )


def scope_dekt(actor: Persoonmandaat, regel: Regelscope) -> bool:
    """The mandaatscope: no afdelingen and no regelingen covers every regel; otherwise the regel
    is covered when its afdeling is one of the afdelingen or its regeling one of the
    regelingen (a regel without afdeling only through its regeling)."""
    afdelingen, regelingen = actor.mandaat_afdelingen or [], actor.mandaat_regelingen or []
    if not afdelingen and not regelingen:
        return True
    return (regel.afdeling is not None and regel.afdeling in afdelingen) or (
        regel.regeling in regelingen
    )


class Persoonmandaat(Protocol):
    """What the mandaat checks look at: a medewerker row."""

    @property
    def id(self) -> Any: ...

    @property
    def mandaat_max_bedrag_cent(self) -> int: ...

    @property
    def mandaat_max_risico(self) -> str | None: ...

    @property
    def mandaat_afdelingen(self) -> list[str]: ...

    @property
    def mandaat_regelingen(self) -> list[str]: ...


@dataclass(frozen=True)
class Regelscope:
    """The regel an afwijking deviates from, as the mandaatscope sees it."""

    regeling: str
    afdeling: str | None


BUITEN_SCOPE = "buiten-mandaatscope"


def _rugdekking_door(
    actor: Persoonmandaat,
    casus: Casus,
    *,
    voorgesteld_door_id: object,
    bedrag_cent: int,
    risico: str,
    regel: Regelscope,
    betrokkenen: Iterable[object] = (),
) -> Oordeel:
    """`betrokkenen`: who drafted the besluit or held regie while it was a concept. Nobody
    covers a deviation of their own making (conflict of interest)."""
    if actor.id in (casus.regiehouder_id, voorgesteld_door_id):
        return Oordeel(
            False,
            code="eigen-afwijking",
            reden="Rugdekking komt van een ander dan de regiehouder of wie de afwijking voorstelde.",
            status=403,
        )
    if actor.id in set(betrokkenen):
        return Oordeel(
            False,
            code="belangenconflict",
            reden="U stelde dit besluit op of had de regie terwijl het een concept was; "
            "rugdekking komt van iemand die er niet bij betrokken was.",
            status=403,
        )
    if not mandaat_dekt(actor, bedrag_cent, risico):
        return Oordeel(
            False,
            code="mandaat-ontoereikend",
            reden="Uw mandaat dekt dit financieel belang of dit risico niet. Escaleer naar een "
            "hoger niveau (POST .../escalaties) of vraag iemand met voldoende mandaat.",
            status=403,
        )
    if not scope_dekt(actor, regel):
        waarvan = f"regeling {regel.regeling}" + (
            f" (afdeling {regel.afdeling})" if regel.afdeling else ""
        )
        return Oordeel(
            False,
            code=BUITEN_SCOPE,
            reden=f"Uw mandaat geldt niet voor afwijkingen van de {waarvan}: de mandaatscope "
            "noemt die afdeling of regeling niet. Vraag iemand wiens mandaat haar dekt "
            "(GET .../afwijkingen/{id}/kandidaten).",
            status=403,
        )
    return TOEGESTAAN


def mag_rugdekking_geven(
    actor: Medewerker,
    casus: Casus,
    *,
    voorgesteld_door_id: object,
    bedrag_cent: int,
    risico: str,
    regel: Regelscope,
    betrokkenen: Iterable[object] = (),
) -> None:
    _rugdekking_door(
        actor,
        casus,
        voorgesteld_door_id=voorgesteld_door_id,
        bedrag_cent=bedrag_cent,
        risico=risico,
        regel=regel,
        betrokkenen=betrokkenen,
    ).eis()


def is_kandidaat(
    medewerker: Persoonmandaat,
    casus: Casus,
    *,
    voorgesteld_door_id: object,
    bedrag_cent: int,
    risico: str,
    regel: Regelscope,
    betrokkenen: Iterable[object] = (),
    afgewezen_door_id: object = None,
) -> Oordeel:
    """May this medewerker be asked for the rugdekking of an afwijking: the very rule that
    decides whether they may give it (a reconsideration: someone else than who refused)."""
    if afgewezen_door_id is not None and medewerker.id == afgewezen_door_id:
        return Oordeel(
            False,
            code="heroverweging-door-ander",
            reden="Een heroverweging komt van een ander dan wie de rugdekking weigerde.",
            status=403,
        )
    return _rugdekking_door(
        medewerker,
        casus,
        voorgesteld_door_id=voorgesteld_door_id,
        bedrag_cent=bedrag_cent,
        risico=risico,
        regel=regel,
        betrokkenen=betrokkenen,
    )


def _beslisbaar(casus: Casus, status: AfwijkingStatus, heroverweging: bool) -> Oordeel:
    """The casus is open and the afwijking awaits a decision: voorgesteld, or afgewezen with a
    higher level's toegekend escalatie about it after the refusal (reconsideration)."""
    open_ = zolang_open(casus, TOEGESTAAN)
    if not open_.toegestaan:
        return open_
    if status == AfwijkingStatus.voorgesteld:
        return TOEGESTAAN
    if status == AfwijkingStatus.afgewezen and heroverweging:
        return TOEGESTAAN
    if status == AfwijkingStatus.afgewezen:
        return Oordeel(
            False,
            code="rugdekking-al-gegeven",
            reden="De rugdekking is geweigerd; een heroverweging kan na een toegekende escalatie "
            "(management of bestuur) over deze afwijking.",
            status=409,
        )
    return Oordeel(
        False,
        code="rugdekking-al-gegeven",
        reden=f"Over deze afwijking is al beslist ({status}); rugdekking is één besluit.",
        status=409,
    )


def rugdekking_oordeel(
    actor: Medewerker,
    casus: Casus,
    *,
    status: AfwijkingStatus,
    voorgesteld_door_id: object,
    bedrag_cent: int,
    risico: str,
    regel: Regelscope,
    betrokkenen: Iterable[object] = (),
    heroverweging: bool = False,
    afgewezen_door_id: object = None,
    rechten: Casusrechten | None = None,
    besluit_status: BesluitStatus | None = None,
) -> Oordeel:
    """May the actor give rugdekking on this afwijking now: the casus is open, nobody decided
    yet (or a refusal may be reconsidered), and the actor is neither the regiehouder nor the
    proposer (nor otherwise involved in its besluit) and has the mandaat and its scope."""
    beslisbaar = _beslisbaar(casus, status, heroverweging)
    if not beslisbaar.toegestaan:
        return beslisbaar
    if besluit_status is not None and besluit_status != BesluitStatus.concept:
        return _nee("besluit-niet-concept", f"Het besluit van deze afwijking is {besluit_status}.")
    if rechten is not None and rechten.alleen_lezen:
        return _alleen_lezen(rechten)
    if rechten is not None and rechten.rugdekkingsverzoek is not None:
        return _alleen_lezen(rechten)
    return is_kandidaat(
        actor,
        casus,
        voorgesteld_door_id=voorgesteld_door_id,
        bedrag_cent=bedrag_cent,
        risico=risico,
        regel=regel,
        betrokkenen=betrokkenen,
        afgewezen_door_id=afgewezen_door_id if status == AfwijkingStatus.afgewezen else None,
    )


def rugdekking_vragen_oordeel(
    casus: Casus,
    rechten: Casusrechten,
    *,
    status: AfwijkingStatus,
    besluit_status: BesluitStatus,
    heroverweging: bool,
    open_verzoek: bool,
) -> Oordeel:
    """The regiehouder sends a rugdekkingsverzoek to one candidate: while the afwijking awaits a
    decision on a concept besluit and no other verzoek about it is open."""
    if rechten.alleen_lezen or rechten.rugdekkingsverzoek is not None:
        return _alleen_lezen(rechten)
    regie = zolang_open(
        casus,
        oordeel(
            rechten.is_regiehouder,
            "Alleen de regiehouder vraagt rugdekking aan.",
            code="alleen-regiehouder",
        ),
    )
    concept = (
        TOEGESTAAN
        if besluit_status == BesluitStatus.concept
        else _nee("besluit-niet-concept", f"Het besluit van deze afwijking is {besluit_status}.")
    )
    al_open = (
        _nee(
            "verzoek-al-open",
            "Er staat al een rugdekkingsverzoek open over deze afwijking; trek het in om een ander "
            "te vragen.",
        )
        if open_verzoek
        else TOEGESTAAN
    )
    return _en(regie, _beslisbaar(casus, status, heroverweging), concept, al_open)


def heroverweging_oordeel(
    casus: Casus, rechten: Casusrechten, *, status: AfwijkingStatus, heroverweging: bool
) -> Oordeel:
    """After a refusal the casusteam asks a higher level to reconsider: an escalatie about this
    afwijking (POST .../escalaties with betreft.afwijkingen); once that is toegekend, a new
    rugdekking (or a verzoek to a higher mandate holder) replaces the refusal."""
    if rechten.alleen_lezen or rechten.rugdekkingsverzoek is not None:
        return _alleen_lezen(rechten)
    wijzigen = zolang_open(casus, mag_wijzigen(rechten))
    if status != AfwijkingStatus.afgewezen:
        staat = _nee(
            "niet-afgewezen",
            "Heroverweging is er alleen voor een afwijking waarvan de rugdekking is geweigerd.",
        )
    elif heroverweging:
        staat = _nee(
            "heroverweging-toegekend",
            "Een hoger niveau kende heroverweging al toe: vraag nu opnieuw rugdekking.",
        )
    else:
        staat = TOEGESTAAN
    return _en(wijzigen, staat)


# A buiten_kader afwijking is covered only after the bestuur decided on it: until then gedekt is
# refused (409) and afgewezen stays open to the mandate holder.
BESTUUR_ESCALATIE_VEREIST = Oordeel(
    False,
    code="bestuur-escalatie-vereist",
    reden="Een afwijking buiten kader kan pas gedekt worden als het bestuur een escalatie over "
    "deze afwijking heeft toegekend, vastgelegd na de laatste wijziging van de afwijking "
    "(escalatie met niveau bestuur en betreft.afwijkingen). Afwijzen kan wel.",
    status=409,
)


def dekken_oordeel(buiten_kader: bool, bestuur_toegekend: bool) -> Oordeel:
    """Gedekt on this afwijking, as far as its grondslag goes."""
    return BESTUUR_ESCALATIE_VEREIST if buiten_kader and not bestuur_toegekend else TOEGESTAAN


def afwijking_dekken(rugdekking_geven: Oordeel, wacht_op_bestuur: bool) -> Oordeel:
    """Gedekt by the actor on an afwijking: their rugdekking, and not while it waits for the
    bestuur (`wacht_op_bestuur`: buiten_kader and no bestuur escalatie granted it)."""
    return _en(rugdekking_geven, dekken_oordeel(wacht_op_bestuur, False))


@dataclass(frozen=True)
class RugdekkingsverzoekActies:
    """What the actor may do with one rugdekkingsverzoek now."""

    beantwoorden: Oordeel  # the addressee: gedekt or afgewezen, with a motivering
    dekken: Oordeel  # the answer gedekt: as beantwoorden, and buiten_kader waits for the bestuur
    intrekken: Oordeel  # the regiehouder, while it is open


def rugdekkingsverzoek_acties(
    actor: Medewerker,
    casus: Casus,
    rechten: Casusrechten,
    *,
    aan_id: object,
    open_: bool,
    wacht_op_bestuur: bool = False,
) -> RugdekkingsverzoekActies:
    """`wacht_op_bestuur`: the afwijking is buiten_kader and no bestuur escalatie granted it."""
    nog_open = (
        TOEGESTAAN
        if open_
        else _nee("verzoek-gesloten", "Dit rugdekkingsverzoek is al beantwoord of gesloten.")
    )
    geadresseerd = oordeel(
        actor.id == aan_id,
        "Alleen aan wie het verzoek gericht is beantwoordt het.",
        code="niet-geadresseerd",
    )
    regie = oordeel(
        rechten.is_regiehouder and not rechten.alleen_lezen,
        "Alleen de regiehouder trekt een rugdekkingsverzoek in.",
        code="alleen-regiehouder",
    )
    beantwoorden = _en(zolang_open(casus, geadresseerd), nog_open)
    return RugdekkingsverzoekActies(
        beantwoorden=beantwoorden,
        dekken=_en(beantwoorden, dekken_oordeel(wacht_op_bestuur, False)),
        intrekken=_en(zolang_open(casus, regie), nog_open),
    )


def _scope_sql(actor: Medewerker) -> ColumnElement[bool]:
    """`scope_dekt` as SQL over the afwijking's regel."""
    afdelingen, regelingen = actor.mandaat_afdelingen or [], actor.mandaat_regelingen or []
    if not afdelingen and not regelingen:
        return true()
    voorwaarden: list[ColumnElement[bool]] = []
    if afdelingen:
        voorwaarden.append(Regel.afdeling_code.in_(afdelingen))
    if regelingen:
        voorwaarden.append(Regel.regeling.in_(regelingen))
    return exists().where(Regel.id == Afwijking.regel_id, or_(*voorwaarden))


def betrokken_bij_besluit_sql(medewerker_id: object) -> ColumnElement[bool]:
    """The `betrokkenen` of `_rugdekking_door` as SQL over a besluit: the medewerker drafted it
    or held regie over its casus while it was a concept (from its creation until it was
    vastgesteld or ingetrokken), as `maatwerk.repository.betrokken_bij_besluit` collects them."""
    einde = func.coalesce(Besluit.vastgesteld_op, Besluit.ingetrokken_op)
    return or_(
        Besluit.opgesteld_door_id == medewerker_id,
        exists().where(
            Regievoering.casus_id == Besluit.casus_id,
            Regievoering.medewerker_id == medewerker_id,
            or_(Regievoering.tot.is_(None), Regievoering.tot >= Besluit.aangemaakt_op),
            or_(einde.is_(None), Regievoering.van <= einde),
        ),
    )


def rugdekking_mogelijk(actor: Medewerker) -> ColumnElement[bool]:
    """`rugdekking_oordeel` as SQL over afwijkingen joined with their casus: the work list
    "waiting for my rugdekking" shows exactly the afwijkingen the actor may cover. It excludes
    whom the rule excludes: the regiehouder, the proposer and whoever is involved in the
    besluit (its drafter, who held regie while it was a concept); the besluit is a concept."""
    if actor.mandaat_max_risico is None:
        return false()
    grens = RISICO_ORDE[Risico(actor.mandaat_max_risico)]
    return and_(
        Casus.fase != Fase.afgesloten,
        Afwijking.status == AfwijkingStatus.voorgesteld,
        Afwijking.voorgesteld_door_id != actor.id,
        or_(Casus.regiehouder_id.is_(None), Casus.regiehouder_id != actor.id),
        exists().where(
            Besluit.id == Afwijking.besluit_id,
            Besluit.status == BesluitStatus.concept,
            ~betrokken_bij_besluit_sql(actor.id),
        ),
        Afwijking.financieel_belang_cent <= actor.mandaat_max_bedrag_cent,
        Afwijking.risico.in_([r for r in Risico if RISICO_ORDE[r] <= grens]),
        _scope_sql(actor),
    )


def kan_registers_lezen(rollen: Iterable[str]) -> bool:
    """For showing or hiding the registers (menus); `mag_registers_lezen` decides access."""
    return any(r in rollen for r in REGISTERLEZERS)


def kan_rugdekking_geven(actor: Medewerker) -> bool:
    """Whether someone could cover any afwijking at all: they have a mandaat."""
    return actor.mandaat_max_risico is not None


def mag_registers_lezen(actor: Medewerker) -> None:
    if not kan_registers_lezen(actor.rollen):
        raise NietToegestaan(
            "Alleen beleid en leidinggevenden zien de registers over casussen heen.",
            code="rol-ontbreekt",
        )


def mag_verhalen_lezen(actor: Medewerker) -> None:
    """Shared successes are for the whole organisation: every active medewerker."""
    eis(actor.actief, "Alleen actieve medewerkers lezen verhalen.")


# --- verhalen: four-eyes and takedown -----------------------------------------------------


def mag_verhaal_goedkeuren(actor: Medewerker, rechten: Casusrechten, leerpunt: Leerpunt) -> None:
    """A shared verhaal is published by a second medewerker of the casus: somebody who may work
    on the casus (and so knows whether the household is recognisable), not its author and not
    the one who proposed to share it."""
    eis(rechten.bewerken, "U mag verhalen van deze casus niet goedkeuren.")
    eis(
        actor.id not in (leerpunt.auteur_id, leerpunt.gedeeld_door_id),
        "Een tweede medewerker keurt een verhaal goed, niet wie het schreef of wilde delen.",
        code="vier-ogen",
    )


def mag_verhaal_intrekken(actor: Medewerker, leerpunt: Leerpunt) -> bool:
    """Taking a verhaal down is always possible, also after the casus closed, for its author (or
    the one who shared it), any leidinggevende and the privacy officer."""
    return actor.actief and (
        actor.id in (leerpunt.auteur_id, leerpunt.gedeeld_door_id)
        or _heeft(actor, Rol.leidinggevende, Rol.privacy)
    )
