"""Public pages served from the cache (on in production with Redis; switched on here with a
local cache): a status change, a renewal or the end of validity shows at once; signed-in
visitors and their messages are never served from it; each visitor gets their own CSRF
token."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lokalnie.core.tests.pagecache import page_cache_of_this_test
from lokalnie.registry import selectors, services
from lokalnie.registry.tests.factories import committee_member, issue_certificate

pytestmark = pytest.mark.django_db

VALID = "The certificate is valid."
SUSPENDED = "The certificate is suspended."
WITHDRAWN = "The certificate has been withdrawn."
EXPIRED = "The certificate has expired."


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.REGISTRY_PAGE_CACHE = True
    # A cache of this test's own: Redis under a key prefix of its own when REDIS_URL is set
    # (as in production, through the process's kept client), otherwise a new LocMemCache.
    with page_cache_of_this_test(settings):
        selectors._published_credential.cache_clear()  # credentials kept in this process
        yield


def visit(client, url):
    """The page and the number of queries it took."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def suspend(certificate, django_capture_on_commit_callbacks):
    committee = committee_member()
    with django_capture_on_commit_callbacks(execute=True):
        investigation = services.investigation_open(
            certificate=certificate, by=committee, charges="Zarzut."
        )
        services.investigation_decide(
            investigation=investigation, by=committee, decision="suspend", reasons="Powody."
        )


def test_the_page_cache_is_off_outside_production_unless_switched_on(settings):
    del settings.REGISTRY_PAGE_CACHE
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not selectors.cache_on()
    settings.PRODUCTION = True
    assert not selectors.cache_on()  # a per-process cache would miss other processes' changes
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert selectors.cache_on()


def test_a_status_change_shows_at_once_on_the_cached_verification_page(
    client, django_capture_on_commit_callbacks
):
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[certificate.slug])
    first, _ = visit(client, url)
    cached, queries = visit(client, url)
    assert VALID in first and VALID in cached
    assert queries == 0  # served from the cache
    suspend(certificate, django_capture_on_commit_callbacks)
    html, _ = visit(client, url)
    assert SUSPENDED in html and VALID not in html
    assert "Suspended" in html or "suspended" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_transition(
            certificate=certificate, action="reinstate", by=committee_member(), reason="Powody."
        )
    assert VALID in visit(client, url)[0]


def test_a_change_shows_on_the_cached_page_even_before_it_commits(client):
    """Services forget the cached page at once too, so the same transaction reads afresh."""
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[certificate.slug])
    visit(client, url)
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="withdraw", reasons="Powody."
    )
    assert WITHDRAWN in visit(client, url)[0]


def test_a_renewal_shows_on_the_renewed_certificates_cached_page(
    client, django_capture_on_commit_callbacks
):
    first = issue_certificate()
    url = reverse("registry:verify_number", args=[first.slug])
    visit(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        renewal = issue_certificate(institution=first.institution)
    html, _ = visit(client, url)
    assert renewal.number in html


def test_the_cached_registry_list_follows_status_changes(
    client, django_capture_on_commit_callbacks
):
    certificate = issue_certificate()
    url = reverse("registry:registry") + "?status=valid"
    assert certificate.number in visit(client, url)[0]
    assert visit(client, url)[1] == 0
    suspend(certificate, django_capture_on_commit_callbacks)
    assert certificate.number not in visit(client, url)[0]
    suspended_url = reverse("registry:registry") + "?status=suspended"
    assert certificate.number in visit(client, suspended_url)[0]


def test_the_cached_map_counts_a_new_certificate(client, django_capture_on_commit_callbacks):
    url = reverse("registry:map")
    before, _ = visit(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate()
    after, _ = visit(client, url)
    assert before != after


def test_a_certificate_past_its_last_day_shows_expired_from_midnight(client, monkeypatch):
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[certificate.slug])
    assert VALID in visit(client, url)[0]
    day_after = certificate.valid_until + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)
    assert EXPIRED in visit(client, url)[0]


def test_signed_in_visitors_are_not_served_the_anonymous_page(client):
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[certificate.slug])
    pdf = reverse("registry:pdf", args=[certificate.slug])
    assert pdf not in visit(client, url)[0]
    client.force_login(certificate.institution.memberships.first().user)
    html, queries = visit(client, url)
    assert pdf in html
    assert queries > 0


def test_cached_pages_need_no_csrf_token_and_their_language_switch_works():
    """No token, no cookie: the same cached page for every first-time visitor, and its
    language form works with CSRF checks on (the per-visitor token of a cached page that
    does have a form: lokalnie/core/tests/test_pagecache.py)."""
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[certificate.slug])
    pages = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(url)
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html and "csrf-" not in html
        assert not response.cookies  # no CSRF cookie, no session
        assert "Cookie" in response["Vary"]
        form = re.search(r'<form class="lang-switch" action="([^"]+)"', html)
        response = visitor.post(form.group(1), {"language": "en", "next": url})
        assert response.status_code == 302 and response["Location"] == url
        assert response.cookies["django_language"].value == "en"
        pages.append(html)
    assert pages[0] == pages[1]


def test_unknown_numbers_and_redirects_are_not_cached(client):
    certificate = issue_certificate()
    lower = certificate.slug.lower()
    response = client.get(reverse("registry:verify_number", args=[lower]))
    assert response.status_code == 301
    assert client.get(reverse("registry:verify_number", args=[lower])).status_code == 301
    unknown = reverse("registry:verify_number", args=["CAL-1999-0001"])
    response = client.get(unknown)
    assert response.status_code == 404
    assert "csrf-" not in response.content.decode()


def test_credentials_are_served_from_the_cache(client):
    certificate = issue_certificate()
    for name in ("registry:json", "registry:jwt"):
        url = reverse(name, args=[certificate.slug])
        first, _ = visit(client, url)
        cached, queries = visit(client, url)
        assert first == cached and queries == 0
    assert visit(client, reverse("registry:jwt", args=[certificate.slug]))[0] == (
        certificate.credential_jws
    )


def test_the_cached_status_list_follows_a_suspension(client, django_capture_on_commit_callbacks):
    from lokalnie.credentials import verify
    from lokalnie.registry.tests.factories import client_fetch

    certificate = issue_certificate()
    url = reverse("registry:status_list", args=["zawieszenia"])
    visit(client, url)  # signs the list: the first signature also makes a new cache version
    first, _ = visit(client, url)
    cached, queries = visit(client, url)
    assert first == cached and queries == 0
    suspend(certificate, django_capture_on_commit_callbacks)
    assert visit(client, url)[0] != first
    result = verify(certificate.credential_jws, fetch=client_fetch(client), now=timezone.now())
    assert result.status == "suspended"


def test_the_cached_institution_page_follows_a_withdrawal(client):
    certificate = issue_certificate()
    url = reverse("registry:institution", args=[certificate.institution_id])
    before, _ = visit(client, url)
    assert visit(client, url)[1] == 0
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="withdraw", reasons="Powody."
    )
    after, _ = visit(client, url)
    assert after != before and "withdrawn" in after
