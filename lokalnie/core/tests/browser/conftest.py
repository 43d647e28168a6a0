"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Playwright's sync API keeps an asyncio event loop running in the main thread while it is
started, and Django refuses ORM calls from a thread with a running loop
(SynchronousOnlyOperation). The tests use the ORM only to arrange data before the browser
acts, so ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, but only while this package runs: the
browser (and with it the loop) lives for this package, and the variable is removed again
afterwards, so it neither reaches other tests nor the ``manage.py`` subprocesses they
start (``check --deploy`` rightly fails with it set, async.E001).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LOKALNIE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = "Korale-Sosnowe-2931"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCALES = {"pl": "pl-PL", "en": "en-US"}


def _unavailable(reason: str):
    """No browser: a failure in CI (the browser suite must run there), a skip locally."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason} (install Debian's chromium package)")


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    """Headless Chromium for this package; Playwright is stopped after its last test."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium executable at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright is not installed ({exc})")
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except Exception as exc:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Factory for pages, each in a fresh browser context (own cookies):
    ``new_page("en")``, ``new_page("pl", width=360)``."""
    contexts = []

    def make(language: str = "pl", *, width: int = 1280, height: int = 800):
        context = browser.new_context(
            locale=LOCALES[language],
            viewport={"width": width, "height": height},
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        # A form post may do real work (signing, PDFs, e-mails with the Immediate task
        # backend); on a loaded two-core CI machine that has taken over 10 s.
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A Polish page (Accept-Language pl-PL) in a fresh context, 1280 × 800."""
    return new_page("pl")


@pytest.fixture
def teryt(transactional_db):
    """The TERYT register (4,332 units) from the repository copy. The live-server
    database is flushed after every test, so tests that need gminas import it."""
    from django.core.management import call_command

    call_command("import_teryt", verbosity=0)


@pytest.fixture
def password():
    """The password every ``make_user`` user has."""
    return PASSWORD


@pytest.fixture
def make_user(transactional_db):
    """Factory: a plain user (no platform role, so no forced MFA) with a verified e-mail.
    ``language`` is the preferred language; logging in switches the pages to it."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    # Failed-login throttling (allauth, per IP and per e-mail) is counted in the cache,
    # which outlives a test; start every login journey with clean counters.
    cache.clear()

    def make(email: str = "anna@example.org", *, language: str = "pl"):
        user = get_user_model().objects.create_user(
            email=email, password=PASSWORD, preferred_language=language
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def logged_in_page(new_page, make_user):
    """Factory: a page whose context is logged in (through the login form) as a new plain
    user whose preferred language is ``language``."""

    def make(language: str = "pl", *, email: str = "anna@example.org", width: int = 1280):
        make_user(email, language=language)
        page = new_page(language, width=width)
        page.goto("/konto/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/pulpit/")
        return page

    return make


# --- axe-core ------------------------------------------------------------------------


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    * {target}\n      {node.get('html', '').strip()[:300]}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.response["violations"]


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing."""

    def check(page, what: str = ""):
        violations = axe_violations(page)
        where = what or page.url
        assert not violations, (
            f"axe found {len(violations)} WCAG violation(s) on {where}:\n"
            + format_violations(violations)
        )

    return check
