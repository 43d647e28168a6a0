"""Object-level access: nobody reaches another institution's pages by changing an id."""

import pytest
from django.urls import reverse

from lokalnie.conftest import make_institution, make_user
from lokalnie.institutions.models import Membership
from lokalnie.institutions.services import invitation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    owner, member, stranger = make_user(), make_user(), make_user()
    institution = make_institution(owner=owner, members=[member])
    make_institution(owner=stranger)
    return owner, member, stranger, institution


@pytest.mark.parametrize("name", ["detail", "edit", "members"])
def test_other_institutions_pages_are_not_found(client, setup, name):
    _owner, _member, stranger, institution = setup
    client.force_login(stranger)
    assert client.get(reverse(f"institutions:{name}", args=[institution.pk])).status_code == 404


def test_member_can_read_but_not_edit(client, setup):
    _owner, member, _stranger, institution = setup
    client.force_login(member)
    assert client.get(reverse("institutions:detail", args=[institution.pk])).status_code == 200
    assert client.get(reverse("institutions:edit", args=[institution.pk])).status_code == 403
    response = client.post(
        reverse("institutions:members", args=[institution.pk]),
        {"email": "x@example.org", "role": "member"},
    )
    assert response.status_code == 403


def test_stranger_cannot_remove_members_by_guessing_ids(client, setup):
    owner, _member, stranger, institution = setup
    client.force_login(stranger)
    membership = Membership.objects.get(user=owner, institution=institution)
    url = reverse("institutions:membership_remove", args=[institution.pk, membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_owner_invites_through_the_page(client, setup):
    owner, _member, _stranger, institution = setup
    client.force_login(owner)
    response = client.post(
        reverse("institutions:members", args=[institution.pk]),
        {"email": "nowy@example.org", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = client.get(reverse("institutions:members", args=[institution.pk])).content.decode()
    assert "nowy@example.org" in page


def test_duplicate_invitation_error_is_shown_on_the_email_field(client, setup):
    owner, _member, _stranger, institution = setup
    invitation_create(institution=institution, email="nowy@example.org", role="member", by=owner)
    client.force_login(owner)
    response = client.post(
        reverse("institutions:members", args=[institution.pk]),
        {"email": "nowy@example.org", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already waiting to be accepted" in response.content.decode()


def test_invitation_page_for_the_wrong_account_explains(client, setup):
    owner, _member, stranger, institution = setup
    invitation = invitation_create(
        institution=institution, email="nowy@example.org", role="member", by=owner
    )
    client.force_login(stranger)
    url = reverse("institutions:invitation", args=[invitation.token])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with that address to accept it" in page
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Membership.objects.filter(user=stranger, institution=institution).exists()


def test_accepting_an_invitation_through_the_page(client, setup):
    owner, _member, _stranger, institution = setup
    newcomer = make_user(email="nowy@example.org")
    invitation = invitation_create(
        institution=institution, email="nowy@example.org", role="member", by=owner
    )
    client.force_login(newcomer)
    response = client.post(reverse("institutions:invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, institution=institution).exists()
