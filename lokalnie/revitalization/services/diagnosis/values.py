"""The indicators' values per unit (CSV or XLSX, long or wide form)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.calc.indices import MEAN
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Unit, UnitValue
from lokalnie.revitalization.services.diagnosis._common import (
    BASE_SUFFIXES,
    ImportReport,
    _filename,
    _locked,
)
from lokalnie.revitalization.services.diagnosis.indicators import clean_indicator_code
from lokalnie.revitalization.tabular import Cells, Problem, TableError, read_table

MAX_VALUE = 1e12  # larger numbers are refused as implausible


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
