"""The one place that decides who may see or do what.

Views call ``can``/``require`` (or the ``permission_required`` decorator) and build
querysets through the ``visible_*`` functions; nothing else filters by role ad hoc.
Each rule takes ``(user, obj)`` and answers True or False. Add a rule here when you
add an action, and a row to the access-matrix test when you add a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from lokalnie.accounts.models import Role

Rule = Callable[[object, object], bool]


# --- Facts about a user (cached on the user object for the request) ----------------------


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_lokalnie_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._lokalnie_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def is_cal_staff(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.STAFF)


def requires_mfa(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, *settings.MFA_REQUIRED_ROLES)


def institution_roles(user) -> dict[int, str]:
    """{institution_id: "owner" | "member"} for the user's memberships."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_lokalnie_memberships", None)
    if cached is None:
        from lokalnie.institutions.models import Membership

        cached = dict(Membership.objects.filter(user=user).values_list("institution_id", "role"))
        user._lokalnie_memberships = cached
    return cached


def forget_cached_permissions(user) -> None:
    for attr in ("_lokalnie_roles", "_lokalnie_memberships"):
        if hasattr(user, attr):
            delattr(user, attr)


# --- Rules -------------------------------------------------------------------------------


def _authenticated(user, obj=None) -> bool:
    return getattr(user, "is_authenticated", False)


def _staff(user, obj=None) -> bool:
    return is_cal_staff(user)


def _staff_or_board(user, obj=None) -> bool:
    return is_cal_staff(user) or has_role(user, Role.BOARD)


def _institution_member(user, institution) -> bool:
    return is_cal_staff(user) or institution.pk in institution_roles(user)


def _institution_owner(user, institution) -> bool:
    from lokalnie.institutions.models import Membership

    return is_cal_staff(user) or (
        institution_roles(user).get(institution.pk) == Membership.Role.OWNER
    )


def _member_of_applicant(user, application) -> bool:
    return application.institution_id in institution_roles(user)


def _owner_of_applicant(user, application) -> bool:
    from lokalnie.institutions.models import Membership

    return institution_roles(user).get(application.institution_id) == Membership.Role.OWNER


def _sees_all_applications(user, obj=None) -> bool:
    return is_cal_staff(user) or has_role(user, Role.COMMITTEE, Role.BOARD)


def _application_view(user, application) -> bool:
    return _sees_all_applications(user) or _member_of_applicant(user, application)


def _applicant_member(user, institution) -> bool:
    return institution.pk in institution_roles(user)


def _role(*roles):
    def rule(user, obj=None) -> bool:
        return has_role(user, *roles)

    return rule


RULES: dict[str, Rule] = {
    "audit.view": _staff_or_board,
    "institution.create": _authenticated,
    "institution.view": _institution_member,
    "institution.change": _institution_owner,
    "institution.manage_members": _institution_owner,
    "institution.leave": _institution_member,
    "teryt.search": lambda user, obj=None: True,
    # --- certification ---
    "selfcheck.stats": _staff_or_board,
    "area.manage": _staff,
    "regulation.edit": _staff,
    "application.create": _applicant_member,  # obj: the institution
    "application.list_all": _sees_all_applications,
    "application.view": _application_view,
    "application.edit": _member_of_applicant,
    "application.formal_check": _staff,
    "application.manage_review": _staff,
    "application.decide": _role(Role.COMMITTEE),
    "application.appeal": _owner_of_applicant,
    "application.decide_appeal": _role(Role.BOARD),
    "application.close_refusal": _staff,
}


def can(user, action: str, obj=None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}; add a rule to RULES.") from None
    return bool(rule(user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


def permission_required(action: str):
    """View decorator for actions without an object: anonymous users are sent to the
    login page, signed-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if can(request.user, action):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(action)

        return wrapped

    return decorator


# --- Scoped querysets ----------------------------------------------------------------------


def visible_applications(user, queryset=None):
    """Applications the user may open: their institutions' own, or all for staff, the
    Certification Committee and the Board."""
    from lokalnie.certification.models import Application

    queryset = Application.objects.all() if queryset is None else queryset
    if _sees_all_applications(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(institution_id__in=list(institution_roles(user)))


def visible_institutions(user, queryset=None):
    """Institutions whose private pages the user may open."""
    from lokalnie.institutions.models import Institution

    queryset = Institution.objects.all() if queryset is None else queryset
    if is_cal_staff(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(memberships__user=user).distinct()
