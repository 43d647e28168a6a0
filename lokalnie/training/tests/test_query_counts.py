"""The public workshop pages and the coordinator's edition page run the same number of
queries with 10 rows as with 1,000 (editions or registrations made with bulk_create). The
page cache is off here, so these count what a cache miss costs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.training.models import Edition, EditionDay, Registration
from lokalnie.training.tests.factories import make_edition, person
from lokalnie.training.workflow import RegStatus

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _more_editions(model_edition, count):
    days = list(model_edition.days.all())
    editions = []
    for number in range(count):
        editions.append(
            Edition(
                programme=model_edition.programme,
                slug=f"{model_edition.slug}-kopia-{number}",
                city=model_edition.city,
                gmina_id=model_edition.gmina_id,
                voivodeship_id=model_edition.voivodeship_id,
                venue_name="Sala",
                venue_address="ul. Długa 1",
                accessibility_pl="Winda.",
                capacity=20,
                registration_opens_at=model_edition.registration_opens_at,
                registration_closes_at=model_edition.registration_closes_at,
                status=model_edition.status,
                starts_on=model_edition.starts_on + dt.timedelta(days=number % 20),
                ends_on=model_edition.ends_on + dt.timedelta(days=number % 20),
            )
        )
    Edition.objects.bulk_create(editions)
    EditionDay.objects.bulk_create(
        EditionDay(
            edition=e, number=d.number, date=d.date, starts_at=d.starts_at, ends_at=d.ends_at
        )
        for e in Edition.objects.exclude(pk=model_edition.pk)
        for d in days
    )


def _more_registrations(edition, count):
    rows = []
    for _ in range(count):
        data = person()
        data.pop("institution")
        rows.append(
            Registration(
                **data,
                edition=edition,
                status=RegStatus.WAITLISTED,
                privacy_version="test",
                consented_at=edition.registration_opens_at,
            )
        )
    Registration.objects.bulk_create(rows)


@pytest.mark.parametrize("url_name", ["training:editions", "editions_filtered"])
def test_edition_list_queries_do_not_grow(client, url_name):
    edition = make_edition()
    url = (
        reverse("training:editions") + "?wojewodztwo=10&wolne=1"
        if url_name == "editions_filtered"
        else reverse("training:editions")
    )
    _more_editions(edition, 9)
    few = _queries(client, url)
    Edition.objects.exclude(pk=edition.pk).delete()
    _more_editions(edition, 999)
    assert _queries(client, url) == few


def test_edition_and_coordinator_pages_queries_do_not_grow(client):
    edition = make_edition(capacity=2000)
    staff = make_user(roles=[Role.STAFF])
    public = reverse("training:edition", args=[edition.slug])
    manage = reverse("training:edition_manage", args=[edition.pk])
    _more_registrations(edition, 10)
    few_public = _queries(client, public)
    client.force_login(staff)
    few_manage = _queries(client, manage)
    _more_registrations(edition, 990)
    assert _queries(client, manage) == few_manage
    client.logout()
    assert _queries(client, public) == few_public
