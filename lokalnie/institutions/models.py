from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalnie.institutions import identifiers


class TerytUnit(models.Model):
    """A unit of the official TERC register: voivodeship, powiat, gmina or part of one."""

    class Level(models.TextChoices):
        VOIVODESHIP = "voivodeship", _("voivodeship")
        POWIAT = "powiat", _("powiat")
        GMINA = "gmina", _("gmina")
        GMINA_PART = "gmina_part", _("part of a gmina")

    # 2 digits (voivodeship), 4 (powiat), 7 (gmina: WWPPGGR).
    code = models.CharField(_("TERYT code"), max_length=7, primary_key=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=100, help_text=_("NAZWA_DOD in the register"))
    gmina_type = models.CharField(_("gmina type (RODZ)"), max_length=1, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    valid_on = models.DateField(_("register state as of"))

    class Meta:
        verbose_name = _("TERYT unit")
        verbose_name_plural = _("TERYT units")
        ordering = ["code"]

    def __str__(self) -> str:
        if self.level == self.Level.GMINA:
            return f"{self.name} ({self.kind})"
        return self.name

    @property
    def voivodeship_code(self) -> str:
        return self.code[:2]


class AreaOfWork(models.Model):
    """An area of work ("obszar"): the certification documents differ by area.

    Data managed by staff; names and descriptions in Polish and English."""

    slug = models.SlugField(unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("area of work")
        verbose_name_plural = _("areas of work")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "pl").startswith("en") else self.name_pl

    @property
    def description(self) -> str:
        english = (get_language() or "pl").startswith("en") and self.description_en
        return self.description_en if english else self.description_pl


postal_code_validator = RegexValidator(
    r"^\d{2}-\d{3}$", _("Enter the postal code as NN-NNN, e.g. 00-950.")
)


class Institution(models.Model):
    class Kind(models.TextChoices):
        OPS = "ops", _("social assistance centre (OPS/MOPS/GOPS)")
        PCPR = "pcpr", _("district family support centre (PCPR)")
        CUS = "cus", _("social services centre (CUS)")
        CIS_KIS = "cis_kis", _("social integration centre or club (CIS/KIS)")
        CULTURE = "culture", _("culture house or centre")
        LIBRARY = "library", _("library")
        SCHOOL = "school", _("school")
        NGO = "ngo", _("non-governmental organization")
        OTHER = "other", _("other")

    name = models.CharField(_("full name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    areas = models.ManyToManyField(AreaOfWork, verbose_name=_("areas of work"), blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    city = models.CharField(_("town"), max_length=100)
    gmina = models.ForeignKey(
        TerytUnit,
        verbose_name=_("gmina"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": TerytUnit.Level.GMINA},
        related_name="institutions",
    )
    nip = models.CharField(
        _("NIP"), max_length=10, blank=True, validators=[identifiers.validate_nip]
    )
    regon = models.CharField(
        _("REGON"), max_length=14, blank=True, validators=[identifiers.validate_regon]
    )
    krs = models.CharField(
        _("KRS number"), max_length=10, blank=True, validators=[identifiers.validate_krs]
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.institution}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()
