"""Factories of the diagnosis: units (with boundaries on a grid), indicators from the
catalogue and values, made in bulk so that tests with hundreds of units stay quick."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import box, mapping

from lokalnie.revitalization import catalogue
from lokalnie.revitalization.calc.geometry import area_ha
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Unit, UnitValue
from lokalnie.revitalization.tests.factories import make_programme

DATA = Path(__file__).parent / "data"
# The sample files' gmina (tests/data/units.csv and boundaries.geojson).
SAMPLE_AREA_HA = Decimal("614.44")
SAMPLE_RESIDENTS = 4000


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content)


def data_file(name: str) -> SimpleUploadedFile:
    return upload(name, (DATA / name).read_bytes())


def sample_programme(**kwargs) -> Programme:
    """A programme whose gmina matches the sample files."""
    kwargs.setdefault("gmina_area_ha", SAMPLE_AREA_HA)
    kwargs.setdefault("gmina_residents", SAMPLE_RESIDENTS)
    return make_programme(**kwargs)


def grid_geometry(number: int, columns: int = 20, size: float = 0.01) -> dict:
    x = 19.2 + (number % columns) * size
    y = 51.6 + (number // columns) * size
    return mapping(box(x, y, x + size, y + size))


def make_units(
    programme: Programme, count: int = 10, *, geometry: bool = False, seed: int = 1
) -> list[Unit]:
    """``count`` units (U001, U002, …) with varied residents; the programme's gmina totals
    are set to their sums. With ``geometry``, each unit is a cell of a grid near Łódź
    and its area is computed from it."""
    rng = random.Random(seed)
    units = []
    for number in range(count):
        shape = grid_geometry(number) if geometry else None
        units.append(
            Unit(
                programme=programme,
                code=f"U{number + 1:03d}",
                name=f"Osiedle {number + 1}",
                residents=rng.randint(200, 5000),
                area_ha=Decimal(f"{area_ha(shape):.2f}")
                if shape
                else Decimal(rng.randint(50, 400)),
                geometry=shape,
                area_from_geometry=bool(shape),
            )
        )
    Unit.objects.bulk_create(units)
    programme.gmina_area_ha = sum((unit.area_ha for unit in units), Decimal(0))
    programme.gmina_residents = sum(unit.residents for unit in units)
    programme.save(update_fields=["gmina_area_ha", "gmina_residents"])
    return list(Unit.objects.filter(programme=programme).order_by("code"))


def add_catalogue_indicators(programme: Programme, codes) -> list[DiagnosisIndicator]:
    indicators = []
    for position, code in enumerate(codes):
        entry = catalogue.BY_CODE[code]
        indicators.append(
            DiagnosisIndicator.objects.create(
                programme=programme,
                code=code,
                catalogue_code=code,
                name=entry.name_pl,
                sphere=entry.sphere,
                direction=entry.direction,
                aggregation=entry.aggregation,
                per=entry.per,
                unit_label=entry.unit_pl,
                base_label=entry.base_pl,
                source=entry.source,
                position=position,
            )
        )
    return indicators


DEFAULT_CODES = ("bezrobocie", "pomoc_spoleczna", "podmioty_gospodarcze", "budynki_do_remontu")


def make_values(programme: Programme, units, indicators, *, seed: int = 2) -> None:
    """A value for every unit and indicator: counts for rates (base blank), 20–80 for means."""
    rng = random.Random(seed)
    rows = []
    for unit in units:
        for indicator in indicators:
            if indicator.aggregation == "mean":
                value = rng.uniform(20, 80)
            else:
                value = round(unit.residents * rng.uniform(0.01, 0.2))
            rows.append(UnitValue(unit=unit, indicator=indicator, value=value, base=None))
    UnitValue.objects.bulk_create(rows)


def make_diagnosis(
    *, units: int = 10, geometry: bool = False, codes=DEFAULT_CODES, **programme_fields
) -> Programme:
    """A programme with ``units`` units, indicators from the catalogue and every value."""
    programme = make_programme(**programme_fields)
    made = make_units(programme, units, geometry=geometry)
    indicators = add_catalogue_indicators(programme, codes)
    make_values(programme, made, indicators)
    return programme
