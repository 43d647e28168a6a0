"""Writes of the diagnosis: the gmina's settings, the unit list and its boundaries, the
indicators and their values.

Every write checks ``revitalization.edit`` on the programme, reads and checks the whole
input before touching the database, happens in one transaction (the programme's row is
locked, so two imports at once run one after the other) and is written to the audit log
with the programme as its object. A refused file raises ``TableError`` whose
``problems`` name the row and column (or the GeoJSON feature) of each problem; nothing of
it is stored.

**The unit file is the complete list of the gmina's units.** Units are matched by id:
a unit whose id is in the file is updated in place (its values, boundary and the
delimitation's decisions on it stay); new ids are added; units missing from the file are
removed. Removing a unit that has indicator values needs ``remove_missing=True`` (a typo
in an id would otherwise silently delete its data): without it the file is refused,
naming those units. The areas of the units must add up to the gmina's area, and their
residents to the gmina's residents, within ``TOLERANCE`` (1%) — a missing unit, or an
area in m² instead of ha, is caught there. Units whose area was computed from their
boundary keep that area.

**Boundaries** (GeoJSON) replace the boundary and the area of the units they name (the
area is then computed on the ellipsoid and flagged as such); units not in the file keep
what they had. **Values** are added or replaced per unit and indicator; a blank cell
changes nothing (remove an indicator to remove its values)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization import catalogue
from lokalnie.revitalization.calc import geometry as geo
from lokalnie.revitalization.calc.indices import MEAN, SPHERES
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Sphere, Unit, UnitValue
from lokalnie.revitalization.tabular import (
    ALIASES,
    Cells,
    Problem,
    TableError,
    normalize_header,
    read_table,
    read_upload,
)

TOLERANCE = Decimal("0.01")  # the units' total area and residents against the gmina's
MAX_UNITS = 20_000
GEOJSON_MAX_BYTES = 20 * 1024 * 1024
MAX_VALUE = 1e12  # larger numbers are refused as implausible
UNIT_COLUMNS = ("unit_id", "name", "residents", "area_ha")
# Headers that mean a base column in the wide form of the values file: "<code>_base".
BASE_SUFFIXES = ("_base", "_podstawa", "_mianownik")
# Codes an indicator may not take: they already mean a column of the files.
RESERVED_CODES = {name for names in ALIASES.values() for name in names} | set(ALIASES)
CRISIS_MAX = 50


@dataclass
class ImportReport:
    """What an import did, for the page's message and the audit log."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    notes: list[str] = field(default_factory=list)


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _filename(file) -> str:
    return str(getattr(file, "name", "") or "")[:200]


def _ha(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _format(number) -> str:
    """12345.5 → "12 345,5" would be locale work; keep the plain form with a space."""
    if isinstance(number, Decimal | float) and number != int(number):
        return f"{number:,.2f}".replace(",", " ")
    return f"{int(number):,}".replace(",", " ")


def _totals_problems(
    programme: Programme, *, area: Decimal, residents: int, count: int
) -> list[Problem]:
    """Problems when the units do not add up to the gmina (within TOLERANCE)."""
    problems = []
    gmina_area = programme.gmina_area_ha
    if gmina_area and abs(area - gmina_area) > gmina_area * TOLERANCE:
        problems.append(
            Problem(
                _(
                    "The areas of the %(count)s units add up to %(units)s ha, but the gmina's "
                    "area is %(gmina)s ha: a difference of %(share)s%%, more than the %(limit)s%% "
                    "allowed. Is a unit missing, or an area given in m² or km² instead of ha?"
                )
                % {
                    "count": count,
                    "units": _format(area),
                    "gmina": _format(gmina_area),
                    "share": f"{abs(area - gmina_area) / gmina_area * 100:.1f}",
                    "limit": f"{float(TOLERANCE * 100):g}",
                },
                column=_("area (ha)"),
            )
        )
    gmina_residents = programme.gmina_residents
    if gmina_residents and abs(residents - gmina_residents) > gmina_residents * TOLERANCE:
        problems.append(
            Problem(
                _(
                    "The residents of the %(count)s units add up to %(units)s, but the gmina "
                    "has %(gmina)s residents: a difference of %(share)s%%, more than the "
                    "%(limit)s%% allowed. Is a unit missing, or are the numbers from another "
                    "year or source than the gmina's?"
                )
                % {
                    "count": count,
                    "units": _format(residents),
                    "gmina": _format(gmina_residents),
                    "share": f"{abs(residents - gmina_residents) / gmina_residents * 100:.1f}",
                    "limit": f"{float(TOLERANCE * 100):g}",
                },
                column=_("residents"),
            )
        )
    return problems


def _settings_missing(programme: Programme) -> None:
    if programme.gmina_area_ha is None or programme.gmina_residents is None:
        raise TableError(
            [
                Problem(
                    _(
                        "Enter the gmina's area and number of residents in the diagnosis "
                        "settings first: the units are checked against them."
                    )
                )
            ]
        )


# --- Settings --------------------------------------------------------------------------


@transaction.atomic
def diagnosis_settings_update(
    *,
    programme: Programme,
    by,
    gmina_area_ha: Decimal | None,
    gmina_residents: int | None,
    reference_year: int | None,
    crisis_rules: dict[str, int | None],
) -> Programme:
    """The gmina's totals, the year of the data and the crisis rule per sphere
    (sphere → k, or None for the default). When units exist, the totals must still
    agree with them (within TOLERANCE)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    errors: dict[str, list[str]] = {}
    rules = {}
    for sphere, k in (crisis_rules or {}).items():
        if sphere not in SPHERES:
            raise ValueError(f"Not a sphere: {sphere}")
        if k is None:
            continue
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= CRISIS_MAX:
            errors.setdefault(f"crisis_{sphere}", []).append(
                _("Give a whole number from 1 to %(max)s, or leave it blank for the default.")
                % {"max": CRISIS_MAX}
            )
            continue
        rules[sphere] = k
    if gmina_area_ha is not None and gmina_area_ha <= 0:
        errors.setdefault("gmina_area_ha", []).append(_("The area must be greater than 0."))
    if gmina_residents is not None and gmina_residents <= 0:
        errors.setdefault("gmina_residents", []).append(
            _("The number of residents must be greater than 0.")
        )
    if errors:
        raise ValidationError(errors)
    totals = Unit.objects.filter(programme=programme).aggregate(
        count=Count("pk"), area=Sum("area_ha"), residents=Sum("residents")
    )
    if totals["count"]:
        draft = Programme(gmina_area_ha=gmina_area_ha, gmina_residents=gmina_residents)
        problems = _totals_problems(
            draft, area=totals["area"], residents=totals["residents"], count=totals["count"]
        )
        if problems:
            raise ValidationError([p.message for p in problems])
    new = {
        "gmina_area_ha": gmina_area_ha,
        "gmina_residents": gmina_residents,
        "reference_year": reference_year,
        "crisis_rules": rules,
    }
    changed = {}
    for name, value in new.items():
        old = getattr(programme, name)
        if old != value:
            changed[name] = [_jsonable(old), _jsonable(value)]
            setattr(programme, name, value)
    if changed:
        programme.save(update_fields=list(changed))
        audit_record(
            actor=by,
            action="revitalization.diagnosis.settings_updated",
            obj=programme,
            data=changed,
        )
    return programme


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- Units -----------------------------------------------------------------------------


@transaction.atomic
def units_import(
    *, programme: Programme, file, by, remove_missing: bool = False, sheet: str | None = None
) -> ImportReport:
    """Import the complete unit list from CSV or XLSX (see the module's docstring)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    _settings_missing(programme)
    table = read_table(file, required=UNIT_COLUMNS, sheet=sheet, max_rows=MAX_UNITS)
    cells = Cells(table)
    rows: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    for row in table.rows:
        code = cells.text(row, "unit_id", max_length=40)
        name = cells.text(row, "name", max_length=200)
        residents = cells.number(
            row, "residents", integer=True, minimum=0, maximum=programme.gmina_residents
        )
        area = cells.number(row, "area_ha", minimum=0.01, maximum=float(programme.gmina_area_ha))
        if code is not None:
            if code in first_row:
                cells.problem(
                    row,
                    "unit_id",
                    _("The unit id “%(code)s” is already used in row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            else:
                first_row[code] = row.number
        if cells.full:
            break
        if None not in (code, name, residents, area):
            rows[code] = {"name": name, "residents": int(residents), "area_ha": _ha(area)}
    if not table.rows:
        cells.problem(None, None, _("The file has a header but no units."))
    if cells.problems:
        raise TableError(cells.problems)

    existing = {
        unit.code: unit
        for unit in Unit.objects.filter(programme=programme)
        .defer("geometry")
        .annotate(value_count=Count("values"))
    }
    report = ImportReport()
    ignored = [table.label(c) for c in table.columns if c not in UNIT_COLUMNS]
    if ignored:
        report.notes.append(
            _("Columns not used: %(columns)s.") % {"columns": ", ".join(ignored[:20])}
        )
    kept_area = [code for code in rows if code in existing and existing[code].area_from_geometry]
    for code in kept_area:
        rows[code]["area_ha"] = existing[code].area_ha
    if kept_area:
        report.notes.append(
            ngettext(
                "%(count)s unit keeps the area computed from its boundary.",
                "%(count)s units keep the area computed from their boundaries.",
                len(kept_area),
            )
            % {"count": len(kept_area)}
        )
    missing = [unit for code, unit in existing.items() if code not in rows]
    with_values = [unit for unit in missing if unit.value_count]
    problems = []
    if with_values and not remove_missing:
        problems.append(
            Problem(
                ngettext(
                    "This unit is not in the file but has indicator values: %(units)s. Keep "
                    "it in the file, or tick “remove units missing from the file” to remove "
                    "it with its values.",
                    "These units are not in the file but have indicator values: %(units)s. "
                    "Keep them in the file, or tick “remove units missing from the file” to "
                    "remove them with their values.",
                    len(with_values),
                )
                % {"units": ", ".join(unit.code for unit in with_values[:20])},
                column=table.label("unit_id"),
            )
        )
    problems += _totals_problems(
        programme,
        area=sum((row["area_ha"] for row in rows.values()), Decimal(0)),
        residents=sum(row["residents"] for row in rows.values()),
        count=len(rows),
    )
    if problems:
        raise TableError(problems)

    removed_values = sum(unit.value_count for unit in missing)
    Unit.objects.filter(pk__in=[unit.pk for unit in missing]).delete()
    to_update = []
    for code, data in rows.items():
        unit = existing.get(code)
        if unit is None:
            continue
        if (unit.name, unit.residents, unit.area_ha) != (
            data["name"],
            data["residents"],
            data["area_ha"],
        ):
            unit.name, unit.residents, unit.area_ha = (
                data["name"],
                data["residents"],
                data["area_ha"],
            )
            to_update.append(unit)
    Unit.objects.bulk_update(to_update, ["name", "residents", "area_ha"], batch_size=500)
    Unit.objects.bulk_create(
        [
            Unit(programme=programme, code=code, **data)
            for code, data in rows.items()
            if code not in existing
        ],
        batch_size=500,
    )
    report.created = sum(1 for code in rows if code not in existing)
    report.updated = len(to_update)
    report.removed = len(missing)
    if removed_values:
        report.notes.append(
            ngettext(
                "%(count)s indicator value of the removed units was removed with them.",
                "%(count)s indicator values of the removed units were removed with them.",
                removed_values,
            )
            % {"count": removed_values}
        )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.units_imported",
        obj=programme,
        data={
            "file": _filename(file),
            "format": table.kind,
            "units": len(rows),
            "created": report.created,
            "updated": report.updated,
            "removed": [unit.code for unit in missing][:200],
            "removed_values": removed_values,
        },
    )
    return report


# --- Boundaries ------------------------------------------------------------------------


def _geometry_message(problem: geo.Problem) -> str:
    messages = {
        "not_json": _("The file is not valid JSON (%(detail)s)."),
        "not_collection": _(
            "The file is not a GeoJSON FeatureCollection (its type is %(detail)s)."
        ),
        "no_features": _("The collection has no features."),
        "too_many_features": _("The file has %(detail)s features; the limit is %(limit)s."),
        "too_many_points": _(
            "The boundaries have %(detail)s points; the limit is %(points)s. Simplify them "
            "(e.g. in QGIS: Vector → Geometry Tools → Simplify)."
        ),
        "crs": _(
            "The coordinate system “%(detail)s” is not supported: save the file in WGS84 "
            "(EPSG:4326) or PUWG 1992 (EPSG:2180)."
        ),
        "projected": _(
            "The coordinates are in metres but the file does not say in which system. Save "
            "it in WGS84 (EPSG:4326)."
        ),
        "not_feature": _("The item is not a GeoJSON Feature."),
        "no_geometry": _("The feature has no geometry."),
        "geometry_type": _(
            "The geometry is a %(detail)s; a unit's boundary must be a Polygon or MultiPolygon."
        ),
        "coordinates": _("The coordinates are malformed."),
        "empty": _("The geometry is empty."),
        "swapped": _(
            "Longitude and latitude are swapped (latitude is given first); GeoJSON "
            "gives longitude first."
        ),
        "outside": _(
            "The boundary lies outside Poland (bounds: %(detail)s). Is the file in another "
            "coordinate system?"
        ),
        "invalid": _("The boundary is not a valid polygon: %(detail)s."),
        "no_id": _(
            "The feature has no unit id: give it a property “id” (or “kod”) with the unit's id."
        ),
        "duplicate_id": _("The unit id is already used by feature %(detail)s."),
    }
    message = messages.get(problem.kind, problem.kind) % {
        "detail": problem.detail,
        "limit": geo.MAX_FEATURES,
        "points": geo.MAX_POINTS,
    }
    if problem.feature and problem.unit_id:
        return _("Feature %(number)s (unit id “%(unit)s”): %(message)s") % {
            "number": problem.feature,
            "unit": problem.unit_id,
            "message": message,
        }
    if problem.feature:
        return _("Feature %(number)s: %(message)s") % {
            "number": problem.feature,
            "message": message,
        }
    return message


@transaction.atomic
def boundaries_import(*, programme: Programme, file, by) -> ImportReport:
    """Import the units' boundaries from a GeoJSON FeatureCollection (see the module's
    docstring). Every feature must name a unit of the list."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    data = read_upload(file, max_bytes=GEOJSON_MAX_BYTES)
    if not data.strip():
        raise TableError([Problem(_("The file is empty."))])
    try:
        features = geo.read_features(data)
    except geo.GeoJSONError as exc:
        raise TableError([Problem(_geometry_message(p)) for p in exc.problems[:100]]) from None
    units = {unit.code: unit for unit in Unit.objects.filter(programme=programme).defer("geometry")}
    if not units:
        raise TableError([Problem(_("Import the unit list first, then their boundaries."))])
    problems = [
        Problem(
            _("Feature %(number)s: the unit id “%(unit)s” is not in the unit list.")
            % {"number": feature.number, "unit": feature.unit_id}
        )
        for feature in features
        if feature.unit_id not in units
    ]
    if problems:
        raise TableError(problems[:100])
    report = ImportReport()
    changed_area = []
    for feature in features:
        unit = units[feature.unit_id]
        area = max(_ha(feature.area_ha), Decimal("0.01"))
        typed = unit.area_ha
        if typed and abs(area - typed) > typed * TOLERANCE:
            changed_area.append(f"{unit.code}: {_format(typed)} → {_format(area)} ha")
        unit.geometry = feature.geometry
        unit.area_ha = area
        unit.area_from_geometry = True
    problems = _totals_problems(
        programme,
        area=sum((unit.area_ha for unit in units.values()), Decimal(0)),
        residents=sum(unit.residents for unit in units.values()),
        count=len(units),
    )
    if problems:
        raise TableError(problems)
    Unit.objects.bulk_update(
        [units[feature.unit_id] for feature in features],
        ["geometry", "area_ha", "area_from_geometry"],
        batch_size=200,
    )
    report.updated = len(features)
    without = Unit.objects.filter(programme=programme, geometry__isnull=True).count()
    if changed_area:
        report.notes.append(
            ngettext(
                "The area computed from the boundary differs by more than %(limit)s%% from "
                "the one typed for this unit: %(units)s.",
                "The areas computed from the boundaries differ by more than %(limit)s%% from "
                "those typed for these units: %(units)s.",
                len(changed_area),
            )
            % {"limit": f"{float(TOLERANCE * 100):g}", "units": "; ".join(changed_area[:20])}
        )
    if without > 0:
        report.notes.append(
            ngettext(
                "%(count)s unit has no boundary yet.",
                "%(count)s units have no boundary yet.",
                without,
            )
            % {"count": without}
        )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.boundaries_imported",
        obj=programme,
        data={
            "file": _filename(file),
            "features": len(features),
            "area_changed": changed_area[:200],
        },
    )
    return report


# --- Indicators ------------------------------------------------------------------------


def _next_position(programme: Programme) -> int:
    top = DiagnosisIndicator.objects.filter(programme=programme).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


@transaction.atomic
def indicator_add_from_catalogue(
    *, programme: Programme, codes: Iterable[str], by
) -> list[DiagnosisIndicator]:
    """Add indicators of the standard catalogue (with its Polish names and labels)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ValidationError({"codes": _("Choose at least one indicator.")})
    unknown = [code for code in codes if code not in catalogue.BY_CODE]
    if unknown:
        raise ValidationError({"codes": _("Not in the catalogue: %s") % ", ".join(unknown)})
    present = set(
        DiagnosisIndicator.objects.filter(programme=programme, code__in=codes).values_list(
            "code", flat=True
        )
    )
    if present:
        raise ValidationError(
            {
                "codes": _("Already in the diagnosis: %(codes)s.")
                % {"codes": ", ".join(sorted(present))}
            }
        )
    position = _next_position(programme)
    created = []
    for number, code in enumerate(codes):
        entry = catalogue.BY_CODE[code]
        created.append(
            DiagnosisIndicator.objects.create(
                programme=programme,
                code=entry.code,
                catalogue_code=entry.code,
                name=entry.name_pl,
                sphere=entry.sphere,
                direction=entry.direction,
                aggregation=entry.aggregation,
                per=entry.per,
                unit_label=entry.unit_pl,
                base_label=entry.base_pl,
                source=entry.source,
                position=position + number,
            )
        )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicators_added",
        obj=programme,
        data={"codes": codes, "from": "catalogue"},
    )
    return created


def clean_indicator_code(code: str) -> str:
    """The code as the files' headers will match it: lower case, no diacritics, ``_``."""
    return normalize_header(code)[:40]


@transaction.atomic
def indicator_define(
    *,
    programme: Programme,
    by,
    code: str,
    name: str,
    sphere: str,
    direction: str,
    aggregation: str,
    per: int = 100,
    unit_label: str = "",
    base_label: str = "",
    source: str = "",
) -> DiagnosisIndicator:
    """An indicator of the team's own. ``code`` is normalized (it is the header of its
    column in the wide values file)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    errors: dict[str, list[str]] = {}
    clean = clean_indicator_code(code)
    if not clean:
        errors["code"] = [_("Give a code of letters, digits and underscores, e.g. “eviction”.")]
    elif clean in RESERVED_CODES or clean.endswith(BASE_SUFFIXES):
        errors["code"] = [
            _("“%(code)s” already means a column of the files; choose another code.")
            % {"code": clean}
        ]
    elif DiagnosisIndicator.objects.filter(programme=programme, code=clean).exists():
        errors["code"] = [
            _("The diagnosis already has an indicator with the code “%(code)s”.") % {"code": clean}
        ]
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Give the indicator a name.")]
    if sphere not in Sphere.values:
        errors["sphere"] = [_("Choose a sphere.")]
    if direction not in DiagnosisIndicator.Direction.values:
        errors["direction"] = [_("Choose whether a higher value is worse or better.")]
    if aggregation not in DiagnosisIndicator.Aggregation.values:
        errors["aggregation"] = [_("Choose how the indicator is computed.")]
    if aggregation != MEAN and (not isinstance(per, int) or not 1 <= per <= 1_000_000):
        errors["per"] = [_("Give a whole number from 1 to 1,000,000 (e.g. 100 or 1,000).")]
    if errors:
        raise ValidationError(errors)
    indicator = DiagnosisIndicator.objects.create(
        programme=programme,
        code=clean,
        name=name[:200],
        sphere=sphere,
        direction=direction,
        aggregation=aggregation,
        per=1 if aggregation == MEAN else per,
        unit_label=unit_label.strip()[:60],
        base_label=base_label.strip()[:120],
        source=source.strip()[:300],
        position=_next_position(programme),
    )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicator_defined",
        obj=programme,
        data={
            "code": clean,
            "name": indicator.name,
            "sphere": sphere,
            "direction": direction,
            "aggregation": aggregation,
            "per": indicator.per,
        },
    )
    return indicator


@transaction.atomic
def indicator_remove(*, programme: Programme, indicator: DiagnosisIndicator, by) -> int:
    """Remove the indicator with its values; the number of values removed."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    if indicator.programme_id != programme.pk:
        raise ValueError("The indicator belongs to another programme.")
    values = UnitValue.objects.filter(indicator=indicator).count()
    code = indicator.code
    indicator.delete()
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicator_removed",
        obj=programme,
        data={"code": code, "values_removed": values},
    )
    return values


# --- Values ----------------------------------------------------------------------------


def _wide_columns(table, indicators, cells) -> tuple[dict, dict]:
    """Value columns (header → indicator) and base columns (header → indicator)."""
    value_columns, base_columns = {}, {}
    ignored = {"unit_id", "name", "residents", "area_ha"}
    for column in table.columns:
        if column in ignored:
            continue
        if column in indicators:
            value_columns[column] = indicators[column]
            continue
        suffix = next((s for s in BASE_SUFFIXES if column.endswith(s)), None)
        if suffix and column[: -len(suffix)] in indicators:
            base_columns[column] = indicators[column[: -len(suffix)]]
            continue
        cells.problem(
            None,
            column,
            _(
                "This is not the code of an indicator of this diagnosis (nor “<code>_base”). "
                "The codes are: %(codes)s."
            )
            % {"codes": ", ".join(sorted(indicators)) or "—"},
        )
    for column, indicator in base_columns.items():
        if indicator.code not in {i.code for i in value_columns.values()}:
            cells.problem(
                None,
                column,
                _("There is a base column but no column “%(code)s” with the values.")
                % {"code": indicator.code},
            )
    if not value_columns and not cells.problems:
        cells.problem(
            None,
            None,
            _(
                "The file has no column of values: give either the columns unit_id, "
                "indicator, value (and base), or unit_id and one column per indicator code."
            ),
        )
    return value_columns, base_columns


def _value(cells, row, column, indicator) -> float | None:
    if indicator.aggregation == MEAN:
        return cells.number(row, column, minimum=-MAX_VALUE, maximum=MAX_VALUE)
    return cells.number(row, column, minimum=0, maximum=MAX_VALUE)


@transaction.atomic
def values_import(*, programme: Programme, file, by, sheet: str | None = None) -> ImportReport:
    """Import indicator values from CSV or XLSX, in the long form (``unit_id``,
    ``indicator``, ``value``, ``base``: one row per unit and indicator) or the wide form
    (``unit_id`` and a column per indicator code, with ``<code>_base`` for its base). A
    blank base means the unit's residents. Rates may not be negative; a base must be
    greater than 0."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    table = read_table(file, required=("unit_id",), sheet=sheet)
    units = dict(Unit.objects.filter(programme=programme).values_list("code", "pk"))
    indicators = {
        clean_indicator_code(indicator.code): indicator
        for indicator in DiagnosisIndicator.objects.filter(programme=programme)
    }
    if not units:
        raise TableError([Problem(_("Import the unit list first, then the values."))])
    if not indicators:
        raise TableError([Problem(_("Add the indicators first, then import their values."))])
    cells = Cells(table)
    pairs: dict[tuple[int, int], tuple[float, float | None]] = {}
    first_row: dict[tuple[int, int], int] = {}

    def unit_of(row):
        code = cells.text(row, "unit_id", max_length=40)
        if code is not None and code not in units:
            cells.problem(
                row,
                "unit_id",
                _("The unit id “%(code)s” is not in the unit list.") % {"code": code},
            )
            return None
        return units.get(code)

    def store(row, unit_pk, indicator, value, base, column):
        key = (unit_pk, indicator.pk)
        if key in first_row:
            cells.problem(
                row,
                column,
                _("The value of this unit and indicator is already given in row %(row)s.")
                % {"row": first_row[key]},
            )
            return
        first_row[key] = row.number
        pairs[key] = (value, base)

    long_form = "indicator" in table.columns
    if long_form:
        for name in ("value",):
            if name not in table.columns:
                raise TableError(
                    [
                        Problem(
                            _(
                                "A column is missing: “value” (the long form needs unit_id, "
                                "indicator, value and optionally base)."
                            ),
                            row=1,
                        )
                    ]
                )
        for row in table.rows:
            unit_pk = unit_of(row)
            code = cells.text(row, "indicator", max_length=60)
            indicator = None
            if code is not None:
                indicator = indicators.get(clean_indicator_code(code))
                if indicator is None:
                    cells.problem(
                        row,
                        "indicator",
                        _(
                            "“%(code)s” is not the code of an indicator of this diagnosis "
                            "(the codes are: %(codes)s)."
                        )
                        % {"code": code, "codes": ", ".join(sorted(indicators))},
                    )
            value = _value(cells, row, "value", indicator) if indicator else None
            base = (
                cells.number(row, "base", required=False, above=0, maximum=MAX_VALUE)
                if "base" in table.columns and indicator and indicator.aggregation != MEAN
                else None
            )
            if None not in (unit_pk, indicator, value):
                store(row, unit_pk, indicator, value, base, "indicator")
            if cells.full:
                break
    else:
        value_columns, base_columns = _wide_columns(table, indicators, cells)
        if cells.problems:
            raise TableError(cells.problems)
        base_of = {indicator.pk: column for column, indicator in base_columns.items()}
        for row in table.rows:
            unit_pk = unit_of(row)
            for column, indicator in value_columns.items():
                base_column = base_of.get(indicator.pk)
                if not row.cells.get(column):
                    if base_column and row.cells.get(base_column):
                        cells.problem(row, column, _("A base is given but the value is empty."))
                    continue
                value = _value(cells, row, column, indicator)
                base = None
                if base_column and indicator.aggregation != MEAN:
                    base = cells.number(
                        row, base_column, required=False, above=0, maximum=MAX_VALUE
                    )
                if unit_pk is not None and value is not None:
                    store(row, unit_pk, indicator, value, base, column)
            if cells.full:
                break
    if not table.rows:
        cells.problem(None, None, _("The file has a header but no values."))
    if cells.problems:
        raise TableError(cells.problems)

    existing = set(
        UnitValue.objects.filter(unit__programme=programme).values_list("unit_id", "indicator_id")
    )
    UnitValue.objects.bulk_create(
        [
            UnitValue(unit_id=unit_pk, indicator_id=indicator_pk, value=value, base=base)
            for (unit_pk, indicator_pk), (value, base) in pairs.items()
        ],
        update_conflicts=True,
        unique_fields=["unit", "indicator"],
        update_fields=["value", "base"],
        batch_size=1000,
    )
    report = ImportReport(
        created=sum(1 for key in pairs if key not in existing),
        updated=sum(1 for key in pairs if key in existing),
    )
    by_indicator = {}
    for _unit, indicator_pk in pairs:
        by_indicator[indicator_pk] = by_indicator.get(indicator_pk, 0) + 1
    codes = {indicator.pk: indicator.code for indicator in indicators.values()}
    audit_record(
        actor=by,
        action="revitalization.diagnosis.values_imported",
        obj=programme,
        data={
            "file": _filename(file),
            "format": table.kind,
            "form": "long" if long_form else "wide",
            "values": {codes[pk]: count for pk, count in by_indicator.items()},
            "created": report.created,
            "updated": report.updated,
        },
    )
    return report
