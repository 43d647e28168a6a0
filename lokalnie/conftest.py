"""Fixtures shared by every app's tests."""

from __future__ import annotations

import itertools

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from lokalnie.accounts.models import Role
from lokalnie.accounts.services import role_grant
from lokalnie.institutions.models import Institution, Membership, TerytUnit

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    # Tasks run at once, inside the test (the worker is not needed).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        # Uploads made by tests go to a temporary directory, never to var/.
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("uploads"))},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def close_file(response) -> None:
    """Close the file a FileResponse streams. (Not ``response.close()``: that sends
    ``request_finished``, which closes the database connection under the test.)"""
    for closer in getattr(response, "_resource_closers", []):
        closer()
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()


def ensure_reference_data() -> None:
    """Re-create the data the migrations seed (areas of work, requirements, regulation):
    transactional tests flush the tables, so tests that need it call this (idempotent)."""
    import importlib

    from django.apps import apps

    for module in (
        "lokalnie.institutions.migrations.0002_areas_of_work",
        "lokalnie.certification.migrations.0002_seed_requirements_and_regulation",
        "lokalnie.certification.migrations.0005_seed_rubric",
    ):
        importlib.import_module(module).seed(apps, None)


def make_user(*, email=None, roles=(), language="pl", mfa=None, password="test-pass-123!"):
    """A verified user; roles that require MFA get a TOTP authenticator unless mfa=False."""
    email = email or f"user{next(_counter)}@example.org"
    user = get_user_model().objects.create_user(
        email=email,
        password=password,
        first_name="Test",
        last_name=email.split("@")[0],
        preferred_language=language,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        role_grant(user=user, role=role, by=None)
    needs_mfa = bool(set(roles) & {Role.STAFF, Role.BOARD, Role.COMMITTEE, Role.ASSESSOR})
    if mfa or (mfa is None and needs_mfa):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    return user


def make_gmina(code="1061011", name="Łódź") -> TerytUnit:
    """A small TERYT branch (voivodeship → powiat → gmina) without importing the file."""
    voivodeship, _ = TerytUnit.objects.get_or_create(
        code=code[:2],
        defaults={
            "level": "voivodeship",
            "name": "ŁÓDZKIE",
            "kind": "województwo",
            "search_name": "lodzkie",
            "valid_on": "2024-01-01",
        },
    )
    powiat, _ = TerytUnit.objects.get_or_create(
        code=code[:4],
        defaults={
            "level": "powiat",
            "name": name,
            "kind": "powiat",
            "parent": voivodeship,
            "search_name": "powiat",
            "valid_on": "2024-01-01",
        },
    )
    gmina, _ = TerytUnit.objects.get_or_create(
        code=code,
        defaults={
            "level": "gmina",
            "name": name,
            "kind": "gmina miejska",
            "gmina_type": "1",
            "parent": powiat,
            "search_name": name.lower(),
            "valid_on": "2024-01-01",
        },
    )
    return gmina


def make_institution(*, owner=None, members=(), name=None, gmina=None) -> Institution:
    institution = Institution.objects.create(
        name=name or f"Ośrodek Pomocy Społecznej nr {next(_counter)}",
        kind=Institution.Kind.OPS,
        street="ul. Piotrkowska 1",
        postal_code="90-001",
        city="Łódź",
        gmina=gmina or make_gmina(),
        search_name="osrodek",
    )
    if owner is not None:
        Membership.objects.create(institution=institution, user=owner, role=Membership.Role.OWNER)
    for member in members:
        Membership.objects.create(institution=institution, user=member, role=Membership.Role.MEMBER)
    from lokalnie.accounts.permissions import forget_cached_permissions

    for person in [owner, *members]:
        if person is not None:
            forget_cached_permissions(person)
    return institution


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture
def staff(db):
    return make_user(roles=[Role.STAFF])


@pytest.fixture
def teryt(db):
    """The full official register, imported as `make run` does."""
    from django.core.management import call_command

    call_command("import_teryt", verbosity=0)
