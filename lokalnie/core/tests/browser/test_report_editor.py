"""The report editor in the browser: autosave, and a session that expires mid-report
loses nothing (the text waits in the browser and is offered back)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from lokalnie.certification.tests.factories import make_application
from lokalnie.conftest import ensure_reference_data, make_institution, make_user

pytestmark = pytest.mark.browser


def signed_in(new_page, live_server, user):
    client = Client()
    client.force_login(user)
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
    return page, client


def test_autosave_and_an_expired_session(
    new_page, live_server, transactional_db, assert_accessible
):
    ensure_reference_data()
    owner = make_user(email="autozapis@example.org")
    application = make_application(
        institution=make_institution(owner=owner), by=owner, complete=False
    )
    page, _client = signed_in(new_page, live_server, owner)
    url = f"/certyfikat/wnioski/{application.pk}/raport/"
    page.goto(url)

    # Autosave a few seconds after typing stops.
    page.locator("#body-institutional").fill("Pierwszy szkic.")
    expect(page.locator("#version-institutional")).to_have_value("1", timeout=10_000)
    assert application.sections.get(key="institutional").body == "Pierwszy szkic."

    # The session expires (the cookie is gone); the next autosave says so, nothing is stored.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.locator("#body-institutional").fill("Pierwszy szkic. Dalszy tekst po wygaśnięciu sesji.")
    page.locator("#status-institutional .autosave-error").wait_for(timeout=10_000)
    assert application.sections.get(key="institutional").body == "Pierwszy szkic."
    assert_accessible(page, "raport — sesja wygasła")

    # Logged in again: the page offers the text that was kept in the browser.
    page2_cookie_client = Client()
    page2_cookie_client.force_login(owner)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": page2_cookie_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(url)
    restore = page.locator("#section-institutional .restore-draft")
    restore.wait_for()
    restore.click()
    assert (
        page.locator("#body-institutional").input_value()
        == "Pierwszy szkic. Dalszy tekst po wygaśnięciu sesji."
    )
    with page.expect_navigation():
        page.locator("#section-institutional button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert application.sections.get(key="institutional").body.endswith("po wygaśnięciu sesji.")
