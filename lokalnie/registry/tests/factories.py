"""Certificates for tests: a granted application (status set directly, as if the
Committee had decided) and the certificate issued from it through the service."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from lokalnie.accounts.models import Role
from lokalnie.certification.models import Application
from lokalnie.certification.tests.factories import SOCIAL, make_application
from lokalnie.conftest import make_gmina, make_institution, make_user
from lokalnie.registry.models import Certificate
from lokalnie.registry.services import certificate_issue


def granted_application(*, institution, by, slug: str = SOCIAL) -> Application:
    application = make_application(institution=institution, by=by, slug=slug, complete=False)
    Application.objects.filter(pk=application.pk).update(status="granted")
    application.refresh_from_db()
    return application


def committee_member():
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(role_assignments__role=Role.COMMITTEE).first()
    return existing or make_user(roles=[Role.COMMITTEE])


def issue_certificate(
    *, institution=None, owner=None, slug: str = SOCIAL, by=None, name=None, gmina=None
) -> Certificate:
    if institution is None:
        owner = owner or make_user()
        institution = make_institution(owner=owner, name=name, gmina=gmina)
    else:
        owner = owner or institution.memberships.first().user
    application = granted_application(institution=institution, by=owner, slug=slug)
    return certificate_issue(application=application, by=by or committee_member())


def place(code: str, name: str, voivodeship: str, voivodeship_name: str):
    """A gmina with correctly folded search names, in the given voivodeship."""
    from lokalnie.institutions.models import TerytUnit
    from lokalnie.institutions.text import fold

    TerytUnit.objects.get_or_create(
        code=voivodeship,
        defaults={
            "level": "voivodeship",
            "name": voivodeship_name,
            "kind": "województwo",
            "search_name": fold(voivodeship_name),
            "valid_on": "2024-01-01",
        },
    )
    gmina = make_gmina(code=code, name=name)
    TerytUnit.objects.filter(code=code).update(search_name=fold(name))
    gmina.refresh_from_db()
    return gmina


def client_fetch(client):
    """A ``fetch`` for lokalnie.credentials.verify that reads this site's published URLs
    through the Django test client, and refuses anything else."""
    fetched = []

    def fetch(url: str) -> bytes:
        assert url.startswith(settings.SITE_URL + "/"), url
        response = client.get(urlsplit(url).path)
        fetched.append(url)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code}")
        return response.content

    fetch.fetched = fetched
    return fetch
