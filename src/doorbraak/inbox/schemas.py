"""Inbox items out: the kind, the kenmerk, what is due and when, and where to act. Never case
content (no titles, names or texts): an item says that something waits, the casus says what."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from doorbraak.kit.schema import Schema
from doorbraak.models.enums import InboxSoort


class InboxItemUit(Schema):
    soort: InboxSoort = Field(description="What kind of work waits (one source per kind).")
    kenmerk: str | None = Field(
        description="Kenmerk of the casus it is about; null for work outside one casus "
        "(a beleidssignaal)."
    )
    object_id: str = Field(description="Id of the object to act on (stap, besluit, ...).")
    wat: str = Field(description="What is due, as a short Dutch sentence without case content.")
    uiterlijk: dt.date | None = Field(
        description="The deadline (a date in Europe/Amsterdam), if the work has one."
    )
    werkdagen_over: int | None = Field(
        description="Working days until the deadline (weekends and Dutch public holidays do not "
        "count; a deadline on one runs to the next working day): 0 on its last day, negative "
        "when overdue."
    )
    te_laat: bool = Field(description="The deadline has passed (in Europe/Amsterdam).")
    sinds: dt.datetime = Field(description="Since when this waits.")
    link: str = Field(description="Path of the web page where the work is done.")


class InboxTellingUit(Schema):
    totaal: int = Field(description="Items in the inbox.")
    te_laat: int = Field(description="Of which overdue.")
    per_soort: dict[InboxSoort, int] = Field(
        description="Items per kind (kinds with none left out)."
    )
