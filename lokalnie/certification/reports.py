"""Writes and checks of the OSL report: sections saved without silent overwrites, version
history, attachments checked by content. Part of the certification services."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.certification.models import (
    Application,
    ReportAttachment,
    ReportRevision,
    ReportSection,
)
from lokalnie.certification.report import (
    MAX_BYTES,
    PHOTOS_MAX,
    PHOTOS_MIN,
    REQUIRED_DOCUMENTS,
    SECTIONS,
    SECTIONS_BY_KEY,
    AttachmentKind,
    length,
)
from lokalnie.certification.workflow import EDITABLE
from lokalnie.core.audit import audit_record
from lokalnie.core.uploads import AUDIO, DOCUMENTS, IMAGES, VIDEO, check_upload


@dataclass
class SaveResult:
    section: ReportSection
    saved: bool
    conflict: bool = False
    theirs: str = ""


def _editable(application: Application, by) -> Application:
    require(by, "application.edit", application)
    if application.status not in EDITABLE:
        raise ValidationError(_("The application can no longer be changed."))
    return application


@transaction.atomic
def report_section_save(
    *, application: Application, key: str, body: str, base_version: int, by
) -> SaveResult:
    """Save a section if nobody else saved it since ``base_version``; otherwise keep the
    text as a conflict revision and report the other person's text. Nothing is lost."""
    if key not in SECTIONS_BY_KEY:
        raise ValidationError(_("Unknown report section."))
    _editable(Application.objects.select_for_update().get(pk=application.pk), by)
    body = (body or "").replace("\r\n", "\n")
    section, _created = ReportSection.objects.select_for_update().get_or_create(
        application=application, key=key
    )
    if body == section.body:
        return SaveResult(section, saved=False)
    # Versions saved since the person's base version by the person themself (e.g. an
    # autosave still in flight when they pressed "Save") are not a conflict.
    others_since = section.revisions.filter(version__gt=base_version, conflict=False).exclude(
        created_by=by
    )
    if base_version != section.version and (
        base_version > section.version or others_since.exists()
    ):
        # Autosave keeps trying while the person types: keep one conflict draft per person
        # and base version, updated with their latest text.
        draft = section.revisions.filter(conflict=True, version=base_version, created_by=by).first()
        if draft is not None:
            ReportRevision.objects.filter(pk=draft.pk).update(body=body)
            return SaveResult(section, saved=False, conflict=True, theirs=section.body)
        ReportRevision.objects.create(
            section=section, version=base_version, body=body, conflict=True, created_by=by
        )
        audit_record(
            actor=by,
            action="report.conflict",
            obj=application,
            data={"section": key, "base_version": base_version, "current": section.version},
        )
        return SaveResult(section, saved=False, conflict=True, theirs=section.body)
    section.body = body
    section.version += 1
    section.updated_by = by
    section.save()
    ReportRevision.objects.create(
        section=section, version=section.version, body=body, created_by=by
    )
    audit_record(
        actor=by,
        action="report.section_saved",
        obj=application,
        to_state=f"{key} v{section.version}",
        data={"section": key, "characters": length(body)},
    )
    return SaveResult(section, saved=True)


def _allowed_for(kind: str):
    if kind in REQUIRED_DOCUMENTS:
        return DOCUMENTS, MAX_BYTES["document"]
    return {
        AttachmentKind.PHOTO: (IMAGES, MAX_BYTES[AttachmentKind.PHOTO]),
        AttachmentKind.AUDIO: (AUDIO, MAX_BYTES[AttachmentKind.AUDIO]),
        AttachmentKind.VIDEO: (VIDEO, MAX_BYTES[AttachmentKind.VIDEO]),
    }[kind]


@transaction.atomic
def report_attachment_add(
    *, application: Application, kind: str, upload, alt_text: str, by
) -> ReportAttachment:
    _editable(Application.objects.select_for_update().get(pk=application.pk), by)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    alt_text = (alt_text or "").strip()
    if kind == AttachmentKind.PHOTO:
        if not alt_text:
            raise ValidationError(
                {"alt_text": _("Describe what the picture shows, for people who cannot see it.")}
            )
        photos = application.attachments.filter(kind=AttachmentKind.PHOTO, removed=False)
        if photos.count() >= PHOTOS_MAX:
            raise ValidationError(
                {
                    "file": _("The report has room for at most %(n)s photos; remove one first.")
                    % {"n": PHOTOS_MAX}
                }
            )
    allowed, max_bytes = _allowed_for(kind)
    try:
        detected = check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = ReportAttachment(
        application=application,
        kind=kind,
        filename=upload.name[:200],
        content_type=detected.content_type,
        extension=detected.extension,
        size=upload.size,
        alt_text=alt_text[:300],
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit_record(
        actor=by,
        action="report.attachment_added",
        obj=application,
        data={
            "attachment": attachment.pk,
            "kind": kind,
            "file": attachment.filename,
            "size": attachment.size,
        },
    )
    return attachment


@transaction.atomic
def report_attachment_remove(*, attachment: ReportAttachment, by) -> None:
    _editable(Application.objects.select_for_update().get(pk=attachment.application_id), by)
    attachment.removed = True
    attachment.save(update_fields=["removed"])
    audit_record(
        actor=by,
        action="report.attachment_removed",
        obj=attachment.application,
        data={"attachment": attachment.pk, "kind": attachment.kind, "file": attachment.filename},
    )


def report_missing(application: Application) -> list[str]:
    """What the report still lacks before the application can be submitted."""
    missing = []
    bodies = dict(application.sections.values_list("key", "body"))
    for section in SECTIONS:
        text = (bodies.get(section.key) or "").strip()
        if section.required and not text:
            missing.append(
                _("Report section %(part)s is empty: %(title)s")
                % {"part": section.part, "title": section.title}
            )
        elif length(text) > section.limit:
            missing.append(
                _("Report section %(part)s is too long: %(title)s (%(n)s of %(limit)s characters)")
                % {
                    "part": section.part,
                    "title": section.title,
                    "n": length(text),
                    "limit": section.limit,
                }
            )
    attachments = list(application.attachments.filter(removed=False))
    kinds = [a.kind for a in attachments]
    for kind in REQUIRED_DOCUMENTS:
        if kind not in kinds:
            missing.append(_("Attachment missing: %(kind)s") % {"kind": AttachmentKind(kind).label})
    photos = kinds.count(AttachmentKind.PHOTO)
    if photos < PHOTOS_MIN:
        missing.append(
            _("Section III needs %(min)s–%(max)s photos; there are %(n)s.")
            % {"min": PHOTOS_MIN, "max": PHOTOS_MAX, "n": photos}
        )
    return missing


def size_limit_text(kind: str) -> str:
    _allowed, max_bytes = _allowed_for(kind)
    return filesizeformat(max_bytes)
