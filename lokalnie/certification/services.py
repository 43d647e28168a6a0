"""All writes of the certification module: self-check, areas and their documents, the
regulation, applications and their workflow. Each change is audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.models import Role
from lokalnie.accounts.permissions import require
from lokalnie.certification.models import (
    Application,
    AreaDocument,
    AreaRequirement,
    ChecklistAnswer,
    RegulationVersion,
    SelfCheckResponse,
)
from lokalnie.certification.selfcheck import QUESTIONS, yes_count
from lokalnie.certification.workflow import (
    EDITABLE,
    TRANSITIONS,
    Status,
    TransitionNotAllowed,
)
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue, language_for
from lokalnie.core.uploads import DOCUMENTS, check_upload
from lokalnie.institutions.models import AreaOfWork, Institution

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
APPEAL_DAYS_DEFAULT = 30

# --- Self-check --------------------------------------------------------------------------


def selfcheck_record(*, answers: list[bool], area: AreaOfWork | None, language: str):
    if len(answers) != len(QUESTIONS):
        raise ValidationError(_("Answer all eight questions."))
    return SelfCheckResponse.objects.create(
        answers=[bool(a) for a in answers],
        yes_count=yes_count(answers),
        area=area,
        language=language,
    )


# --- Areas, documents, regulation -------------------------------------------------------


@transaction.atomic
def area_update(
    *,
    area: AreaOfWork,
    by,
    description_pl: str,
    description_en: str,
    requirements: list[tuple[str, str]],
) -> AreaOfWork:
    """Change an area's descriptions and its requirements checklist (pairs pl, en)."""
    require(by, "area.manage")
    before = {
        "description_pl": area.description_pl,
        "description_en": area.description_en,
        "requirements": [(r.text_pl, r.text_en) for r in area.requirements.all()],
    }
    area.description_pl, area.description_en = description_pl, description_en
    area.save(update_fields=["description_pl", "description_en"])
    existing = list(area.requirements.all())
    for position, (text_pl, text_en) in enumerate(requirements):
        if position < len(existing):
            requirement = existing[position]
            requirement.text_pl, requirement.text_en = text_pl, text_en
            requirement.position = position
            requirement.save(update_fields=["text_pl", "text_en", "position"])
        else:
            AreaRequirement.objects.create(
                area=area, position=position, text_pl=text_pl, text_en=text_en
            )
    for requirement in existing[len(requirements) :]:
        if ChecklistAnswer.objects.filter(requirement=requirement).exists():
            raise ValidationError(
                _(
                    "Requirement “%(text)s” is already answered in applications; change its "
                    "wording instead of removing it."
                )
                % {"text": requirement.text_pl}
            )
        requirement.delete()
    after = {
        "description_pl": description_pl,
        "description_en": description_en,
        "requirements": [list(pair) for pair in requirements],
    }
    before["requirements"] = [list(pair) for pair in before["requirements"]]
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=by, action="area.updated", obj=area, data=changes)
    return area


@transaction.atomic
def document_add(*, area: AreaOfWork, by, upload, title_pl: str, title_en: str) -> AreaDocument:
    require(by, "area.manage")
    kind = check_upload(upload, allowed=DOCUMENTS, max_bytes=DOCUMENT_MAX_BYTES)
    position = (area.documents.aggregate(m=Max("position"))["m"] or 0) + 1
    document = AreaDocument(
        area=area,
        title_pl=title_pl,
        title_en=title_en,
        filename=upload.name[:200],
        content_type=kind.content_type,
        extension=kind.extension,
        size=upload.size,
        position=position,
        uploaded_by=by,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    audit_record(
        actor=by,
        action="area.document_added",
        obj=area,
        data={"document": document.pk, "title": title_pl, "file": document.filename},
    )
    return document


@transaction.atomic
def document_archive(*, document: AreaDocument, by) -> None:
    require(by, "area.manage")
    document.archived = True
    document.save(update_fields=["archived"])
    audit_record(
        actor=by,
        action="area.document_archived",
        obj=document.area,
        data={"document": document.pk, "title": document.title_pl},
    )


@transaction.atomic
def regulation_publish(*, by, body_pl: str, body_en: str, change_note: str) -> RegulationVersion:
    require(by, "regulation.edit")
    latest = RegulationVersion.objects.select_for_update().order_by("-version").first()
    version = RegulationVersion.objects.create(
        version=(latest.version + 1) if latest else 1,
        body_pl=body_pl,
        body_en=body_en,
        change_note=change_note,
        published_by=by,
    )
    audit_record(
        actor=by,
        action="regulation.published",
        obj=version,
        from_state=f"v{latest.version}" if latest else "",
        to_state=f"v{version.version}",
        reason=change_note,
    )
    return version


# --- Applications ------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, institution: Institution, area: AreaOfWork, by, self_check: SelfCheckResponse | None = None
) -> Application:
    require(by, "application.create", institution)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                institution=institution, area=area, created_by=by, self_check=self_check
            )
    except IntegrityError:
        raise ValidationError(
            _("%(institution)s already has an open application in the area “%(area)s”.")
            % {"institution": institution.name, "area": area.name}
        ) from None
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(application=application, requirement=requirement)
        for requirement in area.requirements.all()
    )
    audit_record(
        actor=by,
        action="application.created",
        obj=application,
        to_state=Status.DRAFT,
        data={
            "institution": institution.pk,
            "area": area.slug,
            "self_check": self_check.pk if self_check else None,
        },
    )
    return application


@transaction.atomic
def checklist_save(*, application: Application, by, answers: dict[int, tuple[bool, str]]) -> None:
    """answers: {requirement_id: (met, evidence)}"""
    require(by, "application.edit", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in EDITABLE:
        raise ValidationError(_("The application can no longer be changed."))
    changed = {}
    for answer in application.checklist.select_related("requirement"):
        if answer.requirement_id not in answers:
            continue
        met, evidence = answers[answer.requirement_id]
        if (answer.met, answer.evidence) != (met, evidence):
            changed[answer.requirement.text_pl] = [[answer.met, answer.evidence], [met, evidence]]
            answer.met, answer.evidence = met, evidence
            answer.save(update_fields=["met", "evidence"])
    if changed:
        audit_record(actor=by, action="application.checklist_saved", obj=application, data=changed)


def missing_for_submission(application: Application) -> list[str]:
    """Exactly what stops the application from being submitted, in words for the applicant."""
    from lokalnie.certification.reports import report_missing

    missing = []
    for answer in application.checklist.select_related("requirement"):
        if not answer.met:
            missing.append(
                _("Requirement not confirmed: %(text)s") % {"text": answer.requirement.text}
            )
        elif not answer.evidence.strip():
            missing.append(
                _("Say where this is documented: %(text)s") % {"text": answer.requirement.text}
            )
    return missing + report_missing(application)


def _recipients(application: Application, who: str) -> list:
    User = get_user_model()
    if who == "applicant":
        return list(User.objects.filter(memberships__institution=application.institution))
    role = {"staff": Role.STAFF, "committee": Role.COMMITTEE, "board": Role.BOARD}.get(who)
    if role is None:
        return []
    return list(User.objects.filter(role_assignments__role=role, is_active=True))


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: str,
    by,
    reason: str = "",
    appeal_days: int | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Move the application along the workflow: checks the transition is allowed from the
    current status and by this person, requires written reasons where the rules do,
    records it in the audit log and e-mails whoever must act next."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValueError(f"Unknown action {action!r}")
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in transition.sources:
        raise TransitionNotAllowed(action, application.status)
    if by is not None:
        require(by, transition.permission, application)
    elif action != "close_refusal":
        raise PermissionDenied("Only the appeal-deadline closing runs without a person.")
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise ValidationError({"reason": _("Written reasons are required for this step.")})

    if action == "submit":
        missing = missing_for_submission(application)
        if missing:
            raise ValidationError(missing)
        application.submitted_at = now
    elif action == "recommend":
        from lokalnie.certification.review import recommendation_blockers

        blockers = recommendation_blockers(application)
        if blockers:
            raise ValidationError(blockers)
        application.recommendation = reason
    elif action in {"grant", "refuse"}:
        from lokalnie.certification.review import decision_blockers

        blockers = decision_blockers(application, action)
        if blockers:
            raise ValidationError(blockers)
    elif action == "return":
        application.to_complete = reason
    if action in {"grant", "refuse", "board_grant", "board_refuse"}:
        application.decision_reasons = reason
    if action == "refuse":
        days = appeal_days or APPEAL_DAYS_DEFAULT
        application.appeal_deadline = (now + dt.timedelta(days=days)).date()
    if action == "appeal":
        if application.appeal_deadline and now.date() > application.appeal_deadline:
            raise ValidationError(
                _("The appeal deadline (%(date)s) has passed.")
                % {"date": application.appeal_deadline.isoformat()}
            )
        application.appeal_reasons = reason
    if (
        action == "close_refusal"
        and application.appeal_deadline
        and (now.date() <= application.appeal_deadline)
    ):
        raise ValidationError(_("The appeal deadline has not passed yet."))

    source = application.status
    application.status = transition.target
    application.status_changed_at = now
    application.save()
    if application.status == Status.GRANTED:
        # The decision is the authority; signing failures roll the decision back too.
        from lokalnie.registry.services import certificate_issue

        certificate_issue(application=application, by=by)
    audit_record(
        actor=by,
        action=f"application.{action}",
        obj=application,
        from_state=source,
        to_state=transition.target,
        reason=reason,
    )
    _notify(application, transition, source, reason)
    return application


def _notify(application: Application, transition, source: str, reason: str) -> None:
    url = reverse("certification:application", args=[application.pk])
    for user in _recipients(application, transition.who_acts_next):
        email_queue(
            key=f"application:{application.pk}:{transition.action}:"
            f"{application.status_changed_at.isoformat()}:{user.pk}",
            to=user.email,
            language=language_for(user),
            template="certification/email/transition",
            context={
                "reference": application.reference,
                "institution": application.institution.name,
                "area_pl": application.area.name_pl,
                "area_en": application.area.name_en,
                "status": Status(transition.target).label,
                "reason": reason,
                "url": url,
                "appeal_deadline": application.appeal_deadline,
                "for_applicant": transition.who_acts_next == "applicant",
            },
        )


@transaction.atomic
def rubric_save(*, form, by):
    """Create or change a review standard from a validated RubricCriterionForm."""
    require(by, "rubric.manage")
    created = form.instance.pk is None
    before = {} if created else {f: str(form.initial.get(f, "")) for f in form.changed_data}
    criterion = form.save()
    audit_record(
        actor=by,
        action="rubric.created" if created else "rubric.updated",
        obj=criterion,
        data={f: [before.get(f), str(form.cleaned_data[f])] for f in form.changed_data},
    )
    return criterion


@transaction.atomic
def application_renew(*, previous: Application, by) -> Application:
    """Start a renewal: a new draft for the same institution and area that begins with the
    previous report, checklist and attachments; the applicant then updates what changed."""
    from lokalnie.certification.models import ReportAttachment, ReportRevision, ReportSection

    if previous.status != Status.GRANTED:
        raise ValidationError(
            _("Only an application that ended with a certificate can be renewed.")
        )
    application = application_create(institution=previous.institution, area=previous.area, by=by)
    application.renewal_of = previous
    application.save(update_fields=["renewal_of"])
    for section in previous.sections.all():
        copy = ReportSection.objects.create(
            application=application, key=section.key, body=section.body, version=1, updated_by=by
        )
        ReportRevision.objects.create(section=copy, version=1, body=section.body, created_by=by)
    previous_answers = {a.requirement_id: a for a in previous.checklist.all()}
    for answer in application.checklist.all():
        old = previous_answers.get(answer.requirement_id)
        if old is not None:
            answer.met, answer.evidence = old.met, old.evidence
            answer.save(update_fields=["met", "evidence"])
    for attachment in previous.attachments.filter(removed=False):
        ReportAttachment.objects.create(
            application=application,
            kind=attachment.kind,
            file=attachment.file.name,
            filename=attachment.filename,
            content_type=attachment.content_type,
            extension=attachment.extension,
            size=attachment.size,
            alt_text=attachment.alt_text,
            uploaded_by=by,
        )
    audit_record(
        actor=by,
        action="application.renewal_started",
        obj=application,
        data={"renews": previous.pk},
    )
    return application
