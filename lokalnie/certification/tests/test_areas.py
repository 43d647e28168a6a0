import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lokalnie.accounts.models import Role
from lokalnie.certification.models import AreaDocument, RegulationVersion
from lokalnie.certification.tests.factories import SOCIAL, area
from lokalnie.conftest import close_file, make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(extra=b""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>" + extra.decode())
    return buffer.getvalue()


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(roles=[Role.STAFF]))
    return client


def upload(client, name, content, title="Procedura certyfikacji"):
    return client.post(
        reverse("certification:document_add", args=[SOCIAL]),
        {
            "title_pl": title,
            "title_en": "Certification procedure",
            "file": SimpleUploadedFile(name, content),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_staff_add_a_pdf_and_anyone_downloads_it(staff_client, client):
    response = upload(staff_client, "procedura.pdf", PDF)
    assert response.status_code == 302
    document = AreaDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.filename == "procedura.pdf"
    assert "procedura" not in document.file.name  # stored under a random name
    staff_client.logout()
    response = client.get(reverse("certification:document_download", args=[document.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="procedura.pdf"')
    assert b"".join(response.streaming_content) == PDF
    close_file(response)
    assert AuditEntry.objects.filter(action="area.document_added").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is not a pdf", "is not a valid PDF, DOCX, ODT document"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("bomb.docx", docx_bytes(b"0" * 3_000_000), "expands to an unreasonable size"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "is not a valid PDF, DOCX, ODT document"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_clear_message(
    staff_client, name, content, message
):
    response = upload(staff_client, name, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Procedura certyfikacji"' in page  # what was typed is kept
    assert not AreaDocument.objects.exists()


def test_too_large_file_is_refused(staff_client, monkeypatch):
    from lokalnie.certification import services

    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 10)
    page = upload(staff_client, "big.pdf", PDF).content.decode()
    assert "The file is too large" in page


def test_archived_documents_are_not_offered(staff_client):
    upload(staff_client, "procedura.docx", docx_bytes())
    document = AreaDocument.objects.get()
    assert document.extension == ".docx"
    staff_client.post(reverse("certification:document_archive", args=[document.pk]))
    assert (
        staff_client.get(reverse("certification:document_download", args=[document.pk])).status_code
        == 404
    )


def test_staff_edit_the_requirements_checklist(staff_client):
    response = staff_client.post(
        reverse("certification:area_edit", args=[SOCIAL]),
        {
            "description_pl": "Opis",
            "description_en": "Description",
            "requirements_pl": "Pierwszy\nDrugi",
            "requirements_en": "First\nSecond",
        },
    )
    assert response.status_code == 302
    assert [(r.text_pl, r.text_en) for r in area().requirements.all()] == [
        ("Pierwszy", "First"),
        ("Drugi", "Second"),
    ]
    assert AuditEntry.objects.filter(action="area.updated").exists()


def test_mismatched_translations_of_requirements_are_named(staff_client):
    response = staff_client.post(
        reverse("certification:area_edit", args=[SOCIAL]),
        {"requirements_pl": "A\nB", "requirements_en": "A"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "There are 2 Polish and 1 English requirements" in response.content.decode()


def test_members_cannot_manage_areas(client):
    client.force_login(make_user())
    assert client.get(reverse("certification:area_edit", args=[SOCIAL])).status_code == 403
    assert upload(client, "x.pdf", PDF).status_code == 403


def test_regulation_versions(staff_client, client):
    response = staff_client.post(
        reverse("certification:regulation_edit"),
        {"body_pl": "Nowy regulamin", "body_en": "New regulation", "change_note": "Zmiana § 8"},
    )
    assert response.status_code == 302
    latest = RegulationVersion.objects.order_by("-version").first()
    assert latest.version == 2
    page = client.get(
        reverse("certification:regulation"), HTTP_ACCEPT_LANGUAGE="pl"
    ).content.decode()
    assert "Nowy regulamin" in page
    old = client.get(reverse("certification:regulation") + "?wersja=1", HTTP_ACCEPT_LANGUAGE="pl")
    assert (
        "Komisja Certyfikacyjna" in old.content.decode()
        or "Komisję Certyfikacyjną" in old.content.decode()
    )
    assert client.get(reverse("certification:regulation") + "?wersja=9").status_code == 404
