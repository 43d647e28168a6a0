from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalnie.certification.report import AttachmentKind
from lokalnie.certification.workflow import Status
from lokalnie.institutions.models import AreaOfWork, Institution


def _bilingual(pl: str, en: str) -> str:
    return en if (get_language() or "pl").startswith("en") and en else pl


class SelfCheckResponse(models.Model):
    """One completed self-check. Anonymous unless the visitor carries it into an
    application; kept for aggregate statistics."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answers = models.JSONField(help_text="eight booleans, in question order")
    yes_count = models.PositiveSmallIntegerField()
    area = models.ForeignKey(AreaOfWork, null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10)

    class Meta:
        verbose_name = _("self-check response")
        verbose_name_plural = _("self-check responses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.yes_count}/8"


class AreaRequirement(models.Model):
    """An item of the requirements checklist an applicant in this area confirms."""

    area = models.ForeignKey(AreaOfWork, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(default=0)
    text_pl = models.CharField(_("requirement (Polish)"), max_length=300)
    text_en = models.CharField(_("requirement (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["area", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _bilingual(self.text_pl, self.text_en)


def _document_path(instance, filename: str) -> str:
    # Random stored name; the visible name is kept in `filename`.
    return f"certification/documents/{uuid.uuid4().hex}{instance.extension}"


class AreaDocument(models.Model):
    """A downloadable procedure document for an area of work (PDF, DOCX, ODT)."""

    area = models.ForeignKey(AreaOfWork, on_delete=models.CASCADE, related_name="documents")
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    file = models.FileField(upload_to=_document_path, max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    archived = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("procedure document")
        verbose_name_plural = _("procedure documents")
        ordering = ["area", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self.title_pl, self.title_en)


class RegulationVersion(models.Model):
    """The certification regulation ("Regulamin"), versioned: staff publish a new version,
    old ones stay readable."""

    version = models.PositiveIntegerField(unique=True)
    body_pl = models.TextField(_("text (Polish)"))
    body_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def body(self) -> str:
        return _bilingual(self.body_pl, self.body_en)


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Status.GRANTED, Status.REFUSED_FINAL, Status.WITHDRAWN])


class Application(models.Model):
    """An institution's application for the CAL Quality Certificate in one area of work."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="applications"
    )
    area = models.ForeignKey(AreaOfWork, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    self_check = models.ForeignKey(
        SelfCheckResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the formal check asked the applicant to complete (shown while returned).
    to_complete = models.TextField(_("what to complete"), blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    appeal_reasons = models.TextField(_("grounds of the appeal"), blank=True)
    recommendation = models.TextField(_("recommendation to the Committee"), blank=True)
    renewal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("renews the application"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            # One open application per institution and area at a time.
            models.UniqueConstraint(
                fields=["institution", "area"],
                condition=~models.Q(status__in=["granted", "refused_final", "withdrawn"]),
                name="one_open_application_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.area}"

    @property
    def reference(self) -> str:
        return f"W/{self.created_at:%Y}/{self.pk:04d}"


class ChecklistAnswer(models.Model):
    """The applicant's confirmation of one requirement, with where it is documented."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist")
    requirement = models.ForeignKey(AreaRequirement, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(default=False)
    evidence = models.CharField(_("where it is documented"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="one_answer_per_requirement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.requirement_id} {'yes' if self.met else 'no'}"


class ReportSection(models.Model):
    """One section of the OSL report. ``version`` goes up with every save; a save based
    on an older version is a conflict and overwrites nothing."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="one_section_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.key} v{self.version}"


class ReportRevision(models.Model):
    """Version history of a section. A ``conflict`` revision keeps the text of a save
    that could not be applied because someone else had saved first."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    conflict = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} r{self.version}{' (conflict)' if self.conflict else ''}"


def _attachment_path(instance, filename: str) -> str:
    return f"certification/reports/{uuid.uuid4().hex}{instance.extension}"


class ReportAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    alt_text = models.CharField(_("description of the picture"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    removed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"


class RubricCriterion(models.Model):
    """A standard assessors score (editable by staff: criteria, scale, what to look for)."""

    position = models.PositiveSmallIntegerField(default=0)
    title_pl = models.CharField(_("standard (Polish)"), max_length=200)
    title_en = models.CharField(_("standard (English)"), max_length=200, blank=True)
    look_for_pl = models.TextField(_("what assessors look for (Polish)"), blank=True)
    look_for_en = models.TextField(_("what assessors look for (English)"), blank=True)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=4)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("review standard")
        verbose_name_plural = _("review standards")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self.title_pl, self.title_en)

    @property
    def look_for(self) -> str:
        return _bilingual(self.look_for_pl, self.look_for_en)


class Assignment(models.Model):
    """An assessor assigned to an application. Content is shown only after the assessor
    has declared no conflict of interest."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("overall assessment"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("assessor assignment")
        verbose_name_plural = _("assessor assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="one_assignment_per_assessor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.application_id}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.criterion_id}: {self.score}"


class Question(models.Model):
    """A message in the thread about one report section (assessors/staff ask, the
    applicant answers)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="questions")
    section_key = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.section_key}: {self.body[:40]}"


class SiteVisit(models.Model):
    """The wizytacja: a CAL expert's visit, scheduled and then recorded in a protocol."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="site_visit"
    )
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("CAL expert"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    protocol = models.TextField(_("protocol"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.application_id} {self.scheduled_for:%Y-%m-%d}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        GRANT = "grant", _("grant the certificate")
        REFUSE = "refuse", _("refuse the certificate")
        ABSTAIN = "abstain", _("abstain")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.choice}"
