"""The demo revitalization programme for ``load_demo``: Wałbrzych (a real gmina) with 30
units, eight indicators of every sphere, the delimited revitalization area, partners, an
action plan and two years of approved measurements. Everything goes through the same
services (and the same file imports) a team uses. Idempotent (keyed by the address)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lokalnie.institutions.models import TerytUnit
from lokalnie.revitalization import demo_files
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.services import diagnosis as diagnosis_services
from lokalnie.revitalization.services import programme as programme_services

SLUG = "gminny-program-rewitalizacji-walbrzycha-2026-2032"
TITLE = "Gminny Program Rewitalizacji Wałbrzycha 2026–2032"


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def diagnose(programme: Programme, *, by) -> None:
    """Settings, units with boundaries, indicators and their values, as files."""
    diagnosis_services.diagnosis_settings_update(
        programme=programme,
        by=by,
        gmina_area_ha=Decimal(str(demo_files.GMINA_AREA_HA)),
        gmina_residents=demo_files.gmina_residents(),
        reference_year=2025,
        crisis_rules=demo_files.CRISIS_RULES,
    )
    diagnosis_services.units_import(
        programme=programme,
        file=upload("jednostki.csv", demo_files.units_csv(), "text/csv"),
        by=by,
    )
    diagnosis_services.boundaries_import(
        programme=programme,
        file=upload("granice.geojson", demo_files.boundaries_geojson(), "application/geo+json"),
        by=by,
    )
    diagnosis_services.indicator_add_from_catalogue(
        programme=programme, codes=demo_files.INDICATORS, by=by
    )
    diagnosis_services.values_import(
        programme=programme,
        file=upload("wartosci.csv", demo_files.values_csv(), "text/csv"),
        by=by,
    )


def load(*, coordinator, editor=None, observer=None) -> Programme | None:
    if Programme.objects.filter(slug=SLUG).exists():
        return None
    gmina = TerytUnit.objects.get(code=demo_files.GMINA_CODE)
    programme = programme_services.programme_create(
        by=coordinator,
        title=TITLE,
        gmina=gmina,
        description=(
            "Program rewitalizacji społecznej opracowany z Modelowym Standardem Aktywnej "
            "Integracji: diagnoza 30 jednostek urbanistycznych miasta, obszar rewitalizacji "
            "wyznaczony w granicach ustawy, partnerstwo lokalne, plan działań i monitoring "
            "rezultatów. Dane demonstracyjne."
        ),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2032, 12, 31),
    )
    Programme.objects.filter(pk=programme.pk).update(slug=SLUG)
    programme.refresh_from_db()
    for user, role in ((editor, "editor"), (observer, "viewer")):
        if user is not None:
            programme_services.member_add(
                programme=programme, email=user.email, role=role, by=coordinator
            )
    diagnose(programme, by=coordinator)
    return programme
