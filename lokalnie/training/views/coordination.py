"""Coordinator pages: editions (create, change, publish, cancel), their participants
(accept, wait-list, refuse, cancel) and, for staff, the programmes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import (
    can,
    permission_required,
    require,
    visible_managed_editions,
)
from lokalnie.institutions.text import fold
from lokalnie.training import services
from lokalnie.training.forms import (
    EditionForm,
    EligibilityQuestionsForm,
    ProgrammeForm,
    ReasonForm,
)
from lokalnie.training.models import Edition, Programme, Registration
from lokalnie.training.workflow import SEAT_HOLDING, RegStatus, TransitionError


def _managed_edition(request, pk) -> Edition:
    return get_object_or_404(
        visible_managed_editions(request.user).select_related("programme", "voivodeship"), pk=pk
    )


@permission_required("training.coordinate")
def coordination(request):
    editions = (
        visible_managed_editions(request.user)
        .select_related("programme")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDING)),
            waiting=Count("registrations", filter=Q(registrations__status=RegStatus.WAITLISTED)),
            pending=Count("registrations", filter=Q(registrations__status=RegStatus.PENDING)),
        )
        .order_by("-starts_on", "city")
    )
    return render(
        request,
        "training/coordination/index.html",
        {
            "editions": editions,
            "may_manage_programmes": can(request.user, "programme.manage"),
        },
    )


def _unique_slug(base: str) -> str:
    slug = base[:90] or "edycja"
    candidate, number = slug, 2
    while Edition.objects.filter(slug=candidate).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


@permission_required("training.coordinate")
def edition_new(request):
    form = EditionForm(request.POST or None)
    if request.method == "POST" and "find_gmina" not in request.POST and form.is_valid():
        edition = form.save(commit=False)
        try:
            days = form.day_plans()
            edition.slug = _unique_slug(
                slugify(fold(f"{edition.city} {days[0].date:%Y-%m-%d} {edition.programme.slug}"))
            )
            with transaction.atomic():
                services.edition_save(edition=edition, days=days, by=request.user)
                edition.coordinators.add(request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The edition is saved as a draft; publish it when it is ready.")
            )
            return redirect("training:edition_manage", pk=edition.pk)
    elif request.method == "POST" and "find_gmina" in request.POST:
        form.is_valid()  # shows the gmina matches
    return render(request, "training/coordination/edition_form.html", {"form": form})


@login_required
def edition_edit(request, pk):
    edition = _managed_edition(request, pk)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and "find_gmina" not in request.POST and form.is_valid():
        try:
            services.edition_save(
                edition=form.save(commit=False), days=form.day_plans(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The edition is saved."))
            return redirect("training:edition_manage", pk=edition.pk)
    elif request.method == "POST":
        form.is_valid()
    return render(
        request, "training/coordination/edition_form.html", {"form": form, "edition": edition}
    )


@login_required
def edition_manage(request, pk):
    edition = _managed_edition(request, pk)
    registrations = list(services.registrations_of(edition))
    groups = []
    for status in (
        RegStatus.PENDING,
        RegStatus.ACCEPTED,
        RegStatus.OFFERED,
        RegStatus.WAITLISTED,
        RegStatus.UNCONFIRMED,
        RegStatus.REJECTED,
        RegStatus.WITHDRAWN,
        RegStatus.EXPIRED,
        RegStatus.CANCELLED,
    ):
        rows = [r for r in registrations if r.status == status]
        if rows:
            groups.append({"status": status, "label": status.label, "rows": rows})
    held = sum(1 for r in registrations if r.status in SEAT_HOLDING)
    return render(
        request,
        "training/coordination/edition.html",
        {
            "edition": edition,
            "groups": groups,
            "held": held,
            "seats_left": max(edition.capacity - held, 0),
            "days": edition.days.order_by("number"),
            "reason_form": ReasonForm(),
            "can_manage_programmes": can(request.user, "programme.manage"),
            "can_funder_report": can(request.user, "training.funder_report"),
        },
    )


@login_required
@require_POST
def edition_action(request, pk):
    edition = _managed_edition(request, pk)
    action = request.POST.get("action", "")
    try:
        services.edition_transition(
            edition=edition, action=action, by=request.user, reason=request.POST.get("reason", "")
        )
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("The edition is now: %(status)s.") % {"status": _status(edition)}
        )
    return redirect("training:edition_manage", pk=edition.pk)


def _status(edition: Edition) -> str:
    edition.refresh_from_db(fields=["status"])
    return edition.get_status_display()


@login_required
@require_POST
def registration_decide(request, pk):
    registration = get_object_or_404(Registration.objects.select_related("edition"), pk=pk)
    edition = registration.edition
    if not visible_managed_editions(request.user).filter(pk=edition.pk).exists():
        raise Http404
    require(request.user, "edition.manage", edition)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "accept":
            services.registration_accept(registration=registration, by=request.user)
        elif action == "waitlist":
            services.registration_waitlist(registration=registration, by=request.user)
        elif action == "reject":
            services.registration_reject(registration=registration, by=request.user, reason=reason)
        elif action == "cancel":
            services.registration_cancel(registration=registration, by=request.user, reason=reason)
        else:
            raise TransitionError(_("Unknown action."))
    except (TransitionError, ValidationError) as error:
        messages.error(
            request,
            _("%(name)s: %(error)s")
            % {
                "name": registration.full_name,
                "error": " ".join(getattr(error, "messages", [str(error)])),
            },
        )
    else:
        registration.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": registration.full_name, "status": registration.get_status_display()},
        )
    return redirect(reverse("training:edition_manage", args=[edition.pk]) + "#uczestnicy")


# --- Programmes (staff) -----------------------------------------------------------------------


@permission_required("programme.manage")
def programmes(request):
    return render(
        request,
        "training/coordination/programmes.html",
        {
            "programmes": Programme.objects.annotate(edition_count=Count("editions")).order_by(
                "title_pl"
            )
        },
    )


def _questions_text(programme: Programme) -> str:
    return "\n".join(
        ("" if q.eligible_answer else "!") + q.text_pl
        for q in programme.eligibility_questions.all()
    )


@permission_required("programme.manage")
def programme_form(request, slug=None):
    programme = get_object_or_404(Programme, slug=slug) if slug else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    questions_form = EligibilityQuestionsForm(
        request.POST or None,
        initial={"questions": _questions_text(programme) if programme else ""},
    )
    if request.method == "POST" and form.is_valid() and questions_form.is_valid():
        services.programme_save(
            programme=form.save(commit=False),
            questions_text=questions_form.cleaned_data["questions"],
            by=request.user,
        )
        messages.success(request, _("The programme is saved."))
        return redirect("training:programmes")
    return render(
        request,
        "training/coordination/programme_form.html",
        {"form": form, "questions_form": questions_form, "programme": programme},
    )


urlpatterns = [
    path("koordynacja/", coordination, name="coordination"),
    path("koordynacja/edycje/nowa/", edition_new, name="edition_new"),
    path("koordynacja/edycje/<int:pk>/", edition_manage, name="edition_manage"),
    path("koordynacja/edycje/<int:pk>/edycja/", edition_edit, name="edition_edit"),
    path("koordynacja/edycje/<int:pk>/status/", edition_action, name="edition_action"),
    path(
        "koordynacja/zgloszenia/<int:pk>/decyzja/",
        registration_decide,
        name="registration_decide",
    ),
    path("koordynacja/programy/", programmes, name="programmes"),
    path("koordynacja/programy/nowy/", programme_form, name="programme_new"),
    path("koordynacja/programy/<slug:slug>/", programme_form, name="programme_edit"),
]
