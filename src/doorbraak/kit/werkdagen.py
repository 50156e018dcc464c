"""Working days as a Dutch municipality counts them: Monday to Friday, minus the Dutch public
holidays of the `holidays` package, and "today" in Europe/Amsterdam.

Deadlines (besluit uiterlijk, stap deadlines) and lead times in statistics use this module, so
that "te laat" does not flip at 01:00 or 02:00 local time (the UTC date) and a lead time over
Easter or King's Day counts the days people actually worked.

Bevrijdingsdag (5 May) is a national holiday only every fifth year in most collective agreements;
the `holidays` package follows the law and lists it every lustrum year (2025, 2030, ...), which is
what this module uses.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TIJDZONE = ZoneInfo("Europe/Amsterdam")


def lokale_datum(moment: dt.datetime) -> dt.date:
    """The calendar date in Amsterdam of a moment (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIJDZONE).date()


@lru_cache(maxsize=64)
def _feestdagen(jaar: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=jaar).keys())


def is_feestdag(dag: dt.date) -> bool:
    return dag in _feestdagen(dag.year)


def is_werkdag(dag: dt.date) -> bool:
    return dag.weekday() < 5 and not is_feestdag(dag)


def plus_werkdagen(start: dt.date, aantal: int) -> dt.date:
    """The date `aantal` working days after `start` (before it when negative); start itself is
    not counted, so plus_werkdagen(friday, 1) is the next working day."""
    stap = 1 if aantal >= 0 else -1
    dag = start
    over = abs(aantal)
    while over:
        dag += dt.timedelta(days=stap)
        if is_werkdag(dag):
            over -= 1
    return dag


def werkdagen_tussen(van: dt.date, tot: dt.date) -> int:
    """Working days after `van` up to and including `tot` (0 when tot <= van): the lead time of
    something that started on `van` and ended on `tot`."""
    if tot <= van:
        return 0
    dagen = (tot - van).days
    weken, rest = divmod(dagen, 7)
    aantal = weken * 5
    dag = van + dt.timedelta(days=weken * 7)
    for _ in range(rest):
        dag += dt.timedelta(days=1)
        if dag.weekday() < 5:
            aantal += 1
    for jaar in range(van.year, tot.year + 1):
        aantal -= sum(1 for f in _feestdagen(jaar) if van < f <= tot and f.weekday() < 5)
    return aantal


def werkdagen_tot(vandaag: dt.date, deadline: dt.date) -> int:
    """Working days left until a deadline: 0 on the day itself, negative once it has passed
    (the working days it is overdue)."""
    if deadline >= vandaag:
        return werkdagen_tussen(vandaag, deadline)
    return -werkdagen_tussen(deadline, vandaag)


def plus_maanden(datum: dt.date, maanden: int) -> dt.date:
    """The same day so many months later; the month's last day when it is shorter (31 Aug +
    6 months is 28 or 29 Feb)."""
    totaal = datum.year * 12 + datum.month - 1 + maanden
    jaar, maand = divmod(totaal, 12)
    maand += 1
    return dt.date(jaar, maand, min(datum.day, calendar.monthrange(jaar, maand)[1]))


def eerstvolgende_werkdag(dag: dt.date) -> dt.date:
    """The day itself when it is a working day, else the next one: a deadline that falls on a
    weekend or a public holiday runs until the end of the next working day (as the Algemene
    termijnenwet does for legal terms)."""
    while not is_werkdag(dag):
        dag += dt.timedelta(days=1)
    return dag


def te_laat(deadline: dt.date, vandaag: dt.date) -> bool:
    """Whether a deadline has passed on `vandaag` (a local date, see `lokale_datum`): after the
    end of its day, or of the next working day when it falls on a weekend or holiday."""
    return eerstvolgende_werkdag(deadline) < vandaag


def laatste_gemiste_deadline(vandaag: dt.date) -> dt.date:
    """The latest deadline that is te laat on `vandaag`: `te_laat(d, vandaag)` exactly when
    `d <= laatste_gemiste_deadline(vandaag)` (the last working day before today), so a query
    can compare a date column with one value."""
    return plus_werkdagen(vandaag, -1)


def werkdagen_over(vandaag: dt.date, deadline: dt.date) -> int:
    """Working days left until a deadline (0 on its last day, negative when overdue), counting
    a deadline on a weekend or holiday as the next working day."""
    return werkdagen_tot(vandaag, eerstvolgende_werkdag(deadline))
