"""The last seats under real parallel requests: never more accepted than the capacity.

Each thread is a separate HTTP client of the live server (its own connection and
transaction on the server side). On SQLite the database serializes all writers, so the
race only exists — and is only tested — on PostgreSQL, which CI runs."""

import re
import threading
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.db import connection
from django.urls import reverse

from lokalnie.training.models import Registration
from lokalnie.training.tests.factories import make_edition, register
from lokalnie.training.workflow import RegStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks matter on PostgreSQL only"
    ),
]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_parallel_confirmations_never_overbook(live_server):
    edition = make_edition(capacity=3)
    people = [register(edition, confirm=False) for _ in range(12)]
    barrier = threading.Barrier(len(people))
    statuses, errors = [], []

    def confirm(registration):
        try:
            opener = build_opener(HTTPCookieProcessor(CookieJar()))
            page_url = live_server.url + reverse("training:registration", args=[registration.token])
            page = opener.open(page_url, timeout=30).read().decode()
            token = CSRF.search(page).group(1)
            barrier.wait(timeout=30)
            request = Request(  # noqa: S310 — the live server on loopback
                live_server.url
                + reverse("training:registration_confirm", args=[registration.token]),
                data=urlencode({"csrfmiddlewaretoken": token}).encode(),
                headers={"Referer": page_url},
            )
            statuses.append(opener.open(request, timeout=60).status)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=confirm, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses == [200] * len(people)  # each followed the redirect to their page
    counts = {
        status: Registration.objects.filter(edition=edition, status=status).count()
        for status in (RegStatus.ACCEPTED, RegStatus.WAITLISTED, RegStatus.UNCONFIRMED)
    }
    assert counts == {RegStatus.ACCEPTED: 3, RegStatus.WAITLISTED: 9, RegStatus.UNCONFIRMED: 0}


def test_parallel_withdrawals_offer_each_freed_seat_once(live_server):
    edition = make_edition(capacity=4)
    holders = [register(edition) for _ in range(4)]
    waiting = [register(edition) for _ in range(6)]
    assert {r.status for r in waiting} == {RegStatus.WAITLISTED}
    barrier = threading.Barrier(len(holders))
    errors = []

    def withdraw(registration):
        try:
            opener = build_opener(HTTPCookieProcessor(CookieJar()))
            url = live_server.url + reverse(
                "training:registration_withdraw", args=[registration.token]
            )
            token = CSRF.search(opener.open(url, timeout=30).read().decode()).group(1)
            barrier.wait(timeout=30)
            opener.open(
                Request(  # noqa: S310 — the live server on loopback
                    url,
                    data=urlencode({"csrfmiddlewaretoken": token}).encode(),
                    headers={"Referer": url},
                ),
                timeout=60,
            )
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=withdraw, args=(r,)) for r in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    offered = Registration.objects.filter(edition=edition, status=RegStatus.OFFERED)
    assert sorted(offered.values_list("pk", flat=True)) == [r.pk for r in waiting[:4]]
    assert Registration.objects.filter(edition=edition, status=RegStatus.WAITLISTED).count() == 2
