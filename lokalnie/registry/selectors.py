"""Reads of certificates and the registry. Public reads show every certificate; private
ones are scoped through ``accounts.permissions``. Every list runs a fixed number of
queries, however many rows it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from lokalnie.accounts.permissions import visible_certificates, visible_investigations
from lokalnie.institutions.models import AreaOfWork, TerytUnit
from lokalnie.institutions.text import fold
from lokalnie.registry.capitals import CAPITALS
from lokalnie.registry.models import Certificate, CertificateEvent, Investigation, parse_number
from lokalnie.registry.workflow import Status


def _public() -> QuerySet[Certificate]:
    return Certificate.objects.select_related(
        "institution__gmina__parent__parent", "area", "responsible_person"
    )


@dataclass
class RegistryFilters:
    query: str = ""
    voivodeship: str = ""
    area: str = ""
    status: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, data) -> RegistryFilters:
        year = (data.get("rok") or "").strip()
        status = (data.get("status") or "").strip()
        voivodeship = (data.get("wojewodztwo") or "").strip()
        return cls(
            query=(data.get("q") or "").strip()[:100],
            voivodeship=voivodeship if voivodeship in CAPITALS else "",
            area=(data.get("obszar") or "").strip()[:50],
            status=status if status in Status.values else "",
            year=int(year) if year.isdigit() and len(year) == 4 else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.query or self.voivodeship or self.area or self.status or self.year)


def registry_search(filters: RegistryFilters, *, today: dt.date | None = None):
    """Certificates in the public registry matching the filters, newest first.

    The text query ignores case and Polish diacritics ("lodz" finds Łódź) and looks in the
    institution's name and town (as certified and as now) and its gmina; a certificate
    number finds that certificate."""
    certificates = _public()
    if filters.query:
        number = parse_number(filters.query)
        needle = fold(filters.query)
        condition = (
            Q(search_text__contains=needle)
            | Q(institution__search_name__contains=needle)
            | Q(institution__gmina__search_name__contains=needle)
        )
        if number:
            condition |= Q(number=number)
        certificates = certificates.filter(condition)
    if filters.voivodeship:
        certificates = certificates.filter(institution__gmina__code__startswith=filters.voivodeship)
    if filters.area:
        certificates = certificates.filter(area__slug=filters.area)
    if filters.status:
        certificates = certificates.effective_status(filters.status, today=today)
    if filters.year:
        certificates = certificates.filter(year=filters.year)
    return certificates.order_by("-issued_on", "-year", "-sequence")


def registry_choices() -> dict:
    """What the filters offer: voivodeships, areas, years with certificates."""
    return {
        "voivodeships": list(
            TerytUnit.objects.filter(level=TerytUnit.Level.VOIVODESHIP, code__in=list(CAPITALS))
            .order_by("search_name")
            .values_list("code", "name")
        ),
        "areas": list(AreaOfWork.objects.all()),
        "years": list(
            Certificate.objects.order_by("-year").values_list("year", flat=True).distinct()
        ),
        "statuses": Status.choices,
    }


def certificate_by_slug(slug: str) -> Certificate | None:
    number = parse_number(slug)
    if number is None:
        return None
    return _public().filter(number=number).first()


def certificate_history(certificate: Certificate) -> QuerySet[CertificateEvent]:
    return certificate.events.select_related("related").order_by("at", "pk")


def institution_certificates(institution_id: int) -> list[Certificate]:
    """An institution's certificates with their history (for its public page)."""
    return list(
        _public()
        .filter(institution_id=institution_id)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CertificateEvent.objects.select_related("related").order_by("at", "pk"),
            )
        )
        .order_by("-issued_on", "-pk")
    )


def map_counts(*, today: dt.date | None = None) -> list[dict]:
    """Per voivodeship: the capital, its coordinates and the number of certificates valid
    today (one query for the counts, one for the names)."""
    today = today or timezone.localdate()
    counts = dict(
        Certificate.objects.effective_status(Status.VALID, today=today)
        .annotate(voivodeship=Substr("institution__gmina__code", 1, 2))
        .values_list("voivodeship")
        .annotate(n=Count("pk"))
        .values_list("voivodeship", "n")
    )
    names = dict(
        TerytUnit.objects.filter(
            level=TerytUnit.Level.VOIVODESHIP, code__in=list(CAPITALS)
        ).values_list("code", "name")
    )
    rows = []
    for code, (capital, lat, lon) in CAPITALS.items():
        rows.append(
            {
                "code": code,
                "name": (names.get(code) or "").lower(),
                "capital": capital,
                "lat": lat,
                "lon": lon,
                "count": counts.get(code, 0),
            }
        )
    rows.sort(key=lambda row: fold(row["name"]) or row["code"])
    return rows


def certificates_for_user(*, user) -> QuerySet[Certificate]:
    return visible_certificates(user, _public()).order_by("-issued_on", "-pk")


def investigations_for_user(*, user) -> QuerySet[Investigation]:
    return visible_investigations(
        user, Investigation.objects.select_related("certificate__institution", "opened_by")
    ).order_by("-opened_at", "-pk")


def open_investigation(certificate: Certificate) -> Investigation | None:
    return certificate.investigations.filter(status="open").first()
