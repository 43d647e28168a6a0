"""Evaluation services: the survey builder, who may answer when, answering and scoring,
the statistics and the e-mails of ``workshop_surveys``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from lokalnie.core.models import AuditEntry, OutboundEmail
from lokalnie.training import evaluation
from lokalnie.training.evaluation import (
    AFTER,
    BEFORE,
    SurveyError,
    availability,
    knowledge_gain,
    question_delete,
    question_move,
    question_save,
    response_rates,
    response_submit,
    results,
    survey_save,
    surveys_send,
)
from lokalnie.training.models import (
    Attendance,
    Question,
    Registration,
    Survey,
    SurveyResponse,
)
from lokalnie.training.tests.factories import accepted, make_edition, register
from lokalnie.training.workflow import RegStatus

pytestmark = pytest.mark.django_db


# --- helpers ----------------------------------------------------------------------------------


def choice_data(**overrides) -> dict:
    data = {
        "kind": "choice",
        "text_pl": "Czym jest obszar rewitalizacji?",
        "text_en": "What is a revitalization area?",
        "choices_pl": "Częścią gminy\nCałą gminą\nPowiatem",
        "choices_en": "",
        "correct_choice": 1,
        "required": True,
    }
    data.update(overrides)
    return data


def make_surveys(programme, staff=None):
    """A knowledge test (two scored choice questions and an optional text one) and a
    satisfaction survey (scale, choice, text)."""
    knowledge = survey_save(programme=programme, kind="knowledge", title_pl="Test", by=staff)
    q1 = question_save(survey=knowledge, data=choice_data(correct_choice=1), by=staff)
    q2 = question_save(
        survey=knowledge,
        data=choice_data(
            text_pl="Kto uchwala GPR?",
            text_en="",
            choices_pl="Wojewoda\nRada gminy",
            correct_choice=2,
        ),
        by=staff,
    )
    q3 = question_save(
        survey=knowledge,
        data={"kind": "text", "text_pl": "Czego oczekujesz?", "required": False},
        by=staff,
    )
    satisfaction = survey_save(
        programme=programme, kind="satisfaction", title_pl="Ankieta", reminder_days=2, by=staff
    )
    s1 = question_save(
        survey=satisfaction, data={"kind": "scale", "text_pl": "Ocena", "required": True}, by=staff
    )
    s2 = question_save(
        survey=satisfaction,
        data={"kind": "choice", "text_pl": "Polecisz?", "choices_pl": "Tak\nNie", "required": True},
        by=staff,
    )
    s3 = question_save(
        survey=satisfaction,
        data={"kind": "text", "text_pl": "Uwagi", "required": False},
        by=staff,
    )
    return knowledge, satisfaction, (q1, q2, q3), (s1, s2, s3)


def attend(registration, number=1, present=True):
    day = registration.edition.days.get(number=number)
    return Attendance.objects.create(registration=registration, day=day, present=present)


def at(edition, days_after_start: int, hour: int = 12) -> dt.datetime:
    """An aware moment ``days_after_start`` days after the edition's first day."""
    date = edition.starts_on + dt.timedelta(days=days_after_start)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, 0)))


def run(now):
    """``surveys_send`` at ``now``, with the outbox rows it creates dated ``now``."""
    existing = set(OutboundEmail.objects.values_list("pk", flat=True))
    counts = surveys_send(now=now)
    OutboundEmail.objects.exclude(pk__in=existing).update(created_at=now)
    return counts


@pytest.fixture
def setup(staff):
    edition = make_edition()
    knowledge, satisfaction, kq, sq = make_surveys(edition.programme, staff)
    return {
        "staff": staff,
        "edition": edition,
        "knowledge": knowledge,
        "satisfaction": satisfaction,
        "kq": kq,
        "sq": sq,
    }


def answer_knowledge(registration, knowledge, phase, correct: int, now=None):
    """Answer the test with ``correct`` of its two scored questions right."""
    q1, q2 = knowledge.questions.filter(kind="choice").order_by("order")

    def wrong(q):
        return (q.correct_choice + 1) % len(q.choices)

    answers = {
        str(q1.pk): q1.correct_choice if correct >= 1 else wrong(q1),
        str(q2.pk): q2.correct_choice if correct >= 2 else wrong(q2),
    }
    return response_submit(
        registration=registration, survey=knowledge, phase=phase, answers=answers, now=now
    )


# --- the builder --------------------------------------------------------------------------------


def test_survey_save_creates_then_changes_and_audits():
    edition = make_edition()
    survey = survey_save(programme=edition.programme, kind="knowledge", title_pl="Test", by=None)
    again = survey_save(
        programme=edition.programme, kind="knowledge", title_pl="Test 2", reminder_days=5, by=None
    )
    assert again.pk == survey.pk
    survey.refresh_from_db()
    assert (survey.title_pl, survey.reminder_days) == ("Test 2", 5)
    actions = list(
        AuditEntry.objects.filter(action__startswith="training.survey.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["training.survey.change", "training.survey.create"]


def test_survey_needs_a_title_and_a_known_kind():
    edition = make_edition()
    with pytest.raises(SurveyError):
        survey_save(programme=edition.programme, kind="knowledge", title_pl="  ", by=None)
    with pytest.raises(SurveyError):
        survey_save(programme=edition.programme, kind="quiz", title_pl="X", by=None)
    assert not Survey.objects.exists()


def test_choice_question_is_stored_with_its_choices_and_correct_index():
    edition = make_edition()
    survey = survey_save(programme=edition.programme, kind="knowledge", title_pl="T", by=None)
    question = question_save(
        survey=survey,
        data=choice_data(choices_en="Part of a gmina\nWhole gmina\nA county", correct_choice=2),
        by=None,
    )
    assert question.choices == [
        {"pl": "Częścią gminy", "en": "Part of a gmina"},
        {"pl": "Całą gminą", "en": "Whole gmina"},
        {"pl": "Powiatem", "en": "A county"},
    ]
    assert question.correct_choice == 1  # the second line, stored 0-based
    with translation.override("en"):
        assert question.choice_labels()[0] == "Part of a gmina"
    assert AuditEntry.objects.filter(action="training.survey.question_add").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"choices_pl": ""}, "choices_pl"),  # a choice question without options
        ({"choices_pl": "Tylko jedna"}, "choices_pl"),
        ({"choices_pl": "\n".join(f"O{n}" for n in range(9))}, "choices_pl"),
        ({"correct_choice": 4}, "correct_choice"),  # out of range: 3 choices
        ({"correct_choice": 0}, "correct_choice"),
        ({"correct_choice": None}, "correct_choice"),  # a knowledge test needs it
        ({"choices_en": "Only one in English"}, "choices_en"),
        ({"kind": "scale"}, "choices_pl"),  # choices given to a scale question
        ({"text_pl": "  "}, "text_pl"),
        ({"kind": "ranking"}, "kind"),
    ],
)
def test_question_validation_names_the_field(overrides, field):
    edition = make_edition()
    survey = survey_save(programme=edition.programme, kind="knowledge", title_pl="T", by=None)
    with pytest.raises(SurveyError) as caught:
        question_save(survey=survey, data=choice_data(**overrides), by=None)
    assert field in caught.value.message_dict
    assert not Question.objects.exists()


def test_satisfaction_choice_needs_no_correct_answer_and_text_needs_no_choices():
    edition = make_edition()
    survey = survey_save(programme=edition.programme, kind="satisfaction", title_pl="A", by=None)
    question = question_save(survey=survey, data=choice_data(correct_choice=None), by=None)
    assert question.correct_choice is None
    text = question_save(survey=survey, data={"kind": "text", "text_pl": "Uwagi"}, by=None)
    assert (text.choices, text.correct_choice, text.required) == ([], None, False)
    assert list(survey.questions.values_list("order", flat=True)) == [0, 1]


def test_questions_cannot_change_once_answered(setup):
    knowledge, (q1, _q2, _q3) = setup["knowledge"], setup["kq"]
    registration = accepted(setup["edition"])
    answer_knowledge(registration, knowledge, BEFORE, correct=1)
    with pytest.raises(SurveyError, match="comparable"):
        question_save(survey=knowledge, question=q1, data=choice_data(text_pl="Nowe"), by=None)
    with pytest.raises(SurveyError, match="comparable"):
        question_save(survey=knowledge, data=choice_data(), by=None)
    with pytest.raises(SurveyError, match="comparable"):
        question_delete(question=q1, by=None)
    q1.refresh_from_db()
    assert q1.text_pl == "Czym jest obszar rewitalizacji?"
    assert knowledge.questions.count() == 3
    # The satisfaction survey has no answers yet: it can still change.
    question_delete(question=setup["sq"][2], by=None)
    assert setup["satisfaction"].questions.count() == 2


def test_questions_move_up_and_down_even_after_answers(setup):
    knowledge, (q1, q2, q3) = setup["knowledge"], setup["kq"]
    answer_knowledge(accepted(setup["edition"]), knowledge, BEFORE, correct=2)
    question_move(question=q3, up=True, by=None)
    assert list(knowledge.questions.order_by("order").values_list("pk", flat=True)) == [
        q1.pk,
        q3.pk,
        q2.pk,
    ]
    question_move(question=q1, up=True, by=None)  # already first: nothing changes
    question_move(question=q1, up=False, by=None)
    assert list(knowledge.questions.order_by("order").values_list("pk", flat=True)) == [
        q3.pk,
        q1.pk,
        q2.pk,
    ]
    assert AuditEntry.objects.filter(action="training.survey.question_move").count() == 2


# --- who may answer when ---------------------------------------------------------------------


def test_before_test_is_open_to_accepted_participants_until_the_start(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    registration = accepted(edition)
    assert availability(registration, knowledge, BEFORE).open
    start = evaluation.first_day_start(edition)
    assert availability(registration, knowledge, BEFORE, now=start - dt.timedelta(minutes=1)).open
    closed = availability(registration, knowledge, BEFORE, now=start)
    assert (closed.open, closed.state) == (False, "closed")


def test_before_test_is_not_for_people_not_accepted(setup):
    edition = make_edition(capacity=1, programme=setup["edition"].programme)
    accepted(edition)
    waiting = register(edition)
    assert waiting.status == RegStatus.WAITLISTED
    state = availability(waiting, setup["knowledge"], BEFORE)
    assert (state.open, state.state) == (False, "not_for_you")


def test_after_surveys_are_for_attendees_from_the_last_day(setup):
    edition = setup["edition"]
    present, absent, marked_absent = accepted(edition), accepted(edition), accepted(edition)
    attend(present, number=2)
    attend(marked_absent, present=False)
    for survey in (setup["knowledge"], setup["satisfaction"]):
        early = availability(present, survey, AFTER, now=at(edition, 1))
        assert (early.open, early.state, early.opens_on) == (False, "later", edition.ends_on)
        assert availability(present, survey, AFTER, now=at(edition, 2, hour=8)).open
        assert availability(present, survey, AFTER, now=at(edition, 40)).open
        for person in (absent, marked_absent):
            state = availability(person, survey, AFTER, now=at(edition, 3))
            assert (state.open, state.state) == (False, "not_for_you")
    # The satisfaction survey has no "before".
    assert not availability(present, setup["satisfaction"], BEFORE).open


def test_a_survey_without_questions_is_not_open():
    edition = make_edition()
    survey = survey_save(programme=edition.programme, kind="knowledge", title_pl="T", by=None)
    state = availability(accepted(edition), survey, BEFORE)
    assert (state.open, state.state) == (False, "closed")


# --- answering ------------------------------------------------------------------------------


def test_scoring_counts_correct_choices(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    (q1, q2, q3) = setup["kq"]
    response = response_submit(
        registration=accepted(edition),
        survey=knowledge,
        phase=BEFORE,
        answers={str(q1.pk): "0", str(q2.pk): 0, str(q3.pk): "  Dużo praktyki "},
    )
    assert (response.score, response.max_score) == (1, 2)  # q1's correct answer is index 0
    assert response.answers == {str(q1.pk): 0, str(q2.pk): 0, str(q3.pk): "Dużo praktyki"}


def test_satisfaction_responses_have_no_score(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    attend(registration)
    s1, s2, _s3 = setup["sq"]
    response = response_submit(
        registration=registration,
        survey=setup["satisfaction"],
        phase=AFTER,
        answers={str(s1.pk): 5, str(s2.pk): 0},
        now=at(edition, 3),
    )
    assert (response.score, response.max_score) == (None, None)


def test_each_phase_is_answered_once(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    registration = accepted(edition)
    answer_knowledge(registration, knowledge, BEFORE, correct=2)
    with pytest.raises(SurveyError, match="already answered"):
        answer_knowledge(registration, knowledge, BEFORE, correct=0)
    assert SurveyResponse.objects.get().score == 2
    # The "after" phase is a separate answer.
    attend(registration)
    answer_knowledge(registration, knowledge, AFTER, correct=1, now=at(edition, 2))
    assert SurveyResponse.objects.count() == 2


def test_required_questions_are_enforced_by_name(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    q1, q2, _q3 = setup["kq"]
    with translation.override("en"), pytest.raises(SurveyError) as caught:
        response_submit(
            registration=accepted(edition),
            survey=knowledge,
            phase=BEFORE,
            answers={str(q1.pk): 0, str(q2.pk): ""},
        )
    assert caught.value.messages == ["Answer the question “Kto uchwala GPR?”; it is required."]
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("value", [7, "x", -1])
def test_answers_outside_the_options_are_refused(setup, value):
    edition, knowledge = setup["edition"], setup["knowledge"]
    q1, q2, _q3 = setup["kq"]
    with pytest.raises(SurveyError):
        response_submit(
            registration=accepted(edition),
            survey=knowledge,
            phase=BEFORE,
            answers={str(q1.pk): value, str(q2.pk): 0},
        )
    assert not SurveyResponse.objects.exists()


def test_answer_is_audited_without_its_content(setup):
    registration = accepted(setup["edition"])
    answer_knowledge(registration, setup["knowledge"], BEFORE, correct=1)
    entry = AuditEntry.objects.get(action="training.survey.answer")
    assert entry.data == {"survey": setup["knowledge"].pk, "kind": "knowledge", "phase": "before"}
    assert entry.object_id == str(registration.pk)


# --- statistics -------------------------------------------------------------------------------


def test_gain_is_computed_over_paired_respondents_only(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    both, only_before, only_after, both_2 = (accepted(edition) for _ in range(4))
    answer_knowledge(both, knowledge, BEFORE, correct=0)
    answer_knowledge(both_2, knowledge, BEFORE, correct=1)
    answer_knowledge(only_before, knowledge, BEFORE, correct=2)
    for person in (both, both_2, only_after):
        attend(person)
    after = at(edition, 2)
    answer_knowledge(both, knowledge, AFTER, correct=2, now=after)
    answer_knowledge(both_2, knowledge, AFTER, correct=2, now=after)
    answer_knowledge(only_after, knowledge, AFTER, correct=0, now=after)

    gain = knowledge_gain(
        list(SurveyResponse.objects.filter(phase=BEFORE)),
        list(SurveyResponse.objects.filter(phase=AFTER)),
    )
    assert gain["max_score"] == 2
    assert gain["before"] == {"n": 3, "mean": 1.0}  # (0 + 1 + 2) / 3
    assert gain["after"] == {"n": 3, "mean": round(4 / 3, 2)}  # (2 + 2 + 0) / 3
    # Paired: "both" 0 → 2 and "both_2" 1 → 2; the others do not count.
    assert gain["paired"] == {
        "n": 2,
        "before": 0.5,
        "after": 2.0,
        "gain": 1.5,
        "gain_percent": 75.0,
    }


def test_gain_without_pairs_is_empty():
    gain = knowledge_gain([], [])
    assert gain["paired"] == {
        "n": 0,
        "before": None,
        "after": None,
        "gain": None,
        "gain_percent": None,
    }
    assert gain["max_score"] is None


def test_results_numbers_per_question_and_phase(setup):
    edition, satisfaction = setup["edition"], setup["satisfaction"]
    s1, s2, s3 = setup["sq"]
    people = [accepted(edition) for _ in range(5)]
    for person in people[:4]:
        attend(person)
    answers = [
        {str(s1.pk): 5, str(s2.pk): 0, str(s3.pk): "świetne"},
        {str(s1.pk): 4, str(s2.pk): 0, str(s3.pk): "Ale za krótko"},
        {str(s1.pk): 5, str(s2.pk): 1},
    ]
    for person, given in zip(people, answers, strict=False):
        response_submit(
            registration=person, survey=satisfaction, phase=AFTER, answers=given, now=at(edition, 3)
        )
    data = results(edition.programme, Registration.objects.filter(edition=edition))
    item = next(r for r in data if r["survey"] == satisfaction)
    (phase,) = item["phases"]
    assert (phase["expected"], phase["responses"], phase["rate"]) == (4, 3, 75)
    scale, choice, text = phase["questions"]
    assert scale["mean"] == round(14 / 3, 2)
    assert [(d["value"], d["count"], d["percent"]) for d in scale["distribution"]] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 0, 0),
        (4, 1, 33),
        (5, 2, 67),
    ]
    assert [(c["label"], c["count"], c["percent"]) for c in choice["choices"]] == [
        ("Tak", 2, 67),
        ("Nie", 1, 33),
    ]
    # Text answers: no names, in alphabetical order (not the order of answering).
    assert text["texts"] == ["Ale za krótko", "świetne"]
    assert item["knowledge"] is None
    knowledge_item = next(r for r in data if r["survey"] == setup["knowledge"])
    before, after = knowledge_item["phases"]
    assert (before["expected"], before["responses"], before["rate"]) == (5, 0, 0)
    assert (after["expected"], after["responses"]) == (4, 0)


def test_response_rates_shape(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    accepted(edition)
    answer_knowledge(registration, setup["knowledge"], BEFORE, correct=1)
    assert response_rates(edition) == {
        "knowledge": {
            "before": {"expected": 2, "responses": 1, "rate": 50},
            "after": {"expected": 0, "responses": 0, "rate": None},
        },
        "satisfaction": {"after": {"expected": 0, "responses": 0, "rate": None}},
    }


def test_expected_counts_people_who_answered_and_then_withdrew(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    answer_knowledge(registration, setup["knowledge"], BEFORE, correct=1)
    Registration.objects.filter(pk=registration.pk).update(status=RegStatus.WITHDRAWN)
    assert response_rates(edition)["knowledge"]["before"] == {
        "expected": 1,
        "responses": 1,
        "rate": 100,
    }


# --- invitations and reminders -------------------------------------------------------------------


def keys():
    return sorted(
        OutboundEmail.objects.filter(key__startswith="training:survey:").values_list(
            "key", flat=True
        )
    )


def survey_emails():
    return OutboundEmail.objects.filter(key__startswith="training:survey:")


def test_before_invitation_waits_until_a_week_before_or_registration_closes(setup):
    edition = setup["edition"]  # starts in 30 days; registration closes 20 days from now,
    # so 11 days before the start (noon) is before it closes whatever the time of day now.
    registration = accepted(edition)
    assert run(at(edition, -11)) == {"invitations": 0, "reminders": 0}
    assert run(at(edition, -7)) == {"invitations": 1, "reminders": 0}
    assert keys() == [f"training:survey:{registration.pk}:before:invite"]
    email = survey_emails().get()
    assert email.to == registration.email
    assert evaluation.answer_url(registration, setup["knowledge"], BEFORE) in email.body


def test_before_invitation_once_registration_closes():
    edition = make_edition(starts_in_days=30, closes_in_days=20)
    make_surveys(edition.programme)
    accepted(edition)
    closes = edition.registration_closes_at
    assert run(closes - dt.timedelta(minutes=1))["invitations"] == 0
    assert run(closes)["invitations"] == 1


def test_command_is_idempotent_and_reminds_once(setup):
    edition, knowledge = setup["edition"], setup["knowledge"]
    answered, silent = accepted(edition), accepted(edition)
    first = at(edition, -7)
    assert run(first) == {"invitations": 2, "reminders": 0}
    assert run(first + dt.timedelta(hours=1)) == {"invitations": 0, "reminders": 0}
    answer_knowledge(answered, knowledge, BEFORE, correct=1, now=first + dt.timedelta(days=1))
    # knowledge.reminder_days is 3 (the default).
    assert run(first + dt.timedelta(days=2, hours=23))["reminders"] == 0
    assert run(first + dt.timedelta(days=3)) == {"invitations": 0, "reminders": 1}
    assert run(first + dt.timedelta(days=5)) == {"invitations": 0, "reminders": 0}
    assert keys() == sorted(
        [
            f"training:survey:{answered.pk}:before:invite",
            f"training:survey:{silent.pk}:before:invite",
            f"training:survey:{knowledge.pk}:{silent.pk}:before:reminder",
        ]
    )


def test_management_command_runs_twice_without_sending_more():
    edition = make_edition(starts_in_days=5, closes_in_days=2)
    make_surveys(edition.programme)
    accepted(edition)
    accepted(edition)
    call_command("workshop_surveys", verbosity=0)
    assert survey_emails().count() == 2
    call_command("workshop_surveys", verbosity=0)
    assert survey_emails().count() == 2


def test_after_invitations_go_to_attendees_only(setup):
    edition, knowledge, satisfaction = setup["edition"], setup["knowledge"], setup["satisfaction"]
    present, absent = accepted(edition), accepted(edition)
    attend(present, number=3)
    attend(absent, present=False)
    last_end = evaluation.last_day_end(edition)
    run(at(edition, -1))  # the "before" invitations
    survey_emails().delete()
    assert run(last_end - dt.timedelta(minutes=1))["invitations"] == 0
    assert run(last_end) == {"invitations": 1, "reminders": 0}
    assert keys() == [f"training:survey:{present.pk}:after:invite"]
    body = survey_emails().get().body
    assert evaluation.answer_url(present, knowledge, AFTER) in body
    assert evaluation.answer_url(present, satisfaction, AFTER) in body
    # Reminders: satisfaction after 2 days, the knowledge test after 3; never for the absent.
    assert run(last_end + dt.timedelta(days=2)) == {"invitations": 0, "reminders": 1}
    answer_knowledge(present, knowledge, AFTER, correct=2, now=last_end + dt.timedelta(days=2))
    assert run(last_end + dt.timedelta(days=3)) == {"invitations": 0, "reminders": 0}
    assert not survey_emails().filter(to=absent.email).exists()
    assert keys() == sorted(
        [
            f"training:survey:{present.pk}:after:invite",
            f"training:survey:{satisfaction.pk}:{present.pk}:after:reminder",
        ]
    )


def test_people_who_answered_everything_get_no_after_invitation(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    attend(registration)
    last_end = evaluation.last_day_end(edition)
    answer_knowledge(registration, setup["knowledge"], AFTER, correct=1, now=last_end)
    s1, s2, _s3 = setup["sq"]
    response_submit(
        registration=registration,
        survey=setup["satisfaction"],
        phase=AFTER,
        answers={str(s1.pk): 3, str(s2.pk): 1},
        now=last_end,
    )
    assert run(last_end + dt.timedelta(hours=1)) == {"invitations": 0, "reminders": 0}


def test_no_reminder_when_reminder_days_is_zero(setup):
    edition = setup["edition"]
    setup["knowledge"].reminder_days = 0
    setup["knowledge"].save()
    accepted(edition)
    first = at(edition, -7)
    run(first)
    assert run(first + dt.timedelta(days=6))["reminders"] == 0


def test_old_and_cancelled_editions_are_left_alone(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    attend(registration)
    too_late = evaluation.last_day_end(edition) + dt.timedelta(
        days=evaluation.AFTER_WINDOW_DAYS + 2
    )
    assert run(too_late)["invitations"] == 0
    from lokalnie.training import services

    services.edition_transition(edition=edition, action="cancel", by=None, reason="Powódź")
    assert run(at(edition, -3))["invitations"] == 0


def test_emails_go_out_in_the_participants_language(setup):
    edition = setup["edition"]
    registration = accepted(edition)
    Registration.objects.filter(pk=registration.pk).update(language="en")
    run(at(edition, -7))
    email = survey_emails().get()
    assert email.language == "en"
    assert "knowledge test" in email.subject
