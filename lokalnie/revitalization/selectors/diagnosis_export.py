"""The diagnosis's files: the results as CSV and the template files to fill in (the
programme's own units and indicators when it has them, an example otherwise)."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from lokalnie.revitalization.calc.indices import DiagnosisResult
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Unit
from lokalnie.revitalization.selectors.diagnosis_pages import sphere_label

# Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

TEMPLATES = {
    "jednostki": "jednostki.csv",
    "wartosci-dlugie": "wartosci-dlugie.csv",
    "wartosci-szerokie": "wartosci-szerokie.csv",
    "granice": "granice-przyklad.geojson",
}


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(rows) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel then reads the Polish letters right
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue()


def _ha_text(value) -> str:
    return f"{value:.2f}".replace(".", ",")


def results_csv_text(programme: Programme, result: DiagnosisResult) -> str:
    """Every unit's values, ratios, standardized values, indices and flags (CSV, ``;``)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    header = [_("unit id"), _("name"), _("residents"), _("area (ha)")]
    for indicator in result.indicators:
        header += [
            indicator.code,
            f"{indicator.code} / {_('gmina')}",
            f"{indicator.code} z",
            f"{indicator.code} {_('worse')}",
        ]
    for sphere in result.spheres:
        header += [
            f"{_('index')} {sphere_label(sphere)}",
            f"{_('crisis')} {sphere_label(sphere)}",
        ]
    header += [_("composite index"), _("degraded area")]
    writer.writerow(header)
    yes, no = _("yes"), _("no")

    def number(value):
        return "" if value is None else f"{value:.4f}".replace(".", ",")

    gmina = [_("gmina"), programme.gmina.name, programme.gmina_residents or "", ""]
    for indicator in result.indicators:
        gmina += [number(result.gmina_values[indicator.code]), "", "", ""]
    writer.writerow(gmina)
    for unit in result.units:
        row = [safe_text(unit.code), safe_text(unit.name), unit.residents, number(unit.area_ha)]
        for indicator in result.indicators:
            code = indicator.code
            row += [
                number(unit.values[code]),
                number(unit.ratios[code]),
                number(unit.z[code]),
                yes if unit.worse[code] else no,
            ]
        for sphere in result.spheres:
            row += [number(unit.sphere_index[sphere]), yes if unit.crisis[sphere] else no]
        row += [number(unit.composite), yes if unit.degraded else no]
        writer.writerow(row)
    return buffer.getvalue()


def template_content(programme: Programme, name: str) -> tuple[str, str]:
    """The text and content type of the template file ``name`` (a key of TEMPLATES)."""
    units = list(
        Unit.objects.filter(programme=programme)
        .order_by("code")
        .values_list("code", "name", "residents", "area_ha")
    )
    codes = list(
        DiagnosisIndicator.objects.filter(programme=programme).values_list("code", flat=True)
    ) or ["bezrobocie", "pomoc_spoleczna"]
    examples = [("A01", "Śródmieście", 1200, 150.5), ("A02", "Osiedle Północ", 800, 155)]
    if name == "jednostki":
        rows = [["id", "nazwa", "mieszkancy", "powierzchnia_ha"]]
        rows += [[safe_text(c), safe_text(n), r, _ha_text(a)] for c, n, r, a in units or examples]
        return csv_text(rows), "text/csv; charset=utf-8"
    unit_codes = [row[0] for row in units] or [row[0] for row in examples]
    if name == "wartosci-dlugie":
        rows = [["unit_id", "indicator", "value", "base"]]
        rows += [[unit, code, "", ""] for unit in unit_codes for code in codes]
        return csv_text(rows), "text/csv; charset=utf-8"
    if name == "wartosci-szerokie":
        header = ["unit_id"]
        for code in codes:
            header += [code, f"{code}_base"]
        rows = [header] + [[unit] + [""] * (2 * len(codes)) for unit in unit_codes]
        return csv_text(rows), "text/csv; charset=utf-8"
    example = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": unit, "nazwa": label},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[x, 51.76], [x + 0.02, 51.76], [x + 0.02, 51.77], [x, 51.77], [x, 51.76]]
                    ],
                },
            }
            for (unit, label, _r, _a), x in zip(examples, (19.40, 19.42), strict=True)
        ],
    }
    return json.dumps(example, ensure_ascii=False, indent=1), "application/geo+json"
