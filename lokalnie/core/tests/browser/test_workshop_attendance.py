"""The attendance list on a phone (360 px) in a real browser: a tap marks the person and
only their row changes; with the connection gone the row says "not saved" and the mark
is sent again by itself when it is back; finding a person as you type; no WCAG
violations."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from lokalnie.training.models import Attendance

pytestmark = pytest.mark.browser


def test_marking_on_a_phone_survives_a_dropped_connection(
    new_page, live_server, transactional_db, assert_accessible
):
    from lokalnie.training.tests.test_attendance import held_edition

    edition, (first, second, third), coordinator = held_edition(
        first_day_ago=0, first_name="Grażyna"
    )
    client = Client()
    client.force_login(coordinator)
    page = new_page("pl", width=360, height=740)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/warsztaty/koordynacja/edycje/{edition.pk}/obecnosc/1/")
    assert_accessible(page, "lista obecności (360 px)")

    # A tap swaps just that row and the counts.
    row = page.locator(f"#person-{first.pk}")
    button = row.locator("button.attendance-yes")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    button.click()
    expect(page.locator(f"#person-{first.pk} button.attendance-yes")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#attendance-counts .count-present")).to_contain_text("1")
    assert Attendance.objects.get(registration=first).present

    # Offline: the row says it is not saved; back online, the mark goes through by itself.
    page.context.set_offline(True)
    page.locator(f"#person-{second.pk} button.attendance-no").click()
    expect(page.locator(f"#person-{second.pk} .attendance-retry")).to_be_visible()
    assert not Attendance.objects.filter(registration=second).exists()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(f"#person-{second.pk} button.attendance-no")).to_have_attribute(
        "aria-pressed", "true", timeout=15_000
    )
    expect(page.locator(f"#person-{second.pk} .attendance-retry")).to_be_hidden()
    assert Attendance.objects.get(registration=second).present is False

    # Find a person as you type (without Polish letters too).
    page.locator("#attendance-filter").fill(third.last_name.lower())
    expect(page.locator(f"#person-{third.pk}")).to_be_visible()
    expect(page.locator(f"#person-{first.pk}")).to_be_hidden()
    page.locator("#attendance-filter").fill("grazyna")
    expect(page.locator(".attendance-row:visible")).to_have_count(3)
    page.locator("#attendance-filter").fill("nikt taki")
    expect(page.locator("#attendance-no-match")).to_be_visible()
    assert_accessible(page, "lista obecności po oznaczeniach")
