"""Views of the plan part: a programme's actions (list with the budget's totals, timeline,
CSV export, details, adding, editing, removing).

Every view finds the programme with ``access.programme_for``: outsiders get 404, team
members without the right 403; reading needs ``revitalization.view``, changes
``revitalization.edit``. Action ids are looked up within the programme, so another
programme's ids are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.calc import timeline as timeline_calc
from lokalnie.revitalization.forms.plan import ActionForm
from lokalnie.revitalization.models import Stage
from lokalnie.revitalization.selectors import plan as selectors
from lokalnie.revitalization.selectors.partners import stakeholder_choices
from lokalnie.revitalization.services import plan as services

STAGE = Stage.PLAN.value


def _context(request, programme, **extra) -> dict:
    return {
        "programme": programme,
        "stage": STAGE,
        "may_edit": can(request.user, "revitalization.edit", programme),
        **extra,
    }


@login_required
def action_list(request, pk: int):
    """The landing page of the stage: the actions and the budget's totals."""
    programme = programme_for(request, pk)
    actions = list(selectors.actions_of(programme))
    return render(
        request,
        "revitalization/plan/list.html",
        _context(
            request,
            programme,
            actions=actions,
            totals=selectors.budget_totals(actions),
            has_stakeholders=stakeholder_choices(programme).exists(),
        ),
    )


@login_required
def action_timeline(request, pk: int):
    programme = programme_for(request, pk)
    actions = list(selectors.actions_of(programme))
    scale = request.GET.get("scale", "")
    chart = selectors.timeline(actions, scale=scale)
    for action in actions:
        action.months = selectors.duration_months(action)
    return render(
        request,
        "revitalization/plan/timeline.html",
        _context(
            request,
            programme,
            actions=actions,
            chart=chart,
            scales=[
                (timeline_calc.MONTH, _("by month")),
                (timeline_calc.QUARTER, _("by quarter")),
            ],
        ),
    )


@login_required
def action_csv(request, pk: int):
    programme = programme_for(request, pk)
    actions = list(selectors.actions_of(programme))
    content = selectors.plan_csv(actions)
    services.plan_exported(programme=programme, by=request.user, actions=len(actions))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = slugify(programme.slug)[:60] or "program"
    response["Content-Disposition"] = f'attachment; filename="plan-dzialan-{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def action_detail(request, pk: int, action: int):
    programme = programme_for(request, pk)
    item = selectors.action_for(programme, action)
    return render(
        request,
        "revitalization/plan/detail.html",
        _context(
            request,
            programme,
            action=item,
            months=selectors.duration_months(item),
            by_year=[
                selectors.YearTotal(year, amount)
                for year, amount in timeline_calc.split_by_year(
                    item.budget_pln, item.starts_on, item.ends_on
                ).items()
            ],
        ),
    )


def _save_action(request, programme, *, action=None):
    form = ActionForm(request.POST or None, programme=programme, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                action = services.action_create(
                    programme=programme, by=request.user, data=form.service_data()
                )
                messages.success(request, _("The action has been added to the plan."))
            else:
                services.action_update(action=action, by=request.user, data=form.service_data())
                messages.success(request, _("The changes have been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("revitalization:plan_detail", programme.pk, action.pk)
    return render(
        request,
        "revitalization/plan/action_form.html",
        _context(
            request,
            programme,
            form=form,
            action=action,
            suggestions=selectors.funding_suggestions(programme),
            has_stakeholders=form.fields["responsible"].queryset.exists(),
        ),
    )


@login_required
def action_add(request, pk: int):
    programme = programme_for(request, pk, "revitalization.edit")
    return _save_action(request, programme)


@login_required
def action_edit(request, pk: int, action: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.action_for(programme, action)
    return _save_action(request, programme, action=item)


@require_POST
@login_required
def action_delete(request, pk: int, action: int):
    programme = programme_for(request, pk, "revitalization.edit")
    item = selectors.action_for(programme, action)
    services.action_delete(action=item, by=request.user)
    messages.success(request, _("“%(title)s” has been removed.") % {"title": item.title})
    return redirect("revitalization:plan", programme.pk)


PREFIX = "programy/<int:pk>/plan/"
urlpatterns = [
    path(PREFIX, action_list, name="plan"),
    path(f"{PREFIX}harmonogram/", action_timeline, name="plan_timeline"),
    path(f"{PREFIX}plan-dzialan.csv", action_csv, name="plan_csv"),
    path(f"{PREFIX}dodaj/", action_add, name="plan_add"),
    path(f"{PREFIX}<int:action>/", action_detail, name="plan_detail"),
    path(f"{PREFIX}<int:action>/edytuj/", action_edit, name="plan_edit"),
    path(f"{PREFIX}<int:action>/usun/", action_delete, name="plan_delete"),
]
