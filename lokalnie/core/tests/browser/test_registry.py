"""The public certificate registry in a browser: the list with its search, an institution's
page, the verification page (what the QR code opens), the credential check and the map,
in Polish and English: axe-core finds nothing and nothing scrolls sideways at 360 px."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LANGUAGES = ["pl", "en"]


@pytest.fixture
def certificate(transactional_db):
    """A certified institution in Łódź, plus a suspended certificate elsewhere, issued through
    the registry's services."""
    from lokalnie.conftest import ensure_reference_data, make_institution, make_user
    from lokalnie.registry import services
    from lokalnie.registry.tests.factories import committee_member, issue_certificate

    ensure_reference_data()
    owner = make_user()
    institution = make_institution(
        owner=owner, name="Miejski Ośrodek Pomocy Społecznej w Łodzi — Centrum „Źródło”"
    )
    certificate = issue_certificate(institution=institution, owner=owner)
    other = issue_certificate(name="Dom Kultury „Zorza” w Zgierzu")
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=other, by=committee, charges="Zarzut na piśmie."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="Powody."
    )
    return certificate


def pages(certificate):
    return {
        "registry": "/certyfikat/rejestr/",
        "registry-search": "/certyfikat/rejestr/?q=lodz&status=valid",
        "institution": f"/certyfikat/rejestr/instytucja/{certificate.institution_id}/",
        "verification": f"/certyfikat/weryfikacja/{certificate.slug}/",
        "verify-form": "/certyfikat/weryfikacja/",
        "open-data": "/certyfikat/rejestr/otwarte-dane/",
        "map": "/certyfikat/rejestr/mapa/",
    }


def fits_360(page, what):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= 360, f"{what} scrolls sideways at 360 px: {widths}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_registry_pages_are_accessible_and_fit_a_phone(
    new_page, assert_accessible, certificate, language
):
    for name, path in pages(certificate).items():
        for width in (1280, 360):
            page = new_page(language, width=width, height=800)
            response = page.goto(path)
            assert response.status == 200, path
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.locator("h1")).to_have_count(1)
            if name == "map":
                expect(page.locator("#registry-map")).to_be_visible()  # the enhancement ran
            assert_accessible(page, f"{path} ({language}, {width} px)")
            if width == 360:
                fits_360(page, f"{path} ({language})")


def test_search_ignores_polish_diacritics(page, certificate):
    page.goto("/certyfikat/rejestr/")
    page.locator("#q").fill("zrodlo")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator(".registry-list > li")).to_have_count(1)
    page.locator(".registry-list h3 a").click()
    expect(page.locator("h1")).to_contain_text("Centrum „Źródło”")
    page.get_by_role("link", name=certificate.number).first.click()
    expect(page.locator(".verdict")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_number_and_bad_credential_are_explained(
    new_page, assert_accessible, certificate, language
):
    page = new_page(language, width=360)
    response = page.goto("/certyfikat/weryfikacja/CAL-1999-0001/")
    assert response.status == 404
    assert_accessible(page, f"unknown certificate ({language})")
    fits_360(page, "unknown certificate")

    page.goto("/certyfikat/weryfikacja/")
    page.locator("#id_token").fill("eyJ0eXAiOiJKV1QifQ.e30.nie-podpis")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#result")).to_be_visible()
    assert_accessible(page, f"verification of a bad credential ({language})")
    fits_360(page, "verification of a bad credential")

    page.locator("#id_token").fill(certificate.credential_jws)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#result.verdict-valid")).to_be_visible()
    assert_accessible(page, f"verification of a valid credential ({language})")
    fits_360(page, "verification of a valid credential")
