"""Public pages in Polish and English: axe-core, language, headings, skip link, language
switcher, and no sideways scrolling on a 360 px wide phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {
    "home": ("/", 200),
    "module-certificate": ("/modul/certyfikat/", 200),
    "revitalization": ("/rewitalizacja/", 200),
    "workshops": ("/warsztaty/", 200),
    "module-good-practices": ("/modul/dobre-praktyki/", 200),
    "accessibility-statement": ("/deklaracja-dostepnosci/", 200),
    "privacy": ("/polityka-prywatnosci/", 200),
    "login": ("/konto/login/", 200),
    "signup": ("/konto/signup/", 200),
    "password-reset": ("/konto/password/reset/", 200),
    "not-found": ("/nie-ma-takiej-strony/", 404),
}
OTHER_LANGUAGE = {"pl": ("en", "English"), "en": ("pl", "Polski")}

pages = pytest.mark.parametrize("path,status", PAGES.values(), ids=PAGES.keys())
languages = pytest.mark.parametrize("language", ["pl", "en"])


@languages
@pages
def test_page_is_accessible(new_page, assert_accessible, language, path, status):
    page = new_page(language)
    response = page.goto(path)
    assert response.status == status

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)

    # The switcher offers the other language as a button; the current one is not a link.
    switcher = page.locator("header form.lang-switch")
    other_code, other_name = OTHER_LANGUAGE[language]
    button = switcher.get_by_role("button", name=other_name, exact=True)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("lang", other_code)
    expect(switcher.locator(".lang-current")).to_have_attribute("lang", language)

    # The skip link is the first thing the keyboard reaches and moves focus to <main>.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    assert_accessible(page, f"{path} ({language})")


@languages
@pages
def test_page_fits_a_360px_phone(new_page, language, path, status):
    page = new_page(language, width=360, height=740)
    response = page.goto(path)
    assert response.status == status
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= 360, (
        f"{path} ({language}) scrolls sideways at 360 px: scrollWidth={widths['scroll']}; "
        f"widest elements: {_widest(page)}"
    )


def _widest(page) -> list[str]:
    """The elements that stick out furthest to the right (for the failure message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .map(e => [e.getBoundingClientRect().right, e])
            .filter(([right]) => right > 360)
            .sort((a, b) => b[0] - a[0]).slice(0, 5)
            .map(([right, e]) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
                 + `${e.className && typeof e.className === 'string'
                      ? '.' + e.className.trim().split(/\\s+/).join('.') : ''}`
                 + ` right=${Math.round(right)}`)"""
    )
