import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from lokalnie.accounts.models import Role, User
from lokalnie.accounts.services import PRIVACY_NOTICE_VERSION
from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def signup(client, language="pl", **overrides):
    data = {
        "first_name": "Ewa",
        "last_name": "Kamińska",
        "email": "ewa@example.org",
        "password1": "Dobre-haslo-2026",
        "password2": "Dobre-haslo-2026",
        "privacy": "on",
        **overrides,
    }
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)


def test_signup_sends_verification_email_through_the_outbox_in_the_users_language(client):
    response = signup(client, language="en")
    assert response.status_code == 302
    user = User.objects.get(email="ewa@example.org")
    assert user.preferred_language == "en"
    assert user.first_name == "Ewa"
    assert user.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert AuditEntry.objects.filter(action="user.privacy_notice_accepted").exists()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_signup_in_polish_sends_the_email_in_polish(client):
    signup(client, language="pl")
    assert User.objects.get(email="ewa@example.org").preferred_language == "pl"
    message = mail.outbox[0]
    assert message.subject.startswith("[Lokalnie] ")
    assert "potwierd" in message.subject.lower()
    assert "Lokalnie" in message.body and "testserver!" not in message.body


def test_signup_without_privacy_consent_keeps_the_typed_data(client):
    response = signup(client, language="en", privacy="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please confirm that you have read the privacy notice." in page
    assert 'value="ewa@example.org"' in page and 'value="Kamińska"' in page
    assert not User.objects.exists()


def test_unverified_account_cannot_log_in(client):
    signup(client)
    response = client.post(
        reverse("account_login"), {"login": "ewa@example.org", "password": "Dobre-haslo-2026"}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_login_sets_the_preferred_language(client):
    make_user(email="jan@example.org", language="en", password="Haslo-123456")
    response = client.post(
        reverse("account_login"),
        {"login": "jan@example.org", "password": "Haslo-123456"},
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert response.url == reverse("accounts:dashboard")


def test_failed_logins_are_throttled(client):
    make_user(email="jan@example.org", password="Haslo-123456")
    pages = [
        client.post(
            reverse("account_login"),
            {"login": "jan@example.org", "password": "zle"},
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
        for _ in range(6)
    ]
    assert all("Too many failed login attempts" not in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password is refused while throttled.
    response = client.post(
        reverse("account_login"),
        {"login": "jan@example.org", "password": "Haslo-123456"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_in_the_users_language(client):
    make_user(email="jan@example.org", language="en")
    response = client.post(
        reverse("account_reset_password"), {"email": "jan@example.org"}, HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Password Reset" in mail.outbox[0].subject
    assert "/konto/password/reset/key/" in mail.outbox[0].body


def assert_totp_setup_reachable(client):
    """The TOTP setup page opens (after allauth asks to confirm the password), and the
    MFA middleware does not send the person round in a loop."""
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_reauthenticate"))
        response = client.get(response.url)
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.COMMITTEE, Role.ASSESSOR])
def test_privileged_roles_must_set_up_mfa_first(client, role):
    user = make_user(roles=[role], mfa=False)
    client.force_login(user)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert_totp_setup_reachable(client)


def test_privileged_role_with_mfa_gets_through(client):
    client.force_login(make_user(roles=[Role.STAFF], mfa=True))
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.parametrize("roles", [[], [Role.TRAINER]])
def test_mfa_is_available_but_optional_for_other_people(client, roles):
    client.force_login(make_user(roles=roles, mfa=False))
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert_totp_setup_reachable(client)


def test_profile_changes_are_saved_and_audited(client):
    user = make_user(language="pl")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Ala", "last_name": "Nowak", "language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.preferred_language) == ("Ala", "en")
    entry = AuditEntry.objects.get(action="user.profile_updated")
    assert entry.data["preferred_language"] == ["pl", "en"]


def test_signup_and_email_confirmation_are_audited(client):
    import re

    signup(client, language="en")
    user = User.objects.get(email="ewa@example.org")
    link = re.search(r"http://testserver(/konto/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    actions = set(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"user.signed_up", "user.privacy_notice_accepted", "user.email_confirmed"} <= actions


def test_password_change_is_audited(client):
    user = make_user(email="jan@example.org", password="Haslo-123456")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "Haslo-123456",
            "password1": "Nowe-haslo-2026",
            "password2": "Nowe-haslo-2026",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="user.password_changed", actor=user).exists()
