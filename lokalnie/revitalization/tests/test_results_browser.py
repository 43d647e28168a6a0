"""The results framework's pages through axe-core (WCAG 2.0/2.1 A and AA), in Polish and
English, at 1280 and 360 px, as the coordinator sees them (every form and decision shown);
and the breakdown grid's running sums.

Uses the browser helpers of ``lokalnie/core/tests/browser`` with fixtures scoped to this
module (the ORM is used only to arrange data before the browser acts)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from lokalnie.conftest import make_user
from lokalnie.core.tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCALES,
    axe_violations,
    format_violations,
)
from lokalnie.revitalization.models import Measurement
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_results import (
    make_evidence,
    make_indicator,
    make_measurement,
    make_period,
    make_target,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests cannot run in CI: no Chromium at {CHROMIUM}")
        pytest.skip(f"Browser tests skipped: no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
        finally:
            playwright.stop()


@pytest.fixture
def world(transactional_db):
    coordinator = make_user(email="koordynatorka@example.org")
    programme = make_programme(coordinator=coordinator, title="Program rewitalizacji Śródmieścia")
    indicator = make_indicator(
        programme,
        code="W1",
        name="Uczestnicy klubu integracji społecznej",
        breakdowns=["sex", "age_group"],
        baseline_value=25,
        baseline_year=2024,
        baseline_provenance={"source": "typed", "reference": "Sprawozdanie MOPS 2024"},
    )
    share = make_indicator(
        programme,
        code="W2",
        name="Odsetek uczestników, którzy podjęli pracę",
        kind="percentage",
        unit_label="",
        breakdowns=["sex"],
    )
    done, current = make_period(programme, 2025), make_period(programme, 2026)
    make_period(programme, 2024, locked=True)
    for item, value in ((indicator, 40), (share, 30)):
        make_target(item, done, value)
        make_target(item, current, value + 5)
    make_measurement(indicator, done, value=38, status=Measurement.Status.APPROVED)
    submitted = make_measurement(
        indicator,
        current,
        value=30,
        status=Measurement.Status.SUBMITTED,
        explanation="Remont świetlicy przez pół roku.",
        breakdown={
            ("sex", "female"): 18,
            ("sex", "male"): 12,
            ("age_group", "0-17"): 5,
            ("age_group", "18-29"): 10,
            ("age_group", "30-64"): 10,
            ("age_group", "65+"): 5,
        },
    )
    make_evidence(submitted)
    return {
        "coordinator": coordinator,
        "programme": programme,
        "indicator": indicator,
        "share": share,
        "done": done,
        "current": current,
    }


def signed_in_page(browser, live_server, user, language, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": width, "height": 800}, base_url=live_server.url
    )
    context.set_default_timeout(30_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_results_pages_are_accessible(browser, live_server, world, language, width):
    context, page = signed_in_page(browser, live_server, world["coordinator"], language, width)
    base = f"/rewitalizacja/programy/{world['programme'].pk}/rezultaty/"
    indicator, share = world["indicator"].pk, world["share"].pk
    paths = [
        base,
        f"{base}wskazniki/nowy/",
        f"{base}wskazniki/{indicator}/",
        f"{base}wskazniki/{indicator}/edycja/",
        f"{base}wskazniki/{indicator}/cele/",
        f"{base}wskazniki/{indicator}/okresy/{world['done'].pk}/",  # approved: read-only
        f"{base}wskazniki/{indicator}/okresy/{world['current'].pk}/",  # submitted: decisions
        f"{base}wskazniki/{share}/okresy/{world['current'].pk}/",  # a form with the grid
        f"{base}okresy/",
        f"{base}do-zatwierdzenia/",
    ]
    try:
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            violations = axe_violations(page)
            assert not violations, f"{path} ({language}, {width}px):\n" + format_violations(
                violations
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()


def test_the_breakdown_grid_shows_its_running_sums(browser, live_server, world):
    context, page = signed_in_page(browser, live_server, world["coordinator"], "en", 1280)
    try:
        base = f"/rewitalizacja/programy/{world['programme'].pk}/rezultaty/"
        page.goto(f"{base}wskazniki/{world['share'].pk}/okresy/{world['current'].pk}/")
        page.fill("#id_numerator", "10")
        page.fill("#id_denominator", "40")
        page.fill("#id_bd_sex_female", "6")
        page.fill("#id_bd_sex_male", "3")
        page.fill("#id_bdd_sex_female", "20")
        page.fill("#id_bdd_sex_male", "20")
        summary = page.locator(".breakdown-grid[data-dimension=sex] .breakdown-sum")
        assert summary.text_content() == "Σ 9 / 10 ≠ · Σ 40 / 40 ✓"
    finally:
        context.close()
