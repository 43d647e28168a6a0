"""Validity counted as the Polish civil code counts periods in years (art. 111–112 k.c.)."""

import datetime as dt

import pytest

from lokalnie.registry.dates import add_months, end_instant, reminder_date, validity_end


@pytest.mark.parametrize(
    ("issued", "last_day"),
    [
        (dt.date(2026, 3, 15), dt.date(2031, 3, 15)),
        (dt.date(2026, 12, 31), dt.date(2031, 12, 31)),
        (dt.date(2028, 2, 29), dt.date(2033, 2, 28)),  # no 29 February: last day of February
        (dt.date(2027, 2, 28), dt.date(2032, 2, 28)),  # 2032 is a leap year; the 28th still
    ],
)
def test_valid_five_years_to_the_day_inclusive(issued, last_day):
    assert validity_end(issued) == last_day


def test_validity_ends_at_midnight_after_the_last_day_in_warsaw():
    end = end_instant(dt.date(2031, 3, 15), "Europe/Warsaw")
    assert end.isoformat() == "2031-03-16T00:00:00+01:00"
    summer = end_instant(dt.date(2031, 7, 1), "Europe/Warsaw")
    assert summer.utcoffset() == dt.timedelta(hours=2)


def test_months_are_clamped_to_shorter_months():
    assert add_months(dt.date(2031, 8, 31), -6) == dt.date(2031, 2, 28)
    assert add_months(dt.date(2031, 1, 31), 1) == dt.date(2031, 2, 28)
    assert add_months(dt.date(2031, 3, 15), -12) == dt.date(2030, 3, 15)
    assert reminder_date(dt.date(2031, 5, 31), 3) == dt.date(2031, 2, 28)
