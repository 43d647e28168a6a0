"""Certificates, their history, investigations, the status lists behind the signed
credentials and the person responsible for certification."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalnie.registry.workflow import Decision, EventKind, InvestigationStatus, Status

NUMBER_PREFIX = "CAL"
# "CAL/2026/0042" (printed) or "CAL-2026-0042" (in addresses); case and separators forgiven.
NUMBER_PATTERN = re.compile(r"^\s*CAL\s*[/\-_ ]\s*(\d{4})\s*[/\-_ ]\s*(\d{1,6})\s*$", re.IGNORECASE)


def format_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}/{year}/{sequence:04d}"


def parse_number(text: str) -> str | None:
    """The canonical number ("CAL/2026/0042") of what a person typed, or None."""
    match = NUMBER_PATTERN.match(text or "")
    if match is None:
        return None
    return format_number(int(match.group(1)), int(match.group(2)))


class ResponsiblePerson(models.Model):
    """The person the Board names as responsible for certification (regulation, rule 4).

    Entries are never edited in place: a new appointment is a new entry with the date it
    applies from; the entry in force on a certificate's day of issue is printed on it."""

    name = models.CharField(_("name"), max_length=200)
    function_pl = models.CharField(_("function (Polish)"), max_length=200)
    function_en = models.CharField(_("function (English)"), max_length=200, blank=True)
    from_date = models.DateField(_("in force from"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("person responsible for certification")
        verbose_name_plural = _("persons responsible for certification")
        ordering = ["-from_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.from_date:%Y-%m-%d})"

    @property
    def function(self) -> str:
        english = (get_language() or "pl").startswith("en") and self.function_en
        return self.function_en if english else self.function_pl


class NumberCounter(models.Model):
    """The last sequence number used in a year; locked while a number is allocated."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate number counter")
        verbose_name_plural = _("certificate number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    def effective_status(self, status: str, *, today=None):
        """Certificates whose status *today* is ``status``: one stored as valid or suspended
        whose validity has ended counts as expired, even before the expiry command ran."""
        today = today or timezone.localdate()
        running = models.Q(status__in=[Status.VALID, Status.SUSPENDED])
        if status == Status.EXPIRED:
            return self.filter(
                models.Q(status=Status.EXPIRED) | (running & models.Q(valid_until__lt=today))
            )
        if status in (Status.VALID, Status.SUSPENDED):
            return self.filter(status=status, valid_until__gte=today)
        return self.filter(status=status)


class Certificate(models.Model):
    """A numbered CAL Quality Certificate of one institution in one area of work."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year of issue"))
    sequence = models.PositiveIntegerField()
    application = models.OneToOneField(
        "certification.Application",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("application"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("institution"),
    )
    area = models.ForeignKey(
        "institutions.AreaOfWork",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("area of work"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_on = models.DateField(_("valid from"), db_index=True)
    valid_until = models.DateField(_("valid until (inclusive)"), db_index=True)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
        verbose_name=_("renews certificate"),
    )
    responsible_person = models.ForeignKey(
        ResponsiblePerson,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person responsible for certification"),
    )
    # As printed on the certificate on the day of issue (the institution may later change).
    institution_name = models.CharField(_("institution (as certified)"), max_length=255)
    place = models.CharField(_("town"), max_length=100)
    # Folded (lower case, no diacritics) name, town and gmina: "lodz" finds Łódź.
    search_text = models.CharField(max_length=500, editable=False, db_index=True)
    # Bits in the two status lists (random, unique per list) and the signed credential.
    revocation_index = models.PositiveIntegerField(unique=True)
    suspension_index = models.PositiveIntegerField(unique=True)
    credential_jws = models.TextField(_("signed credential (compact JWS)"))

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="unique_number_per_year"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def slug(self) -> str:
        """The number as used in addresses: CAL-2026-0042."""
        return self.number.replace("/", "-")

    def current_status(self, today=None) -> str:
        """The status today: valid or suspended certificates past their last day are expired."""
        today = today or timezone.localdate()
        if self.status in (Status.VALID, Status.SUSPENDED) and self.valid_until < today:
            return Status.EXPIRED
        return self.status

    @property
    def current_status_label(self) -> str:
        return Status(self.current_status()).label


class CertificateEvent(models.Model):
    """One entry of a certificate's public history."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_label = models.CharField(max_length=254, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    # Written reasons; shown to the institution, the Committee and staff, not publicly.
    reasons = models.TextField(_("reasons"), blank=True)
    investigation = models.ForeignKey(
        "Investigation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the renewing certificate, for a 'renewed' event",
    )

    class Meta:
        verbose_name = _("certificate history entry")
        verbose_name_plural = _("certificate history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.kind} {self.at:%Y-%m-%d}"


class Investigation(models.Model):
    """The Committee's investigation of a certificate holder (regulation, rule 9): written
    charges, the institution's written responses, then a decision with written reasons."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="investigations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.OPEN,
    )
    charges = models.TextField(_("charges"))
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(status="open"),
                name="one_open_investigation_per_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} ({self.opened_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status == InvestigationStatus.OPEN


class InvestigationResponse(models.Model):
    """The institution's written answer to the charges."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="responses"
    )
    text = models.TextField(_("response"))
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("response to charges")
        verbose_name_plural = _("responses to charges")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.investigation}: {self.at:%Y-%m-%d}"


class StatusListRecord(models.Model):
    """One Bitstring Status List (revocation or suspension): its bits and the signed
    credential served at its stable address, re-signed whenever a bit changes."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("revocation")
        SUSPENSION = "suspension", _("suspension")

    purpose = models.CharField(max_length=12, choices=Purpose.choices, unique=True)
    bits = models.BinaryField()
    token = models.TextField(blank=True)
    key_id = models.CharField(max_length=100, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return self.purpose


class ReminderSent(models.Model):
    """A reminder before expiry, recorded once per certificate and number of months."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    months = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    # True when a later reminder was already due (the command had not run): recorded, not sent.
    skipped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "months"], name="one_reminder_per_certificate_and_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate}: {self.months}"
