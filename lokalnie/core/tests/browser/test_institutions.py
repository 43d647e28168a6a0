"""Registering an institution: the form, the htmx gmina search, validation errors."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAME = "Miejski Ośrodek Pomocy Społecznej w Łodzi"
VALID = {
    "Full name": NAME,
    "Street and number": "ul. Piotrkowska 100",
    "Postal code": "90-926",
    "Town": "Łódź",
    "REGON": "725001231",
    "Contact e-mail": "mops@example.org",
}


def _fill(page, nip: str):
    """Fill the form by its (English) labels and pick Łódź through the gmina search."""
    for label, value in VALID.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("NIP").fill(nip)
    page.get_by_label("Type").select_option("ops")

    search = page.get_by_role("searchbox", name="Gmina")
    search.press_sequentially("lodz")
    # htmx swaps a radio list into #gmina-results (a live region announces the count).
    lodz = page.locator("#gmina-results").get_by_role(
        "radio", name=re.compile(r"^Łódź — gmina miejska")
    )
    expect(lodz).to_be_visible()
    expect(page.locator("#gmina-results fieldset legend")).to_be_visible()
    lodz.check()
    expect(lodz).to_be_checked()


def test_register_an_institution(logged_in_page, teryt, assert_accessible):
    page = logged_in_page("en")
    page.goto("/instytucje/nowa/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, "empty institution form")

    _fill(page, nip="725-001-23-44")
    assert_accessible(page, "institution form with gmina results")
    page.get_by_role("button", name="Register the institution").click()

    expect(page).to_have_url(re.compile(r"/instytucje/\d+/$"))
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("main .messages[role=status]")).to_be_visible()
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text("Łódź")
    expect(facts).to_contain_text("gmina miejska")
    expect(facts).to_contain_text("1061011")  # the TERYT code of the urban gmina
    expect(facts).to_contain_text("7250012344")  # NIP stored without dashes
    assert_accessible(page, "institution detail")


def test_invalid_nip_is_explained_next_to_the_field(logged_in_page, teryt, assert_accessible):
    page = logged_in_page("en")
    page.goto("/instytucje/nowa/")
    _fill(page, nip="1234567890")
    page.get_by_role("button", name="Register the institution").click()

    expect(page).to_have_url(re.compile(r"/instytucje/nowa/$"))
    # The error summary at the top links to the field.
    summary = page.locator("main .error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_nip"]')).to_have_count(1)

    # The message sits in the NIP field's own box and is tied to the input.
    nip = page.get_by_label("NIP")
    field = page.locator(".field", has=page.locator("#id_nip"))
    error = field.locator("#id_nip_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("check digit")
    expect(nip).to_have_attribute("aria-invalid", "true")
    expect(nip).to_have_attribute("aria-describedby", re.compile(r"\bid_nip_error\b"))
    expect(nip).to_have_value("1234567890")

    # Everything else typed is still there, including the chosen gmina.
    for label, value in VALID.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("Type")).to_have_value("ops")
    expect(page.get_by_role("searchbox", name="Gmina")).to_have_value("lodz")
    expect(
        page.locator("#gmina-results").get_by_role("radio", name=re.compile(r"^Łódź — gmina"))
    ).to_be_checked()
    # No other field is marked as wrong.
    expect(page.locator("main .errorlist")).to_have_count(1)
    assert_accessible(page, "institution form with a NIP error")


def test_institution_form_in_polish(logged_in_page, teryt, assert_accessible):
    """The same form in Polish: language, structure and axe (labels are not looked up by
    text, since the Polish catalogue is still being written)."""
    page = logged_in_page("pl")
    page.goto("/instytucje/nowa/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("h1")).to_have_count(1)
    page.locator("#id_gmina_query").press_sequentially("lodz")
    expect(page.locator("#gmina-results input[type=radio][value='1061011']")).to_be_visible()
    assert_accessible(page, "institution form (pl)")


def test_logged_in_pages_fit_a_360px_phone(logged_in_page, teryt):
    page = logged_in_page("pl", width=360)
    pages = {"dashboard": "/pulpit/", "institution form": "/instytucje/nowa/"}
    for what, path in pages.items():
        page.goto(path)
        if path == "/instytucje/nowa/":
            # The longest content: gmina search results with their full descriptions.
            page.locator("#id_gmina_query").press_sequentially("wola")
            expect(page.locator("#gmina-results input[type=radio]").first).to_be_visible()
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= 360, f"{what} scrolls sideways at 360 px ({scroll_width} px)"
