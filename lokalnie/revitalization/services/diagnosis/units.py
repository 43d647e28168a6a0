"""The unit list (CSV or XLSX) and the units' boundaries (GeoJSON)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.calc import geometry as geo
from lokalnie.revitalization.models import Programme, Unit
from lokalnie.revitalization.services.diagnosis._common import (
    TOLERANCE,
    ImportReport,
    _filename,
    _format,
    _ha,
    _locked,
    _settings_missing,
    _totals_problems,
)
from lokalnie.revitalization.tabular import Cells, Problem, TableError, read_table, read_upload

MAX_UNITS = 20_000
GEOJSON_MAX_BYTES = 20 * 1024 * 1024
UNIT_COLUMNS = ("unit_id", "name", "residents", "area_ha")

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
