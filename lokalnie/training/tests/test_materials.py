"""Materials: uploads checked by content, stages that open them, downloads counted."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lokalnie.accounts.models import Role
from lokalnie.conftest import close_file, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.training import materials as service
from lokalnie.training import services
from lokalnie.training.models import Attendance, Material
from lokalnie.training.tests.access_rows_materials import PDF_BYTES
from lokalnie.training.tests.access_rows_reports import make_completion
from lokalnie.training.tests.factories import accepted, make_edition, register
from lokalnie.training.workflow import RegStatus

pytestmark = pytest.mark.django_db

Stage = Material.Stage


def pdf(name="podrecznik.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="katalog.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def staff():
    return make_user(roles=[Role.STAFF])


@pytest.fixture
def coordinator():
    return make_user(roles=[Role.TRAINER])


@pytest.fixture
def edition(staff, coordinator):
    edition = make_edition(by=staff)
    edition.coordinators.add(coordinator)
    return edition


def add(edition=None, programme=None, *, by, stage=Stage.REGISTERED, upload=None, **extra):
    return service.material_add(
        by=by,
        edition=edition,
        programme=programme,
        upload=upload or pdf(),
        title_pl=extra.pop("title_pl", "Podręcznik trenera"),
        stage=stage,
        **extra,
    )


def download(client, registration, material):
    response = client.get(
        reverse("training:material_download", args=[registration.token, material.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    close_file(response)
    return response


def attend(registration, present=True, day=1):
    return Attendance.objects.create(
        registration=registration,
        day=registration.edition.days.get(number=day),
        present=present,
    )


# --- Uploads ---------------------------------------------------------------------------


def test_upload_is_stored_under_a_random_name_with_its_checked_type(edition, coordinator):
    material = add(edition, by=coordinator, upload=pdf("Podręcznik trenera.pdf"))
    assert material.filename == "Podręcznik trenera.pdf"
    assert material.content_type == "application/pdf"
    assert material.size == len(PDF_BYTES)
    assert material.file.name.startswith("training/materials/")
    assert "Podr" not in material.file.name and material.file.name.endswith(".pdf")
    with material.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    entry = AuditEntry.objects.get(action="training.material.add")
    assert entry.actor == coordinator
    assert entry.data["material"] == material.pk


def test_docx_is_accepted_and_keeps_its_type(edition, coordinator):
    material = add(edition, by=coordinator, upload=docx())
    assert material.content_type.endswith("wordprocessingml.document")
    assert material.file.name.endswith(".docx")


def test_a_text_file_named_pdf_is_refused_and_nothing_is_stored(edition, coordinator):
    fake = SimpleUploadedFile("podrecznik.pdf", b"just text, not a PDF at all")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add(edition, by=coordinator, upload=fake)
    assert "its content was checked, not its name" in str(caught.value.message_dict["file"])
    assert not Material.objects.exists()
    assert not AuditEntry.objects.filter(action="training.material.add").exists()


def test_a_file_over_50_mb_is_refused_with_the_limit_named(edition, coordinator):
    big = pdf()
    big.size = service.MATERIAL_MAX_BYTES + 1
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add(edition, by=coordinator, upload=big)
    message = " ".join(caught.value.message_dict["file"])
    assert "too large" in message and "50.0\xa0MB" in message
    assert not Material.objects.exists()


def test_a_file_of_exactly_50_mb_is_within_the_limit(edition, coordinator):
    upload = pdf()
    upload.size = service.MATERIAL_MAX_BYTES
    assert add(edition, by=coordinator, upload=upload).size == service.MATERIAL_MAX_BYTES


def test_title_and_stage_are_required(edition, coordinator):
    with pytest.raises(ValidationError) as caught:
        add(edition, by=coordinator, title_pl="  ")
    assert "title_pl" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        add(edition, by=coordinator, stage="everyone")
    assert "stage" in caught.value.message_dict
    assert not Material.objects.exists()


def test_another_editions_trainer_cannot_add_or_delete(edition, coordinator):
    stranger = make_user(roles=[Role.TRAINER])
    with pytest.raises(PermissionDenied):
        add(edition, by=stranger)
    material = add(edition, by=coordinator)
    with pytest.raises(PermissionDenied):
        service.material_delete(material=material, by=stranger)
    assert Material.objects.filter(pk=material.pk).exists()


def test_programme_materials_are_for_staff_only(edition, coordinator, staff):
    with pytest.raises(PermissionDenied):
        add(programme=edition.programme, by=coordinator)
    material = add(programme=edition.programme, by=staff)
    assert material.programme == edition.programme and material.edition is None


def test_delete_removes_the_row_and_then_the_file(
    edition, coordinator, django_capture_on_commit_callbacks
):
    material = add(edition, by=coordinator)
    storage, name = material.file.storage, material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        service.material_delete(material=material, by=coordinator)
    assert not Material.objects.exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="training.material.delete")
    assert entry.data["title"] == "Podręcznik trenera"


# --- Stages ----------------------------------------------------------------------------


@pytest.fixture
def materials(edition, coordinator, staff):
    return {
        Stage.REGISTERED: add(programme=edition.programme, by=staff, title_pl="Program"),
        Stage.ATTENDED: add(edition, by=coordinator, stage=Stage.ATTENDED, title_pl="Slajdy"),
        Stage.COMPLETED: add(
            programme=edition.programme, by=staff, stage=Stage.COMPLETED, title_pl="Katalog"
        ),
    }


def statuses(client, registration, materials):
    return {stage: download(client, registration, m).status_code for stage, m in materials.items()}


def test_accepted_participant_opens_only_the_registered_stage(client, edition, materials):
    registration = accepted(edition)
    assert statuses(client, registration, materials) == {
        Stage.REGISTERED: 200,
        Stage.ATTENDED: 403,
        Stage.COMPLETED: 403,
    }


def test_someone_not_accepted_opens_nothing(client, edition, materials):
    unconfirmed = register(edition, confirm=False)
    withdrawn = services.registration_withdraw(registration=accepted(edition))
    assert withdrawn.status == RegStatus.WITHDRAWN
    for registration in (unconfirmed, withdrawn):
        assert set(statuses(client, registration, materials).values()) == {403}


def test_presence_on_one_day_opens_the_attended_stage(client, edition, materials):
    registration = accepted(edition)
    attend(registration, present=False, day=1)
    assert download(client, registration, materials[Stage.ATTENDED]).status_code == 403
    attend(registration, present=True, day=2)
    assert statuses(client, registration, materials) == {
        Stage.REGISTERED: 200,
        Stage.ATTENDED: 200,
        Stage.COMPLETED: 403,
    }


def test_completion_opens_everything(client, edition, materials):
    registration = accepted(edition)
    attend(registration)
    make_completion(registration)
    assert set(statuses(client, registration, materials).values()) == {200}


def test_a_revoked_completion_opens_only_what_attendance_opens(client, edition, materials):
    registration = accepted(edition)
    attend(registration)
    make_completion(registration, revoked=True)
    assert statuses(client, registration, materials) == {
        Stage.REGISTERED: 200,
        Stage.ATTENDED: 200,
        Stage.COMPLETED: 403,
    }


def test_a_locked_material_says_what_opens_it(client, edition, materials):
    registration = accepted(edition)
    response = download(client, registration, materials[Stage.COMPLETED])
    assert response.status_code == 403
    assert "opens when you complete the workshop" in response.content.decode()
    assert materials[Stage.COMPLETED].downloads == 0


def test_wrong_token_is_404(client, materials):
    response = client.get(
        reverse("training:material_download", args=["not-a-token", materials[Stage.REGISTERED].pk])
    )
    assert response.status_code == 404


def test_material_of_another_edition_or_programme_is_404(client, edition, staff):
    registration = accepted(edition)
    other = make_edition(by=staff)
    of_other_edition = add(other, by=staff)
    of_other_programme = add(programme=other.programme, by=staff)
    assert download(client, registration, of_other_edition).status_code == 404
    assert download(client, registration, of_other_programme).status_code == 404
    assert Material.objects.filter(downloads__gt=0).count() == 0


def test_download_serves_the_file_safely_and_counts_it(client, edition, materials):
    registration = accepted(edition)
    material = materials[Stage.REGISTERED]
    response = client.get(
        reverse("training:material_download", args=[registration.token, material.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    close_file(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    download(client, accepted(edition), material)
    material.refresh_from_db()
    assert material.downloads == 2


def test_a_missing_file_is_404_and_not_counted(client, edition, materials):
    registration = accepted(edition)
    material = materials[Stage.REGISTERED]
    material.file.storage.delete(material.file.name)
    assert download(client, registration, material).status_code == 404
    material.refresh_from_db()
    assert material.downloads == 0


# --- Pages ------------------------------------------------------------------------------


def test_registration_page_lists_every_material_with_what_opens_it(client, edition, materials):
    registration = accepted(edition)
    response = client.get(
        reverse("training:registration", args=[registration.token]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    open_url = reverse(
        "training:material_download", args=[registration.token, materials[Stage.REGISTERED].pk]
    )
    locked_url = reverse(
        "training:material_download", args=[registration.token, materials[Stage.COMPLETED].pk]
    )
    assert open_url in page and locked_url not in page
    assert "Katalog" in page and "Slajdy" in page
    assert "Opens when you attend the workshop." in page
    assert "Opens when you complete the workshop." in page


def test_coordinator_uploads_and_sees_download_counts(client, edition, coordinator, materials):
    Material.objects.filter(pk=materials[Stage.ATTENDED].pk).update(downloads=7)
    client.force_login(coordinator)
    url = reverse("training:edition_materials", args=[edition.pk])
    response = client.post(
        url,
        {"title_pl": "Zadania", "stage": Stage.REGISTERED, "file": pdf("zadania.pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert Material.objects.filter(edition=edition, title_pl="Zadania").exists()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Zadania" in page and "Program" in page
    assert "<td>7</td>" in page


def test_coordinator_sees_why_a_file_was_refused(client, edition, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("training:edition_materials", args=[edition.pk]),
        {
            "title_pl": "Zadania",
            "stage": Stage.REGISTERED,
            "file": SimpleUploadedFile("zadania.pdf", b"<html>not a pdf</html>"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "its content was checked, not its name" in response.content.decode()
    assert 'value="Zadania"' in response.content.decode()  # the rest of the form is kept
    assert not Material.objects.exists()


def test_another_trainer_gets_404_for_the_editions_materials(client, edition, materials):
    client.force_login(make_user(roles=[Role.TRAINER]))
    material = materials[Stage.ATTENDED]
    for response in (
        client.get(reverse("training:edition_materials", args=[edition.pk])),
        client.get(reverse("training:material_preview", args=[edition.pk, material.pk])),
        client.post(reverse("training:edition_material_delete", args=[edition.pk, material.pk])),
    ):
        assert response.status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_coordinator_cannot_delete_a_programme_material_through_the_edition(
    client, edition, coordinator, materials
):
    client.force_login(coordinator)
    material = materials[Stage.REGISTERED]
    response = client.post(
        reverse("training:edition_material_delete", args=[edition.pk, material.pk])
    )
    assert response.status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_preview_does_not_count(client, edition, coordinator, materials):
    client.force_login(coordinator)
    material = materials[Stage.COMPLETED]
    response = client.get(reverse("training:material_preview", args=[edition.pk, material.pk]))
    close_file(response)
    assert response.status_code == 200
    material.refresh_from_db()
    assert material.downloads == 0


def test_staff_manage_programme_materials(client, edition, staff):
    client.force_login(staff)
    url = reverse("training:programme_materials", args=[edition.programme.slug])
    response = client.post(
        url,
        {"title_pl": "Katalog dobrych praktyk", "stage": Stage.COMPLETED, "file": docx()},
    )
    assert response.status_code == 302
    material = Material.objects.get(programme=edition.programme)
    response = client.post(
        reverse("training:programme_material_delete", args=[edition.programme.slug, material.pk])
    )
    assert response.status_code == 302
    assert not Material.objects.exists()
