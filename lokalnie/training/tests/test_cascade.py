"""The cascade: alumni report the trainings they deliver; totals per edition and programme."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.training import reports
from lokalnie.training.models import CascadeTraining, Edition, EditionDay
from lokalnie.training.tests.access_rows_reports import make_completion
from lokalnie.training.tests.factories import accepted, make_edition

pytestmark = pytest.mark.django_db


def move_to_past(edition, *, days_ago=30):
    """Shift an edition (made with open registration) so that it took place in the past."""
    shift = (edition.starts_on - timezone.localdate()) + dt.timedelta(days=days_ago)
    for day in edition.days.all():
        EditionDay.objects.filter(pk=day.pk).update(date=day.date - shift)
    Edition.objects.filter(pk=edition.pk).update(
        starts_on=edition.starts_on - shift, ends_on=edition.ends_on - shift
    )
    edition.refresh_from_db()
    return edition


@pytest.fixture
def alumnus():
    edition = make_edition()
    registration = accepted(edition)
    move_to_past(edition)
    make_completion(registration)
    registration.refresh_from_db()
    return registration


def report(registration, **overrides):
    data = {
        "date": timezone.localdate() - dt.timedelta(days=3),
        "place": "Kutno, GOPS",
        "topic": "Diagnoza obszaru rewitalizacji",
        "participants": 14,
    }
    data.update(overrides)
    return reports.cascade_add(registration=registration, **data)


def errors_of(call):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- Services --------------------------------------------------------------------------


def test_alumnus_reports_a_training_and_it_is_audited(alumnus):
    training = report(alumnus)
    assert training.registration == alumnus and training.participants == 14
    entry = AuditEntry.objects.get(action="training.cascade.add")
    assert entry.data["training"] == training.pk and entry.data["participants"] == 14


def test_only_people_with_a_valid_completion_may_report(alumnus):
    not_completed = accepted(make_edition())
    with pytest.raises(ValidationError):
        report(not_completed)
    completion = alumnus.completion
    completion.revoked_at = timezone.now()
    completion.save()
    with pytest.raises(ValidationError):
        report(alumnus)
    assert not CascadeTraining.objects.exists()


def test_date_in_the_future_is_refused(alumnus):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = errors_of(lambda: report(alumnus, date=tomorrow))
    assert errors["date"] == [
        "The date is in the future; report a training once it has taken place."
    ]


def test_date_before_the_workshop_is_refused(alumnus):
    before = alumnus.edition.starts_on - dt.timedelta(days=1)
    errors = errors_of(lambda: report(alumnus, date=before))
    assert "before your workshop" in errors["date"][0]
    assert alumnus.edition.starts_on.strftime("%d.%m.%Y") in errors["date"][0]
    assert report(alumnus, date=alumnus.edition.starts_on).date == alumnus.edition.starts_on
    assert report(alumnus, date=timezone.localdate()).date == timezone.localdate()


@pytest.mark.parametrize("participants", [0, -3, 10_001, None])
def test_participants_between_1_and_10000(alumnus, participants):
    errors = errors_of(lambda: report(alumnus, participants=participants))
    assert "participants" in errors
    assert not CascadeTraining.objects.exists()


def test_limits_of_participants_are_accepted(alumnus):
    assert report(alumnus, participants=1).participants == 1
    assert report(alumnus, participants=10_000).participants == 10_000


def test_place_and_topic_are_required_and_all_errors_come_together(alumnus):
    errors = errors_of(lambda: report(alumnus, place=" ", topic="", participants=0))
    assert set(errors) == {"place", "topic", "participants"}


def test_change_is_validated_and_audited_with_before_and_after(alumnus):
    training = report(alumnus)
    errors_of(
        lambda: reports.cascade_change(
            training=training,
            date=training.date,
            place="x",
            topic="y",
            participants=20_000,
        )
    )
    training.refresh_from_db()
    assert training.participants == 14
    reports.cascade_change(
        training=training, date=training.date, place="Kutno", topic="Partycypacja", participants=30
    )
    training.refresh_from_db()
    assert (training.topic, training.participants) == ("Partycypacja", 30)
    entry = AuditEntry.objects.get(action="training.cascade.change")
    assert entry.data["before"]["participants"] == 14 and entry.data["after"]["participants"] == 30


def test_delete_is_audited(alumnus):
    training = report(alumnus)
    reports.cascade_delete(training=training)
    assert not CascadeTraining.objects.exists()
    assert AuditEntry.objects.filter(action="training.cascade.delete").exists()


def test_totals_per_edition_and_programme():
    edition_a = make_edition()
    edition_b = make_edition(programme=edition_a.programme)
    other = make_edition()
    people = [accepted(edition_a), accepted(edition_a), accepted(edition_b), accepted(other)]
    for edition in (edition_a, edition_b, other):
        move_to_past(edition)
    for person in people:
        make_completion(person)
        person.refresh_from_db()
    report(people[0], participants=10)
    report(people[0], participants=5)
    report(people[1], participants=7)
    report(people[2], participants=100)
    report(people[3], participants=1)

    by_edition = {
        e.pk: (e.cascade_trainings, e.cascade_participants)
        for e in reports.cascade_totals_of_editions(Edition.objects.all())
    }
    assert by_edition == {edition_a.pk: (3, 22), edition_b.pk: (1, 100), other.pk: (1, 1)}
    by_programme = {
        p.pk: (p.cascade_trainings, p.cascade_participants, p.alumni)
        for p in reports.cascade_totals_of_programmes()
    }
    assert by_programme[edition_a.programme_id] == (4, 122, 3)
    assert by_programme[other.programme_id] == (1, 1, 1)
    assert reports.cascade_summary(people[0]) == {"trainings": 2, "participants": 15}


# --- Pages ------------------------------------------------------------------------------


def test_participant_reports_through_the_form(client, alumnus):
    url = reverse("training:cascade_report", args=[alumnus.token])
    date = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(
        url,
        {"date": date.isoformat(), "place": "Kutno", "topic": "Partycypacja", "participants": "25"},
    )
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Partycypacja" in page and "1 training, 25 participants in total." in page


def test_form_shows_clear_errors_and_keeps_the_input(client, alumnus):
    url = reverse("training:cascade_report", args=[alumnus.token])
    future = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        url,
        {
            "date": future.isoformat(),
            "place": "Kutno",
            "topic": "Partycypacja",
            "participants": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The number of participants must be at least 1." in page
    assert 'value="Partycypacja"' in page
    response = client.post(
        url,
        {
            "date": future.isoformat(),
            "place": "Kutno",
            "topic": "Partycypacja",
            "participants": "5",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The date is in the future" in response.content.decode()
    assert not CascadeTraining.objects.exists()


def test_form_is_closed_to_people_without_a_completion(client):
    registration = accepted(make_edition())
    response = client.get(
        reverse("training:cascade_report", args=[registration.token]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert "people who have completed the workshop" in response.content.decode()
    response = client.post(
        reverse("training:cascade_report", args=[registration.token]),
        {"date": "2020-01-01", "place": "x", "topic": "y", "participants": "3"},
    )
    assert response.status_code == 403
    assert not CascadeTraining.objects.exists()


def test_wrong_token_is_404(client):
    assert client.get(reverse("training:cascade_report", args=["nope"])).status_code == 404


def test_edit_and_delete_only_ones_own_reports(client, alumnus):
    own = report(alumnus)
    edition = make_edition()
    stranger = accepted(edition)
    move_to_past(edition)
    make_completion(stranger)
    theirs = report(stranger)
    edit_theirs = reverse("training:cascade_edit", args=[alumnus.token, theirs.pk])
    delete_theirs = reverse("training:cascade_delete", args=[alumnus.token, theirs.pk])
    assert client.get(edit_theirs).status_code == 404
    assert client.post(delete_theirs).status_code == 404
    assert CascadeTraining.objects.filter(pk=theirs.pk).exists()

    response = client.post(
        reverse("training:cascade_edit", args=[alumnus.token, own.pk]),
        {"date": own.date.isoformat(), "place": "Łęczyca", "topic": own.topic, "participants": "9"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.place, own.participants) == ("Łęczyca", 9)
    assert (
        client.post(reverse("training:cascade_delete", args=[alumnus.token, own.pk])).status_code
        == 302
    )
    assert not CascadeTraining.objects.filter(pk=own.pk).exists()


def test_registration_page_shows_the_summary_and_the_link(client, alumnus):
    report(alumnus, participants=12)
    report(alumnus, participants=8)
    page = client.get(
        reverse("training:registration", args=[alumnus.token]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert reverse("training:cascade_report", args=[alumnus.token]) in page
    assert "2 trainings with 20 participants in total" in page


def test_registration_page_without_completion_has_no_cascade_link(client):
    registration = accepted(make_edition())
    page = client.get(reverse("training:registration", args=[registration.token])).content
    assert reverse("training:cascade_report", args=[registration.token]).encode() not in page


def test_coordinator_sees_the_editions_totals(client, alumnus):
    report(alumnus, participants=12, topic="Mapowanie zasobów")
    report(alumnus, participants=8)
    trainer = make_user(roles=[Role.TRAINER])
    alumnus.edition.coordinators.add(trainer)
    client.force_login(trainer)
    response = client.get(
        reverse("training:edition_reports", args=[alumnus.edition.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert "<dd>2</dd>" in page and "<dd>20</dd>" in page
    assert "Mapowanie zasobów" in page
    # Exports are for staff: the coordinator does not get the links.
    assert reverse("training:funder_export_edition", args=[alumnus.edition.pk, "csv"]) not in page


def test_staff_see_totals_per_programme(client, alumnus):
    report(alumnus, participants=12)
    client.force_login(make_user(roles=[Role.STAFF]))
    page = client.get(reverse("training:cascade_totals")).content.decode()
    assert "<td>1</td><td>1</td><td>12</td>" in page
