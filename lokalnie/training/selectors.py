"""Reads of the workshops module: the public list of editions with its filters."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from lokalnie.institutions.models import TerytUnit
from lokalnie.training.models import Edition, EditionDay
from lokalnie.training.workflow import EditionStatus

# The version of everything the public workshop pages show (editions, seats left); the
# services forget it whenever that changes.
PUBLIC_VERSION_KEY = "training:public"

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class EditionFilters:
    voivodeship: str = ""
    city: str = ""
    month: str = ""
    with_seats: bool = False
    past: bool = False

    @classmethod
    def from_query(cls, query) -> EditionFilters:
        voivodeship = (query.get("wojewodztwo") or "").strip()
        month = (query.get("miesiac") or "").strip()
        match = MONTH.match(month)
        if not (match and 1 <= int(match.group(2)) <= 12):
            month = ""
        return cls(
            voivodeship=voivodeship if re.fullmatch(r"\d{2}", voivodeship) else "",
            city=(query.get("miasto") or "").strip()[:100],
            month=month,
            with_seats=query.get("wolne") == "1",
            past=query.get("archiwum") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.voivodeship or self.city or self.month or self.with_seats or self.past)


def public_editions(filters: EditionFilters, *, today: dt.date | None = None):
    """Published editions (upcoming, or past with ``past``), with seats, days and the
    programme loaded in a constant number of queries."""
    today = today or timezone.localdate()
    editions = (
        Edition.objects.public()
        .with_seats()
        .select_related("programme", "voivodeship")
        .prefetch_related(Prefetch("days", queryset=EditionDay.objects.order_by("number")))
    )
    if filters.past:
        editions = editions.filter(ends_on__lt=today).order_by("-starts_on", "city", "pk")
    else:
        editions = editions.filter(ends_on__gte=today, status=EditionStatus.PUBLISHED).order_by(
            "starts_on", "city", "pk"
        )
    if filters.voivodeship:
        editions = editions.filter(voivodeship_id=filters.voivodeship)
    if filters.city:
        editions = editions.filter(city__iexact=filters.city)
    if filters.month:
        year, month = (int(part) for part in filters.month.split("-"))
        editions = editions.filter(starts_on__year=year, starts_on__month=month)
    if filters.with_seats:
        editions = editions.filter(seats_left__gt=0)
    return editions


def waiting_position(registration) -> int | None:
    """The registration's place in its edition's waiting list (1 = offered the next seat)."""
    from django.db.models import Q

    from lokalnie.training.workflow import RegStatus

    if registration.status != RegStatus.WAITLISTED:
        return None
    ahead = registration.edition.registrations.filter(status=RegStatus.WAITLISTED).filter(
        Q(priority__gt=registration.priority)
        | Q(priority=registration.priority, created_at__lt=registration.created_at)
        | Q(
            priority=registration.priority,
            created_at=registration.created_at,
            pk__lt=registration.pk,
        )
    )
    return ahead.count() + 1


def filter_choices(*, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    upcoming = Edition.objects.public().filter(ends_on__gte=today)
    months = sorted({(d.year, d.month) for d in upcoming.values_list("starts_on", flat=True)})
    return {
        "voivodeships": list(
            TerytUnit.objects.filter(level=TerytUnit.Level.VOIVODESHIP)
            .order_by("name")
            .values_list("code", "name")
        ),
        "cities": sorted(set(upcoming.values_list("city", flat=True))),
        "months": [f"{year}-{month:02d}" for year, month in months],
    }


def edition_for_page(slug: str):
    """A published, finished or cancelled edition (a cancelled one says so to whoever
    follows an old link); drafts are not found."""
    return (
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .with_seats()
        .select_related("programme", "gmina", "voivodeship")
        .prefetch_related(Prefetch("days", queryset=EditionDay.objects.order_by("number")))
        .filter(slug=slug)
        .first()
    )
