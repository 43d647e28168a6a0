"""The OSL report editor: co-editing without silent overwrites, history, attachments,
autosave (also when the session has expired), PDF export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from lokalnie.certification import reports, services
from lokalnie.certification.models import ReportRevision, ReportSection
from lokalnie.certification.report import AttachmentKind
from lokalnie.certification.tests.factories import PDF, make_application, png_bytes
from lokalnie.conftest import close_file, make_institution, make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    anna, piotr = make_user(email="anna@example.org"), make_user(email="piotr@example.org")
    institution = make_institution(owner=anna, members=[piotr])
    application = make_application(institution=institution, by=anna, complete=False)
    return anna, piotr, application


def save(application, by, body, base, key="institutional"):
    return reports.report_section_save(
        application=application, key=key, body=body, base_version=base, by=by
    )


def test_two_people_editing_one_section_never_overwrite_each_other(team):
    anna, piotr, application = team
    assert save(application, anna, "Tekst Anny", 0).saved
    result = save(application, piotr, "Tekst Piotra", 0)  # Piotr started from version 0
    assert result.conflict and not result.saved
    assert result.theirs == "Tekst Anny"
    section = ReportSection.objects.get(application=application, key="institutional")
    assert (section.body, section.version) == ("Tekst Anny", 1)
    kept = ReportRevision.objects.get(conflict=True)
    assert (kept.body, kept.created_by) == ("Tekst Piotra", piotr)
    # Piotr merges and saves on top of Anna's version.
    assert save(application, piotr, "Tekst Anny\nTekst Piotra", 1).saved
    assert ReportSection.objects.get(pk=section.pk).version == 2


def test_repeated_autosaves_during_a_conflict_keep_one_draft(team):
    anna, piotr, application = team
    save(application, anna, "A", 0)
    save(application, piotr, "P1", 0)
    save(application, piotr, "P12", 0)
    assert list(ReportRevision.objects.filter(conflict=True).values_list("body", flat=True)) == [
        "P12"
    ]


def test_every_saved_version_is_in_the_history(team, client):
    anna, _piotr, application = team
    save(application, anna, "Pierwsza wersja", 0)
    save(application, anna, "Druga wersja", 1)
    save(application, anna, "Druga wersja", 2)  # unchanged: no new version
    client.force_login(anna)
    page = client.get(
        reverse("certification:report_history", args=[application.pk, "institutional"])
    ).content.decode()
    assert "Pierwsza wersja" in page and "Druga wersja" in page
    assert ReportRevision.objects.count() == 2
    assert AuditEntry.objects.filter(action="report.section_saved").count() == 2


def test_autosave_returns_a_status_and_the_new_version(team, client):
    anna, _piotr, application = team
    client.force_login(anna)
    url = reverse("certification:report_section", args=[application.pk, "institutional"])
    response = client.post(
        url,
        {"body": "Autozapis", "base_version": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in page
    assert 'id="version-institutional" value="1" hx-swap-oob="true"' in page


def test_autosave_after_the_session_expired_says_so_and_loses_nothing(team, client):
    _anna, _piotr, application = team
    url = reverse("certification:report_section", args=[application.pk, "institutional"])
    response = client.post(
        url,
        {"body": "Długi tekst", "base_version": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401
    assert "your session has expired" in response.content.decode()
    assert not ReportSection.objects.exists()


def test_conflict_without_javascript_shows_both_texts(team, client):
    anna, piotr, application = team
    save(application, anna, "Wersja Anny", 0)
    client.force_login(piotr)
    url = reverse("certification:report_section", args=[application.pk, "institutional"])
    response = client.post(
        url, {"body": "Wersja Piotra", "base_version": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this section while you were writing" in page
    assert "Wersja Anny" in page and "Wersja Piotra" in page


def test_photos_need_a_description_and_at_most_four_fit(team):
    anna, _piotr, application = team

    def photo(alt="Spotkanie mieszkańców"):
        return reports.report_attachment_add(
            application=application,
            kind=AttachmentKind.PHOTO,
            alt_text=alt,
            by=anna,
            upload=SimpleUploadedFile("foto.png", png_bytes()),
        )

    with pytest.raises(Exception, match="Describe what the picture shows"):
        photo(alt="  ")
    for _ in range(4):
        photo()
    with pytest.raises(Exception, match="at most 4 photos"):
        photo()


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        (
            "statute",
            "statut.pdf",
            b"<html>not a pdf</html>",
            "is not a valid PDF, DOCX, ODT document",
        ),
        ("photo", "foto.png", b"\x89PNG\r\n\x1a\n" + b"broken" * 20, "The picture is damaged"),
        ("photo", "foto.jpg", PDF, "is not a valid JPEG, PNG document"),
        ("video", "film.mp4", b"RIFF....WAVE", "is not a valid MP4, WEBM document"),
    ],
)
def test_wrong_attachments_are_refused_and_the_form_is_kept(
    team, client, kind, name, content, message
):
    anna, _piotr, application = team
    client.force_login(anna)
    response = client.post(
        reverse("certification:attachment_add", args=[application.pk]),
        {"kind": kind, "alt_text": "Opis zdjęcia", "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Opis zdjęcia"' in page
    assert not application.attachments.exists()


def test_huge_picture_dimensions_are_refused(team, monkeypatch):
    from lokalnie.core import uploads

    anna, _piotr, application = team
    monkeypatch.setattr(uploads, "MAX_PIXELS", 10)
    with pytest.raises(Exception, match="at most 50 million pixels"):
        reports.report_attachment_add(
            application=application,
            kind=AttachmentKind.PHOTO,
            alt_text="x",
            by=anna,
            upload=SimpleUploadedFile("foto.png", png_bytes(size=(8, 6))),
        )


def test_attachments_are_served_only_to_those_who_see_the_application(team, client):
    anna, _piotr, application = team
    attachment = reports.report_attachment_add(
        application=application,
        kind=AttachmentKind.STATUTE,
        alt_text="",
        by=anna,
        upload=SimpleUploadedFile("statut.pdf", PDF),
    )
    url = reverse("certification:attachment", args=[application.pk, attachment.pk])
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(anna)
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    close_file(response)


def test_the_report_is_read_only_after_submission(team, client):
    anna, _piotr, application = team
    from lokalnie.certification.tests.factories import complete_report

    complete_report(application, anna)
    services.checklist_save(
        application=application,
        by=anna,
        answers={a.requirement_id: (True, "Statut") for a in application.checklist.all()},
    )
    services.application_transition(application=application, action="submit", by=anna)
    with pytest.raises(Exception, match="can no longer be changed"):
        save(application, anna, "Zmiana po złożeniu", 1)
    client.force_login(anna)
    page = client.get(
        reverse("certification:report", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<textarea" not in page


def test_the_whole_report_exports_to_pdf(team, client):
    anna, _piotr, application = team
    save(application, anna, "Ośrodek wdraża OSL od 2019 roku; zespół przeszkolił CAL.", 0)
    client.force_login(anna)
    response = client.get(
        reverse("certification:report_pdf", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ośrodek wdraża OSL od 2019 roku" in " ".join(text.split())
    assert application.institution.name in text


def test_ones_own_earlier_autosave_is_not_a_conflict(team):
    anna, piotr, application = team
    save(application, anna, "Szkic", 0)  # autosave (version 1) still unknown to the page
    result = save(application, anna, "Szkic i dalszy tekst", 0)
    assert result.saved and not result.conflict
    assert result.section.version == 2
    assert save(application, piotr, "Inny tekst", 1).conflict  # another person: conflict
