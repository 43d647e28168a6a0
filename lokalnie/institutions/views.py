from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, require
from lokalnie.institutions import services
from lokalnie.institutions.forms import InstitutionForm, InvitationForm
from lokalnie.institutions.models import Institution, Invitation, TerytUnit
from lokalnie.institutions.selectors import (
    gmina_search,
    gmina_unambiguous,
    institutions_for_user,
)


def _visible_institution(request, pk: int) -> Institution:
    """404 (not 403) for institutions the user may not see, so ids reveal nothing."""
    return get_object_or_404(institutions_for_user(user=request.user), pk=pk)


def _search_only(request) -> bool:
    return "find_gmina" in request.POST


def _initial_from_post(request) -> dict:
    initial = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    initial["areas"] = request.POST.getlist("areas")
    return initial


def _form_page(request, form, *, institution=None, title):
    query = form["gmina_query"].value() or ""
    matches = form.gmina_matches if form.is_bound else gmina_search(query=query) if query else []
    chosen = form.chosen_gmina() or gmina_unambiguous(query=query, matches=matches)
    return render(
        request,
        "institutions/form.html",
        {
            "form": form,
            "institution": institution,
            "title": title,
            "matches": matches,
            "chosen": chosen,
        },
    )


@login_required
def institution_list(request):
    institutions = institutions_for_user(user=request.user)
    return render(request, "institutions/list.html", {"institutions": institutions})


@permission_required("institution.create")
def institution_create(request):
    title = _("Register an institution")
    if request.method == "POST" and not _search_only(request):
        form = InstitutionForm(request.POST)
        if form.is_valid():
            institution = services.institution_create(
                by=request.user, data=form.service_data(), areas=form.cleaned_data["areas"]
            )
            messages.success(request, _("The institution has been registered. You are its owner."))
            return redirect("institutions:detail", institution.pk)
    elif request.method == "POST":
        form = InstitutionForm(initial=_initial_from_post(request))
    else:
        form = InstitutionForm()
    return _form_page(request, form, title=title)


@login_required
def institution_detail(request, pk: int):
    institution = _visible_institution(request, pk)
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "areas": institution.areas.all(),
            "can_change": can(request.user, "institution.change", institution),
        },
    )


@login_required
def institution_edit(request, pk: int):
    institution = _visible_institution(request, pk)
    require(request.user, "institution.change", institution)
    title = _("Edit institution data")
    if request.method == "POST" and not _search_only(request):
        form = InstitutionForm(request.POST, instance=Institution.objects.get(pk=institution.pk))
        if form.is_valid():
            services.institution_update(
                institution=institution,
                by=request.user,
                data=form.service_data(),
                areas=form.cleaned_data["areas"],
            )
            messages.success(request, _("The changes have been saved."))
            return redirect("institutions:detail", institution.pk)
    elif request.method == "POST":
        form = InstitutionForm(initial=_initial_from_post(request), instance=institution)
    else:
        form = InstitutionForm(instance=institution)
    return _form_page(request, form, institution=institution, title=title)


@login_required
def institution_members(request, pk: int):
    institution = _visible_institution(request, pk)
    can_manage = can(request.user, "institution.manage_members", institution)
    form = InvitationForm()
    if request.method == "POST":
        require(request.user, "institution.manage_members", institution)
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    institution=institution,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("institutions:members", institution.pk)
    return render(
        request,
        "institutions/members.html",
        {
            "institution": institution,
            "memberships": institution.memberships.select_related("user").order_by("user__email"),
            "invitations": institution.invitations.filter(status=Invitation.Status.PENDING)
            if can_manage
            else [],
            "can_manage": can_manage,
            "form": form,
        },
    )


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    institution = _visible_institution(request, pk)
    invitation = get_object_or_404(institution.invitations, pk=invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation has been revoked."))
    return redirect("institutions:members", institution.pk)


@login_required
@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    institution = _visible_institution(request, pk)
    membership = get_object_or_404(institution.memberships.select_related("user"), pk=membership_pk)
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("institutions:members", institution.pk)
    if leaving:
        messages.success(request, _("You have left %(name)s.") % {"name": institution.name})
        return redirect("institutions:list")
    messages.success(request, _("%(email)s has been removed.") % {"email": membership.user.email})
    return redirect("institutions:members", institution.pk)


@login_required
def invitation_detail(request, token: str):
    invitation = get_object_or_404(
        Invitation.objects.select_related("institution", "invited_by"), token=token
    )
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.institution.name},
            )
            return redirect("institutions:detail", invitation.institution_id)
    wrong_address = invitation.email.lower() != request.user.email.lower()
    return render(
        request,
        "institutions/invitation.html",
        {"invitation": invitation, "error": error, "wrong_address": wrong_address},
        status=400 if error else 200,
    )


def gmina_search_view(request):
    """htmx partial (and plain page without JavaScript): gminas matching ``gmina_query``."""
    query = request.GET.get("gmina_query", "")
    chosen_code = request.GET.get("gmina", "")
    chosen = TerytUnit.objects.filter(code=chosen_code, level=TerytUnit.Level.GMINA).first()
    matches = gmina_search(query=query)
    chosen = chosen or gmina_unambiguous(query=query, matches=matches)
    template = (
        "institutions/_gmina_results.html"
        if request.headers.get("HX-Request")
        else "institutions/gmina_search.html"
    )
    return render(request, template, {"matches": matches, "query": query, "chosen": chosen})
