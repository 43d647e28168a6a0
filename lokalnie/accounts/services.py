"""Every change to a user's account data or roles goes through here and is audited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.models import Role, RoleAssignment, User
from lokalnie.accounts.permissions import forget_cached_permissions
from lokalnie.core.audit import audit_record

PRIVACY_NOTICE_VERSION = "2026-11-21"


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str, by) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(language)s") % {"language": language})
    before = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
    }
    user.first_name, user.last_name, user.preferred_language = first_name, last_name, language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    after = {
        "first_name": first_name,
        "last_name": last_name,
        "preferred_language": language,
    }
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        audit_record(actor=by, action="user.profile_updated", obj=user, data=changed)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return
    old = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit_record(
        actor=user, action="user.language_changed", obj=user, from_state=old, to_state=language
    )


@transaction.atomic
def user_accept_privacy_notice(*, user: User) -> None:
    user.privacy_notice_version = PRIVACY_NOTICE_VERSION
    user.privacy_notice_accepted_at = timezone.now()
    user.save(update_fields=["privacy_notice_version", "privacy_notice_accepted_at"])
    audit_record(
        actor=user,
        action="user.privacy_notice_accepted",
        obj=user,
        to_state=PRIVACY_NOTICE_VERSION,
    )


@transaction.atomic
def role_grant(*, user: User, role: str, by, reason: str = "") -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": by if by and by.pk else None}
    )
    if created:
        audit_record(actor=by, action="role.granted", obj=user, to_state=role, reason=reason)
        forget_cached_permissions(user)
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str, by, reason: str = "") -> None:
    deleted, _details = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        audit_record(actor=by, action="role.revoked", obj=user, from_state=role, reason=reason)
        forget_cached_permissions(user)
