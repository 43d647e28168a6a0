"""Stakeholders, partnership agreements and the action plan."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(models.Model):
    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("public institution")
        NGO = "ngo", _("non-governmental organization")
        BUSINESS = "business", _("business")
        RESIDENT_GROUP = "resident_group", _("resident group")
        INDIVIDUAL = "individual", _("individual")

    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="stakeholders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    interest = models.PositiveSmallIntegerField(
        _("interest in social change (1–5)"), validators=SCALE
    )
    influence = models.PositiveSmallIntegerField(_("influence (1–5)"), validators=SCALE)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    role = models.CharField(_("role in the programme"), max_length=300, blank=True)
    is_partner = models.BooleanField(_("partner"), default=False)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    stakeholders = models.ManyToManyField(Stakeholder, related_name="agreements")
    document = models.FileField(upload_to="revitalization/agreements/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-signed_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    programme = models.ForeignKey(
        "revitalization.Programme", on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    responsible = models.ForeignKey(
        Stakeholder,
        verbose_name=_("responsible partner"),
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    partners = models.ManyToManyField(
        Stakeholder, verbose_name=_("other partners"), blank=True, related_name="actions"
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget_pln = models.DecimalField(_("budget (PLN)"), max_digits=14, decimal_places=2)
    funding_source = models.CharField(_("source of funding"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=300)
    indicators = models.ManyToManyField(
        "revitalization.ResultIndicator",
        verbose_name=_("indicators"),
        blank=True,
        related_name="actions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="action_dates_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_pln__gte=0), name="action_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title
