"""Workshops: programmes, their editions across Poland, registrations with the waiting
list, attendance, completions with their credentials, evaluation surveys, materials and
the trainings alumni deliver themselves (the cascade)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalnie.training.workflow import ACTIVE, Acceptance, EditionStatus, RegStatus


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _english() -> bool:
    return (get_language() or "pl").startswith("en")


def bilingual(obj, field: str) -> str:
    """The English text of ``<field>_en`` when the page is in English and it is filled in,
    the Polish one otherwise."""
    english = _english() and getattr(obj, f"{field}_en", "")
    return english or getattr(obj, f"{field}_pl")


class Programme(models.Model):
    """A workshop programme (what is taught); editions are its dates and places."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_pl = models.TextField(_("description (Polish)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    target_group_pl = models.TextField(_("target group (Polish)"))
    target_group_en = models.TextField(_("target group (English)"), blank=True)
    eligibility_pl = models.TextField(_("eligibility rules (Polish)"), blank=True)
    eligibility_en = models.TextField(_("eligibility rules (English)"), blank=True)
    days = models.PositiveSmallIntegerField(_("number of days"), default=3)
    min_days_to_complete = models.PositiveSmallIntegerField(
        _("days of attendance needed to complete"),
        default=3,
        help_text=_("For example 3 (all three days) or 2 (two of three)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workshop programme")
        verbose_name_plural = _("workshop programmes")
        ordering = ["title_pl"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_days_to_complete__gte=1)
                & models.Q(min_days_to_complete__lte=models.F("days")),
                name="programme_completion_rule_within_days",
            )
        ]

    def __str__(self) -> str:
        return self.title_pl

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def description(self) -> str:
        return bilingual(self, "description")

    @property
    def target_group(self) -> str:
        return bilingual(self, "target_group")

    @property
    def eligibility(self) -> str:
        return bilingual(self, "eligibility")


class EligibilityQuestion(models.Model):
    """A yes/no question asked at registration; the eligible answer is stated."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_pl = models.CharField(_("question (Polish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    eligible_answer = models.BooleanField(_("the eligible answer is yes"), default=True)

    class Meta:
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.text_pl

    @property
    def text(self) -> str:
        return bilingual(self, "text")


class EditionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=(EditionStatus.PUBLISHED, EditionStatus.FINISHED))

    def with_seats(self):
        """Annotates ``seats_taken`` (accepted or offered) and ``seats_left``."""
        taken = models.Count(
            "registrations", filter=models.Q(registrations__status__in=_seat_holding())
        )
        return self.annotate(seats_taken=taken).annotate(
            seats_left=models.F("capacity") - models.F("seats_taken")
        )


def _seat_holding():
    from lokalnie.training.workflow import SEAT_HOLDING

    return SEAT_HOLDING


class Edition(models.Model):
    """One run of a programme: a city, a venue, three days, a number of seats."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="editions", verbose_name=_("programme")
    )
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    city = models.CharField(_("city"), max_length=100)
    gmina = models.ForeignKey(
        "institutions.TerytUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gmina (TERYT)"),
    )
    voivodeship = models.ForeignKey(
        "institutions.TerytUnit",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("voivodeship"),
    )
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("venue address"), max_length=300)
    accessibility_pl = models.TextField(
        _("accessibility of the venue (Polish)"),
        help_text=_("Step-free entrance, lift, accessible toilet, induction loop, parking…"),
    )
    accessibility_en = models.TextField(_("accessibility of the venue (English)"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    acceptance = models.CharField(
        _("acceptance"), max_length=12, choices=Acceptance.choices, default=Acceptance.AUTOMATIC
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to take up an offered seat"), default=48
    )
    priority_certificate = models.BooleanField(
        _("priority for institutions holding or applying for the CAL certificate"), default=False
    )
    priority_social_assistance = models.BooleanField(
        _("priority for social assistance and integration institutions"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        db_index=True,
    )
    starts_on = models.DateField(_("first day"), editable=False, db_index=True)
    ends_on = models.DateField(_("last day"), editable=False)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trained_editions"
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_editions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop edition")
        verbose_name_plural = _("workshop editions")
        ordering = ["starts_on", "city", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="edition_capacity"),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="edition_registration_window",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.starts_on:%d.%m.%Y}" if self.starts_on else "?"
        return f"{self.programme.title_pl} — {self.city}, {when}"

    @property
    def accessibility(self) -> str:
        return bilingual(self, "accessibility")

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EditionStatus.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
        )


class EditionDay(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField(_("day"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("workshop day")
        verbose_name_plural = _("workshop days")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="one_day_number"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="day_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.date:%d.%m.%Y} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Gender(models.TextChoices):
    FEMALE = "female", _("woman")
    MALE = "male", _("man")
    UNDISCLOSED = "undisclosed", _("prefer not to say")


class AgeGroup(models.TextChoices):
    UNDER_30 = "18-29", _("18–29")
    MIDDLE = "30-54", _("30–54")
    OVER_54 = "55+", _("55 and over")
    UNDISCLOSED = "undisclosed", _("prefer not to say")


class Person(models.Model):
    """Who a registration or a waiting-list request is for (as they entered it)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30)
    position = models.CharField(_("position"), max_length=150)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices)
    age_group = models.CharField(_("age group"), max_length=12, choices=AgeGroup.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("institution (from the registry)"),
    )
    institution_name = models.CharField(_("institution"), max_length=255)
    institution_nip = models.CharField(_("institution's NIP"), max_length=10, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="pl")
    privacy_version = models.CharField(_("privacy notice version accepted"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Registration(Person):
    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("edition")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegStatus.choices,
        default=RegStatus.UNCONFIRMED,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    eligibility_answers = models.JSONField(_("eligibility answers"), default=list, blank=True)
    eligible = models.BooleanField(_("eligible"), default=True)
    needs_accessibility = models.TextField(_("accessibility needs"), blank=True)
    needs_diet = models.TextField(_("dietary needs"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    priority_reasons = models.JSONField(default=list, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    from_request = models.ForeignKey(
        "WaitlistRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
        verbose_name=_("from the regional waiting list"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["edition", "-priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"],
                condition=models.Q(status__in=ACTIVE),
                name="one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["edition", "status"], name="registration_edition_status")]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.edition.slug}"


class WaitlistRequest(Person):
    """ "Any edition of this programme in my voivodeship within N weeks": when a seat frees
    in such an edition, it is offered to requests like this one as well as to the
    edition's own waiting list, in order of priority and time."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="waitlist_requests"
    )
    voivodeship = models.ForeignKey(
        "institutions.TerytUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voivodeship"),
    )
    weeks = models.PositiveSmallIntegerField(_("within weeks"), default=8)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    closed_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("regional waiting-list request")
        verbose_name_plural = _("regional waiting-list requests")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.voivodeship.name}"

    @property
    def until(self):
        return (self.created_at + dt.timedelta(weeks=self.weeks)).date()


class Attendance(models.Model):
    """Whether a person was present on one day of the edition (the latest record counts)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.ForeignKey(EditionDay, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_attendance_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.day_id}: {self.present}"


class Completion(models.Model):
    """A completed workshop: numbered, with a signed Open Badges 3.0 credential."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="completion"
    )
    number = models.CharField(_("number"), max_length=24, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField(_("issued at"))
    days_attended = models.PositiveSmallIntegerField(_("days attended"))
    revocation_index = models.PositiveIntegerField(unique=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    credential_jws = models.TextField(_("signed credential (compact JWS)"))

    class Meta:
        verbose_name = _("workshop completion")
        verbose_name_plural = _("workshop completions")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="completion_number_per_year")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def slug(self) -> str:
        return self.number.replace("/", "-")


class Survey(models.Model):
    """A questionnaire of a programme: the knowledge test (asked before and after the
    workshop, with the same questions) or the satisfaction survey (after)."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge test (before and after)")
        SATISFACTION = "satisfaction", _("satisfaction survey (after)")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after days without an answer"), default=3
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_survey_kind")
        ]

    def __str__(self) -> str:
        return self.title_pl

    @property
    def title(self) -> str:
        return bilingual(self, "title")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("scale 1–5")
        CHOICE = "choice", _("single choice")
        TEXT = "text", _("free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text_pl = models.CharField(_("question (Polish)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    # For choice questions: [{"pl": …, "en": …}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # For knowledge-test choice questions: the index of the correct choice.
    correct_choice = models.PositiveSmallIntegerField(_("correct choice"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text_pl

    @property
    def text(self) -> str:
        return bilingual(self, "text")

    def choice_labels(self) -> list[str]:
        english = _english()
        return [(c.get("en") if english and c.get("en") else c.get("pl", "")) for c in self.choices]


class SurveyResponse(models.Model):
    class Phase(models.TextChoices):
        BEFORE = "before", _("before the workshop")
        AFTER = "after", _("after the workshop")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="survey_responses"
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration", "phase"], name="one_response_per_phase"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.registration_id}/{self.phase}"


class Material(models.Model):
    """A file for participants of a programme (all its editions) or of one edition, open
    from a stage of the person's registration."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("accepted participants")
        ATTENDED = "attended", _("participants who attended")
        COMPLETED = "completed", _("participants who completed the workshop")

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="materials"
    )
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="materials"
    )
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    stage = models.CharField(_("open to"), max_length=12, choices=Stage.choices)
    file = models.FileField(_("file"), upload_to="training/materials/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["title_pl", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False, edition__isnull=True)
                | models.Q(programme__isnull=True, edition__isnull=False),
                name="material_of_programme_or_edition",
            )
        ]

    def __str__(self) -> str:
        return self.title_pl

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def description(self) -> str:
        return bilingual(self, "description")


class CascadeTraining(models.Model):
    """A training an alumnus delivered themselves after the workshop."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="cascade_trainings"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    participants = models.PositiveIntegerField(_("number of participants"))
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training delivered by an alumnus")
        verbose_name_plural = _("trainings delivered by alumni")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants__gte=1), name="cascade_has_participants"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"
