"""Delimitation runs: the inputs as they were, the exact solution and the greedy one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delimitation(models.Model):
    class Objective(models.TextChoices):
        INDEX_RESIDENTS = "index_residents", _("composite index weighted by residents")
        INDEX = "index", _("sum of the composite index")
        RESIDENTS = "residents", _("residents of degraded units")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")
        SUPERSEDED = "superseded", _("superseded")

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="delimitations"
    )
    objective = models.CharField(
        _("objective"), max_length=20, choices=Objective.choices, default=Objective.INDEX_RESIDENTS
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    inputs = models.JSONField(default=dict)  # units, limits and pins as they were
    result = models.JSONField(default=dict)  # solution, bound, gap, greedy, reasons
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delimitation")
        verbose_name_plural = _("delimitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} ({self.get_status_display()})"
