"""Views of the partners part: a programme's stakeholders (list, interest × influence map,
details, adding, editing, removing) and its partnership agreements (with their documents).

Every view finds the programme with ``access.programme_for``: outsiders get 404, team
members without the right 403; reading needs ``revitalization.view``, changes
``revitalization.edit``. Stakeholder and agreement ids are looked up within the programme,
so another programme's ids are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.core.uploads import serve_upload
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.forms.partners import AgreementForm, StakeholderForm
from lokalnie.revitalization.models import Stage, Stakeholder
from lokalnie.revitalization.selectors import partners as selectors
from lokalnie.revitalization.services import partners as services

STAGE = Stage.PARTNERS.value


def _context(request, programme, **extra) -> dict:
    return {
        "programme": programme,
        "stage": STAGE,
        "may_edit": can(request.user, "revitalization.edit", programme),
        **extra,
    }


# --- Stakeholders --------------------------------------------------------------------------


@login_required
def stakeholder_list(request, pk: int):
    """The landing page of the stage: the stakeholders, filtered by kind and sorted."""
    programme = programme_for(request, pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Stakeholder.Kind.values else ""
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    stakeholders = list(selectors.stakeholders_of(programme, kind=kind, sort=sort))
    for stakeholder in stakeholders:
        stakeholder.quadrant_name = selectors.QUADRANT_NAMES[selectors.quadrant_of(stakeholder)]
    counts = selectors.kind_counts(programme)
    return render(
        request,
        "revitalization/partners/list.html",
        _context(
            request,
            programme,
            stakeholders=stakeholders,
            kind=kind,
            sort=sort,
            kinds=[
                (value, label, counts.get(value, 0)) for value, label in Stakeholder.Kind.choices
            ],
            sorts=[(key, label) for key, (_ordering, label) in selectors.SORTS.items()],
            total=sum(counts.values()),
            has_individuals=any(s.kind == Stakeholder.Kind.INDIVIDUAL for s in stakeholders),
        ),
    )


@login_required
def stakeholder_map(request, pk: int):
    programme = programme_for(request, pk)
    return render(
        request,
        "revitalization/partners/map.html",
        _context(
            request,
            programme,
            map=selectors.stakeholder_map(programme),
            quadrant_advice=selectors.QUADRANT_ADVICE,
            quadrant_names=selectors.QUADRANT_NAMES,
            interest_levels=selectors.INTEREST_LEVELS.items(),
            influence_levels=selectors.INFLUENCE_LEVELS.items(),
            high_from=selectors.calc.HIGH_FROM,
        ),
    )


@login_required
def stakeholder_detail(request, pk: int, stakeholder: int):
    programme = programme_for(request, pk)
    item = selectors.stakeholder_for(programme, stakeholder)
    quadrant = selectors.quadrant_of(item)
    return render(
        request,
        "revitalization/partners/detail.html",
        _context(
            request,
            programme,
            stakeholder=item,
            quadrant_name=selectors.QUADRANT_NAMES[quadrant],
            quadrant_advice=selectors.QUADRANT_ADVICE[quadrant],
            interest_text=selectors.level_text(item.interest, selectors.INTEREST_LEVELS),
            influence_text=selectors.level_text(item.influence, selectors.INFLUENCE_LEVELS),
            responsible_for=item.responsible_for.order_by("starts_on", "pk"),
            partner_in=item.actions.order_by("starts_on", "pk"),
            agreements=item.agreements.order_by("-signed_on", "pk"),
            blockers=services.stakeholder_blockers(item),
        ),
    )


def _find_only(request) -> bool:
    return "find_institution" in request.POST


def _initial_from_post(request) -> dict:
    return {
        key: request.POST.get(key)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "find_institution", "institution")
    }


def _stakeholder_form_page(request, programme, form, *, stakeholder=None, status=200):
    query = (form["institution_query"].value() or "").strip()
    if form.is_bound and hasattr(form, "cleaned_data"):
        matches = form.institution_matches
    else:
        matches = selectors.institution_search(query=query) if query else []
    chosen = form.chosen_institution() or (
        selectors.institution_unambiguous(query=query, matches=matches) if matches else None
    )
    return render(
        request,
        "revitalization/partners/stakeholder_form.html",
        _context(
            request,
            programme,
            form=form,
            stakeholder=stakeholder,
            matches=matches,
            chosen=chosen,
            query=query,
        ),
        status=status,
    )


def _save_stakeholder(request, programme, *, stakeholder=None):
    """The form page, or the redirect once the service has stored the stakeholder."""
    if request.method == "POST" and _find_only(request):
        form = StakeholderForm(initial=_initial_from_post(request), instance=stakeholder)
        return _stakeholder_form_page(request, programme, form, stakeholder=stakeholder)
    if request.method != "POST":
        form = StakeholderForm(instance=stakeholder)
        return _stakeholder_form_page(request, programme, form, stakeholder=stakeholder)
    form = StakeholderForm(request.POST, instance=stakeholder)
    if form.is_valid():
        try:
            if stakeholder is None:
                stakeholder = services.stakeholder_create(
                    programme=programme, by=request.user, data=form.service_data()
                )
                messages.success(request, _("The stakeholder has been added."))
            else:
                services.stakeholder_update(
                    stakeholder=stakeholder, by=request.user, data=form.service_data()
                )
                messages.success(request, _("The changes have been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("revitalization:partners_detail", programme.pk, stakeholder.pk)
    return _stakeholder_form_page(request, programme, form, stakeholder=stakeholder)


@login_required
def stakeholder_add(request, pk: int):
    programme = programme_for(request, pk, "revitalization.edit")
    return _save_stakeholder(request, programme)


@login_required
def stakeholder_edit(request, pk: int, stakeholder: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.stakeholder_for(programme, stakeholder)
    return _save_stakeholder(request, programme, stakeholder=item)


@require_POST
@login_required
def stakeholder_delete(request, pk: int, stakeholder: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.stakeholder_for(programme, stakeholder)
    try:
        services.stakeholder_delete(stakeholder=item, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("revitalization:partners_detail", programme.pk, item.pk)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": item.name})
    return redirect("revitalization:partners", programme.pk)


@login_required
def institution_search(request, pk: int):
    """htmx partial (and a plain page without JavaScript): registry institutions matching
    ``institution_query``, as choices for the stakeholder form."""
    programme = programme_for(request, pk, "revitalization.edit")
    query = request.GET.get("institution_query", "").strip()
    matches = selectors.institution_search(query=query)
    chosen = selectors.institution_unambiguous(query=query, matches=matches)
    template = (
        "revitalization/partners/_institution_results.html"
        if request.headers.get("HX-Request")
        else "revitalization/partners/institution_search.html"
    )
    return render(
        request,
        template,
        _context(request, programme, matches=matches, query=query, chosen=chosen),
    )


# --- Partnership agreements ----------------------------------------------------------------


@login_required
def agreement_list(request, pk: int):
    programme = programme_for(request, pk)
    return render(
        request,
        "revitalization/partners/agreements.html",
        _context(request, programme, agreements=selectors.agreements_of(programme)),
    )


def _save_agreement(request, programme, *, agreement=None):
    form = AgreementForm(
        request.POST or None, request.FILES or None, programme=programme, instance=agreement
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if agreement is None:
                services.agreement_create(
                    programme=programme,
                    by=request.user,
                    title=data["title"],
                    signed_on=data["signed_on"],
                    stakeholders=data["stakeholders"],
                    upload=data.get("document"),
                )
                messages.success(request, _("The agreement has been recorded."))
            else:
                services.agreement_update(
                    agreement=agreement,
                    by=request.user,
                    title=data["title"],
                    signed_on=data["signed_on"],
                    stakeholders=data["stakeholders"],
                    upload=data.get("document"),
                    remove_document=data.get("remove_document", False),
                )
                messages.success(request, _("The changes have been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("revitalization:partners_agreements", programme.pk)
    return render(
        request,
        "revitalization/partners/agreement_form.html",
        _context(
            request,
            programme,
            form=form,
            agreement=agreement,
            has_stakeholders=form.fields["stakeholders"].queryset.exists(),
        ),
    )


@login_required
def agreement_add(request, pk: int):
    programme = programme_for(request, pk, "revitalization.edit")
    return _save_agreement(request, programme)


@login_required
def agreement_edit(request, pk: int, agreement: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.agreement_for(programme, agreement)
    return _save_agreement(request, programme, agreement=item)


@login_required
def agreement_file(request, pk: int, agreement: int):
    """The agreement's document, for the team (and CAL staff) only."""
    programme = programme_for(request, pk)
    item = selectors.agreement_for(programme, agreement)
    if not item.document or not item.document.storage.exists(item.document.name):
        raise Http404
    return serve_upload(item.document, filename=item.filename, content_type=item.content_type)


@require_POST
@login_required
def agreement_delete(request, pk: int, agreement: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.agreement_for(programme, agreement)
    services.agreement_delete(agreement=item, by=request.user)
    messages.success(request, _("“%(title)s” has been removed.") % {"title": item.title})
    return redirect("revitalization:partners_agreements", programme.pk)


PREFIX = "programy/<int:pk>/partnerzy/"
urlpatterns = [
    path(PREFIX, stakeholder_list, name="partners"),
    path(f"{PREFIX}mapa/", stakeholder_map, name="partners_map"),
    path(f"{PREFIX}dodaj/", stakeholder_add, name="partners_add"),
    path(f"{PREFIX}instytucje/", institution_search, name="partners_institutions"),
    path(f"{PREFIX}<int:stakeholder>/", stakeholder_detail, name="partners_detail"),
    path(f"{PREFIX}<int:stakeholder>/edytuj/", stakeholder_edit, name="partners_edit"),
    path(f"{PREFIX}<int:stakeholder>/usun/", stakeholder_delete, name="partners_delete"),
    path(f"{PREFIX}porozumienia/", agreement_list, name="partners_agreements"),
    path(f"{PREFIX}porozumienia/dodaj/", agreement_add, name="partners_agreement_add"),
    path(
        f"{PREFIX}porozumienia/<int:agreement>/edytuj/",
        agreement_edit,
        name="partners_agreement_edit",
    ),
    path(
        f"{PREFIX}porozumienia/<int:agreement>/plik/",
        agreement_file,
        name="partners_agreement_file",
    ),
    path(
        f"{PREFIX}porozumienia/<int:agreement>/usun/",
        agreement_delete,
        name="partners_agreement_delete",
    ),
]
