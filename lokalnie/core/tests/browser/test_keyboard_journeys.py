"""Keyboard-only journeys: the self-check and the report editor (quality bar)."""

import re

import pytest

from lokalnie.certification.tests.factories import make_application
from lokalnie.conftest import ensure_reference_data, make_institution

pytestmark = pytest.mark.browser


def test_self_check_with_the_keyboard_only(new_page, transactional_db):
    ensure_reference_data()
    page = new_page("pl")
    page.goto("/certyfikat/samoocena/")
    # From the top of the page: Tab through the skip link and navigation to the first answer.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q1":
            break
    assert page.evaluate("document.activeElement.name") == "q1"
    for number in range(1, 9):
        assert page.evaluate("document.activeElement.name") == f"q{number}"
        page.keyboard.press("Space")  # "Tak" is the first option of each question
        page.keyboard.press("Tab")  # a radio group is one stop: on to the next question
    assert page.evaluate("document.activeElement.name") == "area"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/samoocena/wynik/\d+/"))
    from lokalnie.certification.models import SelfCheckResponse

    assert SelfCheckResponse.objects.get().answers == [True] * 8
    assert page.locator("html").get_attribute("lang") == "pl"


def test_report_editor_with_the_keyboard_only(new_page, live_server, transactional_db):
    from django.conf import settings
    from django.test import Client

    from lokalnie.conftest import make_user

    ensure_reference_data()
    owner = make_user(email="klawiatura@example.org")
    application = make_application(
        institution=make_institution(owner=owner), by=owner, complete=False
    )
    client = Client()
    client.force_login(owner)
    page = new_page("pl")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/certyfikat/wnioski/{application.pk}/raport/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "body-institutional":
            break
    assert page.evaluate("document.activeElement.id") == "body-institutional"
    page.keyboard.type("Ośrodek pracuje metodą OSL od 2019 roku.")
    counter = page.locator("#count-institutional").inner_text()
    assert counter.startswith("40 znaków")
    page.keyboard.press("Tab")  # to the section's "Zapisz" button
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.locator(".message-success").wait_for()  # the page came back after the redirect
    page.wait_for_load_state("networkidle")  # and no autosave is still on its way
    assert "konflikt" not in page.content().lower()
    assert (
        application.sections.get(key="institutional").body
        == "Ośrodek pracuje metodą OSL od 2019 roku."
    )
