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
JPEG = Kind("JPEG", "image/jpeg", ".jpg")
PNG = Kind("PNG", "image/png", ".png")
IMAGES = (JPEG, PNG)
MP3 = Kind("MP3", "audio/mpeg", ".mp3")
M4A = Kind("M4A", "audio/mp4", ".m4a")
OGG = Kind("OGG", "audio/ogg", ".ogg")
WAV = Kind("WAV", "audio/wav", ".wav")
AUDIO = (MP3, M4A, OGG, WAV)
MP4 = Kind("MP4", "video/mp4", ".mp4")
WEBM = Kind("WEBM", "video/webm", ".webm")
VIDEO = (MP4, WEBM)
# Pictures larger than this (in pixels) are refused: they can exhaust memory when opened.
MAX_PIXELS = 50_000_000

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


def _image_kind(upload, kind: Kind) -> Kind:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The picture is %(w)s × %(h)s pixels; pictures may have at most "
                        "50 million pixels."
                    )
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("The picture is damaged or not really a %(kind)s file.") % {"kind": kind.name},
            code="broken_image",
        ) from None
    finally:
        upload.seek(0)
    return kind


def detect(upload) -> Kind | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp":
        return M4A if head[8:11] in (b"M4A", b"M4B") else MP4
    if head.startswith(b"\x1aE\xdf\xa3"):
        return WEBM
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
    if kind in IMAGES:
        _image_kind(upload, kind)  # opens the picture: damaged or oversized ones are refused
    return kind


def serve_upload(field_file, *, filename: str, content_type: str):
    """A stored upload as a response with safe headers: pictures and media open in the
    browser, everything else downloads; the browser may not sniff another type, and the
    file can run nothing (sandboxed). Call it only after checking permission."""
    from django.http import FileResponse

    inline = content_type.startswith(("image/", "audio/", "video/"))
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
