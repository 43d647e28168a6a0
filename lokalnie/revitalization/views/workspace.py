"""The programme workspace: the module's entry page, a programme's overview with the
stages and their progress, its details and its team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.forms.programme import MemberForm, ProgrammeForm, RoleForm
from lokalnie.revitalization.models import ProgrammeMember, Stage, TeamRole
from lokalnie.revitalization.selectors.programme import programmes_of, stages
from lokalnie.revitalization.services import programme as services


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def index(request):
    """What the module does; signed-in people see their programmes and may start one."""
    context = {"programmes": [], "may_create": False}
    if request.user.is_authenticated:
        context["programmes"] = programmes_of(request.user)
        context["may_create"] = can(request.user, "revitalization.create")
    return render(request, "revitalization/workspace/index.html", context)


@login_required
def programme_new(request):
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "gmina_query"}
        try:
            programme = services.programme_create(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme is created; you are its coordinator."))
            return redirect("revitalization:programme", programme.pk)
    return render(request, "revitalization/workspace/programme_form.html", {"form": form})


@login_required
def programme_detail(request, pk):
    programme = programme_for(request, pk)
    stage_list = stages(programme)
    done = sum(1 for stage in stage_list if stage.done)
    return render(
        request,
        "revitalization/workspace/programme.html",
        {
            "programme": programme,
            "stage": "",
            "stage_list": stage_list,
            "stages_done": done,
            "stages_total": len(stage_list),
            "may_coordinate": can(request.user, "revitalization.coordinate", programme),
            "may_edit": can(request.user, "revitalization.edit", programme),
        },
    )


@login_required
def programme_edit(request, pk):
    programme = programme_for(request, pk, "revitalization.coordinate")
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "gmina_query"}
        programme.refresh_from_db()  # the form wrote into the instance; the service compares
        try:
            services.programme_update(programme=programme, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme's details are saved."))
            return redirect("revitalization:programme", programme.pk)
    return render(
        request,
        "revitalization/workspace/programme_form.html",
        {"form": form, "programme": programme},
    )


@login_required
@require_POST
def programme_stage(request, pk):
    programme = programme_for(request, pk, "revitalization.coordinate")
    try:
        services.programme_stage_set(
            programme=programme, stage=request.POST.get("stage", ""), by=request.user
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        programme.refresh_from_db()
        messages.success(
            request,
            _("The programme is now at the stage “%(stage)s”.")
            % {"stage": Stage(programme.stage).label},
        )
    return redirect("revitalization:programme", programme.pk)


@login_required
def team(request, pk):
    programme = programme_for(request, pk)
    may_coordinate = can(request.user, "revitalization.coordinate", programme)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not may_coordinate:
            programme_for(request, pk, "revitalization.coordinate")  # 403
        if form.is_valid():
            try:
                services.member_add(programme=programme, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The person is added to the team."))
                return redirect("revitalization:team", programme.pk)
    members = programme.members.select_related("user").order_by("role", "user__email")
    return render(
        request,
        "revitalization/workspace/team.html",
        {
            "programme": programme,
            "stage": "",
            "members": members,
            "form": form,
            "role_choices": TeamRole.choices,
            "may_coordinate": may_coordinate,
        },
    )


def _member(request, pk, member_pk) -> ProgrammeMember:
    programme = programme_for(request, pk, "revitalization.coordinate")
    return get_object_or_404(
        ProgrammeMember.objects.select_related("user"), pk=member_pk, programme=programme
    )


@login_required
@require_POST
def member_role(request, pk, member_pk):
    member = _member(request, pk, member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
    else:
        try:
            services.member_change_role(
                member=member, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The role is changed."))
    return redirect("revitalization:team", pk)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    member = _member(request, pk, member_pk)
    try:
        services.member_remove(member=member, by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The person is removed from the team."))
    return redirect("revitalization:team", pk)


urlpatterns = [
    path("", index, name="index"),
    path("programy/nowy/", programme_new, name="programme_new"),
    path("programy/<int:pk>/", programme_detail, name="programme"),
    path("programy/<int:pk>/zmien/", programme_edit, name="programme_edit"),
    path("programy/<int:pk>/etap/", programme_stage, name="programme_stage"),
    path("programy/<int:pk>/zespol/", team, name="team"),
    path("programy/<int:pk>/zespol/<int:member_pk>/rola/", member_role, name="member_role"),
    path("programy/<int:pk>/zespol/<int:member_pk>/usun/", member_remove, name="member_remove"),
]
