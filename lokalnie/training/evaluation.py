"""Evaluation of workshops: the survey builder, answering, invitations and reminders, and
the statistics of the results.

Each programme has at most two surveys: the knowledge test (the same questions asked
before the workshop and after it; choice questions with a correct answer are scored) and
the satisfaction survey (after). Who may answer when:

* the knowledge test "before": accepted participants, until the first day starts;
* the knowledge test "after" and the satisfaction survey: attendees (present on at least
  one day), from the last day on.

Each person answers each survey once per phase (a database constraint backs this). Once
a survey has responses, its questions cannot be added, changed or deleted: the answers
would stop being comparable (moving a question up or down is still allowed; answers
are stored by question id).

E-mails (``surveys_send``, run daily by ``manage.py workshop_surveys``): the "before"
invitation to accepted participants once registration closes or within 7 days of the
start; the "after" invitation (the knowledge test and the satisfaction survey) to
attendees after the last day; one reminder per survey phase to those who have not
answered ``survey.reminder_days`` days after their invitation (0: no reminders). Every
e-mail has an outbox key, so running the command again sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue
from lokalnie.core.models import OutboundEmail
from lokalnie.training.models import (
    Attendance,
    Edition,
    Programme,
    Question,
    Registration,
    Survey,
    SurveyResponse,
)
from lokalnie.training.workflow import EditionStatus, RegStatus

KNOWLEDGE = Survey.Kind.KNOWLEDGE
SATISFACTION = Survey.Kind.SATISFACTION
BEFORE = SurveyResponse.Phase.BEFORE
AFTER = SurveyResponse.Phase.AFTER

# Which phases each kind of survey has.
PHASES = {KNOWLEDGE: (BEFORE, AFTER), SATISFACTION: (AFTER,)}
MIN_CHOICES, MAX_CHOICES = 2, 8
SCALE = (1, 2, 3, 4, 5)
# "Before" invitations go out this many days before the start (or when registration closes).
INVITE_BEFORE_DAYS = 7
# "After" invitations and reminders are sent for this many days after the last day.
AFTER_WINDOW_DAYS = 30


class SurveyError(ValidationError):
    """A change or an answer refused for a reason the person should read."""


# --- The builder -----------------------------------------------------------------------------


def _refuse_if_answered(survey: Survey) -> None:
    if survey.responses.exists():
        raise SurveyError(
            _(
                "People have already answered this survey, so its questions can no longer be "
                "added, changed or deleted: the results would stop being comparable."
            )
        )


@transaction.atomic
def survey_save(
    *,
    programme: Programme,
    kind: str,
    title_pl: str,
    title_en: str = "",
    reminder_days: int = 3,
    by,
) -> Survey:
    """Create the programme's survey of ``kind`` or change its title and reminder days."""
    if kind not in PHASES:
        raise SurveyError(_("Unknown kind of survey."))
    if not title_pl.strip():
        raise SurveyError({"title_pl": _("Give the survey a title in Polish.")})
    survey = Survey.objects.select_for_update().filter(programme=programme, kind=kind).first()
    creating = survey is None
    if creating:
        survey = Survey(programme=programme, kind=kind)
    survey.title_pl = title_pl.strip()
    survey.title_en = title_en.strip()
    survey.reminder_days = reminder_days
    survey.full_clean()
    survey.save()
    audit_record(
        actor=by,
        action="training.survey.create" if creating else "training.survey.change",
        obj=survey,
        data={"programme": programme.pk, "kind": kind, "reminder_days": reminder_days},
    )
    return survey


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _checked_question(survey: Survey, data: dict) -> dict:
    """The question's fields from the builder's form data, or ValidationError per field."""
    kind = data.get("kind")
    if kind not in Question.Kind.values:
        raise SurveyError({"kind": _("Choose the kind of question.")})
    text_pl = (data.get("text_pl") or "").strip()
    errors: dict[str, str] = {}
    if not text_pl:
        errors["text_pl"] = _("Write the question in Polish.")
    pl, en = _lines(data.get("choices_pl", "")), _lines(data.get("choices_en", ""))
    correct = data.get("correct_choice")
    choices: list[dict] = []
    correct_index = None
    if kind == Question.Kind.CHOICE:
        if not MIN_CHOICES <= len(pl) <= MAX_CHOICES:
            errors["choices_pl"] = _(
                "A single-choice question needs %(min)d to %(max)d answers, one per line "
                "(there are %(count)d)."
            ) % {"min": MIN_CHOICES, "max": MAX_CHOICES, "count": len(pl)}
        if en and len(en) != len(pl):
            errors["choices_en"] = _(
                "Give the English answers in the same order and number as the Polish ones "
                "(%(pl)d in Polish, %(en)d in English), or leave them all empty."
            ) % {"pl": len(pl), "en": len(en)}
        if not errors:
            choices = [{"pl": text, "en": en[i] if en else ""} for i, text in enumerate(pl)]
        if survey.kind == KNOWLEDGE:
            if correct in (None, ""):
                errors["correct_choice"] = _(
                    "Give the number of the correct answer (1 for the first line)."
                )
            elif not 1 <= int(correct) <= len(pl):
                errors["correct_choice"] = _(
                    "The correct answer must be a number from 1 to %(count)d (the number of "
                    "its line)."
                ) % {"count": len(pl)}
            else:
                correct_index = int(correct) - 1
    else:
        if pl or en:
            errors["choices_pl"] = _(
                "Only single-choice questions have answers to choose from: clear them or "
                "choose “single choice”."
            )
        if correct not in (None, ""):
            errors["correct_choice"] = _("Only single-choice questions have a correct answer.")
    if errors:
        raise SurveyError(errors)
    return {
        "kind": kind,
        "text_pl": text_pl,
        "text_en": (data.get("text_en") or "").strip(),
        "choices": choices,
        "correct_choice": correct_index,
        "required": bool(data.get("required")),
    }


@transaction.atomic
def question_save(*, survey: Survey, data: dict, by, question: Question | None = None) -> Question:
    """Add a question to ``survey`` (or change ``question``). ``data``: kind, text_pl,
    text_en, choices_pl and choices_en (one answer per line), correct_choice (1-based,
    knowledge-test choice questions only), required."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_answered(survey)
    fields = _checked_question(survey, data)
    creating = question is None
    if creating:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question(survey=survey, order=0 if last is None else last + 1)
    elif question.survey_id != survey.pk:
        raise SurveyError(_("This question belongs to another survey."))
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    audit_record(
        actor=by,
        action="training.survey.question_add" if creating else "training.survey.question_change",
        obj=survey,
        data={"question": question.pk, "kind": question.kind},
    )
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _refuse_if_answered(survey)
    pk = question.pk
    question.delete()
    audit_record(
        actor=by, action="training.survey.question_delete", obj=survey, data={"question": pk}
    )


@transaction.atomic
def question_move(*, question: Question, up: bool, by) -> None:
    """Move a question one place up or down (allowed after responses: answers are stored
    by question, not by position)."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    questions = list(survey.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    audit_record(
        actor=by,
        action="training.survey.question_move",
        obj=survey,
        data={"question": question.pk, "position": other + 1},
    )


# --- Who may answer when -------------------------------------------------------------------


def ready_surveys(programme: Programme) -> dict[str, Survey]:
    """The programme's surveys that have at least one question, by kind."""
    return {
        survey.kind: survey
        for survey in Survey.objects.filter(programme=programme, questions__isnull=False)
        .distinct()
        .order_by("kind")
    }


def first_day_start(edition: Edition) -> dt.datetime:
    first = edition.days.order_by("number").first()
    if first is None:
        return timezone.make_aware(dt.datetime.combine(edition.starts_on, dt.time(0, 0)))
    return timezone.make_aware(dt.datetime.combine(first.date, first.starts_at))


def last_day_end(edition: Edition) -> dt.datetime:
    last = edition.days.order_by("-number").first()
    if last is None:
        return timezone.make_aware(dt.datetime.combine(edition.ends_on, dt.time(23, 59)))
    return timezone.make_aware(dt.datetime.combine(last.date, last.ends_at))


def attended(registration: Registration) -> bool:
    return Attendance.objects.filter(registration=registration, present=True).exists()


@dataclass
class Availability:
    open: bool
    state: str  # "open", "answered", "later", "closed", "not_for_you"
    message: str = ""
    opens_on: dt.date | None = None


def availability(
    registration: Registration, survey: Survey, phase: str, now: dt.datetime | None = None
) -> Availability:
    """Whether ``registration`` may answer ``survey`` in ``phase`` now, and if not, why."""
    now = now or timezone.now()
    edition = registration.edition
    if phase not in PHASES.get(survey.kind, ()):
        return Availability(False, "not_for_you", _("This survey has no such phase."))
    if SurveyResponse.objects.filter(
        survey=survey, registration=registration, phase=phase
    ).exists():
        return Availability(
            False,
            "answered",
            _("You have already answered this; each survey is answered once. Thank you!"),
        )
    if not survey.questions.exists():
        return Availability(False, "closed", _("This survey is not ready yet."))
    if edition.status not in (EditionStatus.PUBLISHED, EditionStatus.FINISHED):
        return Availability(False, "closed", _("This edition is not taking place."))
    if phase == BEFORE:
        if registration.status != RegStatus.ACCEPTED:
            return Availability(
                False,
                "not_for_you",
                _("The knowledge test before the workshop is for accepted participants."),
            )
        if now >= first_day_start(edition):
            return Availability(
                False,
                "closed",
                _("The knowledge test before the workshop closed when the workshop began."),
            )
        return Availability(True, "open")
    if not attended(registration):
        return Availability(
            False,
            "not_for_you",
            _("The surveys after the workshop are for people who attended it."),
        )
    if timezone.localdate(now) < edition.ends_on:
        return Availability(
            False,
            "later",
            _("This opens on the last day of the workshop, %(date)s.")
            % {"date": edition.ends_on.strftime("%d.%m.%Y")},
            opens_on=edition.ends_on,
        )
    return Availability(True, "open")


# --- Answering -----------------------------------------------------------------------------


def _checked_answers(survey: Survey, answers: dict) -> dict[str, object]:
    cleaned: dict[str, object] = {}
    missing = []
    for question in survey.questions.order_by("order", "pk"):
        value = answers.get(str(question.pk), answers.get(question.pk))
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.required:
                missing.append(question.text)
            continue
        if question.kind == Question.Kind.TEXT:
            cleaned[str(question.pk)] = str(value)[:5000]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        valid = SCALE if question.kind == Question.Kind.SCALE else range(len(question.choices))
        if number not in valid:
            raise SurveyError(
                _("The answer to “%(question)s” is not one of its options.")
                % {"question": question.text}
            )
        cleaned[str(question.pk)] = number
    if missing:
        raise SurveyError(
            [
                _("Answer the question “%(question)s”; it is required.") % {"question": text}
                for text in missing
            ]
        )
    return cleaned


def score_of(survey: Survey, answers: dict) -> tuple[int | None, int | None]:
    """(score, max score) of knowledge-test answers: one point per correct choice."""
    if survey.kind != KNOWLEDGE:
        return None, None
    scored = [
        q
        for q in survey.questions.all()
        if q.kind == Question.Kind.CHOICE and q.correct_choice is not None
    ]
    if not scored:
        return None, None
    score = sum(1 for q in scored if answers.get(str(q.pk)) == q.correct_choice)
    return score, len(scored)


@transaction.atomic
def response_submit(
    *,
    registration: Registration,
    survey: Survey,
    phase: str,
    answers: dict,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """Store one person's answers for one phase (once) and score a knowledge test."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    state = availability(registration, survey, phase, now)
    if not state.open:
        raise SurveyError(state.message)
    cleaned = _checked_answers(survey, answers)
    score, max_score = score_of(survey, cleaned)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                registration=registration,
                phase=phase,
                answers=cleaned,
                score=score,
                max_score=max_score,
                submitted_at=now,
            )
    except IntegrityError:
        raise SurveyError(
            _("You have already answered this; each survey is answered once. Thank you!")
        ) from None
    audit_record(
        actor=registration.user,
        action="training.survey.answer",
        obj=registration,
        data={"survey": survey.pk, "kind": survey.kind, "phase": phase},
    )
    return response


def participant_items(registration: Registration, now: dt.datetime | None = None) -> list[dict]:
    """The surveys to show on the participant's page: open, answered or opening later
    (those that are not for this person or closed unanswered are left out)."""
    now = now or timezone.now()
    items = []
    responses = {
        (r.survey_id, r.phase): r for r in SurveyResponse.objects.filter(registration=registration)
    }
    for kind, survey in ready_surveys(registration.edition.programme).items():
        for phase in PHASES[kind]:
            state = availability(registration, survey, phase, now)
            if state.state in ("not_for_you", "closed"):
                continue
            items.append(
                {
                    "survey": survey,
                    "phase": phase,
                    "phase_label": SurveyResponse.Phase(phase).label,
                    "state": state.state,
                    "message": state.message,
                    "opens_on": state.opens_on,
                    "response": responses.get((survey.pk, phase)),
                    "url": answer_url(registration, survey, phase),
                }
            )
    return items


# URL segments (Polish) of a survey kind and phase on the participant's answer page.
KIND_SLUGS = {KNOWLEDGE: "test-wiedzy", SATISFACTION: "ocena"}
PHASE_SLUGS = {BEFORE: "przed", AFTER: "po"}


def answer_url(registration: Registration, survey: Survey, phase: str) -> str:
    return reverse(
        "training:survey_answer",
        args=[registration.token, KIND_SLUGS[survey.kind], PHASE_SLUGS[phase]],
    )


# --- Invitations and reminders -----------------------------------------------------------


def _attendee_ids(edition: Edition) -> set[int]:
    return set(
        Attendance.objects.filter(registration__edition=edition, present=True).values_list(
            "registration_id", flat=True
        )
    )


def _answered(survey: Survey, phase: str, registration_ids) -> set[int]:
    return set(
        SurveyResponse.objects.filter(
            survey=survey, phase=phase, registration_id__in=registration_ids
        ).values_list("registration_id", flat=True)
    )


def invite_key(registration: Registration, phase: str) -> str:
    return f"training:survey:{registration.pk}:{phase}:invite"


def reminder_key(registration: Registration, survey: Survey, phase: str) -> str:
    return f"training:survey:{survey.pk}:{registration.pk}:{phase}:reminder"


def _send_invitation(registration, phase, surveys: list[Survey]) -> bool:
    key = invite_key(registration, phase)
    if OutboundEmail.objects.filter(key=key).exists():
        return False
    email_queue(
        key=key,
        to=registration.email,
        language=registration.language,
        template=f"training/email/survey_{phase}",
        context={
            "registration": registration,
            "edition": registration.edition,
            "surveys": [{"survey": s, "url": answer_url(registration, s, phase)} for s in surveys],
        },
    )
    return True


def _send_reminders(registration, phase, surveys: list[Survey], now, answered) -> int:
    invitation = OutboundEmail.objects.filter(key=invite_key(registration, phase)).first()
    if invitation is None:
        return 0
    sent = 0
    for survey in surveys:
        if registration.pk in answered[survey.pk] or not survey.reminder_days:
            continue
        if now < invitation.created_at + dt.timedelta(days=survey.reminder_days):
            continue
        key = reminder_key(registration, survey, phase)
        if OutboundEmail.objects.filter(key=key).exists():
            continue
        email_queue(
            key=key,
            to=registration.email,
            language=registration.language,
            template="training/email/survey_reminder",
            context={
                "registration": registration,
                "edition": registration.edition,
                "survey": survey,
                "phase": phase,
                "url": answer_url(registration, survey, phase),
            },
        )
        sent += 1
    return sent


@transaction.atomic
def surveys_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue the due invitations and reminders (idempotent). Returns the counts queued:
    {"invitations": n, "reminders": m}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"invitations": 0, "reminders": 0}
    editions = (
        Edition.objects.filter(
            status__in=(EditionStatus.PUBLISHED, EditionStatus.FINISHED),
            programme__surveys__questions__isnull=False,
        )
        .filter(
            Q(starts_on__gte=today) | Q(ends_on__gte=today - dt.timedelta(days=AFTER_WINDOW_DAYS))
        )
        .select_related("programme")
        .distinct()
    )
    for edition in editions:
        surveys = ready_surveys(edition.programme)
        # Before: accepted participants, from registration's end or a week before the start.
        knowledge = surveys.get(KNOWLEDGE)
        due_before = (
            now >= edition.registration_closes_at
            or today >= edition.starts_on - dt.timedelta(days=INVITE_BEFORE_DAYS)
        )
        if knowledge and due_before and now < first_day_start(edition):
            people = list(edition.registrations.filter(status=RegStatus.ACCEPTED))
            answered = {knowledge.pk: _answered(knowledge, BEFORE, [p.pk for p in people])}
            for registration in people:
                if registration.pk in answered[knowledge.pk]:
                    continue
                if _send_invitation(registration, BEFORE, [knowledge]):
                    counts["invitations"] += 1
                else:
                    counts["reminders"] += _send_reminders(
                        registration, BEFORE, [knowledge], now, answered
                    )
        # After: attendees only, once the last day has ended.
        after = [s for s in (surveys.get(KNOWLEDGE), surveys.get(SATISFACTION)) if s]
        if after and now >= last_day_end(edition):
            ids = _attendee_ids(edition)
            people = list(Registration.objects.filter(pk__in=ids))
            answered = {s.pk: _answered(s, AFTER, ids) for s in after}
            for registration in people:
                pending = [s for s in after if registration.pk not in answered[s.pk]]
                if not pending:
                    continue
                if _send_invitation(registration, AFTER, pending):
                    counts["invitations"] += 1
                else:
                    counts["reminders"] += _send_reminders(
                        registration, AFTER, after, now, answered
                    )
    return counts


# --- Statistics ---------------------------------------------------------------------------


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _expected(registrations, survey: Survey, phase: str) -> tuple[int, int]:
    """(people expected to answer, responses) for one survey phase among
    ``registrations``: accepted participants before, attendees after (plus anyone who
    answered although no longer in that group)."""
    responded = SurveyResponse.objects.filter(
        survey=survey, phase=phase, registration__in=registrations
    )
    group = Q(status=RegStatus.ACCEPTED) if phase == BEFORE else Q(attendance__present=True)
    expected = (
        registrations.filter(group | Q(pk__in=responded.values("registration_id")))
        .distinct()
        .count()
    )
    return expected, responded.count()


def _question_stats(question: Question, responses: list[SurveyResponse]) -> dict:
    key = str(question.pk)
    values = [r.answers[key] for r in responses if r.answers.get(key) not in (None, "")]
    stats: dict = {"question": question, "kind": question.kind, "answered": len(values)}
    if question.kind == Question.Kind.SCALE:
        numbers = [v for v in values if v in SCALE]
        stats["answered"] = len(numbers)
        stats["distribution"] = [
            {
                "value": value,
                "count": numbers.count(value),
                "percent": _percent(numbers.count(value), len(numbers)),
            }
            for value in SCALE
        ]
        stats["mean"] = _mean([float(n) for n in numbers])
    elif question.kind == Question.Kind.CHOICE:
        labels = question.choice_labels()
        numbers = [v for v in values if isinstance(v, int) and 0 <= v < len(labels)]
        stats["answered"] = len(numbers)
        stats["choices"] = [
            {
                "label": label,
                "count": numbers.count(index),
                "percent": _percent(numbers.count(index), len(numbers)),
                "correct": question.correct_choice == index,
            }
            for index, label in enumerate(labels)
        ]
    else:
        # Anonymous: no names, and in alphabetical order rather than the order of answering.
        stats["texts"] = sorted((str(v) for v in values), key=str.casefold)
    return stats


def knowledge_gain(before: list[SurveyResponse], after: list[SurveyResponse]) -> dict:
    """Mean scores before and after (all respondents of each phase), and the learning gain
    (after − before) over the people who answered both (paired). Scores are in points and
    in percent of the maximum; means are rounded to 2 decimals."""

    def pct(response):
        return 100 * response.score / response.max_score

    def scored(responses):
        return [r for r in responses if r.score is not None and r.max_score]

    before, after = scored(before), scored(after)
    by_person = {r.registration_id: r for r in before}
    pairs = [(by_person[r.registration_id], r) for r in after if r.registration_id in by_person]
    paired_before = _mean([b.score for b, _a in pairs])
    paired_after = _mean([a.score for _b, a in pairs])
    return {
        "max_score": max((r.max_score for r in before + after), default=None),
        "before": {"n": len(before), "mean": _mean([r.score for r in before])},
        "after": {"n": len(after), "mean": _mean([r.score for r in after])},
        "before_percent": _mean([pct(r) for r in before]),
        "after_percent": _mean([pct(r) for r in after]),
        "paired": {
            "n": len(pairs),
            "before": paired_before,
            "after": paired_after,
            "gain": _mean([a.score - b.score for b, a in pairs]),
            "gain_percent": _mean([pct(a) - pct(b) for b, a in pairs]),
        },
    }


def results(programme: Programme, registrations) -> list[dict]:
    """Per ready survey of ``programme``: per phase the response rate and per-question
    statistics, over the responses of ``registrations`` (a queryset: one edition's, or
    every edition's of the programme); for the knowledge test also ``knowledge_gain``."""
    out = []
    for kind, survey in ready_surveys(programme).items():
        questions = list(survey.questions.order_by("order", "pk"))
        phases = []
        by_phase = {}
        for phase in PHASES[kind]:
            responses = list(
                SurveyResponse.objects.filter(
                    survey=survey, phase=phase, registration__in=registrations
                )
            )
            by_phase[phase] = responses
            expected, count = _expected(registrations, survey, phase)
            phases.append(
                {
                    "phase": phase,
                    "label": SurveyResponse.Phase(phase).label,
                    "expected": expected,
                    "responses": count,
                    "rate": _percent(count, expected),
                    "questions": [_question_stats(q, responses) for q in questions],
                }
            )
        out.append(
            {
                "survey": survey,
                "phases": phases,
                "knowledge": (
                    knowledge_gain(by_phase[BEFORE], by_phase[AFTER]) if kind == KNOWLEDGE else None
                ),
            }
        )
    return out


def response_rates(edition: Edition) -> dict:
    """Response rates of an edition's surveys, for dashboards.

    Returns ``{kind: {phase: {"expected": int, "responses": int, "rate": int | None}}}``
    for the programme's surveys that have questions, where kind is "knowledge" (phases
    "before" and "after") or "satisfaction" (phase "after"); "expected" counts accepted
    participants (before) or attendees (after), "rate" is the whole percent of
    responses to expected, None when nobody is expected yet. Example::

        {"knowledge": {"before": {"expected": 18, "responses": 15, "rate": 83},
                       "after": {"expected": 16, "responses": 9, "rate": 56}},
         "satisfaction": {"after": {"expected": 16, "responses": 12, "rate": 75}}}
    """
    registrations = Registration.objects.filter(edition=edition)
    rates: dict = {}
    for kind, survey in ready_surveys(edition.programme).items():
        rates[kind] = {}
        for phase in PHASES[kind]:
            expected, count = _expected(registrations, survey, phase)
            rates[kind][phase] = {
                "expected": expected,
                "responses": count,
                "rate": _percent(count, expected),
            }
    return rates
