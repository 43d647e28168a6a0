from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, require
from lokalnie.certification import reports, review, services
from lokalnie.certification.forms import (
    ActionForm,
    ApplicationCreateForm,
    AreaForm,
    AssignForm,
    AttachmentForm,
    DocumentForm,
    ProtocolForm,
    QuestionForm,
    RegulationForm,
    ReviewForm,
    RubricCriterionForm,
    SelfCheckForm,
    VisitForm,
    VoteForm,
)
from lokalnie.certification.models import AreaDocument, SelfCheckResponse
from lokalnie.certification.reports import report_missing
from lokalnie.certification.selectors import (
    application_history,
    applications_for_user,
    regulation_current,
    regulation_versions,
    selfcheck_statistics,
)
from lokalnie.certification.selfcheck import INVITE_THRESHOLD, QUESTIONS
from lokalnie.certification.workflow import (
    EDITABLE,
    TRANSITIONS,
    Status,
    TransitionNotAllowed,
    transitions_from,
)
from lokalnie.core.pdf import render_pdf
from lokalnie.core.uploads import serve_upload
from lokalnie.institutions.models import AreaOfWork, Institution

SESSION_KEY = "selfcheck_ids"


def index(request):
    return render(
        request,
        "certification/index.html",
        {
            "areas": AreaOfWork.objects.all(),
            "can_see_dashboard": can(request.user, "application.list_all"),
        },
    )


# --- Self-check ----------------------------------------------------------------------------


def selfcheck(request):
    if request.method == "POST":
        form = SelfCheckForm(request.POST)
        if form.is_valid():
            response = services.selfcheck_record(
                answers=form.answers(), area=form.cleaned_data["area"], language=get_language()
            )
            request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), response.pk][
                -20:
            ]
            return redirect("certification:selfcheck_result", response.pk)
    else:
        form = SelfCheckForm(initial={"area": request.GET.get("obszar")})
    return render(request, "certification/selfcheck.html", {"form": form, "questions": QUESTIONS})


def _own_selfcheck(request, pk: int) -> SelfCheckResponse:
    """A self-check result is visible only in the browser session that answered it."""
    if pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    return get_object_or_404(SelfCheckResponse.objects.select_related("area"), pk=pk)


def selfcheck_result(request, pk: int):
    response = _own_selfcheck(request, pk)
    area = response.area
    if request.GET.get("obszar"):
        area = AreaOfWork.objects.filter(slug=request.GET["obszar"]).first() or area
    answered = list(zip(QUESTIONS, response.answers, strict=False))
    return render(
        request,
        "certification/selfcheck_result.html",
        {
            "response": response,
            "invited": response.yes_count >= INVITE_THRESHOLD,
            "answered": answered,
            "to_develop": [q for q, yes in answered if not yes],
            "area": area,
            "areas": AreaOfWork.objects.all(),
            "documents": area.documents.filter(archived=False) if area else [],
        },
    )


@permission_required("selfcheck.stats")
def selfcheck_stats(request):
    return render(request, "certification/selfcheck_stats.html", {"stats": selfcheck_statistics()})


# --- Areas, documents, regulation ---------------------------------------------------------


def areas(request):
    return render(
        request,
        "certification/areas.html",
        {"areas": AreaOfWork.objects.prefetch_related("documents", "requirements")},
    )


def area_detail(request, slug: str):
    area = get_object_or_404(AreaOfWork, slug=slug)
    return render(
        request,
        "certification/area.html",
        {
            "area": area,
            "documents": area.documents.filter(archived=False),
            "requirements": area.requirements.all(),
            "can_manage": can(request.user, "area.manage"),
        },
    )


@permission_required("area.manage")
def area_edit(request, slug: str):
    area = get_object_or_404(AreaOfWork, slug=slug)
    requirements = list(area.requirements.all())
    if request.method == "POST":
        form = AreaForm(request.POST)
        if form.is_valid():
            try:
                services.area_update(
                    area=area,
                    by=request.user,
                    description_pl=form.cleaned_data["description_pl"],
                    description_en=form.cleaned_data["description_en"],
                    requirements=form.cleaned_data["requirements"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The area has been saved."))
                return redirect("certification:area", area.slug)
    else:
        form = AreaForm(
            initial={
                "description_pl": area.description_pl,
                "description_en": area.description_en,
                "requirements_pl": "\n".join(r.text_pl for r in requirements),
                "requirements_en": "\n".join(r.text_en for r in requirements),
            }
        )
    return render(request, "certification/area_edit.html", {"area": area, "form": form})


@permission_required("area.manage")
def document_add(request, slug: str):
    area = get_object_or_404(AreaOfWork, slug=slug)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_add(
                    area=area,
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    title_pl=form.cleaned_data["title_pl"],
                    title_en=form.cleaned_data["title_en"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("The document has been added."))
                return redirect("certification:area", area.slug)
    else:
        form = DocumentForm()
    return render(request, "certification/document_add.html", {"area": area, "form": form})


@require_POST
@permission_required("area.manage")
def document_archive(request, pk: int):
    document = get_object_or_404(AreaDocument, pk=pk, archived=False)
    services.document_archive(document=document, by=request.user)
    messages.success(request, _("The document has been removed from the list."))
    return redirect("certification:area", document.area.slug)


def document_download(request, pk: int):
    document = get_object_or_404(AreaDocument, pk=pk, archived=False)
    return serve_upload(
        document.file, filename=document.filename, content_type=document.content_type
    )


def regulation(request):
    version = request.GET.get("wersja")
    current = regulation_current(int(version) if version and version.isdigit() else None)
    if version and current is None:
        raise Http404
    return render(
        request,
        "certification/regulation.html",
        {
            "regulation": current,
            "versions": regulation_versions(),
            "can_edit": can(request.user, "regulation.edit"),
        },
    )


@permission_required("regulation.edit")
def regulation_edit(request):
    current = regulation_current()
    if request.method == "POST":
        form = RegulationForm(request.POST)
        if form.is_valid():
            version = services.regulation_publish(by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Version %(version)s has been published.") % {"version": version.version}
            )
            return redirect("certification:regulation")
    else:
        form = RegulationForm(
            initial={"body_pl": current.body_pl, "body_en": current.body_en} if current else None
        )
    return render(request, "certification/regulation_edit.html", {"form": form})


# --- Applications --------------------------------------------------------------------------


@login_required
def applications(request):
    applications = applications_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "certification/applications.html",
        {
            "applications": applications,
            "statuses": Status.choices,
            "status": status,
            "sees_all": can(request.user, "application.list_all"),
        },
    )


def _applying_institutions(user):
    return Institution.objects.filter(memberships__user=user).order_by("name")


@login_required
def application_create(request):
    institutions = _applying_institutions(request.user)
    self_check = None
    self_check_id = request.GET.get("samoocena") or request.POST.get("samoocena")
    if self_check_id and self_check_id.isdigit():
        self_check = _own_selfcheck(request, int(self_check_id))
    if not institutions.exists():
        return render(request, "certification/application_no_institution.html", status=200)
    initial = {"area": self_check.area_id if self_check else request.GET.get("obszar")}
    form = ApplicationCreateForm(request.POST or None, institutions=institutions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                institution=form.cleaned_data["institution"],
                area=form.cleaned_data["area"],
                by=request.user,
                self_check=self_check,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The application has been created as a draft."))
            return redirect("certification:application", application.pk)
    return render(
        request,
        "certification/application_create.html",
        {"form": form, "self_check": self_check},
    )


def _visible_application(request, pk: int):
    application = get_object_or_404(applications_for_user(user=request.user), pk=pk)
    if not can(request.user, "application.view", application):
        # Assigned assessors see the content only after declaring no conflict of interest.
        raise Http404
    return application


def _detail(request, application, *, failed_action=None, failed_form=None, errors=(), status=200):
    user = request.user
    actions = []
    for transition in transitions_from(application.status):
        if transition.action == "schedule_visit":
            continue  # ordered on the site-visit page, with date, place and expert
        if can(user, transition.permission, application):
            form = failed_form if transition.action == failed_action else ActionForm()
            actions.append((transition, form, errors if transition.action == failed_action else []))
    links = []
    if can(user, "application.view", application):
        links.append(
            (_("Questions and answers"), reverse("certification:questions", args=[application.pk]))
        )
    if can(user, "application.assign", application):
        links.append((_("Assessors"), reverse("certification:assessors", args=[application.pk])))
    if can(user, "review.declare", application):
        links.append((_("Your review"), reverse("certification:review", args=[application.pk])))
    if can(user, "review.read_all", application):
        links.append((_("Reviews"), reverse("certification:reviews", args=[application.pk])))
    if getattr(application, "site_visit", None) or (
        application.status == Status.UNDER_REVIEW and can(user, "visit.schedule", application)
    ):
        links.append(
            (
                _("Site visit (wizytacja)"),
                reverse("certification:site_visit", args=[application.pk]),
            )
        )
    if application.status not in EDITABLE and can(user, "application.list_all", application):
        links.append((_("Committee votes"), reverse("certification:votes", args=[application.pk])))
    return render(
        request,
        "certification/application.html",
        {
            "links": links,
            "can_renew": can(user, "application.edit", application)
            and not application.renewals.open().exists(),
            "application": application,
            "checklist": application.checklist.select_related("requirement"),
            "can_edit": application.status in EDITABLE
            and can(user, "application.edit", application),
            "missing": services.missing_for_submission(application)
            if application.status in EDITABLE
            else [],
            "actions": actions,
            "history": application_history(application).select_related("actor"),
        },
        status=status,
    )


@login_required
def application_detail(request, pk: int):
    application = _assigned_application(request, pk)
    if not can(request.user, "application.view", application):
        return redirect("certification:review", application.pk)  # declaration first
    return _detail(request, application)


@login_required
@require_POST
def application_checklist(request, pk: int):
    application = _visible_application(request, pk)
    answers = {}
    for answer in application.checklist.all():
        key = answer.requirement_id
        answers[key] = (
            request.POST.get(f"met_{key}") == "on",
            request.POST.get(f"evidence_{key}", "").strip()[:300],
        )
    try:
        services.checklist_save(application=application, by=request.user, answers=answers)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The checklist has been saved."))
    return redirect("certification:application", application.pk)


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    application = _visible_application(request, pk)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    require(request.user, transition.permission, application)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, failed_action=action, failed_form=form, status=400)
    try:
        services.application_transition(
            application=application,
            action=action,
            by=request.user,
            reason=form.cleaned_data["reason"],
            appeal_days=form.cleaned_data.get("appeal_days"),
        )
    except TransitionNotAllowed:
        messages.error(
            request,
            _("This step is no longer possible: the application has changed in the meantime."),
        )
    except ValidationError as exc:
        # Shown beside the step's form, with everything typed kept.
        return _detail(
            request,
            application,
            failed_action=action,
            failed_form=form,
            errors=exc.messages,
            status=400,
        )
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect("certification:application", application.pk)


# --- The OSL report -------------------------------------------------------------------------


def _report_context(request, application, **extra):
    from lokalnie.certification.report import (
        MAX_BYTES,
        PARTS,
        PHOTOS_MAX,
        PHOTOS_MIN,
        SECTIONS,
        AttachmentKind,
    )

    sections = {s.key: s for s in application.sections.all()}
    rows = []
    for section in SECTIONS:
        stored = sections.get(section.key)
        rows.append(
            {
                "section": section,
                "part_title": PARTS[section.part],
                "body": stored.body if stored else "",
                "version": stored.version if stored else 0,
                "updated_at": stored.updated_at if stored else None,
                "updated_by": stored.updated_by if stored else None,
            }
        )
    can_edit = application.status in EDITABLE and can(request.user, "application.edit", application)
    attachments = application.attachments.filter(removed=False).select_related("uploaded_by")
    return {
        "application": application,
        "rows": rows,
        "can_edit": can_edit,
        "attachments": attachments,
        "attachment_form": extra.pop("attachment_form", None) or AttachmentForm(),
        "kinds": AttachmentKind,
        "photos_min": PHOTOS_MIN,
        "photos_max": PHOTOS_MAX,
        "document_limit": MAX_BYTES["document"],
        "photo_limit": MAX_BYTES[AttachmentKind.PHOTO],
        "media_limit": MAX_BYTES[AttachmentKind.VIDEO],
        "missing": report_missing(application) if can_edit else [],
        **extra,
    }


@login_required
def report(request, pk: int):
    application = _visible_application(request, pk)
    return render(request, "certification/report.html", _report_context(request, application))


def report_section_save(request, pk: int, key: str):
    """Save one section. htmx autosave gets a small status fragment; without JavaScript
    the page is shown again. An expired session or a conflict loses nothing."""
    htmx = bool(request.headers.get("HX-Request"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        if htmx:
            return render(request, "certification/_autosave_expired.html", status=401)
        return redirect_to_login(reverse("certification:report", args=[pk]))
    application = _visible_application(request, pk)
    body = request.POST.get("body", "")
    try:
        base_version = int(request.POST.get("base_version", "0"))
        result = reports.report_section_save(
            application=application,
            key=key,
            body=body,
            base_version=base_version,
            by=request.user,
        )
    except (ValueError, ValidationError) as exc:
        messages_ = getattr(exc, "messages", [_("The form was damaged; reload the page.")])
        if htmx:
            return render(
                request,
                "certification/_autosave_status.html",
                {"key": key, "error": " ".join(messages_)},
                status=400,
            )
        for message in messages_:
            messages.error(request, message)
        return redirect("certification:report", application.pk)
    context = {"key": key, "result": result, "section": result.section}
    if htmx:
        return render(request, "certification/_autosave_status.html", context)
    if result.conflict:
        return render(
            request,
            "certification/report.html",
            _report_context(
                request,
                application,
                conflict_key=key,
                conflict_mine=body,
                conflict_theirs=result.theirs,
            ),
            status=409,
        )
    messages.success(request, _("The section has been saved."))
    return redirect(reverse("certification:report", args=[application.pk]) + f"#section-{key}")


@login_required
def report_history(request, pk: int, key: str):
    from lokalnie.certification.report import SECTIONS_BY_KEY

    application = _visible_application(request, pk)
    section_def = SECTIONS_BY_KEY.get(key)
    if section_def is None:
        raise Http404
    section = application.sections.filter(key=key).first()
    revisions = section.revisions.select_related("created_by") if section else []
    return render(
        request,
        "certification/report_history.html",
        {"application": application, "section": section_def, "revisions": revisions},
    )


@login_required
@require_POST
def report_attachment_add(request, pk: int):
    application = _visible_application(request, pk)
    require(request.user, "application.edit", application)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reports.report_attachment_add(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect(reverse("certification:report", args=[application.pk]) + "#attachments")
    return render(
        request,
        "certification/report.html",
        _report_context(request, application, attachment_form=form),
        status=400,
    )


@login_required
@require_POST
def report_attachment_remove(request, pk: int, attachment_pk: int):
    application = _visible_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk, removed=False)
    try:
        reports.report_attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file has been removed from the report."))
    return redirect(reverse("certification:report", args=[application.pk]) + "#attachments")


@login_required
def report_attachment_download(request, pk: int, attachment_pk: int):
    application = _visible_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk, removed=False)
    response = serve_upload(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_pdf(request, pk: int):
    from lokalnie.certification.report import SECTIONS

    application = _visible_application(request, pk)
    bodies = dict(application.sections.values_list("key", "body"))
    pdf = render_pdf(
        "certification/pdf/report.html",
        {
            "application": application,
            "sections": [(s, bodies.get(s.key, "")) for s in SECTIONS],
            "attachments": application.attachments.filter(removed=False),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"raport-osl-{application.reference.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Review, questions, site visit, Committee votes ------------------------------------


def _assessors():
    from django.contrib.auth import get_user_model

    from lokalnie.accounts.models import Role

    return get_user_model().objects.filter(role_assignments__role=Role.ASSESSOR, is_active=True)


@login_required
def assessors(request, pk: int):
    application = _visible_application(request, pk)
    require(request.user, "application.assign", application)
    form = AssignForm(request.POST or None, assessors=_assessors())
    if request.method == "POST":
        remove = request.POST.get("remove")
        try:
            if remove:
                assignment = get_object_or_404(application.assignments, pk=remove)
                review.assessor_unassign(assignment=assignment, by=request.user)
                messages.success(request, _("The assessor has been removed."))
                return redirect("certification:assessors", application.pk)
            if form.is_valid():
                review.assessor_assign(
                    application=application, assessor=form.cleaned_data["assessor"], by=request.user
                )
                messages.success(request, _("The assessor has been assigned and informed."))
                return redirect("certification:assessors", application.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "certification/assessors.html",
        {
            "application": application,
            "form": form,
            "assignments": application.assignments.select_related("assessor"),
            "minimum": review.MIN_ASSESSORS,
        },
        status=400 if form.errors else 200,
    )


def _assigned_application(request, pk: int):
    """An application the user is assigned to assess (listed even before the declaration)."""
    return get_object_or_404(applications_for_user(user=request.user), pk=pk)


@login_required
def review_form(request, pk: int):
    from lokalnie.certification.models import RubricCriterion

    application = _assigned_application(request, pk)
    require(request.user, "review.declare", application)
    assignment = review.assessor_for(request.user, application)
    if assignment.no_conflict_declared_at is None:
        if request.method == "POST" and request.POST.get("declare") == "yes":
            review.review_declare_no_conflict(application=application, by=request.user)
            messages.success(request, _("Thank you. You can now read the application."))
            return redirect("certification:review", application.pk)
        if request.method == "POST" and request.POST.get("declare") == "conflict":
            review.review_declare_conflict(application=application, by=request.user)
            messages.success(
                request,
                _("Thank you. CAL staff have been told and will assign another assessor."),
            )
            return redirect("certification:applications")
        return render(request, "certification/review_declare.html", {"application": application})
    criteria = RubricCriterion.objects.filter(active=True)
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {"summary": assignment.summary, "base_version": assignment.version}
    for criterion_id, score in scores.items():
        initial[f"score_{criterion_id}"] = "" if score.score is None else str(score.score)
        initial[f"comment_{criterion_id}"] = score.comment
    may_score = can(request.user, "review.score", application)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and may_score and form.is_valid():
        submit = "submit" in request.POST
        try:
            review.review_save(
                application=application,
                by=request.user,
                scores=form.scores(),
                summary=form.cleaned_data["summary"],
                base_version=form.cleaned_data["base_version"],
                submit=submit,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your review has been submitted.")
                if submit
                else _("Your review has been saved."),
            )
            return redirect("certification:review", application.pk)
    return render(
        request,
        "certification/review.html",
        {
            "application": application,
            "assignment": assignment,
            "form": form,
            "may_score": may_score,
        },
        status=400 if form.errors else 200,
    )


@login_required
def reviews(request, pk: int):
    application = _visible_application(request, pk)
    require(request.user, "review.read_all", application)
    return render(
        request,
        "certification/reviews.html",
        {"application": application, "summary": review.review_summary(application)},
    )


@login_required
def questions(request, pk: int):
    from lokalnie.certification.report import SECTIONS_BY_KEY

    application = _visible_application(request, pk)
    may_post = can(request.user, "question.post", application)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "question.post", application)
        if form.is_valid():
            try:
                review.question_post(application=application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The message has been sent."))
                return redirect("certification:questions", application.pk)
    threads = []
    for key, section in SECTIONS_BY_KEY.items():
        items = [q for q in application.questions.select_related("author") if q.section_key == key]
        if items:
            threads.append((section, items))
    return render(
        request,
        "certification/questions.html",
        {"application": application, "threads": threads, "form": form, "may_post": may_post},
        status=400 if form.errors else 200,
    )


@login_required
def site_visit(request, pk: int):
    application = _visible_application(request, pk)
    visit = getattr(application, "site_visit", None)
    if visit is None:
        require(request.user, "visit.schedule", application)
        form = VisitForm(request.POST or None, experts=_assessors())
        if request.method == "POST" and form.is_valid():
            try:
                review.visit_schedule(application=application, by=request.user, **form.cleaned_data)
            except (ValidationError, TransitionNotAllowed) as exc:
                form.add_error(None, getattr(exc, "messages", None) or str(exc))
            else:
                messages.success(request, _("The site visit has been scheduled."))
                return redirect("certification:site_visit", application.pk)
    else:
        form = ProtocolForm(request.POST or None, initial={"protocol": visit.protocol})
        if request.method == "POST":
            require(request.user, "visit.record", application)
            if form.is_valid():
                review.visit_record(
                    application=application, protocol=form.cleaned_data["protocol"], by=request.user
                )
                messages.success(request, _("The protocol has been saved."))
                return redirect("certification:site_visit", application.pk)
    return render(
        request,
        "certification/site_visit.html",
        {
            "application": application,
            "visit": visit,
            "form": form,
            "may_record": visit is not None and can(request.user, "visit.record", application),
        },
        status=400 if form.errors else 200,
    )


@login_required
def votes(request, pk: int):
    from lokalnie.certification.models import Vote

    application = _visible_application(request, pk)
    if not can(request.user, "application.list_all", application):
        raise PermissionDenied
    mine = application.votes.filter(member=request.user).first()
    form = VoteForm(
        request.POST or None,
        initial={"choice": mine.choice, "comment": mine.comment} if mine else None,
    )
    if request.method == "POST":
        require(request.user, "vote.cast", application)
        if form.is_valid():
            try:
                review.vote_cast(application=application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your vote has been recorded."))
                return redirect("certification:votes", application.pk)
    return render(
        request,
        "certification/votes.html",
        {
            "application": application,
            "votes": application.votes.select_related("member"),
            "tally": review.vote_tally(application),
            "form": form,
            "may_vote": can(request.user, "vote.cast", application),
            "choices": Vote.Choice,
        },
        status=400 if form.errors else 200,
    )


# --- Staff: dashboard and the review standards ------------------------------------------


@permission_required("application.list_all")
def dashboard(request):
    from lokalnie.certification import dashboard as board

    return render(
        request,
        "certification/dashboard.html",
        {
            "by_status": board.applications_by_status(),
            "overdue": board.overdue_applications(),
            "assessors": board.assessor_load(),
        },
    )


@permission_required("rubric.manage")
def rubric(request):
    from lokalnie.certification.models import RubricCriterion

    return render(request, "certification/rubric.html", {"criteria": RubricCriterion.objects.all()})


@permission_required("rubric.manage")
def rubric_edit(request, pk: int | None = None):
    from lokalnie.certification.models import RubricCriterion

    criterion = get_object_or_404(RubricCriterion, pk=pk) if pk else None
    form = RubricCriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        services.rubric_save(form=form, by=request.user)
        messages.success(request, _("The standard has been saved."))
        return redirect("certification:rubric")
    return render(
        request,
        "certification/rubric_edit.html",
        {"form": form, "criterion": criterion},
        status=400 if form.errors else 200,
    )


# --- Renewal ----------------------------------------------------------------------------


@login_required
@require_POST
def application_renew(request, pk: int):
    previous = _visible_application(request, pk)
    require(request.user, "application.edit", previous)
    try:
        application = services.application_renew(previous=previous, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("certification:application", previous.pk)
    messages.success(
        request,
        _("The renewal has started from your previous report. Update what has changed."),
    )
    return redirect("certification:application", application.pk)


@login_required
def application_changes(request, pk: int):
    from lokalnie.certification.changes import changed_sections

    application = _visible_application(request, pk)
    if application.renewal_of is None:
        raise Http404
    return render(
        request,
        "certification/changes.html",
        {"application": application, "rows": changed_sections(application)},
    )
