"""Evaluation pages: the survey builder, answering by the registration's link, the results
with their charts and tables, and the participant's and coordinator's partials."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.training.evaluation import AFTER, BEFORE, response_submit
from lokalnie.training.models import Edition, Question, Survey, SurveyResponse
from lokalnie.training.tests.factories import accepted, make_edition
from lokalnie.training.tests.test_evaluation import answer_knowledge, attend, make_surveys
from lokalnie.training.views.evaluation import registration_context

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def move_back(edition: Edition, days: int) -> Edition:
    """Move the edition and its days ``days`` days into the past (registration closed)."""
    delta = dt.timedelta(days=days)
    for day in edition.days.all():
        day.date -= delta
        day.save(update_fields=["date"])
    edition.starts_on -= delta
    edition.ends_on -= delta
    edition.registration_opens_at -= delta
    edition.registration_closes_at -= delta
    edition.save()
    return edition


@pytest.fixture
def edition():
    edition = make_edition()
    make_surveys(edition.programme)
    return edition


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def answer_url(registration, kind="test-wiedzy", phase="przed"):
    return reverse("training:survey_answer", args=[registration.token, kind, phase])


# --- the builder -------------------------------------------------------------------------------


def test_builder_creates_a_survey_and_a_question(staff_client):
    programme = make_edition().programme
    page = staff_client.get(reverse("training:survey_builder", args=[programme.slug]), **EN)
    assert page.status_code == 200
    assert "Not created yet." in page.content.decode()
    response = staff_client.post(
        reverse("training:survey_edit", args=[programme.slug, "test-wiedzy"]),
        {"title_pl": "Test wiedzy", "title_en": "Knowledge test", "reminder_days": 4},
    )
    assert response.status_code == 302
    survey = Survey.objects.get(programme=programme, kind="knowledge")
    url = reverse("training:survey_question_add", args=[survey.pk])
    form = staff_client.get(url, **EN)
    assert "Number of the correct answer" in form.content.decode()
    response = staff_client.post(
        url,
        {
            "kind": "choice",
            "text_pl": "Kto uchwala GPR?",
            "choices_pl": "Wójt\nRada gminy\n",
            "choices_en": "",
            "correct_choice": "2",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get()
    assert (question.choices[1]["pl"], question.correct_choice) == ("Rada gminy", 1)
    page = staff_client.get(reverse("training:survey_builder", args=[programme.slug]), **EN)
    assert "Kto uchwala GPR?" in page.content.decode()


def test_builder_shows_validation_errors(staff_client):
    programme = make_edition().programme
    make_surveys(programme)
    survey = Survey.objects.get(programme=programme, kind="knowledge")
    url = reverse("training:survey_question_add", args=[survey.pk])
    response = staff_client.post(
        url, {"kind": "choice", "text_pl": "Pytanie", "choices_pl": "", "correct_choice": ""}, **EN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A single-choice question needs 2 to 8 answers" in html
    assert "Give the number of the correct answer" in html
    assert survey.questions.count() == 3


def test_satisfaction_question_form_has_no_correct_answer(staff_client, edition):
    survey = Survey.objects.get(programme=edition.programme, kind="satisfaction")
    response = staff_client.get(reverse("training:survey_question_add", args=[survey.pk]), **EN)
    assert "correct_choice" not in response.content.decode()


def test_editing_is_refused_once_answered_and_says_why(staff_client, edition):
    knowledge = Survey.objects.get(programme=edition.programme, kind="knowledge")
    question = knowledge.questions.first()
    answer_knowledge(accepted(edition), knowledge, BEFORE, correct=1)
    edit_url = reverse("training:survey_question_edit", args=[question.pk])
    response = staff_client.get(edit_url, **EN)
    assert response.status_code == 302
    assert "results would stop being comparable" in messages_of(response)[0]
    response = staff_client.post(
        edit_url, {"kind": "text", "text_pl": "Zmienione", "required": "on"}, **EN
    )
    assert response.status_code == 400
    assert "results would stop being comparable" in response.content.decode()
    response = staff_client.post(
        reverse("training:survey_question_delete", args=[question.pk]), **EN
    )
    assert "results would stop being comparable" in messages_of(response)[0]
    question.refresh_from_db()
    assert question.text_pl != "Zmienione"
    page = staff_client.get(reverse("training:survey_builder", args=[edition.programme.slug]), **EN)
    assert "can no longer be added, changed or deleted" in page.content.decode()


def test_questions_are_deleted_and_moved(staff_client, edition):
    satisfaction = Survey.objects.get(programme=edition.programme, kind="satisfaction")
    first, second, third = satisfaction.questions.order_by("order")
    staff_client.post(
        reverse("training:survey_question_move", args=[first.pk]), {"direction": "down"}
    )
    assert list(satisfaction.questions.order_by("order")) == [second, first, third]
    staff_client.post(reverse("training:survey_question_delete", args=[third.pk]))
    assert not Question.objects.filter(pk=third.pk).exists()


def test_unknown_survey_kind_is_404(staff_client, edition):
    url = reverse("training:survey_edit", args=[edition.programme.slug, "quiz"])
    assert staff_client.get(url).status_code == 404


# --- answering ----------------------------------------------------------------------------------


def test_participant_answers_the_test_before_and_sees_the_score(client, edition):
    registration = accepted(edition)
    response = client.get(answer_url(registration), **EN)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    # Choice questions are radio groups in fieldsets with the question as the legend.
    assert "<fieldset" in html and "<legend>What is a revitalization area?" in html
    assert 'type="radio"' in html and "<textarea" in html
    q1, q2, q3 = Survey.objects.get(kind="knowledge").questions.order_by("order")
    response = client.post(
        answer_url(registration),
        {f"q{q1.pk}": "0", f"q{q2.pk}": "0", f"q{q3.pk}": "Praktyki"},
        **EN,
    )
    assert response.status_code == 302
    assert response.url == reverse("training:registration", args=[registration.token])
    assert messages_of(response) == ["Thank you for your answers. Your score: 1 of 2."]
    saved = SurveyResponse.objects.get()
    assert (saved.phase, saved.score, saved.answers[str(q3.pk)]) == (BEFORE, 1, "Praktyki")
    # Once per phase: the form does not open again.
    again = client.get(answer_url(registration), **EN)
    assert again.status_code == 302
    assert "already answered" in messages_of(again)[-1]


def test_missing_required_answer_names_the_question(client, edition):
    registration = accepted(edition)
    q1, _q2, _q3 = Survey.objects.get(kind="knowledge").questions.order_by("order")
    response = client.post(answer_url(registration), {f"q{q1.pk}": "0"}, **EN)
    assert response.status_code == 400
    assert "Answer the question “Kto uchwala GPR?”; it is required." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_surveys_after_are_not_open_before_the_last_day(client, edition):
    registration = accepted(edition)
    attend(registration)
    response = client.get(answer_url(registration, "ocena", "po"), **EN)
    assert response.status_code == 302
    assert response.url == reverse("training:registration", args=[registration.token])
    assert "opens on the last day" in messages_of(response)[0]


def test_attendee_answers_the_satisfaction_survey_after_the_workshop(client, edition):
    registration, absent = accepted(edition), accepted(edition)
    attend(registration)
    move_back(edition, 40)  # the last day was 8 days ago
    s1, s2, _s3 = Survey.objects.get(kind="satisfaction").questions.order_by("order")
    response = client.post(
        answer_url(registration, "ocena", "po"), {f"q{s1.pk}": "4", f"q{s2.pk}": "1"}, **EN
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Thank you for your answers."]
    assert SurveyResponse.objects.get().answers == {str(s1.pk): 4, str(s2.pk): 1}
    refused = client.get(answer_url(absent, "ocena", "po"), **EN)
    assert refused.status_code == 302
    assert "for people who attended" in messages_of(refused)[-1]
    too_late = client.get(answer_url(registration, "test-wiedzy", "przed"), **EN)
    assert "closed when the workshop began" in messages_of(too_late)[-1]


@pytest.mark.parametrize(
    ("kind", "phase"), [("ocena", "przed"), ("quiz", "po"), ("test-wiedzy", "wczoraj")]
)
def test_unknown_survey_or_phase_is_404(client, edition, kind, phase):
    registration = accepted(edition)
    assert client.get(answer_url(registration, kind, phase)).status_code == 404


def test_wrong_token_is_404(client, edition):
    url = reverse("training:survey_answer", args=["nie-ma-takiego", "test-wiedzy", "przed"])
    assert client.get(url).status_code == 404


# --- the participant's page partial ----------------------------------------------------------


def test_participant_partial_lists_open_answered_and_later(edition):
    registration = accepted(edition)
    attend(registration)
    context = registration_context(registration)
    states = [(i["survey"].kind, i["phase"], i["state"]) for i in context["survey_items"]]
    assert states == [
        ("knowledge", BEFORE, "open"),
        ("knowledge", AFTER, "later"),
        ("satisfaction", AFTER, "later"),
    ]
    answer_knowledge(registration, Survey.objects.get(kind="knowledge"), BEFORE, correct=2)
    context = registration_context(registration)
    with translation.override("en"):
        html = render_to_string(
            "training/registration/_evaluation.html", {**context, "registration": registration}
        )
    assert "Your score: 2 of 2." in html
    assert html.count('class="status-badge"') == 3  # one answered, two not open yet
    assert "This opens on the last day of the workshop" in html


def test_participant_partial_is_empty_without_surveys():
    registration = accepted(make_edition())
    assert registration_context(registration) == {"survey_items": []}
    html = render_to_string("training/registration/_evaluation.html", {"survey_items": []})
    assert html.strip() == ""


# --- results ------------------------------------------------------------------------------------


def _with_answers(edition):
    knowledge = Survey.objects.get(programme=edition.programme, kind="knowledge")
    satisfaction = Survey.objects.get(programme=edition.programme, kind="satisfaction")
    s1, s2, s3 = satisfaction.questions.order_by("order")
    people = [accepted(edition, first_name="Zenobia"), accepted(edition, first_name="Ksawery")]
    for number, person in enumerate(people):
        answer_knowledge(person, knowledge, BEFORE, correct=number)
        attend(person)
    move_back(edition, 40)
    for person in people:
        answer_knowledge(person, knowledge, AFTER, correct=2)
        response_submit(
            registration=person,
            survey=satisfaction,
            phase=AFTER,
            answers={str(s1.pk): 5, str(s2.pk): 0, str(s3.pk): f"Uwaga od {person.pk}"},
        )
    return people


def test_edition_results_show_charts_tables_and_the_gain(client, edition):
    trainer = make_user(roles=[Role.TRAINER])
    edition.coordinators.add(trainer)
    people = _with_answers(edition)
    client.force_login(trainer)
    response = client.get(reverse("training:evaluation_edition", args=[edition.pk]), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert svgs and all('role="img"' in svg and "<title>" in svg for svg in svgs)
    assert all("aria-label=" in svg for svg in svgs)
    # Every chart has a data table with the same numbers beside it.
    assert html.count('<table class="chart-data">') == len(svgs)
    assert "Learning gain (after − before)" in html
    # Paired: 0 → 2 and 1 → 2, a mean gain of 1.5 points (75 percentage points).
    assert "+1.50" in html and "75.0" in html
    assert "100% (2/2)" in html  # the response rate, written on its bar
    assert "Uwaga od" in html
    for person in people:  # text answers without names
        assert person.first_name not in html and person.last_name not in html
    assert "Edit the surveys" not in html  # the trainer does not manage programmes


def test_results_of_another_edition_are_404_for_a_trainer(client, edition):
    trainer = make_user(roles=[Role.TRAINER])
    client.force_login(trainer)
    response = client.get(reverse("training:evaluation_edition", args=[edition.pk]))
    assert response.status_code == 404


def test_programme_results_for_staff(staff_client, edition):
    _with_answers(edition)
    other = make_edition(programme=edition.programme)
    accepted(other)
    response = staff_client.get(
        reverse("training:evaluation_programme", args=[edition.programme.slug]), **EN
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "all editions together (2 editions)" in html
    assert "67% (2/3)" in html  # 2 of 3 accepted participants took the test before
    assert "Edit the surveys" in html


def test_results_without_surveys_say_so(staff_client):
    programme = make_edition().programme
    response = staff_client.get(
        reverse("training:evaluation_programme", args=[programme.slug]), **EN
    )
    assert "no surveys with questions yet" in response.content.decode()


def test_coordinator_tools_link_to_the_results(edition):
    html = render_to_string(
        "training/coordination/_tools_evaluation.html",
        {"edition": edition, "can_manage_programmes": True},
    )
    assert reverse("training:evaluation_edition", args=[edition.pk]) in html
    assert reverse("training:survey_builder", args=[edition.programme.slug]) in html
    html = render_to_string("training/coordination/_tools_evaluation.html", {"edition": edition})
    assert reverse("training:survey_builder", args=[edition.programme.slug]) not in html
