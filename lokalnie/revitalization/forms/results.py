"""Forms of the results framework. They only shape the input; the services check the rules
and their errors are put back on the fields by ``add_service_errors``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lokalnie.revitalization.models import ResultIndicator
from lokalnie.revitalization.models.results import BREAKDOWN_CHOICES, BREAKDOWN_DIMENSIONS
from lokalnie.revitalization.services.results import (
    DEFINING_FIELDS,
    EVIDENCE_MAX_BYTES,
    BaselineInput,
    MeasurementInput,
)

Kinds = ResultIndicator.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def number_field(label, **kwargs) -> forms.FloatField:
    kwargs.setdefault("required", False)
    return forms.FloatField(
        label=label,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


def plain(value):
    """A stored float as a form shows it: 40 rather than 40,0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields (on the form itself for the others)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        target = key if key in form.fields and key != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


# --- Indicators -----------------------------------------------------------------------------


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("A short mark used in tables, e.g. W1.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kinds.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Quantitative: a number (e.g. people in a club). Percentage: a numerator over a "
            "denominator (e.g. people who found work out of participants). Qualitative: a "
            "description in words."
        ),
    )
    unit_label = forms.CharField(
        label=_("Unit"),
        max_length=60,
        required=False,
        help_text=_("For example: persons, families, events (not needed for percentages)."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=ResultIndicator.Direction.choices, widget=forms.RadioSelect
    )
    method = forms.CharField(
        label=_("Method of measurement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What is counted, from which source and when, so that every period is measured alike."
        ),
    )
    tolerance_pct = forms.DecimalField(
        label=_("Tolerance (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        localize=True,
        initial=10,
        help_text=_(
            "How far (in % of the target) a measurement may differ from the target and still "
            "be on track. Beyond it the team must explain the deviation."
        ),
    )
    breakdowns = forms.MultipleChoiceField(
        label=_("Required breakdowns"),
        choices=BREAKDOWN_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Sex: women, men. Age group: 0–17, 18–29, 30–64, 65 and over. Each measurement "
            "gives a number for every category, adding up to its value."
        ),
    )
    numerator_may_exceed = forms.BooleanField(
        label=_("The numerator may exceed the denominator (percentages above 100%)"),
        required=False,
    )

    baseline_mode = forms.ChoiceField(
        label=_("Where the baseline comes from"),
        choices=[
            ("none", _("none yet")),
            ("diagnosis", _("computed from the diagnosis")),
            ("typed", _("typed in, with its year and source")),
        ],
        widget=forms.RadioSelect,
        initial="none",
    )
    diagnosis_indicator = forms.ModelChoiceField(
        label=_("Diagnosis indicator"), queryset=None, required=False
    )
    baseline_take = forms.ChoiceField(
        label=_("What to take"),
        choices=[
            ("rate", _("the rate (or the mean value)")),
            ("total", _("the total count (quantitative indicators only)")),
        ],
        widget=forms.RadioSelect,
        initial="rate",
        required=False,
    )
    baseline_recompute = forms.BooleanField(
        label=_("Recalculate it now from the current diagnosis and area"), required=False
    )
    baseline_value = number_field(
        _("Baseline value"), help_text=_("For a percentage indicator: the percentage.")
    )
    baseline_numerator = number_field(_("Baseline numerator"))
    baseline_denominator = number_field(_("Baseline denominator"))
    baseline_text = forms.CharField(
        label=_("Situation at the start (qualitative indicators)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False)
    baseline_reference = forms.CharField(
        label=_("Source of the baseline"),
        max_length=300,
        required=False,
        help_text=_("For example: the OPS annual report for 2024; Statistics Poland (BDL)."),
    )

    DEFINITION = (
        "code",
        "name",
        "description",
        "kind",
        "unit_label",
        "direction",
        "method",
        "tolerance_pct",
        "breakdowns",
        "numerator_may_exceed",
    )

    def __init__(self, *args, programme, indicator=None, measurement_count=0, **kwargs):
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(indicator)
        super().__init__(*args, **kwargs)
        from lokalnie.revitalization.selectors.results import diagnosis_indicators

        self.fields["diagnosis_indicator"].queryset = diagnosis_indicators(programme)
        self.fields["diagnosis_indicator"].label_from_instance = lambda item: (
            f"{item.code} — {item.name}"
        )
        self.measurement_count = measurement_count
        if measurement_count:
            reason = ngettext(
                "Cannot change: %(count)s measurement uses this indicator. Create a new "
                "indicator for a new definition.",
                "Cannot change: %(count)s measurements use this indicator. Create a new "
                "indicator for a new definition.",
                measurement_count,
            ) % {"count": measurement_count}
            for name in DEFINING_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = reason
        if indicator is None:
            del self.fields["baseline_recompute"]

    @staticmethod
    def initial_for(indicator: ResultIndicator) -> dict:
        provenance = indicator.baseline_provenance or {}
        mode = provenance.get("source") or "none"
        initial = {name: getattr(indicator, name) for name in IndicatorForm.DEFINITION}
        tolerance = indicator.tolerance_pct
        if tolerance is not None and tolerance == tolerance.to_integral_value():
            initial["tolerance_pct"] = int(tolerance)
        initial.update(
            baseline_mode=mode if mode in ("typed", "diagnosis") else "none",
            diagnosis_indicator=indicator.baseline_source_id,
            baseline_take=provenance.get("take", "rate"),
        )
        if mode == "typed":
            initial.update(
                baseline_value=plain(indicator.baseline_value)
                if indicator.baseline_numerator is None
                else None,
                baseline_numerator=plain(indicator.baseline_numerator),
                baseline_denominator=plain(indicator.baseline_denominator),
                baseline_text=provenance.get("text", ""),
                baseline_year=indicator.baseline_year,
                baseline_reference=provenance.get("reference", ""),
            )
        return initial

    def definition(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.DEFINITION}
        if self.measurement_count:
            for name in DEFINING_FIELDS:
                data.pop(name)
        return data

    def baseline(self) -> BaselineInput:
        data = self.cleaned_data
        return BaselineInput(
            mode=data.get("baseline_mode") or "none",
            value=data.get("baseline_value"),
            numerator=data.get("baseline_numerator"),
            denominator=data.get("baseline_denominator"),
            text=data.get("baseline_text") or "",
            year=data.get("baseline_year"),
            reference=data.get("baseline_reference") or "",
            diagnosis_indicator=data.get("diagnosis_indicator"),
            take=data.get("baseline_take") or "rate",
            recompute=bool(data.get("baseline_recompute")),
        )


class TargetsForm(forms.Form):
    """One target per period; the targets of locked periods are shown but cannot change."""

    def __init__(self, *args, indicator, periods, targets: dict[int, float], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = list(periods)
        unit = "%" if indicator.kind == Kinds.PERCENTAGE else indicator.unit_label
        for period in self.periods:
            label = f"{period.label} ({unit})" if unit else period.label
            field = number_field(label, initial=plain(targets.get(period.pk)))
            if period.locked:
                field.disabled = True
                field.help_text = _("The period is locked.")
            self.fields[f"target_{period.pk}"] = field

    def values(self) -> dict[int, float | None]:
        return {
            period.pk: self.cleaned_data.get(f"target_{period.pk}")
            for period in self.periods
            if not period.locked
        }


# --- Periods --------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=60, help_text=_("For example 2026 or 1st half of 2026.")
    )
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)


class GeneratePeriodsForm(forms.Form):
    every = forms.ChoiceField(
        label=_("Periods"),
        choices=[("year", _("calendar years")), ("half_year", _("half-years"))],
        widget=forms.RadioSelect,
        initial="year",
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log and shown to the team."),
    )


# --- Measurements ---------------------------------------------------------------------------


def _cell_name(dimension: str, category: str, *, denominator: bool = False) -> str:
    return f"{'bdd' if denominator else 'bd'}_{dimension}_{category}"


class MeasurementForm(forms.Form):
    """The value(s) of one indicator in one period, its breakdown grid and an evidence
    file. ``version`` carries when the measurement was last saved (a newer save by someone
    else is not overwritten)."""

    explanation = forms.CharField(
        label=_("Explanation of a deviation from the target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required before submitting when the value differs from the target by more "
            "than the tolerance."
        ),
    )
    evidence_file = forms.FileField(label=_("Add an evidence file"), required=False)
    evidence_description = forms.CharField(
        label=_("What the file shows"), max_length=300, required=False
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicator, measurement=None, **kwargs):
        if measurement is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(indicator, measurement)
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        kind = indicator.kind
        fields = {}
        if kind == Kinds.QUANTITATIVE:
            label = _("Value")
            if indicator.unit_label:
                label = f"{label} ({indicator.unit_label})"
            fields["value"] = number_field(label)
        elif kind == Kinds.PERCENTAGE:
            fields["numerator"] = number_field(_("Numerator"))
            fields["denominator"] = number_field(_("Denominator"), help_text=_("Greater than 0."))
        else:
            fields["text"] = forms.CharField(
                label=_("What was observed"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.grid = []
        for dimension in indicator.breakdowns if kind != Kinds.QUALITATIVE else []:
            spec = BREAKDOWN_DIMENSIONS[dimension]
            rows = []
            for category, category_label in spec["categories"]:
                name = _cell_name(dimension, category)
                fields[name] = number_field(
                    _("%(category)s: numerator") % {"category": category_label}
                    if kind == Kinds.PERCENTAGE
                    else category_label
                )
                denominator_name = None
                if kind == Kinds.PERCENTAGE:
                    denominator_name = _cell_name(dimension, category, denominator=True)
                    fields[denominator_name] = number_field(
                        _("%(category)s: denominator") % {"category": category_label}
                    )
                rows.append((category_label, name, denominator_name))
            self.grid.append((dimension, spec["label"], rows))
        # The values first, then the explanation and the file.
        existing = dict(self.fields)
        self.fields = {**fields, **existing}
        self.fields["evidence_file"].help_text = _(
            "PDF, JPEG, PNG, DOCX, ODT or XLSX, at most %(limit)s; checked by its content."
        ) % {"limit": filesizeformat(EVIDENCE_MAX_BYTES)}

    @staticmethod
    def initial_for(indicator, measurement) -> dict:
        initial = {
            "value": plain(measurement.value),
            "numerator": plain(measurement.numerator),
            "denominator": plain(measurement.denominator),
            "text": measurement.text,
            "explanation": measurement.explanation,
            "version": measurement.updated_at.isoformat(),
        }
        for cell in measurement.breakdown.all():
            initial[_cell_name(cell.dimension, cell.category)] = plain(cell.value)
            if cell.denominator is not None:
                initial[_cell_name(cell.dimension, cell.category, denominator=True)] = plain(
                    cell.denominator
                )
        return initial

    def grid_fields(self):
        """[(dimension, label, [(category label, field, denominator field or None)])] as
        bound fields, for the template."""
        return [
            (
                dimension,
                label,
                [(c, self[name], self[d] if d else None) for c, name, d in rows],
            )
            for dimension, label, rows in self.grid
        ]

    def value_fields(self):
        return [
            self[name]
            for name in ("value", "numerator", "denominator", "text")
            if name in self.fields
        ]

    def data_input(self) -> MeasurementInput:
        data = self.cleaned_data
        breakdown: dict[str, dict] = {}
        denominators: dict[str, dict] = {}
        for dimension, _label, rows in self.grid:
            for _category_label, name, denominator_name in rows:
                category = name.removeprefix(f"bd_{dimension}_")
                breakdown.setdefault(dimension, {})[category] = data.get(name)
                if denominator_name:
                    denominators.setdefault(dimension, {})[category] = data.get(denominator_name)
        return MeasurementInput(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            text=data.get("text") or "",
            explanation=data.get("explanation") or "",
            breakdown=breakdown,
            breakdown_denominators=denominators,
        )

    def evidence(self) -> list[tuple]:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return []
        return [(upload, self.cleaned_data.get("evidence_description") or "")]

    def version_time(self):
        from django.utils.dateparse import parse_datetime

        raw = self.cleaned_data.get("version") or ""
        return parse_datetime(raw) if raw else None
