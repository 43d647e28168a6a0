"""Views of the monitoring part: the team's monitoring dashboard and its exports (XLSX,
PDF), making the results public, the public results pages, and the evaluation reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.core import pagecache
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.forms.monitoring import ReviewForm
from lokalnie.revitalization.models import Stage
from lokalnie.revitalization.selectors import monitoring as selectors
from lokalnie.revitalization.selectors.monitoring_export import monitoring_pdf, monitoring_workbook
from lokalnie.revitalization.selectors.programme import stage_completion, stages
from lokalnie.revitalization.services import monitoring as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 20
# The services forget the public pages whenever what they show changes; the time limit
# bounds what a change made elsewhere without forgetting them could leave stale.
PUBLIC_PAGE_SECONDS = 10 * 60


# --- The team's dashboard -------------------------------------------------------------------


@login_required
def dashboard(request, pk: int):
    programme = programme_for(request, pk)
    results = selectors.indicator_results(programme, with_approvers=True)
    completion = stage_completion(programme)
    return render(
        request,
        "revitalization/monitoring/dashboard.html",
        {
            "programme": programme,
            "stage": Stage.MONITORING.value,
            "results": results,
            "counts": selectors.status_counts(results),
            "covered": selectors.covered_period(results),
            "pending": selectors.pending_approvals(programme),
            "actions": selectors.action_summary(programme),
            "stages_done": sum(completion.values()),
            "stages_total": len(completion),
            # The stage navigation reuses what is computed here (six queries once, not twice).
            "stage_list": stages(programme, completion),
            "may_coordinate": can(request.user, "revitalization.coordinate", programme),
        },
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # names of the team: not kept by caches
    return response


@login_required
def export_xlsx(request, pk: int):
    programme = programme_for(request, pk)
    workbook = monitoring_workbook(programme)
    services.monitoring_export_audit(
        programme=programme,
        by=request.user,
        file_format="xlsx",
        indicators=workbook.indicators,
        measurements=workbook.measurements,
        actions=workbook.actions,
    )
    today = timezone.localdate().isoformat()
    return _attachment(workbook.content, XLSX, f"monitoring-{programme.slug}-{today}.xlsx")


@login_required
def export_pdf(request, pk: int):
    programme = programme_for(request, pk)
    content = monitoring_pdf(programme, by=request.user)
    services.monitoring_export_audit(programme=programme, by=request.user, file_format="pdf")
    today = timezone.localdate().isoformat()
    return _attachment(content, "application/pdf", f"monitoring-{programme.slug}-{today}.pdf")


@login_required
@require_POST
def publish(request, pk: int):
    programme = programme_for(request, pk, "revitalization.coordinate")
    try:
        services.programme_publish_results(programme=programme, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The results page is public: anyone with its address can read it.")
        )
    return redirect("revitalization:monitoring", programme.pk)


@login_required
@require_POST
def unpublish(request, pk: int):
    programme = programme_for(request, pk, "revitalization.coordinate")
    try:
        services.programme_unpublish_results(programme=programme, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The results page is no longer public."))
    return redirect("revitalization:monitoring", programme.pk)


# --- Public pages ---------------------------------------------------------------------------


def public_list(request):
    def render_page(extra):
        filters = selectors.PublicFilters.from_query(request.GET)
        page = Paginator(selectors.public_programmes(filters), PAGE_SIZE).get_page(
            request.GET.get("strona")
        )
        query = request.GET.copy()
        query.pop("strona", None)
        return render(
            request,
            "revitalization/monitoring/public_list.html",
            {
                "page": page,
                "filters": filters,
                "query": query.urlencode(),
                "voivodeships": selectors.voivodeships(),
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.PUBLIC_LIST_VERSION_KEY,
        seconds=PUBLIC_PAGE_SECONDS,
        render_page=render_page,
    )


def public_results(request, slug: str):
    def render_page(extra):
        programme = selectors.public_programme(slug)
        if programme is None:
            raise Http404  # not public (or no such programme); never cached
        results = selectors.indicator_results(programme)
        return render(
            request,
            "revitalization/monitoring/public_results.html",
            {
                "programme": programme,
                "results": results,
                "counts": selectors.status_counts(results),
                "covered": selectors.covered_period(results),
                "actions": selectors.action_summary(programme),
                **extra,
            },
        )

    # The version is the programme's, named by its address (which never changes), so a
    # cached page costs no query at all.
    return pagecache.cached_page(
        request,
        version_key=selectors.public_version_key(slug),
        seconds=PUBLIC_PAGE_SECONDS,
        render_page=render_page,
    )


# --- Evaluation -----------------------------------------------------------------------------


@login_required
def evaluation(request, pk: int):
    programme = programme_for(request, pk)
    reviews = list(selectors.reviews(programme))
    return render(
        request,
        "revitalization/monitoring/evaluation.html",
        {
            "programme": programme,
            "stage": Stage.EVALUATION.value,
            "reviews": reviews,
            "next_review": selectors.next_review(
                programme, reviews[0].held_on if reviews else None
            ),
            "may_edit": can(request.user, "revitalization.edit", programme),
            "monitoring_url": reverse("revitalization:monitoring", args=[programme.pk]),
        },
    )


def _review_form_page(request, programme, form, review=None):
    return render(
        request,
        "revitalization/monitoring/review_form.html",
        {"programme": programme, "stage": Stage.EVALUATION.value, "form": form, "review": review},
    )


@login_required
def evaluation_add(request, pk: int):
    programme = programme_for(request, pk, "revitalization.edit")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The evaluation review is recorded."))
            return redirect("revitalization:evaluation", programme.pk)
    return _review_form_page(request, programme, form)


@login_required
def evaluation_edit(request, pk: int, review_pk: int):
    programme = programme_for(request, pk, "revitalization.edit")
    review = get_object_or_404(selectors.reviews(programme), pk=review_pk)
    form = ReviewForm(request.POST or None, initial=_review_initial(review))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_change(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The evaluation review is changed."))
            return redirect("revitalization:evaluation", programme.pk)
    return _review_form_page(request, programme, form, review)


def _review_initial(review) -> dict:
    return {
        "held_on": review.held_on,
        "findings": review.findings,
        "recommendations": review.recommendations,
    }


def _errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


urlpatterns = [
    path("programy/<int:pk>/monitoring/", dashboard, name="monitoring"),
    path("programy/<int:pk>/monitoring/raport.xlsx", export_xlsx, name="monitoring_xlsx"),
    path("programy/<int:pk>/monitoring/raport.pdf", export_pdf, name="monitoring_pdf"),
    path("programy/<int:pk>/monitoring/publikuj/", publish, name="monitoring_publish"),
    path("programy/<int:pk>/monitoring/wycofaj/", unpublish, name="monitoring_unpublish"),
    path("programy/<int:pk>/ewaluacja/", evaluation, name="evaluation"),
    path("programy/<int:pk>/ewaluacja/nowa/", evaluation_add, name="evaluation_add"),
    path(
        "programy/<int:pk>/ewaluacja/<int:review_pk>/zmien/",
        evaluation_edit,
        name="evaluation_edit",
    ),
    path("wyniki/", public_list, name="public_list"),
    path("wyniki/<slug:slug>/", public_results, name="public_results"),
]
