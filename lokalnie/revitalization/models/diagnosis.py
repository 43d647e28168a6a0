"""Diagnosis: the gmina's units, the indicators chosen from the catalogue and their values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sphere(models.TextChoices):
    """Art. 9 of the Revitalization Act: social, plus at least one of the others."""

    SOCIAL = "social", _("social")
    ECONOMIC = "economic", _("economic")
    ENVIRONMENTAL = "environmental", _("environmental")
    SPATIAL = "spatial", _("spatial-functional")
    TECHNICAL = "technical", _("technical")


class Unit(models.Model):
    """An analytical unit of the gmina (urban unit, estate, sołectwo, grid cell)."""

    class Pin(models.TextChoices):
        NONE = "", _("decided by the calculation")
        IN = "in", _("always in the area")
        OUT = "out", _("never in the area")

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="units"
    )
    code = models.CharField(_("unit id"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    residents = models.PositiveIntegerField(_("residents"))
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=2)
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    area_from_geometry = models.BooleanField(default=False)
    pin = models.CharField(
        _("delimitation"), max_length=3, choices=Pin.choices, default=Pin.NONE, blank=True
    )
    pin_reason = models.CharField(_("reason for the decision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_unit_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DiagnosisIndicator(models.Model):
    """An indicator of the diagnosis (taken from the catalogue or defined by the team)."""

    class Direction(models.TextChoices):
        HIGHER_WORSE = "higher_worse", _("higher is worse")
        HIGHER_BETTER = "higher_better", _("higher is better")

    class Aggregation(models.TextChoices):
        # The gmina's value of a rate is its total count over its total base.
        RATE = "rate", _("rate: count over a base")
        MEAN = "mean", _("value: mean weighted by residents")

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40)
    catalogue_code = models.CharField(max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    sphere = models.CharField(_("sphere"), max_length=20, choices=Sphere.choices)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    aggregation = models.CharField(
        _("how it is computed"), max_length=10, choices=Aggregation.choices, default="rate"
    )
    per = models.PositiveIntegerField(_("per"), default=100, help_text=_("e.g. 100 or 1000"))
    unit_label = models.CharField(_("unit"), max_length=60, blank=True)
    base_label = models.CharField(_("base"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("diagnosis indicator")
        verbose_name_plural = _("diagnosis indicators")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return self.name


class UnitValue(models.Model):
    """A unit's value of an indicator: the count (or value) and, for rates, its base."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        DiagnosisIndicator, on_delete=models.CASCADE, related_name="values"
    )
    value = models.FloatField(_("value"))
    base = models.FloatField(_("base"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator"], name="unique_unit_value")
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.value}"
