"""Attendance and completion pages: the day's list on a phone (forms without JS, rows
swapped by htmx, retries harmless), issuing and revoking, the participant's page, the
public verification and the published credential."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.training import attendance as service
from lokalnie.training.models import Attendance, Completion
from lokalnie.training.tests.test_attendance import attend, completed, day_of, held_edition
from lokalnie.training.workflow import RegStatus

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


def day_url(edition, number=1):
    return reverse("training:attendance_day", args=[edition.pk, number])


def mark_url(edition, person, number=1):
    return reverse("training:attendance_mark", args=[edition.pk, number, person.pk])


def test_the_day_lists_accepted_participants_with_big_buttons(client):
    edition, (a, b, gone), coordinator = held_edition()
    type(gone).objects.filter(pk=gone.pk).update(status=RegStatus.WITHDRAWN)
    service.attendance_mark(registration=a, day=day_of(edition, 1), present=True, by=coordinator)
    client.force_login(coordinator)
    response = client.get(day_url(edition), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert a.last_name in page and b.last_name in page
    assert gone.last_name not in page
    assert page.count('class="attendance-form"') == 2
    assert mark_url(edition, a) in page and f'hx-target="#person-{a.pk}"' in page
    assert "Present: 1" in page and "Not marked: 1 (of 2)" in page
    assert "training/js/attendance.js" in page
    assert 'aria-pressed="true"' in page


def test_marking_without_javascript_redirects_back_to_the_person(client):
    edition, (person, *_), coordinator = held_edition()
    client.force_login(coordinator)
    response = client.post(mark_url(edition, person), {"present": "true"}, **EN)
    assert response.status_code == 302
    assert response.url == f"{day_url(edition)}#person-{person.pk}"
    assert Attendance.objects.get(registration=person).present
    page = client.get(response.url, **EN).content.decode()
    assert f"{person.full_name}: present." in page


def test_marking_with_htmx_swaps_the_row_and_a_retry_is_harmless(client):
    edition, (person, other, _third), coordinator = held_edition()
    client.force_login(coordinator)
    for _attempt in range(3):  # the same mark sent again after a dropped connection
        response = client.post(mark_url(edition, person, 2), {"present": "false"}, **HTMX)
        assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<li id="person-{person.pk}"')
    assert "absent" in row and "saved" in row
    assert 'id="attendance-counts"' in row and 'hx-swap-oob="true"' in row
    assert "Absent: 1" in row and "Not marked: 2 (of 3)" in row
    assert Attendance.objects.filter(registration=person).count() == 1
    assert not Attendance.objects.filter(registration=other).exists()


def test_a_bad_value_is_refused(client):
    edition, (person, *_), coordinator = held_edition()
    client.force_login(coordinator)
    response = client.post(mark_url(edition, person), {"present": "maybe"}, **EN)
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_before_the_day_the_page_explains_and_marks_are_refused(client):
    edition, (person, *_), coordinator = held_edition(first_day_ago=0)
    client.force_login(coordinator)
    page = client.get(day_url(edition, 2), **EN).content.decode()
    assert "can be marked from" in page
    assert 'class="attendance-form"' not in page
    response = client.post(mark_url(edition, person, 2), {"present": "true"}, **HTMX)
    assert response.status_code == 409
    assert "before the day has come" in response.content.decode()
    response = client.post(mark_url(edition, person, 2), {"present": "true"}, follow=True, **EN)
    assert "before the day has come" in response.content.decode()
    assert not Attendance.objects.exists()
    # Day 1 (today) is open.
    assert 'class="attendance-form"' in client.get(day_url(edition, 1), **EN).content.decode()


def test_a_person_not_accepted_cannot_be_marked_through_the_page(client):
    edition, (person, *_), coordinator = held_edition()
    type(person).objects.filter(pk=person.pk).update(status=RegStatus.WITHDRAWN)
    client.force_login(coordinator)
    response = client.post(mark_url(edition, person), {"present": "true"}, follow=True, **EN)
    assert "only for accepted participants" in response.content.decode()
    assert not Attendance.objects.exists()


def test_other_trainers_see_nothing_and_anonymous_users_sign_in(client):
    edition, (person, *_), _ = held_edition()
    client.force_login(make_user(roles=[Role.TRAINER]))
    assert client.get(day_url(edition)).status_code == 404
    assert client.post(mark_url(edition, person), {"present": "true"}).status_code == 404
    client.logout()
    response = client.get(day_url(edition))
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not Attendance.objects.exists()


def test_issuing_from_the_page(client):
    edition, (ready, short, _none), coordinator = held_edition()
    attend(ready, [1, 2, 3], by=coordinator)
    attend(short, [1], by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("training:completions", args=[edition.pk]), **EN).content.decode()
    assert "1 person meets the rule" in page
    assert "Issue 1 completion" in page
    response = client.post(
        reverse("training:completions_issue", args=[edition.pk]), follow=True, **EN
    )
    page = response.content.decode()
    assert "Completions issued: 1." in page
    completion = Completion.objects.get()
    assert completion.registration == ready and completion.number in page
    response = client.post(
        reverse("training:completions_issue", args=[edition.pk]), follow=True, **EN
    )
    assert "Nobody else meets the completion rule yet." in response.content.decode()
    assert Completion.objects.count() == 1


def test_issuing_too_early_says_why(client):
    edition, (_person, *_), coordinator = held_edition(first_day_ago=0)
    client.force_login(coordinator)
    response = client.post(
        reverse("training:completions_issue", args=[edition.pk]), follow=True, **EN
    )
    assert "from the last day of the workshop" in response.content.decode()
    assert not Completion.objects.exists()


def test_revoking_from_the_page(client):
    edition, (completion,), coordinator = completed(people=1)
    url = reverse("training:completion_revoke", args=[edition.pk, completion.pk])
    client.force_login(coordinator)
    response = client.post(url, {"reason": ""}, **EN)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(url, {"reason": "Wpisany przez pomyłkę."}, follow=True, **EN)
    assert f"Completion {completion.number} revoked." in response.content.decode()
    completion.refresh_from_db()
    assert completion.revoked_reason == "Wpisany przez pomyłkę."
    assert "was revoked on" in client.get(url, **EN).content.decode()


def test_the_participants_page_shows_attendance_and_the_links(client):
    edition, (person, waiting), coordinator = held_edition(people=2, min_days=2)
    attend(person, [1, 3], absent=[2], by=coordinator)
    url = reverse("training:registration", args=[person.token])
    page = client.get(url, **EN).content.decode()
    assert "Attendance and completion" in page
    assert "attendance on at least 2 of 3 days" in page
    assert page.count("present") >= 2 and "absent" in page
    assert "Days attended so far: 2." in page
    (completion,) = service.completions_issue(edition=edition, by=coordinator)
    page = client.get(url, **EN).content.decode()
    assert completion.number in page
    assert reverse("training:completion_pdf", args=[person.token]) in page
    assert reverse("training:completion_credential", args=[completion.slug]) in page
    assert reverse("training:completion_verify", args=[completion.slug]) in page
    # Someone not accepted sees no attendance section.
    type(waiting).objects.filter(pk=waiting.pk).update(status=RegStatus.WAITLISTED)
    page = client.get(reverse("training:registration", args=[waiting.token]), **EN)
    assert "Attendance and completion" not in page.content.decode()


def test_public_verification_shows_valid_then_revoked(client):
    edition, (completion,), coordinator = completed(people=1)
    url = reverse("training:completion_verify", args=[completion.slug])
    assert url == f"/warsztaty/poswiadczenie/{completion.slug}/"
    page = client.get(url, **EN).content.decode()
    assert "The completion is valid." in page
    assert completion.registration.full_name in page
    assert edition.programme.title_en in page
    assert edition.starts_on.strftime("%d.%m.%Y") in page
    service.completion_revoke(completion=completion, by=coordinator, reason="Pomyłka.")
    page = client.get(url, **EN).content.decode()
    assert "This completion has been revoked." in page
    assert "Pomyłka." not in page  # the reason stays internal
    assert client.get("/warsztaty/poswiadczenie/WAR-1999-0001/").status_code == 404
    assert client.get("/warsztaty/poswiadczenie/nonsense/").status_code == 404
    lower = client.get(url.replace("WAR", "war"))
    assert lower.status_code == 301 and lower.url == url


def test_the_published_credential(client):
    _edition, (completion,), _ = completed(people=1)
    response = client.get(reverse("training:completion_credential", args=[completion.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.decode() == completion.credential_jws
    response = client.get(reverse("training:completion_credential_json", args=[completion.slug]))
    document = json.loads(response.content)
    assert document["id"].endswith(f"/warsztaty/poswiadczenie/{completion.slug}/")
    assert "OpenBadgeCredential" in document["type"]
    assert "iss" not in document


def test_the_coordinators_tools_count_who_qualifies():
    edition, (ready, _other), coordinator = held_edition(people=2)
    attend(ready, [1, 2, 3], by=coordinator)
    with translation.override("en"):
        html = render_to_string(
            "training/coordination/_tools_attendance.html", {"edition": edition}
        )
    assert "1 person qualifies and has no completion yet." in html
    assert "Issue 1 completion" in html
    assert reverse("training:completions_issue", args=[edition.pk]) in html
    for number in (1, 2, 3):
        assert day_url(edition, number) in html


def test_the_edition_page_carries_the_tools(client):
    edition, (ready,), coordinator = held_edition(people=1)
    attend(ready, [1, 2, 3], by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("training:edition_manage", args=[edition.pk]), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Attendance and completions" in html and "Issue 1 completion" in html
