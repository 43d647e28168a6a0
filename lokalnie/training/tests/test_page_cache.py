"""The public workshop pages come from the page cache for anonymous visitors, and a seat
taken or freed, or an edition changed, shows at once."""

import pytest
from django.urls import reverse

from lokalnie.core.tests.pagecache import page_cache_of_this_test
from lokalnie.training import services
from lokalnie.training.tests.factories import accepted, make_edition, register

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.REGISTRY_PAGE_CACHE = True
    with page_cache_of_this_test(settings):
        yield


def _pages(client, edition):
    return [
        client.get(reverse("training:editions"), **EN).content.decode(),
        client.get(reverse("training:edition", args=[edition.slug]), **EN).content.decode(),
    ]


def test_a_taken_seat_shows_at_once_on_cached_pages(client, django_assert_num_queries):
    edition = make_edition(capacity=2)
    assert all("2 of 2" in page for page in _pages(client, edition))
    with django_assert_num_queries(0):
        _pages(client, edition)  # from the cache
    accepted(edition)
    assert all("1 of 2" in page for page in _pages(client, edition))


def test_a_freed_seat_and_a_cancelled_edition_show_at_once(client):
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    assert all("none — waiting list" in page for page in _pages(client, edition))
    services.registration_withdraw(registration=holder)
    assert all("1 of 1" in page for page in _pages(client, edition))
    register(edition)
    services.edition_transition(edition=edition, action="cancel", by=None, reason="Powódź.")
    listing, page = _pages(client, edition)
    assert edition.slug not in listing
    assert "This edition is cancelled." in page


def test_signed_in_visitors_are_not_served_from_the_cache(client, django_assert_num_queries):
    from lokalnie.conftest import make_user

    edition = make_edition()
    _pages(client, edition)
    client.force_login(make_user())
    page = client.get(reverse("training:editions"), **EN).content.decode()
    assert "My workshops" in page
