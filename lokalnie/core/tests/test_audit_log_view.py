import pytest
from django.urls import reverse

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_staff_filter_the_log_by_action_and_actor(client):
    staff = make_user(roles=[Role.STAFF])
    someone = make_user(email="someone@example.org")
    audit_record(actor=someone, action="institution.created")
    audit_record(actor=staff, action="role.granted")
    client.force_login(staff)
    url = reverse("core:audit_log")
    page = client.get(url, {"action": "institution.created"}).content.decode()
    assert "someone@example.org" in page
    assert "role.granted</code>" not in page
    page = client.get(url, {"actor": "someone@"}).content.decode()
    assert "institution.created</code>" in page
    assert "role.granted</code>" not in page


def test_bad_date_filter_says_what_is_wrong(client, staff):
    client.force_login(staff)
    response = client.get(
        reverse("core:audit_log"), {"date_from": "21.11.2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "is not a date; use YYYY-MM-DD" in response.content.decode()


def test_board_may_read_the_log_but_members_may_not(client):
    client.force_login(make_user(roles=[Role.BOARD]))
    assert client.get(reverse("core:audit_log")).status_code == 200
    client.force_login(make_user())
    assert client.get(reverse("core:audit_log")).status_code == 403
