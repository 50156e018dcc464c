"""A reporting period and afdeling: the `van`/`tot`/`afdeling` filters of the registers, the
statistieken and the learning report.

Days are calendar days in Europe/Amsterdam (`kit.werkdagen`): a signal raised at 00:30 on
1 January local time belongs to the new year, although it is still 31 December in UTC. `tot` is
inclusive (the last day of the period). A casus belongs to an afdeling when that afdeling takes
part in it (a deelname): that is where its people spent the time and where the cost falls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from doorbraak.errors import OngeldigeInvoer
from doorbraak.kit.werkdagen import TIJDZONE
from doorbraak.models import Deelname


def dag_begin(dag: dt.date) -> dt.datetime:
    """The first instant of a day in Amsterdam, in UTC."""
    return dt.datetime.combine(dag, dt.time.min, tzinfo=TIJDZONE).astimezone(dt.UTC)


@dataclass(frozen=True)
class Periode:
    van: dt.date | None = None
    tot: dt.date | None = None
    afdeling: str | None = None

    @classmethod
    def jaar(cls, jaar: int, afdeling: str | None = None) -> Periode:
        return cls(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31), afdeling)

    @property
    def leeg(self) -> bool:
        return self.van is None and self.tot is None and self.afdeling is None

    @property
    def begrensd(self) -> bool:
        return self.van is not None and self.tot is not None

    def vorige(self) -> Periode | None:
        """The period of the same length just before this one (a year before a calendar year,
        the previous month before a calendar month); None when it is open on one side."""
        if self.van is None or self.tot is None:
            return None
        if self.van.day == 1 and (self.tot + dt.timedelta(days=1)).day == 1:
            # Whole calendar months: the same number of months before.
            maanden = (self.tot.year - self.van.year) * 12 + self.tot.month - self.van.month + 1
            jaar, maand = divmod(self.van.year * 12 + self.van.month - 1 - maanden, 12)
            van = dt.date(jaar, maand + 1, 1)
            return Periode(van, self.van - dt.timedelta(days=1), self.afdeling)
        lengte = self.tot - self.van
        tot = self.van - dt.timedelta(days=1)
        return Periode(tot - lengte, tot, self.afdeling)

    def omvat(self, kolom: Any) -> list[Any]:
        """SQL conditions: `kolom` (an instant) falls in the period."""
        voorwaarden = []
        if self.van is not None:
            voorwaarden.append(kolom >= dag_begin(self.van))
        if self.tot is not None:
            voorwaarden.append(kolom < dag_begin(self.tot + dt.timedelta(days=1)))
        return voorwaarden

    def van_afdeling(self, casus_id: Any) -> list[Any]:
        """SQL condition: the casus of `casus_id` has a deelname of the afdeling."""
        if self.afdeling is None:
            return []
        return [
            casus_id.in_(select(Deelname.casus_id).where(Deelname.afdeling_code == self.afdeling))
        ]

    def filter(self, kolom: Any, casus_id: Any) -> list[Any]:
        return [*self.omvat(kolom), *self.van_afdeling(casus_id)]


def periode(van: dt.date | None, tot: dt.date | None, afdeling: str | None) -> Periode:
    """The period of the query parameters, refusing one that ends before it starts (400)."""
    if van is not None and tot is not None and tot < van:
        raise OngeldigeInvoer(
            [{"name": "tot", "code": "tot-voor-van", "reason": "tot ligt voor van"}],
            "De periode eindigt voordat hij begint.",
        )
    return Periode(van, tot, afdeling or None)
