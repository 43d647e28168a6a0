"""The whole workshop journey in a real browser, in English, as the people involved do it:
a participant finds an edition on /warsztaty/ with the filters, registers, confirms the
address from the link in the e-mail, is accepted and takes the knowledge test before the
workshop; the coordinator (a trainer, on a phone) marks attendance on each of the three
days and issues completions; the participant takes the knowledge test after the workshop
and the satisfaction survey, downloads the certificate, opens its public verification
page and downloads the material opened by completing. Each new kind of page is run
through axe."""

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

pytestmark = pytest.mark.browser

FIRST_NAME, LAST_NAME = "Halina", "Wiśniewska"
EMAIL = "halina.wisniewska@example.org"
PROGRAMME_EN = "Social revitalization programmes — workshop"


def _pdf_bytes() -> bytes:
    """A small but real PDF: one blank A4 page with a title in its metadata."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Trainer's handbook"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HANDBOOK = _pdf_bytes()


@pytest.fixture
def journey(transactional_db):
    """Three upcoming editions of one programme: the one the participant is after (Łódź,
    łódzkie, seats free), a full one in the same voivodeship (Sieradz) and one in another
    voivodeship (Warszawa); the edition's coordinator (a trainer: no second factor), the
    programme's knowledge test and satisfaction survey, and a material of the edition
    open to those who complete the workshop."""
    from lokalnie.accounts.models import Role
    from lokalnie.conftest import ensure_reference_data, make_gmina, make_user
    from lokalnie.institutions.models import TerytUnit
    from lokalnie.training import evaluation, materials
    from lokalnie.training.tests.factories import accepted, make_edition, make_programme

    ensure_reference_data()
    lodz = make_gmina()  # voivodeship 10, ŁÓDZKIE
    sieradz = make_gmina(code="1014011", name="Sieradz")
    warszawa = make_gmina(code="1465011", name="Warszawa")
    # make_gmina names every voivodeship it creates ŁÓDZKIE; 14 is MAZOWIECKIE.
    TerytUnit.objects.filter(code="14").update(name="MAZOWIECKIE", search_name="mazowieckie")

    programme = make_programme(days=3, min_days=3)
    edition = make_edition(programme=programme, city="Łódź", gmina=lodz, capacity=10)
    full = make_edition(programme=programme, city="Sieradz", gmina=sieradz, capacity=1)
    accepted(full)
    make_edition(programme=programme, city="Warszawa", gmina=warszawa)

    coordinator = make_user(roles=[Role.TRAINER], language="en")
    edition.coordinators.add(coordinator)
    staff = make_user(roles=[Role.STAFF])

    knowledge = evaluation.survey_save(
        programme=programme,
        kind=evaluation.KNOWLEDGE,
        title_pl="Test wiedzy",
        title_en="Knowledge test",
        by=staff,
    )
    evaluation.question_save(
        survey=knowledge,
        data={
            "kind": "choice",
            "text_pl": "Który dokument wyznacza obszar rewitalizacji?",
            "text_en": "Which document designates the revitalization area?",
            "choices_pl": "Statut gminy\nUchwała rady gminy\nZarządzenie wojewody",
            "choices_en": "The gmina's statute\nA resolution of the gmina council\n"
            "An order of the voivode",
            "correct_choice": 2,
            "required": True,
        },
        by=staff,
    )
    evaluation.question_save(
        survey=knowledge,
        data={
            "kind": "scale",
            "text_pl": "Jak pewnie czuje się Pan/Pani, planując działania z partnerami?",
            "text_en": "How confident do you feel planning activities with partners?",
            "required": True,
        },
        by=staff,
    )
    satisfaction = evaluation.survey_save(
        programme=programme,
        kind=evaluation.SATISFACTION,
        title_pl="Ankieta satysfakcji",
        title_en="Satisfaction survey",
        by=staff,
    )
    evaluation.question_save(
        survey=satisfaction,
        data={
            "kind": "scale",
            "text_pl": "Jak ocenia Pan/Pani warsztat?",
            "text_en": "How do you rate the workshop overall?",
            "required": True,
        },
        by=staff,
    )
    evaluation.question_save(
        survey=satisfaction,
        data={
            "kind": "text",
            "text_pl": "Co powinniśmy zmienić?",
            "text_en": "What should we change?",
            "required": False,
        },
        by=staff,
    )
    material = materials.material_add(
        by=coordinator,
        edition=edition,
        upload=SimpleUploadedFile("handbook.pdf", HANDBOOK, content_type="application/pdf"),
        title_pl="Podręcznik trenera",
        title_en="Trainer's handbook",
        stage="completed",
    )
    return {"edition": edition, "coordinator": coordinator, "material": material}


def _settle(page):
    page.wait_for_load_state("networkidle")


def _goto(page, url):
    page.goto(url)
    _settle(page)


def _click(page, locator):
    """Click something that navigates and wait until the new page has settled."""
    with page.expect_navigation():
        locator.click()
    _settle(page)


def _signed_in(new_page, live_server, user, **size):
    client = Client()
    client.force_login(user)
    page = new_page("en", **size)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def _move_to_the_past(edition):
    """Registration, confirmation and the test "before" had to happen while the edition
    was still ahead (registration open, the first day not begun). Attendance can only be
    marked from a day's date on, and completions and the surveys "after" open on the
    last day, so the edition is now moved, as time would move it, to have been held on
    the three days before today with registration closed before it: a queryset
    ``update()``, because the services rightly refuse such changes to a running edition."""
    from lokalnie.training.models import Edition, EditionDay

    today = timezone.localdate()
    first = today - dt.timedelta(days=3)
    for day in edition.days.all():
        EditionDay.objects.filter(pk=day.pk).update(date=first + dt.timedelta(days=day.number - 1))
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        starts_on=first,
        ends_on=today - dt.timedelta(days=1),
        registration_opens_at=now - dt.timedelta(days=40),
        registration_closes_at=now - dt.timedelta(days=5),
    )


def _answer(page, question: str, choice: str):
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_workshop_journey_from_finding_an_edition_to_the_certificate(
    new_page, live_server, assert_accessible, journey
):
    from lokalnie.core.models import OutboundEmail
    from lokalnie.training.models import Completion, Material, Registration

    edition = journey["edition"]
    page = new_page("en")

    # --- Find the edition: łódzkie, only with seats left ------------------------------
    _goto(page, "/warsztaty/")
    expect(page.locator("main p[role=status]")).to_have_text("3 editions.")
    page.get_by_label("Voivodeship").select_option("10")
    page.get_by_label("Only with seats left").check()
    _click(page, page.get_by_role("button", name="Show"))
    assert "wojewodztwo=10" in page.url and "wolne=1" in page.url
    expect(page.locator("main p[role=status]")).to_have_text("1 edition.")
    listed = page.locator(".registry-list").get_by_role("link")
    expect(listed).to_have_count(1)
    expect(listed).to_have_text(f"{PROGRAMME_EN} — Łódź")
    _click(page, listed)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PROGRAMME_EN} — Łódź")
    _click(page, page.get_by_role("link", name="Register for this edition"))

    # --- Register -----------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for the workshop")
    assert_accessible(page, "registration form")
    form = page.locator("main form")
    form.get_by_label("First name").fill(FIRST_NAME)
    form.get_by_label("Last name").fill(LAST_NAME)
    form.get_by_label("E-mail").fill(EMAIL)
    form.get_by_label("Phone").fill("600 100 200")
    form.get_by_label("Position").fill("social worker")
    _answer(page, "Gender", "woman")
    _answer(page, "Age group", "30–54")
    form.get_by_label("Institution", exact=True).fill("MOPS w Łodzi")
    _answer(page, "Do you work in a public social assistance institution?", "Yes")
    form.get_by_label("I have read the privacy notice").check()
    _click(page, form.get_by_role("button", name="Register", exact=True))
    expect(page).to_have_url(re.compile(r"/warsztaty/zgloszenie/[\w-]+/$"))
    expect(page.locator(".reg-status")).to_have_text("e-mail address not confirmed yet")
    expect(page.locator(".messages")).to_contain_text(f"we have sent a link to {EMAIL}")

    # --- Confirm the address from the link in the e-mail --------------------------------
    registration = Registration.objects.get(email=EMAIL, edition=edition)
    email = OutboundEmail.objects.get(key=f"training:registration:{registration.pk}:confirm")
    assert email.to == EMAIL and email.language == "en"
    link = re.search(r"https?://\S+/warsztaty/zgloszenie/[\w-]+/", email.body)
    assert link, email.body
    path = urlsplit(link.group()).path
    assert path == f"/warsztaty/zgloszenie/{registration.token}/"
    # A new visit from the e-mail (the site's address in the e-mail is not the test server).
    _goto(page, path)
    _click(page, page.get_by_role("button", name="Confirm"))
    expect(page.locator(".reg-status")).to_have_text("accepted")
    expect(page.locator(".messages")).to_contain_text("Your e-mail address is confirmed")
    assert_accessible(page, "participant's page (accepted)")
    # The material is listed but opens only with completion.
    handbook = page.locator(".training-materials li", has_text="Trainer's handbook")
    expect(handbook).to_contain_text("not open yet")
    expect(handbook).to_contain_text("Opens when you complete the workshop.")
    expect(handbook.get_by_role("link")).to_have_count(0)

    # --- The knowledge test before the workshop -----------------------------------------
    surveys = page.locator(".survey-links")
    expect(surveys.get_by_role("link")).to_have_count(1)
    _click(page, surveys.get_by_role("link", name="Knowledge test — before the workshop"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge test")
    assert_accessible(page, "survey form (knowledge test, before)")
    _answer(page, "Which document designates the revitalization area?", "The gmina's statute")
    _answer(page, "How confident do you feel planning activities with partners?", "2")
    _click(page, page.get_by_role("button", name="Send my answers"))
    expect(page.locator(".messages")).to_contain_text("Your score: 0 of 1.")
    expect(surveys.locator("li", has_text="before the workshop")).to_contain_text("answered")

    _move_to_the_past(edition)

    # --- The coordinator marks attendance on a phone, day by day ------------------------
    coordinator = _signed_in(new_page, live_server, journey["coordinator"], width=360, height=740)
    _goto(coordinator, f"/warsztaty/koordynacja/edycje/{edition.pk}/obecnosc/1/")
    assert_accessible(coordinator, "attendance list, day 1 (360 px)")
    for number in (1, 2, 3):
        expect(coordinator.get_by_role("heading", level=1)).to_contain_text(
            f"Attendance — day {number},"
        )
        row = coordinator.locator(f"#person-{registration.pk}")
        row.get_by_role("button", name="Present").click()
        expect(
            coordinator.locator(f"#person-{registration.pk} button.attendance-yes")
        ).to_have_attribute("aria-pressed", "true")
        expect(coordinator.locator(f"#person-{registration.pk}")).to_contain_text("present — saved")
        if number < 3:
            days = coordinator.get_by_role("navigation", name="Days of the workshop")
            _click(coordinator, days.get_by_role("link", name=f"Day {number + 1} ("))
    assert registration.attendance.filter(present=True).count() == 3

    # --- ... and issues the completions -------------------------------------------------
    _click(coordinator, coordinator.get_by_role("link", name="Completions and certificates"))
    expect(coordinator.locator("main")).to_contain_text(
        "1 person meets the rule and has no completion yet."
    )
    _click(coordinator, coordinator.get_by_role("button", name="Issue 1 completion"))
    expect(coordinator.locator(".messages")).to_contain_text("Completions issued: 1.")
    completion = Completion.objects.get(registration=registration)
    expect(coordinator.get_by_role("link", name=completion.number, exact=True)).to_be_visible()
    assert OutboundEmail.objects.filter(key=f"training:completion:{completion.pk}:issued").exists()

    # --- The participant: attendance, the surveys after the workshop --------------------
    _goto(page, path)
    attendance = page.locator(".attendance-own tbody tr")
    expect(attendance).to_have_count(3)
    for index in range(3):
        expect(attendance.nth(index)).to_contain_text("present")
    surveys = page.locator(".survey-links")
    _click(page, surveys.get_by_role("link", name="Knowledge test — after the workshop"))
    _answer(
        page,
        "Which document designates the revitalization area?",
        "A resolution of the gmina council",
    )
    _answer(page, "How confident do you feel planning activities with partners?", "4")
    _click(page, page.get_by_role("button", name="Send my answers"))
    expect(page.locator(".messages")).to_contain_text("Your score: 1 of 1.")

    _click(page, surveys.get_by_role("link", name="Satisfaction survey — after the workshop"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Satisfaction survey")
    assert_accessible(page, "survey form (satisfaction survey)")
    _answer(page, "How do you rate the workshop overall?", "5 — very good / I agree completely")
    page.get_by_label("What should we change?").fill("More time for the study visit.")
    _click(page, page.get_by_role("button", name="Send my answers"))
    expect(page.locator(".messages")).to_contain_text("Thank you for your answers.")
    expect(surveys.get_by_role("link")).to_have_count(0)
    expect(surveys.locator(".status-badge", has_text="answered")).to_have_count(3)

    # --- The completion: the certificate and its public page ----------------------------
    own = page.locator(".attendance-own")
    expect(own).to_contain_text(
        f"You have completed the workshop (certificate {completion.number})."
    )
    with page.expect_download() as download_info:
        own.get_by_role("link", name="Download the certificate of completion (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{completion.slug}.pdf"
    with open(download.path(), "rb") as certificate:
        content = certificate.read()
    assert content.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert f"{FIRST_NAME} {LAST_NAME}" in text
    assert completion.number in text

    _click(page, own.get_by_role("link", name="The public page that confirms it"))
    expect(page).to_have_url(re.compile(rf"/warsztaty/poswiadczenie/{completion.slug}/$"))
    expect(page.locator(".completion-valid")).to_contain_text("The completion is valid.")
    expect(page.locator(".completion-revoked")).to_have_count(0)
    expect(page.locator("main dl")).to_contain_text(f"{FIRST_NAME} {LAST_NAME}")
    assert_accessible(page, "public verification page")

    # --- Materials: completing opened the handbook --------------------------------------
    _goto(page, path)
    handbook = page.locator(".training-materials li", has_text="Trainer's handbook")
    expect(handbook).not_to_contain_text("not open yet")
    expect(handbook).to_contain_text("PDF")
    with page.expect_download() as download_info:
        handbook.get_by_role("link", name="Trainer's handbook").click()
    download = download_info.value
    assert download.suggested_filename == "handbook.pdf"
    with open(download.path(), "rb") as file:
        assert file.read() == HANDBOOK
    assert Material.objects.get(pk=journey["material"].pk).downloads == 1
