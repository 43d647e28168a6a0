"""Checking uploaded files by their content, not by their name.

``check_upload`` reads the first bytes (and, for office documents, the zip directory) and
returns the real type, or raises a ValidationError whose message says what is wrong and
what is accepted. Stored names are random (see each model's ``upload_to``); files are
served only through views that check permission."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", ".pdf")
DOCX = Kind(
    "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
ODT = Kind("ODT", "application/vnd.oasis.opendocument.text", ".odt")
DOCUMENTS = (PDF, DOCX, ODT)

# Office files are zip archives; refuse archives that would expand absurdly (zip bombs).
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100


def _zip_kind(upload) -> Kind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
                raise ValidationError(
                    _("The file expands to an unreasonable size when opened; it was refused."),
                    code="zip_bomb",
                )
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if (
                "mimetype" in names
                and archive.read("mimetype").strip() == ODT.content_type.encode()
            ):
                return ODT
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return None


def detect(upload) -> Kind | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    return None


def check_upload(upload, *, allowed: tuple[Kind, ...], max_bytes: int) -> Kind:
    """The detected kind of ``upload``; ValidationError naming the problem otherwise."""
    accepted = ", ".join(kind.name for kind in allowed)
    if upload is None or not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    kind = detect(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _(
                "This file is not a valid %(accepted)s document "
                "(its content was checked, not its name)."
            )
            % {"accepted": accepted},
            code="wrong_type",
        )
    return kind
