"""Factories of the results framework's tests: indicators, periods, targets and
measurements made directly (the services are tested on their own)."""

from __future__ import annotations

import datetime as dt

from lokalnie.revitalization.models import (
    DiagnosisIndicator,
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    ResultIndicator,
    Target,
    Unit,
    UnitValue,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_counter = {"n": 0}


def make_indicator(programme, **fields) -> ResultIndicator:
    _counter["n"] += 1
    fields.setdefault("code", f"W{_counter['n']}")
    fields.setdefault("name", f"Liczba osób aktywnych {_counter['n']}")
    fields.setdefault("kind", ResultIndicator.Kind.QUANTITATIVE)
    fields.setdefault("method", "Listy obecności z zajęć, stan na koniec okresu.")
    fields.setdefault("direction", ResultIndicator.Direction.INCREASE)
    fields.setdefault("unit_label", "osoby")
    return ResultIndicator.objects.create(programme=programme, **fields)


def make_period(programme, year: int = 2026, **fields) -> Period:
    fields.setdefault("label", str(year))
    fields.setdefault("starts_on", dt.date(year, 1, 1))
    fields.setdefault("ends_on", dt.date(year, 12, 31))
    return Period.objects.create(programme=programme, **fields)


def make_target(indicator, period, value: float) -> Target:
    return Target.objects.create(indicator=indicator, period=period, value=value)


def make_measurement(indicator, period, *, breakdown=None, **fields) -> Measurement:
    """``breakdown``: {(dimension, category): value or (value, denominator)}."""
    if indicator.kind == ResultIndicator.Kind.PERCENTAGE and "numerator" in fields:
        fields.setdefault("value", fields["numerator"] / fields["denominator"] * 100)
    measurement = Measurement.objects.create(indicator=indicator, period=period, **fields)
    for (dimension, category), value in (breakdown or {}).items():
        value, denominator = value if isinstance(value, tuple) else (value, None)
        MeasurementBreakdown.objects.create(
            measurement=measurement,
            dimension=dimension,
            category=category,
            value=value,
            denominator=denominator,
        )
    return measurement


def make_evidence(measurement, *, filename="lista-obecnosci.pdf") -> Evidence:
    from django.core.files.base import ContentFile

    evidence = Evidence(
        measurement=measurement,
        filename=filename,
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    evidence.file.save("evidence.pdf", ContentFile(PDF_BYTES), save=False)
    evidence.save()
    return evidence


def make_diagnosis(programme, rows, *, aggregation="rate", per=100, code="BEZR"):
    """A diagnosis indicator with values per unit: rows = [(unit code, residents, value,
    base)]; units are created when missing."""
    indicator = DiagnosisIndicator.objects.create(
        programme=programme,
        code=code,
        name=f"Wskaźnik {code}",
        sphere="social",
        direction="higher_worse",
        aggregation=aggregation,
        per=per,
    )
    for unit_code, residents, value, base in rows:
        unit, _ = Unit.objects.get_or_create(
            programme=programme,
            code=unit_code,
            defaults={"name": f"Jednostka {unit_code}", "residents": residents, "area_ha": 10},
        )
        if value is not None:
            UnitValue.objects.create(unit=unit, indicator=indicator, value=value, base=base)
    return indicator
