"""The language switcher and keyboard-only use of the page skeleton."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_language_switcher_changes_the_page_language_and_back(page):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "pl")

    page.locator("header").get_by_role("button", name="English", exact=True).click()
    expect(html).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/"
    switcher = page.locator("header form.lang-switch")
    expect(switcher.locator(".lang-current")).to_have_attribute("lang", "en")
    expect(switcher.get_by_role("button", name="English", exact=True)).to_have_count(0)
    # The choice is remembered in the language cookie, not only for one response.
    page.reload()
    expect(html).to_have_attribute("lang", "en")

    switcher.get_by_role("button", name="Polski", exact=True).click()
    expect(html).to_have_attribute("lang", "pl")
    expect(switcher.locator(".lang-current")).to_have_attribute("lang", "pl")
    expect(switcher.get_by_role("button", name="English", exact=True)).to_be_visible()


def test_language_switcher_keeps_the_current_page(page):
    page.goto("/deklaracja-dostepnosci/")
    page.locator("header").get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/deklaracja-dostepnosci/"


def test_keyboard_skip_link(page):
    page.goto("/")
    skip = page.locator("a.skip-link")
    # Hidden above the top edge until it gets focus.
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["width"] > 0 and box["height"] > 0

    page.keyboard.press("Enter")
    main = page.locator("main#main")
    expect(main).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
