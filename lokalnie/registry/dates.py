"""Validity periods, in the Polish civil-law way of counting (no Django).

A certificate issued on day D is valid for 5 years *to the day*: the last day of validity is
the day of the fifth year that corresponds to D by date (Kodeks cywilny art. 111 § 2 and
art. 112: the day of the event is not counted and a period in years ends with the end of
the corresponding day). ``valid_until`` is that last day, **inclusive**: issued 2026-03-15,
valid until 2031-03-15 inclusive, expired from 2031-03-16. A certificate issued on
29 February ends on the last day of February of its fifth year (art. 112: when the
corresponding day does not exist, the last day of that month), e.g. 2028-02-29 → 2033-02-28.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

VALIDITY_YEARS = 5
REMINDER_MONTHS = (12, 6, 3)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (may be negative), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_end(issued_on: dt.date, years: int = VALIDITY_YEARS) -> dt.date:
    """The last day (inclusive) of a certificate issued on ``issued_on``."""
    return add_months(issued_on, 12 * years)


def end_instant(valid_until: dt.date, zone: str) -> dt.datetime:
    """The moment validity ends: midnight at the start of the day after ``valid_until``."""
    next_day = valid_until + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time.min, tzinfo=ZoneInfo(zone))


def reminder_date(valid_until: dt.date, months: int) -> dt.date:
    """The day from which the reminder sent ``months`` before expiry is due."""
    return add_months(valid_until, -months)
