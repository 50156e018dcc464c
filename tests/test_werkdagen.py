"""Working days against hand-counted calendars (2027: Goede Vrijdag 26 March, Pasen 28-29 March,
Koningsdag Tuesday 27 April, Hemelvaart 6 May, Pinksteren 16-17 May)."""

import datetime as dt

from doorbraak.kit import werkdagen

D = dt.date


def test_easter_week_skips_good_friday_and_easter_monday() -> None:
    # Thursday 25 March -> Tuesday 30 March: Fri 26 (Goede Vrijdag), weekend, Mon 29 (2e Paasdag)
    # leave only Tuesday 30.
    assert werkdagen.werkdagen_tussen(D(2027, 3, 25), D(2027, 3, 30)) == 1
    assert werkdagen.plus_werkdagen(D(2027, 3, 25), 1) == D(2027, 3, 30)


def test_kings_day_on_a_tuesday() -> None:
    # Monday 26 April -> Monday 3 May: Tue 27 is Koningsdag, so Wed 28, Thu 29, Fri 30, Mon 3 = 4.
    assert werkdagen.werkdagen_tussen(D(2027, 4, 26), D(2027, 5, 3)) == 4
    assert not werkdagen.is_werkdag(D(2027, 4, 27))


def test_five_working_days_over_ascension() -> None:
    # From Monday 3 May 2027: Tue 4, Wed 5, (Thu 6 Hemelvaart), Fri 7, Mon 10, Tue 11.
    assert werkdagen.plus_werkdagen(D(2027, 5, 3), 5) == D(2027, 5, 11)
    assert werkdagen.plus_werkdagen(D(2027, 5, 11), -5) == D(2027, 5, 3)


def test_a_long_span_matches_counting_day_by_day() -> None:
    van, tot = D(2026, 11, 17), D(2028, 2, 3)
    dag, geteld = van, 0
    while dag < tot:
        dag += dt.timedelta(days=1)
        geteld += werkdagen.is_werkdag(dag)
    assert werkdagen.werkdagen_tussen(van, tot) == geteld


def test_days_left_and_overdue() -> None:
    assert werkdagen.werkdagen_tot(D(2027, 3, 25), D(2027, 3, 25)) == 0
    assert werkdagen.werkdagen_tot(D(2027, 3, 25), D(2027, 3, 30)) == 1
    assert werkdagen.werkdagen_tot(D(2027, 3, 30), D(2027, 3, 25)) == -1


def test_local_date_in_amsterdam_not_utc() -> None:
    # 23:30 UTC on 31 March 2027 is already 1 April 01:30 in Amsterdam (summer time).
    assert werkdagen.lokale_datum(dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.UTC)) == D(2027, 4, 1)
    # Winter: 23:30 UTC on 15 January is 00:30 on the 16th.
    assert werkdagen.lokale_datum(dt.datetime(2027, 1, 15, 23, 30)) == D(2027, 1, 16)


def test_a_deadline_on_a_holiday_or_weekend_runs_to_the_next_working_day() -> None:
    # Koningsdag Tuesday 27 April 2027: the deadline runs to Wednesday 28.
    assert werkdagen.eerstvolgende_werkdag(D(2027, 4, 27)) == D(2027, 4, 28)
    assert not werkdagen.te_laat(D(2027, 4, 27), D(2027, 4, 28))
    assert werkdagen.te_laat(D(2027, 4, 27), D(2027, 4, 29))
    # Goede Vrijdag 26 March 2027: runs over Easter to Tuesday 30 March.
    assert not werkdagen.te_laat(D(2027, 3, 26), D(2027, 3, 30))
    assert werkdagen.te_laat(D(2027, 3, 26), D(2027, 3, 31))
    # A plain Wednesday is late the next day.
    assert werkdagen.te_laat(D(2027, 3, 24), D(2027, 3, 25))
    assert not werkdagen.te_laat(D(2027, 3, 24), D(2027, 3, 24))


def test_the_sql_bound_agrees_with_te_laat_day_by_day() -> None:
    for vandaag in (D(2027, 3, 25) + dt.timedelta(days=i) for i in range(60)):
        grens = werkdagen.laatste_gemiste_deadline(vandaag)
        for deadline in (vandaag - dt.timedelta(days=j) for j in range(-3, 12)):
            assert werkdagen.te_laat(deadline, vandaag) == (deadline <= grens), (vandaag, deadline)


def test_days_left_counts_a_holiday_deadline_as_the_next_working_day() -> None:
    # Thursday 22 April 2027 -> deadline Koningsdag (Tue 27) counts as Wed 28: Fri, Mon, Wed = 3.
    assert werkdagen.werkdagen_over(D(2027, 4, 22), D(2027, 4, 27)) == 3
    assert werkdagen.werkdagen_over(D(2027, 4, 29), D(2027, 4, 27)) == -1
