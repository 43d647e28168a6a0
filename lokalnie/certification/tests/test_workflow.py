"""The application workflow: the transition table, who may take each step, reasons, deadlines,
audit entries and e-mails to whoever acts next."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lokalnie.accounts.models import Role
from lokalnie.certification import services
from lokalnie.certification.models import Application
from lokalnie.certification.tests.factories import make_application
from lokalnie.certification.workflow import TRANSITIONS, Status, TransitionNotAllowed
from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people():
    owner = make_user(email="owner@example.org", language="en")
    return {
        "owner": owner,
        "staff": make_user(email="staff@example.org", roles=[Role.STAFF]),
        "committee": make_user(email="committee@example.org", roles=[Role.COMMITTEE]),
        "board": make_user(email="board@example.org", roles=[Role.BOARD]),
        "institution": make_institution(owner=owner),
    }


# Who takes each step in these tests, and what they write.
ACTOR = {
    "submit": "owner",
    "withdraw": "owner",
    "appeal": "owner",
    "return": "staff",
    "accept": "staff",
    "schedule_visit": "staff",
    "recommend": "staff",
    "close_refusal": None,
    "grant": "committee",
    "refuse": "committee",
    "board_grant": "board",
    "board_refuse": "board",
}


def put_in(application, status, *, deadline_passed=False):
    today = timezone.now().date()
    deadline = today - dt.timedelta(days=1) if deadline_passed else today + dt.timedelta(days=30)
    Application.objects.filter(pk=application.pk).update(status=status, appeal_deadline=deadline)
    application.refresh_from_db()


def prepare(application, action):
    """What a step needs besides the status: submitted reviews, Committee votes."""
    from lokalnie.certification.models import Assignment, Vote

    if action == "recommend":
        for _ in range(2):
            Assignment.objects.create(
                application=application,
                assessor=make_user(roles=[Role.ASSESSOR]),
                no_conflict_declared_at=timezone.now(),
                submitted_at=timezone.now(),
            )
    if action in {"grant", "refuse"}:
        Vote.objects.create(
            application=application, member=make_user(roles=[Role.COMMITTEE]), choice=action
        )


def test_every_action_has_an_actor_in_these_tests():
    assert set(ACTOR) == set(TRANSITIONS)


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", Status.values)
def test_transition_table(people, action, status):
    transition = TRANSITIONS[action]
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, status, deadline_passed=action == "close_refusal")
    prepare(application, action)
    actor = people[ACTOR[action]] if ACTOR[action] else None
    call = lambda: services.application_transition(  # noqa: E731
        application=application, action=action, by=actor, reason="Uzasadnienie."
    )
    if status in transition.sources:
        result = call()
        assert result.status == transition.target
        entry = AuditEntry.objects.filter(action=f"application.{action}").get()
        assert (entry.from_state, entry.to_state) == (status, transition.target)
    else:
        with pytest.raises(TransitionNotAllowed):
            call()
        assert Application.objects.get(pk=application.pk).status == status


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_only_the_right_people_take_each_step(people, action):
    transition = TRANSITIONS[action]
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, transition.sources[0], deadline_passed=action == "close_refusal")
    prepare(application, action)
    outsider = make_user()
    for role, user in [
        ("outsider", outsider),
        *((name, people[name]) for name in ["owner", "staff", "committee", "board"]),
    ]:
        # Closing after the deadline is done by the system (cron) or by staff.
        if role == ACTOR[action] or (action == "close_refusal" and role == "staff"):
            continue
        with pytest.raises(PermissionDenied):
            services.application_transition(
                application=application, action=action, by=user, reason="x"
            )
    assert Application.objects.get(pk=application.pk).status == transition.sources[0]


@pytest.mark.parametrize("action", sorted(a for a, t in TRANSITIONS.items() if t.reason_required))
def test_steps_that_need_written_reasons_refuse_without_them(people, action):
    transition = TRANSITIONS[action]
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, transition.sources[0])
    prepare(application, action)
    with pytest.raises(ValidationError, match="Written reasons are required"):
        services.application_transition(
            application=application, action=action, by=people[ACTOR[action]], reason="   "
        )
    assert Application.objects.get(pk=application.pk).status == transition.sources[0]


def test_refusal_requires_written_reasons_and_sets_the_appeal_deadline(people):
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, Status.RECOMMENDED)
    prepare(application, "refuse")
    now = timezone.now()
    services.application_transition(
        application=application,
        action="refuse",
        by=people["committee"],
        reason="Brak dowodów zmiany.",
        appeal_days=14,
        now=now,
    )
    application.refresh_from_db()
    assert application.decision_reasons == "Brak dowodów zmiany."
    assert application.appeal_deadline == (now + dt.timedelta(days=14)).date()


def test_submitting_lists_exactly_what_is_missing(people):
    application = make_application(
        institution=people["institution"], by=people["owner"], complete=False
    )
    with pytest.raises(ValidationError) as excinfo:
        services.application_transition(
            application=application, action="submit", by=people["owner"]
        )
    assert [m.split(":")[0] for m in excinfo.value.messages] == [
        *["Requirement not confirmed"] * 3,
        "Report section I is empty",
        "Report section II is empty",
        *["Report section III is empty"] * 4,
        *["Attachment missing"] * 4,
        "Section III needs 3–4 photos; there are 0.",
    ]
    first = application.checklist.first()
    services.checklist_save(
        application=application, by=people["owner"], answers={first.requirement_id: (True, "")}
    )
    with pytest.raises(ValidationError) as excinfo:
        services.application_transition(
            application=application, action="submit", by=people["owner"]
        )
    assert excinfo.value.messages[0].startswith("Say where this is documented")


def test_appeal_after_the_deadline_is_refused(people):
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, Status.RECOMMENDED)
    prepare(application, "refuse")
    decided = timezone.now() - dt.timedelta(days=40)
    services.application_transition(
        application=application,
        action="refuse",
        by=people["committee"],
        reason="Powody.",
        appeal_days=30,
        now=decided,
    )
    with pytest.raises(ValidationError, match="appeal deadline"):
        services.application_transition(
            application=application, action="appeal", by=people["owner"], reason="Odwołanie."
        )
    services.application_transition(application=application, action="close_refusal", by=None)
    assert Application.objects.get(pk=application.pk).status == Status.REFUSED_FINAL


def test_refusal_cannot_be_closed_before_the_deadline(people):
    application = make_application(institution=people["institution"], by=people["owner"])
    put_in(application, Status.RECOMMENDED)
    prepare(application, "refuse")
    services.application_transition(
        application=application, action="refuse", by=people["committee"], reason="Powody."
    )
    with pytest.raises(ValidationError, match="has not passed"):
        services.application_transition(application=application, action="close_refusal", by=None)


def test_each_step_emails_whoever_acts_next(people):
    application = make_application(institution=people["institution"], by=people["owner"])
    services.application_transition(application=application, action="submit", by=people["owner"])
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    services.application_transition(
        application=application, action="return", by=people["staff"], reason="Dołącz statut."
    )
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Dołącz statut." in mail.outbox[-1].body
    assert mail.outbox[-1].subject.startswith(f"Application {application.reference}:")


def test_emails_go_out_in_each_recipients_language(people):
    make_user(email="staff-pl@example.org", roles=[Role.STAFF], language="pl")
    people["staff"].preferred_language = "en"
    people["staff"].save()
    application = make_application(institution=people["institution"], by=people["owner"])
    services.application_transition(application=application, action="submit", by=people["owner"])
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "submitted, awaiting the formal check" in subjects["staff@example.org"]
    assert subjects["staff-pl@example.org"].startswith("Wniosek")


def test_one_open_application_per_institution_and_area(people):
    make_application(institution=people["institution"], by=people["owner"])
    with pytest.raises(ValidationError, match="already has an open application"):
        make_application(institution=people["institution"], by=people["owner"])


def test_outsiders_cannot_apply_for_an_institution(people):
    from lokalnie.certification.tests.factories import area

    with pytest.raises(PermissionDenied):
        services.application_create(institution=people["institution"], area=area(), by=make_user())


def test_checklist_is_frozen_after_submission(people):
    application = make_application(institution=people["institution"], by=people["owner"])
    services.application_transition(application=application, action="submit", by=people["owner"])
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.checklist_save(application=application, by=people["owner"], answers={})


def test_the_daily_command_closes_refusals_after_the_deadline(people):
    from django.core.management import call_command

    late = make_application(institution=people["institution"], by=people["owner"])
    put_in(late, Status.REFUSED, deadline_passed=True)
    other = make_institution(owner=people["owner"])
    waiting = make_application(institution=other, by=people["owner"])
    put_in(waiting, Status.REFUSED)
    call_command("close_expired_appeals", verbosity=0)
    call_command("close_expired_appeals", verbosity=0)
    assert Application.objects.get(pk=late.pk).status == Status.REFUSED_FINAL
    assert Application.objects.get(pk=waiting.pk).status == Status.REFUSED
    assert AuditEntry.objects.filter(action="application.close_refusal").count() == 1
