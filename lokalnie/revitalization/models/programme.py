"""A programme, its gmina and its team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The MSAI stages in the order a programme walks them."""

    DIAGNOSIS = "diagnosis", _("Diagnosis")
    AREA = "area", _("Revitalization area")
    PARTNERS = "partners", _("Stakeholders and partnership")
    PLAN = "plan", _("Action plan")
    MONITORING = "monitoring", _("Monitoring")
    EVALUATION = "evaluation", _("Evaluation")


STAGE_ORDER = [stage.value for stage in Stage]


class TeamRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    EDITOR = "editor", _("team member")
    VIEWER = "viewer", _("observer (partner)")


class Programme(models.Model):
    """A gmina's social revitalization programme (GPR/PRS)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    gmina = models.ForeignKey(
        "institutions.TerytUnit",
        verbose_name=_("gmina"),
        on_delete=models.PROTECT,
        related_name="revitalization_programmes",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("leading institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revitalization_programmes",
    )
    description = models.TextField(_("description"), blank=True)
    # The gmina as a whole: the art. 10 limits are shares of these.
    gmina_area_ha = models.DecimalField(
        _("area of the gmina (ha)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    gmina_residents = models.PositiveIntegerField(
        _("residents of the gmina"), null=True, blank=True
    )
    reference_year = models.PositiveSmallIntegerField(_("year of the diagnosis data"), null=True)
    period_start = models.DateField(_("programme starts"), null=True, blank=True)
    period_end = models.DateField(_("programme ends"), null=True, blank=True)
    stage = models.CharField(
        _("current stage"), max_length=20, choices=Stage.choices, default=Stage.DIAGNOSIS
    )
    # Crisis rule per sphere: {"social": 3, "economic": 1, ...} = at least k indicators of
    # the sphere worse than the gmina's value.
    crisis_rules = models.JSONField(_("crisis rules"), default=dict, blank=True)
    public_results = models.BooleanField(_("results page public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProgrammeMember",
        related_name="revitalization_programmes",
    )

    class Meta:
        verbose_name = _("revitalization programme")
        verbose_name_plural = _("revitalization programmes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeMember(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme team member")
        verbose_name_plural = _("programme team members")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="unique_programme_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
