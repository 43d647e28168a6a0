"""Completions issued in parallel (several coordinators at once, or the same button pressed
twice): every number of the year and every revocation index is used once, and each person
completes once. On SQLite the database serializes all writers, so the race only exists —
and is only tested — on PostgreSQL, which CI runs."""

import threading

import pytest
from django.db import connection, connections

from lokalnie.training import attendance as service
from lokalnie.training.models import Completion
from lokalnie.training.tests.test_attendance import attend, held_edition

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks matter on PostgreSQL only"
    ),
]


def _run_at_once(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_parallel_issues_share_one_sequence_and_never_reuse_an_index():
    editions = []
    for _ in range(4):
        edition, people, coordinator = held_edition(people=3)
        for person in people:
            attend(person, [1, 2, 3], by=coordinator)
        editions.append((edition, coordinator))
    # Each edition twice: the same button pressed by two coordinators at once.
    calls = [
        (lambda e=edition, c=coordinator: service.completions_issue(edition=e, by=c))
        for edition, coordinator in editions * 2
    ]
    assert _run_at_once(calls) == []
    completions = list(Completion.objects.all())
    assert len(completions) == 12
    assert sorted(c.sequence for c in completions) == list(range(1, 13))
    assert len({c.revocation_index for c in completions}) == 12
    assert len({c.registration_id for c in completions}) == 12
