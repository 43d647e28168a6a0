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
from django.db import models

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
    for attr in (
        "_lokalnie_roles",
        "_lokalnie_memberships",
        "_lokalnie_assignments",
        "_lokalnie_programme_roles",
    ):
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


def assignment_of(user, application):
    """The user's assessor assignment on this application, or None (cached per request)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.ASSESSOR):
        return None
    cache = getattr(user, "_lokalnie_assignments", None)
    if cache is None:
        cache = user._lokalnie_assignments = {}
    if application.pk not in cache:
        cache[application.pk] = application.assignments.filter(assessor=user).first()
    return cache[application.pk]


def _assigned_assessor(user, application) -> bool:
    return assignment_of(user, application) is not None


def _assessor_cleared(user, application) -> bool:
    """Assigned, and has declared no conflict of interest."""
    assignment = assignment_of(user, application)
    return assignment is not None and assignment.no_conflict_declared_at is not None


def _assessor_may_score(user, application) -> bool:
    from lokalnie.certification.workflow import Status

    assignment = assignment_of(user, application)
    return (
        assignment is not None
        and assignment.no_conflict_declared_at is not None
        and assignment.submitted_at is None
        and application.status in (Status.UNDER_REVIEW, Status.SITE_VISIT)
    )


def _application_view(user, application) -> bool:
    return (
        _sees_all_applications(user)
        or _member_of_applicant(user, application)
        or _assessor_cleared(user, application)
    )


def _reads_all_reviews(user, application) -> bool:
    if _sees_all_applications(user):
        return True
    assignment = assignment_of(user, application)
    if assignment is None or assignment.submitted_at is None:
        return False
    # Assessors see each other's scores only when every assessor has submitted.
    return not application.assignments.filter(submitted_at__isnull=True).exists()


def _may_ask(user, application) -> bool:
    return (
        is_cal_staff(user)
        or _member_of_applicant(user, application)
        or _assessor_cleared(user, application)
    )


def _committee_votes(user, application) -> bool:
    from lokalnie.certification.workflow import Status

    return has_role(user, Role.COMMITTEE) and application.status == Status.RECOMMENDED


def _records_visit(user, application) -> bool:
    visit = getattr(application, "site_visit", None) if application.pk else None
    return is_cal_staff(user) or (visit is not None and visit.expert_id == user.pk)


def _applicant_member(user, institution) -> bool:
    return institution.pk in institution_roles(user)


# --- certificates (lokalnie.registry) ---


def _sees_all_certificates(user, obj=None) -> bool:
    return is_cal_staff(user) or has_role(user, Role.COMMITTEE, Role.BOARD)


def _certificate_view(user, certificate) -> bool:
    return _sees_all_certificates(user) or certificate.institution_id in institution_roles(user)


def _certificate_download(user, certificate) -> bool:
    return is_cal_staff(user) or certificate.institution_id in institution_roles(user)


def _investigation_view(user, investigation) -> bool:
    return _certificate_view(user, investigation.certificate)


def _investigation_respond(user, investigation) -> bool:
    return investigation.certificate.institution_id in institution_roles(user)


# --- workshops (lokalnie.training) ---


def _coordinates_workshops(user, obj=None) -> bool:
    """CAL staff and trainers/coordinators run workshops."""
    return is_cal_staff(user) or has_role(user, Role.TRAINER)


def _edition_manage(user, edition) -> bool:
    """Staff, and the edition's own coordinators and trainers."""
    if is_cal_staff(user):
        return True
    if not has_role(user, Role.TRAINER):
        return False
    return (
        edition.coordinators.filter(pk=user.pk).exists()
        or edition.trainers.filter(pk=user.pk).exists()
    )


# --- revitalization programmes (lokalnie.revitalization) ---


def programme_role(user, programme) -> str | None:
    """The user's role in the programme's team ("coordinator", "editor", "viewer") or None.
    Cached on the user object per programme for the request."""
    if not getattr(user, "is_authenticated", False) or programme is None:
        return None
    cache = user.__dict__.setdefault("_lokalnie_programme_roles", {})
    if programme.pk not in cache:
        from lokalnie.revitalization.models import ProgrammeMember

        cache[programme.pk] = (
            ProgrammeMember.objects.filter(programme_id=programme.pk, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[programme.pk]


def _programme_view(user, programme) -> bool:
    """The team (every role) and CAL staff, who support programmes."""
    return is_cal_staff(user) or programme_role(user, programme) is not None


def _programme_edit(user, programme) -> bool:
    """The team's coordinators and members; observers (partners) only read."""
    return programme_role(user, programme) in ("coordinator", "editor")


def _programme_coordinate(user, programme) -> bool:
    """Coordinators: the team, approvals, locking periods, adopting the area, publishing."""
    return programme_role(user, programme) == "coordinator"


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
    "application.assign": _staff,
    "review.declare": _assigned_assessor,
    "review.score": _assessor_may_score,
    "review.read_all": _reads_all_reviews,
    "question.post": _may_ask,
    "visit.schedule": _staff,
    "visit.record": _records_visit,
    "vote.cast": _committee_votes,
    "rubric.manage": _staff,
    # --- certificates and the registry ---
    "certificate.view": _certificate_view,  # obj: the certificate
    "certificate.download": _certificate_download,  # the PDF: its institution and staff
    "certificate.investigate": _role(Role.COMMITTEE),  # open, decide, lift a suspension
    "certificate.respond": _investigation_respond,  # obj: the investigation
    "certificate.manage": _staff,  # the person responsible for certification
    "investigation.list_all": _sees_all_certificates,
    "investigation.view": _investigation_view,  # obj: the investigation
    # --- workshops ---
    "training.coordinate": _coordinates_workshops,  # dashboard, new editions
    "programme.manage": _staff,  # programmes, eligibility questions, surveys, materials
    "edition.manage": _edition_manage,  # obj: the edition (participants, attendance…)
    "training.funder_report": _staff,  # participant data in the funder's format
    # --- revitalization programmes (obj: the programme) ---
    "revitalization.create": _authenticated,  # whoever starts one becomes its coordinator
    "revitalization.view": _programme_view,
    "revitalization.edit": _programme_edit,
    "revitalization.coordinate": _programme_coordinate,
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
    mine = models.Q(institution_id__in=list(institution_roles(user)))
    if has_role(user, Role.ASSESSOR):
        # Listed once assigned; the content opens after the declaration of no conflict.
        mine |= models.Q(assignments__assessor=user)
    return queryset.filter(mine).distinct()


def visible_institutions(user, queryset=None):
    """Institutions whose private pages the user may open."""
    from lokalnie.institutions.models import Institution

    queryset = Institution.objects.all() if queryset is None else queryset
    if is_cal_staff(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(memberships__user=user).distinct()


def visible_certificates(user, queryset=None):
    """Certificates whose private page the user may open (the public registry shows all):
    their institutions' own, or all for staff, the Certification Committee and the Board."""
    from lokalnie.registry.models import Certificate

    queryset = Certificate.objects.all() if queryset is None else queryset
    if _sees_all_certificates(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(institution_id__in=list(institution_roles(user)))


def visible_investigations(user, queryset=None):
    """Investigations the user may open: of their institutions' certificates, or all for
    staff, the Certification Committee and the Board."""
    from lokalnie.registry.models import Investigation

    queryset = Investigation.objects.all() if queryset is None else queryset
    if _sees_all_certificates(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(certificate__institution_id__in=list(institution_roles(user)))


def visible_managed_editions(user, queryset=None):
    """Editions the user runs: all for staff; a trainer's own (coordinator or trainer)."""
    from lokalnie.training.models import Edition

    queryset = Edition.objects.all() if queryset is None else queryset
    if is_cal_staff(user):
        return queryset
    if not has_role(user, Role.TRAINER):
        return queryset.none()
    return queryset.filter(models.Q(coordinators=user) | models.Q(trainers=user)).distinct()


def visible_programmes(user, queryset=None):
    """Revitalization programmes the user may open: their teams' own, all for CAL staff."""
    from lokalnie.revitalization.models import Programme

    queryset = Programme.objects.all() if queryset is None else queryset
    if is_cal_staff(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    from lokalnie.revitalization.models import ProgrammeMember

    # EXISTS rather than a join + DISTINCT (which spans every selected column).
    membership = ProgrammeMember.objects.filter(programme=models.OuterRef("pk"), user=user)
    return queryset.filter(models.Exists(membership))
