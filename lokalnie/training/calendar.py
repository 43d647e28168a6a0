"""iCalendar (RFC 5545) files of editions, built with the ``icalendar`` library: one event
per workshop day, so that each day shows with its own hours in a calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

PRODID = "-//Stowarzyszenie CAL//Lokalnie warsztaty//PL"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _add_days(calendar: Calendar, edition) -> None:
    zone = ZoneInfo(settings.TIME_ZONE)
    url = settings.SITE_URL + reverse("training:edition", args=[edition.slug])
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "lokalnie"
    days = list(edition.days.all())
    for day in days:
        event = Event()
        event.add("uid", f"edition-{edition.pk}-day-{day.number}@{host}")
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", dt.datetime.combine(day.date, day.starts_at, tzinfo=zone))
        event.add("dtend", dt.datetime.combine(day.date, day.ends_at, tzinfo=zone))
        event.add(
            "summary",
            f"{edition.programme.title_pl} — dzień {day.number}/{len(days)} ({edition.city})",
        )
        event.add("location", f"{edition.venue_name}, {edition.venue_address}")
        event.add("description", f"{edition.programme.description_pl}\n\n{url}")
        event.add("url", url)
        if edition.status == "cancelled":
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)


def edition_calendar(edition) -> bytes:
    calendar = _calendar(f"{edition.programme.title_pl} — {edition.city}")
    _add_days(calendar, edition)
    return calendar.to_ical()


def editions_calendar(editions) -> bytes:
    calendar = _calendar("Warsztaty Stowarzyszenia CAL")
    for edition in editions:
        _add_days(calendar, edition)
    return calendar.to_ical()
