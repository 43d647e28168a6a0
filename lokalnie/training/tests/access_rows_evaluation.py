"""Access-matrix rows of evaluation (surveys, answering, results)."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone, signed_in
from lokalnie.training.models import Programme, Question, Survey

# The survey builder and the programme-wide results: staff only (others 403, anonymous
# users are sent to the login page).
STAFF_PAGE = {**signed_in(403), "staff": OK}
STAFF_ACTION = {**signed_in(403), "staff": REDIRECT}
# An edition's results: its coordinators/trainers (the world's trainer) and staff; other
# people get 404 so that ids reveal nothing.
EDITION_PAGE = {**everyone(404), "anonymous": LOGIN, "trainer": OK, "staff": OK}

ROWS = {
    "training:survey_builder": Row(args=("programme_slug",), outcomes=STAFF_PAGE),
    "training:survey_edit": Row(args=("programme_slug", "test-wiedzy"), outcomes=STAFF_PAGE),
    "training:survey_question_add": Row(args=("survey",), outcomes=STAFF_PAGE),
    "training:survey_question_edit": Row(args=("survey_question",), outcomes=STAFF_PAGE),
    "training:survey_question_delete": Row(
        method="post", args=("survey_question",), outcomes=STAFF_ACTION
    ),
    "training:survey_question_move": Row(
        method="post",
        args=("survey_question",),
        data={"direction": "down"},
        outcomes=STAFF_ACTION,
    ),
    "training:evaluation_programme": Row(args=("programme_slug",), outcomes=STAFF_PAGE),
    "training:evaluation_edition": Row(args=("edition",), outcomes=EDITION_PAGE),
    # The secret link of the registration is the key: whoever has it sees the form while
    # it is open (here the knowledge test before the workshop, for an accepted participant
    # of an edition that starts in 30 days). When it is not open, everyone is redirected
    # to the registration page with a message saying why (see test_evaluation_views).
    "training:survey_answer": Row(
        args=("registration_token", "test-wiedzy", "przed"), outcomes=everyone(OK)
    ),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["programme"])
    knowledge = Survey.objects.create(
        programme=programme, kind=Survey.Kind.KNOWLEDGE, title_pl="Test wiedzy"
    )
    question = Question.objects.create(
        survey=knowledge,
        order=0,
        kind=Question.Kind.CHOICE,
        text_pl="Co to jest obszar rewitalizacji?",
        choices=[{"pl": "Część gminy", "en": ""}, {"pl": "Cała gmina", "en": ""}],
        correct_choice=0,
    )
    Question.objects.create(
        survey=knowledge, order=1, kind=Question.Kind.TEXT, text_pl="Uwagi", required=False
    )
    satisfaction = Survey.objects.create(
        programme=programme, kind=Survey.Kind.SATISFACTION, title_pl="Ankieta satysfakcji"
    )
    Question.objects.create(
        survey=satisfaction, kind=Question.Kind.SCALE, text_pl="Ocena warsztatu"
    )
    world.update(survey=knowledge.pk, survey_question=question.pk)
