"""The results framework: indicators, periods, targets, measurements with evidence and
approval, breakdowns, and the programme's evaluation reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.TextField(_("method of measurement"))
    unit_label = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
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


class MeasurementBreakdown(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="breakdown")
    dimension = models.CharField(max_length=20)  # "sex", "age_group"
    category = models.CharField(max_length=40)  # "female", "18-29", ...
    value = models.FloatField()

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
