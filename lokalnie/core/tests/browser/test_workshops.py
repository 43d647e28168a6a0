"""Workshops in the browser: the public pages in both languages and at phone width (axe),
registration with the keyboard only, and a freed seat reaching the first waiting person."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def edition(transactional_db):
    from lokalnie.conftest import ensure_reference_data
    from lokalnie.training.tests.factories import make_edition

    ensure_reference_data()
    return make_edition(capacity=2)


def _goto(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_workshop_pages_are_accessible(new_page, assert_accessible, edition, language):
    from lokalnie.training.tests.factories import accepted, register

    holder = accepted(edition)
    accepted(edition)
    waiting = register(edition)
    for width in (1280, 360):
        page = new_page(language, width=width)
        for url in (
            "/warsztaty/",
            f"/warsztaty/edycje/{edition.slug}/",
            f"/warsztaty/edycje/{edition.slug}/zapisy/",
            f"/warsztaty/zgloszenie/{holder.token}/",
            f"/warsztaty/zgloszenie/{waiting.token}/",
            f"/warsztaty/zgloszenie/{holder.token}/rezygnacja/",
            f"/warsztaty/program/{edition.programme.slug}/lista-oczekujacych/",
        ):
            _goto(page, url)
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page, f"{url} ({language}, {width} px)")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways at {width} px"


def test_registration_with_the_keyboard_only(new_page, edition):
    from lokalnie.training.models import Registration

    page = new_page("pl")
    _goto(page, f"/warsztaty/edycje/{edition.slug}/zapisy/")
    # Tab from the top of the page to the first field.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "first_name":
            break
    typed = {
        "first_name": "Ewa",
        "last_name": "Zając",
        "email": "ewa.zajac@example.org",
        "phone": "600100200",
        "position": "pracowniczka socjalna",
    }
    for name, text in typed.items():
        assert page.evaluate("document.activeElement.name") == name
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    # Radio groups: the first option is focused; arrows choose, Tab leaves the group.
    assert page.evaluate("document.activeElement.name") == "gender"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "age_group"
    page.keyboard.press("ArrowDown")  # 30–54
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "institution_name"
    page.keyboard.type("MOPS w Łodzi")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name").startswith("q_"):
            break
    page.keyboard.press("Space")  # "Tak"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "consent":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the privacy notice link in the consent's help text
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/warsztaty/zgloszenie/[\w-]+/$"))
    registration = Registration.objects.get()
    assert (registration.first_name, registration.gender, registration.age_group) == (
        "Ewa",
        "female",
        "30-54",
    )
    # Confirming is a button on the page the e-mail link opens.
    page.locator("main form button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".reg-status")).to_have_text(re.compile("przyjęte|accepted"))


def test_freed_seat_reaches_the_first_waiting_person(new_page, edition):
    from lokalnie.core.models import OutboundEmail
    from lokalnie.training.tests.factories import accepted, register

    holder = accepted(edition)
    accepted(edition)
    first, second = register(edition), register(edition)
    page = new_page("en")
    _goto(page, f"/warsztaty/zgloszenie/{first.token}/")
    expect(page.locator("main")).to_contain_text("you are number 1 in the queue")
    # The seat holder withdraws from the link in their e-mail.
    other = new_page("en")
    _goto(other, f"/warsztaty/zgloszenie/{holder.token}/rezygnacja/")
    with other.expect_navigation():
        other.get_by_role("button", name="Yes, withdraw").click()
    expect(other.locator(".reg-status")).to_have_text("withdrawn")
    # The first waiting person is told by e-mail and takes the seat on their page.
    offer = OutboundEmail.objects.get(key=f"training:registration:{first.pk}:offered")
    assert first.token in offer.body
    _goto(page, f"/warsztaty/zgloszenie/{first.token}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Take the seat").click()
    expect(page.locator(".reg-status")).to_have_text("accepted")
    second.refresh_from_db()
    assert second.status == "waitlisted"
