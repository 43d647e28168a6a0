"""Logging in through allauth's form, in Polish and in English."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Field labels and the error message come from allauth's own catalogue (pl is shipped
# with allauth), so they are safe to look for in both languages.
LABELS = {
    "pl": {"email": "E-mail", "password": "Hasło"},
    "en": {"email": "Email", "password": "Password"},
}
WRONG_CREDENTIALS = {
    "pl": "Podany adres e-mail i/lub hasło są niepoprawne.",
    "en": "The email address and/or password you specified are not correct.",
}
languages = pytest.mark.parametrize("language", ["pl", "en"])


def _fill_login_form(page, language, email, password):
    labels = LABELS[language]
    page.get_by_label(labels["email"], exact=False).fill(email)
    page.get_by_label(labels["password"], exact=False).fill(password)
    page.locator("main form").get_by_role("button").click()


@languages
def test_login_lands_on_the_dashboard(new_page, make_user, password, assert_accessible, language):
    make_user("ewa@example.org", language=language)
    page = new_page(language)
    page.goto("/konto/login/")
    _fill_login_form(page, language, "ewa@example.org", password)

    expect(page).to_have_url(re.compile(r"/pulpit/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_count(1)
    # Logged in: the account navigation offers the dashboard and a log-out button.
    account_nav = page.locator("header nav.account-nav")
    expect(account_nav.locator('a[href="/pulpit/"]')).to_be_visible()
    expect(account_nav.locator('form[action="/konto/logout/"] button')).to_be_visible()
    expect(page.get_by_text("ewa@example.org", exact=True)).to_be_visible()
    assert_accessible(page, f"dashboard ({language})")


@languages
def test_wrong_password_shows_an_error(new_page, make_user, assert_accessible, language):
    make_user("ewa@example.org", language=language)
    page = new_page(language)
    page.goto("/konto/login/")
    _fill_login_form(page, language, "ewa@example.org", "not-the-password")

    expect(page).to_have_url(re.compile(r"/konto/login/$"))
    error = page.locator("main form .errorlist")
    expect(error).to_be_visible()
    expect(error).to_have_text(WRONG_CREDENTIALS[language])
    # The e-mail typed is kept; the password is not sent back.
    expect(page.get_by_label(LABELS[language]["email"])).to_have_value("ewa@example.org")
    expect(page.get_by_label(LABELS[language]["password"])).to_have_value("")
    assert_accessible(page, f"login with an error ({language})")
