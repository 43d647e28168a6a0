"""Materials of the workshops: files for participants of a programme (every edition) or of
one edition, each open from a stage of the person's registration.

Stages build on each other: a person who completed the workshop also opens what is for
those who attended, and one who attended also what is for accepted participants.

- registered: the registration is accepted;
- attended: present on at least one day;
- completed: the workshop is completed (a completion that has not been revoked).

Files are checked by their content (PDF, DOCX or ODT — the office kinds that
``core.uploads`` recognises), stored under random names and served only through views
that check the stage (participants) or the edition (coordinators)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.core.uploads import DOCUMENTS, check_upload
from lokalnie.training.models import Attendance, Completion, Edition, Material, Programme
from lokalnie.training.workflow import RegStatus

MATERIAL_KINDS = DOCUMENTS  # PDF, DOCX, ODT
MATERIAL_MAX_BYTES = 50 * 1024 * 1024

Stage = Material.Stage
STAGE_LEVEL = {Stage.REGISTERED: 1, Stage.ATTENDED: 2, Stage.COMPLETED: 3}
# What a participant reads next to a material that is not open to them yet.
OPENS_WHEN = {
    Stage.REGISTERED: gettext_lazy("opens when your place at the workshop is confirmed"),
    Stage.ATTENDED: gettext_lazy("opens when you attend the workshop"),
    Stage.COMPLETED: gettext_lazy("opens when you complete the workshop"),
}


# --- Reads -----------------------------------------------------------------------------


def stage_level(registration) -> int:
    """The highest stage the registration has reached: 0 (none) to 3 (completed)."""
    if Completion.objects.filter(registration=registration, revoked_at__isnull=True).exists():
        return STAGE_LEVEL[Stage.COMPLETED]
    if Attendance.objects.filter(registration=registration, present=True).exists():
        return STAGE_LEVEL[Stage.ATTENDED]
    if registration.status == RegStatus.ACCEPTED:
        return STAGE_LEVEL[Stage.REGISTERED]
    return 0


def materials_of_edition(edition: Edition):
    """The materials of the edition and of its programme (programme's first)."""
    return Material.objects.filter(
        Q(edition_id=edition.pk) | Q(programme_id=edition.programme_id)
    ).order_by(F("programme_id").asc(nulls_last=True), "title_pl", "pk")


def material_for(registration, pk: int) -> Material | None:
    """One material of the registration's edition or programme (None for any other)."""
    return materials_of_edition(registration.edition).filter(pk=pk).first()


def is_open(material: Material, level: int) -> bool:
    return STAGE_LEVEL[material.stage] <= level


def kind_name(material: Material) -> str:
    """ "PDF", "DOCX" or "ODT" (from the checked content type)."""
    for kind in MATERIAL_KINDS:
        if kind.content_type == material.content_type:
            return kind.name
    return ""


@dataclass
class MaterialRow:
    material: Material
    open: bool
    opens_when: str

    @property
    def kind(self) -> str:
        return kind_name(self.material)


def materials_for(registration) -> list[MaterialRow]:
    """Every material of the registration's programme and edition, with whether it is
    open to this person and, when not, the stage that opens it."""
    level = stage_level(registration)
    rows = []
    for material in materials_of_edition(registration.edition):
        opened = is_open(material, level)
        rows.append(
            MaterialRow(material, opened, "" if opened else str(OPENS_WHEN[material.stage]))
        )
    return rows


# --- Writes ----------------------------------------------------------------------------


def _check_owner(*, by, programme: Programme | None, edition: Edition | None) -> None:
    if (programme is None) == (edition is None):
        raise ValueError("A material belongs to a programme or to an edition, not both.")
    if programme is not None:
        require(by, "programme.manage")
    else:
        require(by, "edition.manage", edition)


@transaction.atomic
def material_add(
    *,
    by,
    upload,
    title_pl: str,
    stage: str,
    programme: Programme | None = None,
    edition: Edition | None = None,
    title_en: str = "",
    description_pl: str = "",
    description_en: str = "",
) -> Material:
    """Store a checked file for the participants of a programme or of one edition."""
    _check_owner(by=by, programme=programme, edition=edition)
    if stage not in STAGE_LEVEL:
        raise ValidationError({"stage": _("Choose who the material is open to.")})
    if not title_pl.strip():
        raise ValidationError({"title_pl": _("Give the material a title in Polish.")})
    try:
        kind = check_upload(upload, allowed=MATERIAL_KINDS, max_bytes=MATERIAL_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    material = Material(
        programme=programme,
        edition=edition,
        title_pl=title_pl.strip(),
        title_en=title_en.strip(),
        description_pl=description_pl.strip(),
        description_en=description_en.strip(),
        stage=stage,
        filename=(upload.name or f"material{kind.extension}")[-200:],
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    upload.seek(0)
    material.file.save(f"{uuid.uuid4().hex}{kind.extension}", upload, save=False)
    try:
        material.save()
        audit_record(
            actor=by,
            action="training.material.add",
            obj=edition or programme,
            to_state=stage,
            data={
                "material": material.pk,
                "title": material.title_pl,
                "file": material.filename,
                "size": material.size,
            },
        )
    except BaseException:
        material.file.storage.delete(material.file.name)  # no orphan file
        raise
    return material


@transaction.atomic
def material_delete(*, material: Material, by) -> None:
    """Remove a material and its file (the file goes once the deletion is committed)."""
    _check_owner(by=by, programme=material.programme, edition=material.edition)
    owner = material.edition or material.programme
    stored, storage = material.file.name, material.file.storage
    data = {
        "material": material.pk,
        "title": material.title_pl,
        "file": material.filename,
        "downloads": material.downloads,
    }
    material.delete()
    audit_record(
        actor=by, action="training.material.delete", obj=owner, from_state="present", data=data
    )
    transaction.on_commit(lambda: storage.delete(stored))


def material_downloaded(material: Material) -> None:
    """Count one download (atomically: parallel downloads are all counted)."""
    Material.objects.filter(pk=material.pk).update(downloads=F("downloads") + 1)
