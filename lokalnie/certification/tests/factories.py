import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lokalnie.certification import reports, services
from lokalnie.certification.report import PHOTOS_MIN, REQUIRED_DOCUMENTS, SECTIONS, AttachmentKind
from lokalnie.institutions.models import AreaOfWork

SOCIAL = "pomoc-i-integracja-spoleczna"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def area(slug=SOCIAL) -> AreaOfWork:
    return AreaOfWork.objects.get(slug=slug)


def png_bytes(size=(8, 6), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def complete_report(application, by):
    for section in SECTIONS:
        if section.required:
            reports.report_section_save(
                application=application,
                key=section.key,
                by=by,
                base_version=0,
                body=f"{section.title}: treść sekcji z polskimi znakami — zażółć gęślą jaźń.",
            )
    for kind in REQUIRED_DOCUMENTS:
        reports.report_attachment_add(
            application=application,
            kind=kind,
            alt_text="",
            by=by,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF),
        )
    for number in range(PHOTOS_MIN):
        reports.report_attachment_add(
            application=application,
            kind=AttachmentKind.PHOTO,
            by=by,
            alt_text=f"Mieszkańcy podczas spotkania sąsiedzkiego, zdjęcie {number + 1}",
            upload=SimpleUploadedFile(f"zdjecie{number}.png", png_bytes()),
        )


def make_application(*, institution, by, slug=SOCIAL, complete=True):
    application = services.application_create(institution=institution, area=area(slug), by=by)
    if complete:
        services.checklist_save(
            application=application,
            by=by,
            answers={
                answer.requirement_id: (True, "Statut, § 5")
                for answer in application.checklist.all()
            },
        )
        complete_report(application, by)
    return application
