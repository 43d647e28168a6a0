"""Forms of the diagnosis: the settings, the file imports and the indicators."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.revitalization import catalogue
from lokalnie.revitalization.calc.indices import SPHERES
from lokalnie.revitalization.models import DiagnosisIndicator, Sphere
from lokalnie.revitalization.services.diagnosis import CRISIS_MAX, GEOJSON_MAX_BYTES
from lokalnie.revitalization.tabular import MAX_BYTES


class SettingsForm(forms.Form):
    gmina_area_ha = forms.DecimalField(
        label=_("Area of the gmina (ha)"),
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        required=False,
        localize=True,  # "614,44" as Polish users write it
        help_text=_("From the same source as the units' areas (e.g. GUS, land register)."),
    )
    gmina_residents = forms.IntegerField(
        label=_("Residents of the gmina"),
        min_value=1,
        required=False,
        help_text=_("From the same source and year as the units' residents."),
    )
    reference_year = forms.IntegerField(
        label=_("Year of the diagnosis data"), min_value=1990, max_value=2100, required=False
    )

    def __init__(self, *args, indicator_counts: dict[str, int], defaults: dict[str, int], **kw):
        super().__init__(*args, **kw)
        for sphere in SPHERES:
            count = indicator_counts.get(sphere, 0)
            self.fields[f"crisis_{sphere}"] = forms.IntegerField(
                label=_("Crisis in the %(sphere)s sphere: at least this many indicators worse")
                % {"sphere": Sphere(sphere).label},
                min_value=1,
                max_value=CRISIS_MAX,
                required=False,
                help_text=_(
                    "The sphere has %(count)s indicators. Blank: the default (%(default)s)."
                )
                % {"count": count, "default": defaults[sphere]},
            )

    def crisis_rules(self) -> dict[str, int | None]:
        return {sphere: self.cleaned_data.get(f"crisis_{sphere}") for sphere in SPHERES}


def _table_help():
    return _("CSV (UTF-8 or Windows-1250, “;” or “,”) or XLSX, at most %(size)s MB.") % {
        "size": MAX_BYTES // 1024 // 1024
    }


class TableImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    sheet = forms.CharField(
        label=_("Sheet (XLSX only)"),
        max_length=100,
        required=False,
        help_text=_("Blank: the first sheet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _table_help()


class UnitsImportForm(TableImportForm):
    prefix = "units"  # the page has two file forms: their fields need distinct ids
    remove_missing = forms.BooleanField(
        label=_("Remove units missing from the file, with their indicator values"),
        required=False,
    )


class BoundariesImportForm(forms.Form):
    prefix = "boundaries"
    file = forms.FileField(label=_("GeoJSON file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A FeatureCollection of Polygons or MultiPolygons in WGS84 (or PUWG 1992), each "
            "with a property “id” (or “kod”) holding the unit's id; at most %(size)s MB."
        ) % {"size": GEOJSON_MAX_BYTES // 1024 // 1024}


class CatalogueForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Indicators from the catalogue"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one indicator.")},
    )

    def __init__(self, *args, present: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [
            (entry.code, f"{entry.name} ({Sphere(entry.sphere).label})")
            for entry in catalogue.CATALOGUE
            if entry.code not in present
        ]


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Letters, digits and “_”: the header of the indicator's column in the values file."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    sphere = forms.ChoiceField(label=_("Sphere"), choices=Sphere.choices)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=DiagnosisIndicator.Direction.choices,
        widget=forms.RadioSelect,
    )
    aggregation = forms.ChoiceField(
        label=_("How it is computed"),
        choices=DiagnosisIndicator.Aggregation.choices,
        widget=forms.RadioSelect,
        initial=DiagnosisIndicator.Aggregation.RATE,
    )
    per = forms.IntegerField(
        label=_("Per"),
        min_value=1,
        max_value=1_000_000,
        initial=100,
        help_text=_("For a rate: per how many of the base (e.g. 100 or 1000)."),
    )
    unit_label = forms.CharField(label=_("Unit"), max_length=60, required=False)
    base_label = forms.CharField(
        label=_("Base"),
        max_length=120,
        required=False,
        help_text=_("For a rate: what the count is divided by (blank in the file: residents)."),
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
