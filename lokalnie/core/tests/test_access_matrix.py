"""Every URL pattern × every role → the expected outcome.

Adding a URL without adding its row here fails ``test_every_url_has_a_row``. Outcomes:
200 (page shown), LOGIN (sent to the login page), REDIRECT (sent elsewhere, e.g. after
a POST or because the page does not apply), 403 (signed in but not allowed), 404 (the
object is not visible to this person — ids reveal nothing), 405 (wrong method).

The Django admin (``admin:*``, about a hundred generated patterns) is covered by one rule,
``ADMIN_URLS``: only accounts with ``is_staff`` get in; everyone else is sent to the
admin login. It is checked on the index and on every model's changelist.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

import lokalnie
from lokalnie.accounts.models import Role
from lokalnie.conftest import close_file, make_institution, make_user
from lokalnie.core.tests.access import (
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    Row,
    by_totp,
    everyone,
    institution_private,
    signed_in,
)
from lokalnie.institutions.models import Invitation, Membership

ROWS: dict[str, Row] = {
    # --- public pages -----------------------------------------------------------------
    "core:home": Row(outcomes=everyone(OK)),
    "core:module": Row(args=("dobre-praktyki",), outcomes=everyone(OK)),
    "core:accessibility": Row(outcomes=everyone(OK)),
    "core:privacy": Row(outcomes=everyone(OK)),
    "core:privacy_pdf": Row(outcomes=everyone(OK)),
    "core:health": Row(outcomes=everyone(OK)),
    "core:set_language": Row(
        method="post", data={"language": "en", "next": "/"}, outcomes=everyone(REDIRECT)
    ),
    "institutions:gmina_search": Row(outcomes=everyone(OK)),
    # --- staff ------------------------------------------------------------------------------
    "core:audit_log": Row(outcomes={**signed_in(403), "board": OK, "staff": OK}),
    # --- one's own account -------------------------------------------------------------------
    "accounts:dashboard": Row(outcomes=signed_in(OK)),
    "accounts:profile": Row(outcomes=signed_in(OK)),
    # --- institutions ------------------------------------------------------------------------
    "institutions:list": Row(outcomes=signed_in(OK)),
    "institutions:create": Row(outcomes=signed_in(OK)),
    "institutions:detail": Row(
        args=("institution",), outcomes=institution_private(member=OK, owner=OK, staff=OK)
    ),
    "institutions:edit": Row(
        args=("institution",), outcomes=institution_private(member=403, owner=OK, staff=OK)
    ),
    "institutions:members": Row(
        args=("institution",), outcomes=institution_private(member=OK, owner=OK, staff=OK)
    ),
    "institutions:invitation_revoke": Row(
        method="post",
        args=("institution", "invitation"),
        outcomes=institution_private(member=403, owner=REDIRECT, staff=REDIRECT),
    ),
    "institutions:membership_remove": Row(
        method="post",
        args=("institution", "colleague_membership"),
        outcomes=institution_private(member=403, owner=REDIRECT, staff=REDIRECT),
    ),
    # The invitation page opens for any signed-in person and explains whom it is for.
    "institutions:invitation": Row(args=("invitation_token",), outcomes=signed_in(OK)),
    # --- allauth: sign-in, sign-up, password ---------------------------------------------
    "account_login": Row(outcomes=signed_in(REDIRECT, anonymous=OK)),
    "account_signup": Row(outcomes=signed_in(REDIRECT, anonymous=OK)),
    "account_logout": Row(outcomes=signed_in(OK, anonymous=REDIRECT)),
    "account_inactive": Row(outcomes=everyone(OK)),
    "account_reauthenticate": Row(outcomes=signed_in(OK)),
    "account_email": Row(outcomes=signed_in(OK)),
    "account_email_verification_sent": Row(outcomes=everyone(OK)),
    "account_confirm_email": Row(args=("not-a-valid-key",), outcomes=everyone(OK)),
    "account_change_password": Row(outcomes=signed_in(OK)),
    "account_set_password": Row(outcomes=signed_in(REDIRECT)),  # they have a password
    "account_reset_password": Row(outcomes=everyone(OK)),
    "account_reset_password_done": Row(outcomes=everyone(OK)),
    "account_reset_password_from_key": Row(args=("1", "not-a-valid-key"), outcomes=everyone(OK)),
    "account_reset_password_from_key_done": Row(outcomes=everyone(OK)),
    # Login by code is not enabled: without a pending code login there is nothing to confirm.
    "account_confirm_login_code": Row(outcomes=signed_in(REDIRECT)),
    # --- allauth: two-factor authentication ------------------------------------------------
    "mfa_index": Row(outcomes=signed_in(OK)),
    # Only during a login that waits for the second factor.
    "mfa_authenticate": Row(outcomes=signed_in(REDIRECT)),
    # Confirming with the second factor exists only for accounts that have one.
    "mfa_reauthenticate": Row(outcomes=by_totp(with_totp=OK, without_totp=REDIRECT)),
    # Setting up TOTP first asks for the password again (a recent login).
    "mfa_activate_totp": Row(outcomes=signed_in(REDIRECT)),
    "mfa_deactivate_totp": Row(outcomes=by_totp(with_totp=REDIRECT, without_totp=404)),
    # Nobody in this world has generated recovery codes yet.
    "mfa_view_recovery_codes": Row(outcomes=signed_in(404)),
    "mfa_generate_recovery_codes": Row(outcomes=signed_in(REDIRECT)),
    "mfa_download_recovery_codes": Row(outcomes=signed_in(404)),
}


def _app_row_modules():
    for app in pkgutil.iter_modules(lokalnie.__path__):
        if not app.ispkg:
            continue
        name = f"lokalnie.{app.name}.tests.access_rows"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not name.startswith(exc.name or "-"):
                raise


APP_ROW_MODULES = list(_app_row_modules())
for _module in APP_ROW_MODULES:
    _duplicates = set(_module.ROWS) & set(ROWS)
    assert not _duplicates, f"{_module.__name__} repeats rows: {_duplicates}"
    ROWS.update(_module.ROWS)

ADMIN_URLS = "admin:"


def all_url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from all_url_names(pattern.url_patterns, inner)
        else:
            yield namespace + (pattern.name or f"<unnamed {pattern.pattern}>")


def test_every_url_has_a_row():
    names = {name for name in all_url_names() if not name.startswith(ADMIN_URLS)}
    missing = sorted(names - set(ROWS))
    assert not missing, f"URL patterns without an access-matrix row: {missing}"
    stale = sorted(set(ROWS) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    for name, row in ROWS.items():
        assert set(row.outcomes) == set(ROLES), f"{name}: every role needs an outcome"


@pytest.fixture
def world(db):
    owner, member, colleague = make_user(), make_user(), make_user()
    other_owner = make_user()
    institution = make_institution(owner=owner, members=[member, colleague])
    make_institution(owner=other_owner)
    invitation = Invitation.objects.create(
        institution=institution, email="invitee@example.org", invited_by=owner
    )
    users = {
        "anonymous": None,
        "other_member": other_owner,
        "member": member,
        "owner": owner,
        "assessor": make_user(roles=[Role.ASSESSOR]),
        "committee": make_user(roles=[Role.COMMITTEE]),
        "board": make_user(roles=[Role.BOARD]),
        "trainer": make_user(roles=[Role.TRAINER]),
        "staff": make_user(roles=[Role.STAFF]),
    }
    world = {
        "users": users,
        "institution": institution.pk,
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "colleague_membership": Membership.objects.get(user=colleague).pk,
    }
    for module in APP_ROW_MODULES:
        if hasattr(module, "extend_world"):
            before = {key: value for key, value in world.items() if key != "users"}
            module.extend_world(world)
            # An app that overwrote another's key would point that app's rows at the wrong
            # objects (and pass by chance where primary keys happen to coincide).
            changed = [key for key, value in before.items() if world[key] != value]
            assert not changed, f"{module.__name__} overwrites world keys: {changed}"
    return world


def outcome_of(response):
    if response.status_code in (301, 302):
        login_url = reverse("account_login")
        return LOGIN if response.url.startswith(login_url) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_access(client, world, name, role):
    row = ROWS[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    args = tuple(world.get(arg, arg) for arg in row.args)
    url = reverse(name, args=args)
    response = getattr(client, row.method)(url, row.data or {})
    close_file(response)  # a streamed file stays open until closed
    assert outcome_of(response) == row.outcomes[role], (
        f"{row.method.upper()} {url} as {role}: got {response.status_code} "
        f"{getattr(response, 'url', '')}"
    )
    if row.method == "post":
        # A POST-only action refuses GET for everyone allowed to reach it.
        assert client.get(url).status_code in {405, 302, 404}


def _admin_urls():
    yield reverse("admin:index")
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_accounts_with_is_staff(client, world, role):
    user = world["users"][role]
    if user is not None:
        if role == "staff":
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        client.force_login(user)
    for url in _admin_urls():
        response = client.get(url)
        if role == "staff":
            assert response.status_code in {200, 403}, url  # 403: no model permission
        else:
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url
