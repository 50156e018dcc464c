"""Casus, fase-overgang, tijdlijn and casusteam, in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from doorbraak.kit.bsn import elfproef
from doorbraak.kit.schema import ActieOordeel, Invoer, Korttekst, Schema, Tekst, weglaatbaar
from doorbraak.models.enums import Afsluitreden, Fase, Urgentie, Vertrouwelijkheid
from doorbraak.organisatie.schemas import MedewerkerRef

KENMERK_PATROON = r"^DB-\d{4}-\d{4,6}$"


def _bsn(value: str) -> str:
    if not elfproef(value):
        raise ValueError("geen geldig BSN (11-proef)")
    return value


Bsn = Annotated[str, StringConstraints(pattern=r"^\d{9}$"), AfterValidator(_bsn)]


class DeelnameKort(Schema):
    afdeling: str
    contactpersoon: MedewerkerRef | None
    standpunt: str


class Voorwaarde(Schema):
    code: str
    omschrijving: str


class VolgendeFase(Schema):
    fase: Fase
    open_voorwaarden: list[Voorwaarde] = Field(description="What the casus still needs to move on.")


class CasusActies(Schema):
    """What the caller may do with this casus now (auth/policy.py `casus_acties`): a client
    shows an action only when it is allowed, and the API answers exactly so."""

    wijzigen: ActieOordeel = Field(
        description="Change the casus and its parts (deelnames, betrokkenen, stappen, ...)."
    )
    fase_wijzigen: ActieOordeel = Field(description="A fase-overgang of an open casus.")
    heropenen: ActieOordeel = Field(description="The fase-overgang that reopens a closed casus.")
    regie_toewijzen: ActieOordeel = Field(description="Assign or hand over the regie.")
    team_beheren: ActieOordeel = Field(description="Add or remove explicit casusteam members.")


class CasusUit(Schema):
    kenmerk: str
    titel: str
    situatie: str
    huishouden_naam: str | None = Field(description="How the household is named in the file.")
    urgentie: Urgentie
    fase: Fase
    vertrouwelijkheid: Vertrouwelijkheid
    doorbraakvraag: str | None = Field(
        description="The question the casus answers; the perspectiefplan holds the goals."
    )
    doorbraak: str | None
    instemming_datum: dt.date | None = Field(
        description="When the household agreed to its perspectiefplan."
    )
    bsn: str | None = Field(
        description="Masked (`*****1234`) unless asked for with `toonBsn=true`."
    )
    regiehouder: MedewerkerRef | None
    aanmelder: MedewerkerRef
    deelnames: list[DeelnameKort]
    aangemeld_op: dt.datetime
    afgesloten_op: dt.datetime | None
    afsluitreden: Afsluitreden | None
    besluit_uiterlijk_datum: dt.date | None
    archiefactie_datum: dt.date | None = Field(
        description="After this date the casus is anonymised (set when it is closed)."
    )
    geanonimiseerd_op: dt.datetime | None = Field(
        description="When the retention job removed its free text and BSN."
    )
    kosten_doormodderen_per_jaar_cent: int
    kosten_doorbraak_cent: int
    open_escalaties: int
    volgende_fase: VolgendeFase | None
    gewijzigd_op: dt.datetime
    versie: int
    toegestane_acties: CasusActies


class CasusSamenvatting(Schema):
    kenmerk: str
    titel: str
    urgentie: Urgentie
    fase: Fase
    regiehouder: MedewerkerRef | None
    aangemeld_op: dt.datetime
    besluit_uiterlijk_datum: dt.date | None
    afgesloten_op: dt.datetime | None
    versie: int


class CasusNieuw(Invoer):
    titel: Korttekst
    situatie: Tekst = ""
    urgentie: Urgentie = Urgentie.normaal
    vertrouwelijkheid: Vertrouwelijkheid = Vertrouwelijkheid.zaakvertrouwelijk
    huishouden_naam: Korttekst | None = None
    bsn: Bsn | None = Field(None, description="Write-only; 11-proef checked; stored encrypted.")
    besluit_uiterlijk_datum: dt.date | None = Field(
        None, description="Target for the first vastgesteld besluit; default by urgentie."
    )


class CasusWijziging(Invoer):
    titel: Korttekst | None = weglaatbaar()
    situatie: Tekst | None = weglaatbaar()
    urgentie: Urgentie | None = None
    vertrouwelijkheid: Vertrouwelijkheid | None = None
    huishouden_naam: Korttekst | None = None
    doorbraakvraag: Tekst | None = None
    doorbraak: Tekst | None = None
    bsn: Bsn | None = None
    besluit_uiterlijk_datum: dt.date | None = None


class FaseOvergangNieuw(Invoer):
    naar: Fase
    toelichting: Tekst | None = None
    afsluitreden: Afsluitreden | None = None
    terugval: bool = Field(
        False,
        description="Reopening because the household fell back (terugval): counted apart in "
        "the statistieken. Only when reopening a closed casus.",
    )


class FaseOvergangUit(Schema):
    id: uuid.UUID
    van: Fase | None
    naar: Fase
    door: MedewerkerRef
    op: dt.datetime
    toelichting: str | None
    afsluitreden: Afsluitreden | None
    terugval: bool


class TijdlijnRegelUit(Schema):
    id: int
    op: dt.datetime
    door: MedewerkerRef | None
    actie: str
    object_soort: str
    object_id: str
    wijzigingen: dict[str, Any]
    toelichting: str | None


class TeamlidUit(Schema):
    medewerker: MedewerkerRef
    rollen: list[str] = Field(
        description="Why on the team: regiehouder, aanmelder, contactpersoon, lid."
    )


class TeamlidNieuw(Invoer):
    medewerker: uuid.UUID


class CasusZoekvraag(Invoer):
    bsn: Bsn
