"""Reads of certificates and the registry. Public reads show every certificate; private
ones are scoped through ``accounts.permissions``. Every list runs a fixed number of
queries, however many rows it shows."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from lokalnie.accounts.permissions import visible_certificates, visible_investigations
from lokalnie.core.pagecache import cache_on
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
    # The signed credential is long and not shown in lists.
    certificates = _public().defer("credential_jws")
    if filters.query:
        number = parse_number(filters.query)
        needle = fold(filters.query)
        # Each condition is its own query of certificate ids, answered by its own index (on
        # PostgreSQL trigram indexes, see the migrations), and the page takes their union:
        # an OR across the joined tables would join every certificate to its institution
        # first, and misleads the planner about how many rows match.
        gminas = TerytUnit.objects.filter(search_name__contains=needle).values("pk")
        ids = Certificate.objects.filter(search_text__contains=needle).values("pk")
        ids = ids.union(
            Certificate.objects.filter(institution__search_name__contains=needle).values("pk"),
            Certificate.objects.filter(institution__gmina__in=gminas).values("pk"),
        )
        if number:
            ids = ids.union(Certificate.objects.filter(number=number).values("pk"))
        certificates = certificates.filter(pk__in=ids)
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
    """The certificate with this number, with what its public page shows (the certificate
    it renews and the one that renewed it) in the same query."""
    number = parse_number(slug)
    if number is None:
        return None
    return _public().select_related("previous", "renewal").filter(number=number).order_by().first()


JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


def published_credential(number: str, kind: str) -> str | None:
    """The credential of the certificate with this canonical number as published: the signed
    token ("jwt") or its content ("json"); None if there is no such certificate.

    A credential never changes once issued (its status is in the status lists) and numbers
    are never reused, so when the cache is on (``cache_on``) each process keeps the last
    4,096 it served: serving one again costs no query and no round trip."""
    try:
        if cache_on():
            return _published_credential(number, kind)
        return _published_credential.__wrapped__(number, kind)
    except Certificate.DoesNotExist:
        return None


@functools.lru_cache(maxsize=4096)
def _published_credential(number: str, kind: str) -> str:
    token = (
        Certificate.objects.filter(number=number)
        .order_by()
        .values_list("credential_jws", flat=True)
        .first()
    )
    if token is None:
        raise Certificate.DoesNotExist(number)  # an exception: lru_cache keeps only results
    if kind == "jwt":
        return token
    # Our own stored token: its middle part is the credential (plus the JWT claims).
    body = token.split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    credential = {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
    return json.dumps(credential, ensure_ascii=False, indent=2)


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


# --- The cache of public pages and documents -----------------------------------------------
# Anonymous visitors' pages of certificates and the registry, and the status lists, are
# served from the page cache (``lokalnie.core.pagecache``), each under a version that the
# services forget whenever what it covers changes.

REGISTRY_VERSION_KEY = "registry:version"


def certificate_version_key(number: str) -> str:
    """The cache version of a certificate's public page, by canonical number."""
    return f"registry:certificate:{number}:version"


def status_list_cache_keys(purpose: str) -> tuple[str, str]:
    """(version key, entry key) of a published status list."""
    return f"registry:status-list:{purpose}:version", f"registry:status-list:{purpose}"
