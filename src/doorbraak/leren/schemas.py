"""Leerpunten, verhalen and beleidssignalen, in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from doorbraak.kit.schema import (
    ActieOordeel,
    Invoer,
    Korttekst,
    Schema,
    Tekst,
    VerplichteTekst,
    WijzigActies,
)
from doorbraak.models.enums import (
    AfwijkingStatus,
    Grondslag,
    LeerpuntSoort,
    Risico,
    SignaalBron,
    SignaalStatus,
    VerhaalStatus,
)
from doorbraak.organisatie.schemas import RegelRef, RegelversieRef


class SignaalUitkomst(Schema):
    """How beleid handled a beleidssignaal, as the casusteam that raised it sees it."""

    id: uuid.UUID
    status: SignaalStatus
    reactie: str | None = Field(description="Beleid's answer (why, or what changed).")
    besloten_op: dt.date | None = Field(description="When beleid decided (handled statuses).")
    regelversie: RegelversieRef | None = Field(
        description="The new version of the regel, when the regel was changed."
    )


class LeerpuntNieuw(Invoer):
    soort: LeerpuntSoort
    tekst: VerplichteTekst = Field(description="What worked, or what we do differently next time.")
    voor_wie: Korttekst | None = Field(
        None, description="Who should learn from it (a team, a process), never a culprit."
    )
    delen: bool = Field(
        False,
        description="Only for succes: propose to share it organisation-wide as an anonymised "
        "verhaal; published after a second medewerker approves it.",
    )
    toestemming_huishouden: bool = Field(
        False,
        description="The household agreed to share this story (required with delen); recorded "
        "with who recorded it and when.",
    )


class LeerpuntWijziging(Invoer):
    tekst: VerplichteTekst | None = None
    voor_wie: Korttekst | None = None
    delen: bool | None = None
    toestemming_huishouden: bool | None = Field(
        None, description="Required (true) when delen becomes true."
    )


class LeerpuntUit(Schema):
    id: uuid.UUID
    kenmerk: str
    soort: LeerpuntSoort
    tekst: str
    voor_wie: str | None
    delen: bool
    gedeeld_op: dt.datetime | None = Field(description="When it was published (approved).")
    verhaal_status: VerhaalStatus | None = Field(
        description="Of a succes: niet_gedeeld, wacht_op_goedkeuring, gedeeld or ingetrokken."
    )
    toestemming_op: dt.datetime | None = Field(
        description="When the household's consent to share was recorded."
    )
    goedgekeurd_op: dt.datetime | None
    mag_goedkeuren: bool = Field(
        description="Whether the caller may approve it now (four-eyes: not its author)."
    )
    mag_intrekken: bool = Field(
        description="Whether the caller may take the verhaal down (DELETE /verhalen/{id})."
    )
    signaal_status: SignaalStatus | None = Field(
        description="Of a systeem-leerpunt: how far beleid has come (only beleid sets it)."
    )
    beleidssignaal: SignaalUitkomst | None = Field(
        description="Of a systeem-leerpunt: how beleid handled it (PATCH /beleidssignalen/{id})."
    )
    aangemaakt_op: dt.datetime
    versie: int
    toegestane_acties: WijzigActies = Field(
        description="What the caller may do with this leerpunt (auth/policy.py)."
    )


class VerhaalUit(Schema):
    """A shared success, anonymised: no kenmerk, no names (checked when it was shared)."""

    id: uuid.UUID
    tekst: str
    voor_wie: str | None
    gedeeld_op: dt.datetime


class SignaalActies(Schema):
    """The permission set of a beleidssignaal (`toegestaneActies`)."""

    behandelen: ActieOordeel = Field(description="PATCH /beleidssignalen/{id} (beleid only).")


class BeleidssignaalUit(Schema):
    """A systeem-leerpunt or an afwijking flagged for beleid, and how beleid handled it. No case
    content, no names, no kenmerk: beleid answers the signal, not the casus."""

    id: uuid.UUID
    bron: SignaalBron
    tekst: str | None = Field(description="The leerpunt's text (checked for names when written).")
    voor_wie: str | None
    regel: RegelRef | None = Field(description="The regel an afwijking bent.")
    gebogen_regelversie: RegelversieRef | None = Field(
        description="The version of the regel the afwijking bent."
    )
    grondslag: Grondslag | None
    risico: Risico | None
    signaal_status: SignaalStatus
    reactie: str | None = Field(description="Beleid's answer; required with niet_aangepast.")
    besloten_op: dt.date | None
    regelversie: RegelversieRef | None = Field(
        description="The version of the regel that changed because of this signal."
    )
    gemeld_op: dt.datetime
    gewijzigd_op: dt.datetime
    versie: int
    toegestane_acties: SignaalActies


class BeleidssignaalWijziging(Invoer):
    """Beleid's handling of a signal. `regel_aangepast` needs the new regelversie (of the regel
    the afwijking bent, for an afwijking); `niet_aangepast` needs a reactie saying why."""

    signaal_status: SignaalStatus | None = None
    reactie: Tekst | None = None
    besloten_op: dt.date | None = Field(
        None, description="Default: today (Europe/Amsterdam) when the status becomes handled."
    )
    regelversie: uuid.UUID | None = None


class Precedent(Schema):
    """An earlier gedekte afwijking of the same regel, from any casus: how it was justified and
    covered, never what the casus was about or who was involved."""

    id: uuid.UUID
    regelversie: RegelversieRef
    grondslag: Grondslag
    waardentoets_legitimiteit: str | None = Field(
        description="Null when the text would identify someone (checked when read)."
    )
    waardentoets_rendement: str | None
    waardentoets_betrokkenheid: str | None
    risico: Risico
    uitkomst: AfwijkingStatus = Field(
        description="What became of it: gedekt (in force), or ingetrokken/vervangen with its besluit."
    )
    gedekt_op: dt.datetime


class Precedenten(Schema):
    regel: RegelRef
    aantal_gedekt: int = Field(description="Every gedekte afwijking of this regel.")
    aantal_geweigerd: int = Field(
        description="Afwijkingen of this regel whose rugdekking was refused."
    )
    results: list[Precedent] = Field(description="The newest gedekte ones (max 10), newest first.")
