"""The results framework: indicators, periods, targets, measurements with evidence and
approval, breakdowns, and the programme's evaluation reviews.

The states of a measurement and the actions between them are the table
``MEASUREMENT_TRANSITIONS`` below; services ask ``measurement_may`` before any change and
tests enumerate every action × status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Breakdowns (disaggregations) a measurement may be asked to give. Each dimension's
# categories must add up to the measurement's value (its numerator and denominator for a
# percentage). The categories follow Polish public statistics (GUS) and the EU funds'
# common indicators:
# - sex: women and men, as GUS reports (no third category in the official data);
# - age group: 0–17 (children, pre-working age), 18–29 (young people, as in the ESF+),
#   30–64 (adults) and 65 and over (seniors, the post-working age).
BREAKDOWN_DIMENSIONS: dict[str, dict] = {
    "sex": {
        "label": _("sex"),
        "categories": [("female", _("women")), ("male", _("men"))],
    },
    "age_group": {
        "label": _("age group"),
        "categories": [
            ("0-17", _("0–17")),
            ("18-29", _("18–29")),
            ("30-64", _("30–64")),
            ("65+", _("65 and over")),
        ],
    },
}
BREAKDOWN_CHOICES = [(key, spec["label"]) for key, spec in BREAKDOWN_DIMENSIONS.items()]


class ResultIndicator(models.Model):
    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("quantitative")
        PERCENTAGE = "percentage", _("percentage (numerator / denominator)")
        QUALITATIVE = "qualitative", _("qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("should increase")
        DECREASE = "decrease", _("should decrease")

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="result_indicators"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.TextField(_("method of measurement"))
    unit_label = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    # Percentage indicators: whether the numerator may exceed the denominator (a ratio
    # above 100%, e.g. participants counted per place offered).
    numerator_may_exceed = models.BooleanField(
        _("the numerator may exceed the denominator"), default=False
    )
    tolerance_pct = models.DecimalField(
        _("tolerance (%)"), max_digits=5, decimal_places=1, default=10
    )
    # Which breakdowns a measurement must give, e.g. ["sex", "age_group"].
    breakdowns = models.JSONField(_("breakdowns"), default=list, blank=True)
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_numerator = models.FloatField(null=True, blank=True)
    baseline_denominator = models.FloatField(null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    # Where the baseline came from: a diagnosis indicator (and over which units), or typed.
    baseline_source = models.ForeignKey(
        "revitalization.DiagnosisIndicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_indicators",
    )
    # {"source": "typed", "reference": ..., "year": ...} or {"source": "diagnosis",
    # "indicator_code": ..., "scope": "area"|"gmina", "units": [...], "value": ...,
    # "computed_at": ...}; see services.results.baseline_from_diagnosis.
    baseline_provenance = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_result_indicator")
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(_("label"), max_length=60)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    locked = models.BooleanField(_("locked"), default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    indicator = models.ForeignKey(ResultIndicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField(_("target"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_target")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class Measurement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for correction")

    # Statuses in which the team may still change the measurement and its evidence.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    indicator = models.ForeignKey(
        ResultIndicator, on_delete=models.PROTECT, related_name="measurements"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="measurements")
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    text = models.TextField(_("description"), blank=True)  # qualitative indicators
    explanation = models.TextField(_("explanation of the deviation"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_measurement")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"


# action -> (statuses it is allowed from, the status it leads to, the right it needs).
# "save" keeps the status. Nothing is allowed in a locked period (checked by the services).
MEASUREMENT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "save": (Measurement.EDITABLE, None, "revitalization.edit"),
    "submit": (Measurement.EDITABLE, Measurement.Status.SUBMITTED, "revitalization.edit"),
    "withdraw": (
        (Measurement.Status.SUBMITTED,),
        Measurement.Status.DRAFT,
        "revitalization.edit",
    ),
    "approve": (
        (Measurement.Status.SUBMITTED,),
        Measurement.Status.APPROVED,
        "revitalization.coordinate",
    ),
    "return": (
        (Measurement.Status.SUBMITTED,),
        Measurement.Status.RETURNED,
        "revitalization.coordinate",
    ),
    "reopen": (
        (Measurement.Status.APPROVED,),
        Measurement.Status.RETURNED,
        "revitalization.coordinate",
    ),
    "delete": (Measurement.EDITABLE, None, "revitalization.edit"),
}
MEASUREMENT_ACTION_LABELS = {
    "save": pgettext_lazy("measurement", "save"),
    "submit": pgettext_lazy("measurement", "submit"),
    "withdraw": pgettext_lazy("measurement", "withdraw"),
    "approve": pgettext_lazy("measurement", "approve"),
    "return": pgettext_lazy("measurement", "return"),
    "reopen": pgettext_lazy("measurement", "reopen"),
    "delete": pgettext_lazy("measurement", "delete"),
}


def measurement_may(action: str, status: str) -> bool:
    """Whether the table allows ``action`` on a measurement in ``status``."""
    return status in MEASUREMENT_TRANSITIONS[action][0]


class MeasurementBreakdown(models.Model):
    """One cell of a breakdown: for a percentage indicator ``value`` is the category's
    numerator and ``denominator`` its denominator; otherwise ``denominator`` is empty."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="breakdown")
    dimension = models.CharField(max_length=20)  # "sex", "age_group"
    category = models.CharField(max_length=40)  # "female", "18-29", ...
    value = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "dimension", "category"], name="unique_breakdown_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}: {self.value}"


class Evidence(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="revitalization/evidence/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class Review(models.Model):
    """An evaluation of the programme (the law asks for one at least every 3 years)."""

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="reviews"
    )
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation review")
        verbose_name_plural = _("evaluation reviews")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.programme} {self.held_on}"
