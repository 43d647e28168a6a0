"""Signed-in pages of every role through axe, in Polish and English, also at 360 px.

The session is created server-side (the login form itself is covered in test_login.py),
so that accounts with a required second factor can be checked without typing codes."""

import pytest
from django.conf import settings
from django.test import Client

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_institution
from lokalnie.conftest import make_user as make_account
from lokalnie.core.audit import audit_record

pytestmark = pytest.mark.browser


def signed_in_page(new_page, live_server, user, language, width=1280):
    client = Client()
    client.force_login(user)
    page = new_page(language, width=width)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.fixture
def world(transactional_db):
    owner = make_account(email="wlasciciel@example.org")
    staff = make_account(email="personel@example.org", roles=[Role.STAFF])
    institution = make_institution(owner=owner, name="Miejski Ośrodek Pomocy Społecznej")
    audit_record(actor=owner, action="institution.created", obj=institution)
    return {"owner": owner, "staff": staff, "institution": institution}


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_owner_pages_are_accessible(
    new_page, live_server, world, assert_accessible, language, width
):
    page = signed_in_page(new_page, live_server, world["owner"], language, width)
    pk = world["institution"].pk
    for path in [
        "/pulpit/",
        "/profil/",
        "/instytucje/",
        f"/instytucje/{pk}/",
        f"/instytucje/{pk}/edycja/",
        f"/instytucje/{pk}/czlonkowie/",
        "/konto/2fa/",
        "/konto/password/change/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, f"{path} ({language}, {width}px)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


@pytest.mark.parametrize("language", ["pl", "en"])
def test_staff_audit_log_is_accessible(new_page, live_server, world, assert_accessible, language):
    page = signed_in_page(new_page, live_server, world["staff"], language)
    response = page.goto("/dziennik-zdarzen/?action=institution.created")
    assert response.status == 200
    assert page.locator("table tbody tr").count() == 1
    assert_accessible(page, f"audit log ({language})")
    narrow = signed_in_page(new_page, live_server, world["staff"], language, width=360)
    narrow.goto("/dziennik-zdarzen/")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 360
