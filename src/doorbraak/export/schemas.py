"""Export runs in the API: start one (beheerder), list them, read one."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import AwareDatetime, Field

from doorbraak.kit.schema import Invoer, Schema


class ExportModus(StrEnum):
    volledig = "volledig"
    incrementeel = "incrementeel"


class ExportStatus(StrEnum):
    bezig = "bezig"
    voltooid = "voltooid"
    mislukt = "mislukt"
    afgebroken = "afgebroken"


class ExportNieuw(Invoer):
    modus: ExportModus = Field(
        ExportModus.incrementeel,
        description="`incrementeel`: since the last completed run (full when there is none); "
        "`volledig`: everything.",
    )
    sinds_op: AwareDatetime | None = Field(
        None,
        description="Only with `incrementeel`: every casus changed after this instant (an ad-hoc "
        "run; the watermark stays where it is).",
    )
    leveren: bool = Field(
        False, description="Deliver the files to the reporting endpoint after writing them."
    )


class TabelRijen(Schema):
    tabel: str
    rijen: int


class ExportRunUit(Schema):
    id: uuid.UUID
    status: ExportStatus
    modus: ExportModus
    watermerk_van: int | None = Field(description="Tijdlijn id the period starts after.")
    watermerk_tot: int | None = Field(description="Last tijdlijn id the period includes.")
    sinds_op: dt.datetime | None
    gestart_op: dt.datetime
    klaar_op: dt.datetime | None
    rijen: int = Field(description="Rows over all files of one format (tombstones included).")
    tabellen: list[TabelRijen]
    map: str | None = Field(description="Folder of the run on the export host.")
    fout: str | None
    geleverd_op: dt.datetime | None = Field(description="When every file was acknowledged.")
    geleverde_bestanden: list[str]
    leverfout: str | None
