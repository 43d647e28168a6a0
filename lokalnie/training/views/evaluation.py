"""Evaluation pages: the survey builder (staff), answering a survey (the participant, by
the token of their registration) and the results with charts (an edition's
coordinators and trainers; staff for a whole programme). Services and statistics are in
``lokalnie.training.evaluation``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, visible_managed_editions
from lokalnie.training import evaluation
from lokalnie.training.charts import Bar, Chart
from lokalnie.training.models import Programme, Question, Registration, Survey

KIND_BY_SLUG = {slug: kind for kind, slug in evaluation.KIND_SLUGS.items()}
PHASE_BY_SLUG = {slug: phase for phase, slug in evaluation.PHASE_SLUGS.items()}


# --- Forms ---------------------------------------------------------------------------------


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title_pl", "title_en", "reminder_days"]
        help_texts = {
            "reminder_days": gettext_lazy(
                "Days after the invitation when people who have not answered get one "
                "reminder; 0 for no reminder."
            )
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of question"),
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
    )
    text_pl = forms.CharField(label=gettext_lazy("Question (Polish)"), max_length=500)
    text_en = forms.CharField(
        label=gettext_lazy("Question (English)"), max_length=500, required=False
    )
    choices_pl = forms.CharField(
        label=gettext_lazy("Answers to choose from (Polish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Single-choice questions only: 2 to 8 answers, one per line."),
    )
    choices_en = forms.CharField(
        label=gettext_lazy("Answers to choose from (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Optional: the same answers in English, in the same order."),
    )
    correct_choice = forms.IntegerField(
        label=gettext_lazy("Number of the correct answer"),
        required=False,
        min_value=1,
        max_value=evaluation.MAX_CHOICES,
        help_text=gettext_lazy(
            "Single-choice questions of the knowledge test: the line number of the correct "
            "answer (1 for the first line). It is used to score the test."
        ),
    )
    required = forms.BooleanField(
        label=gettext_lazy("An answer is required"), required=False, initial=True
    )

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": question.kind,
                "text_pl": question.text_pl,
                "text_en": question.text_en,
                "choices_pl": "\n".join(c.get("pl", "") for c in question.choices),
                "choices_en": "\n".join(c.get("en", "") for c in question.choices).strip(),
                "correct_choice": (
                    None if question.correct_choice is None else question.correct_choice + 1
                ),
                "required": question.required,
            }
        super().__init__(*args, **kwargs)
        if survey.kind != Survey.Kind.KNOWLEDGE:
            del self.fields["correct_choice"]


class AnswerForm(forms.Form):
    """One field per question: radio buttons (a fieldset with the question as its legend)
    for scale and choice questions, a text area for text questions."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.order_by("order", "pk"))
        for question in self.questions:
            required_message = _("Answer the question “%(question)s”; it is required.") % {
                "question": question.text
            }
            errors = {"required": required_message}
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages=errors,
                )
            else:
                if question.kind == Question.Kind.SCALE:
                    choices = [
                        ("1", _("1 — very poor / I disagree completely")),
                        ("2", "2"),
                        ("3", "3"),
                        ("4", "4"),
                        ("5", _("5 — very good / I agree completely")),
                    ]
                else:
                    choices = [(str(i), label) for i, label in enumerate(question.choice_labels())]
                field = forms.ChoiceField(
                    label=question.text,
                    required=question.required,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages=errors,
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict:
        return {
            str(question.pk): self.cleaned_data.get(f"q{question.pk}")
            for question in self.questions
        }


def _errors_to(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- The survey builder (staff) ----------------------------------------------------------


def _programme(slug) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def _kind(kind_slug) -> str:
    try:
        return KIND_BY_SLUG[kind_slug]
    except KeyError:
        raise Http404 from None


@permission_required("programme.manage")
def survey_builder(request, slug):
    programme = _programme(slug)
    existing = {s.kind: s for s in programme.surveys.all()}
    surveys = []
    for kind, label in Survey.Kind.choices:
        survey = existing.get(kind)
        surveys.append(
            {
                "kind": kind,
                "kind_label": label,
                "slug": evaluation.KIND_SLUGS[kind],
                "survey": survey,
                "questions": list(survey.questions.order_by("order", "pk")) if survey else [],
                "answered": bool(survey and survey.responses.exists()),
            }
        )
    return render(
        request,
        "training/evaluation/builder.html",
        {"programme": programme, "surveys": surveys},
    )


@permission_required("programme.manage")
def survey_edit(request, slug, kind):
    programme = _programme(slug)
    kind = _kind(kind)
    survey = Survey.objects.filter(programme=programme, kind=kind).first()
    initial = None
    if survey is None:
        defaults = {
            Survey.Kind.KNOWLEDGE: ("Test wiedzy", "Knowledge test"),
            Survey.Kind.SATISFACTION: ("Ankieta satysfakcji", "Satisfaction survey"),
        }[kind]
        initial = {"title_pl": defaults[0], "title_en": defaults[1], "reminder_days": 3}
    form = SurveyForm(request.POST or None, instance=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.survey_save(
                programme=programme,
                kind=kind,
                title_pl=form.cleaned_data["title_pl"],
                title_en=form.cleaned_data["title_en"],
                reminder_days=form.cleaned_data["reminder_days"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("The survey has been saved."))
            return redirect("training:survey_builder", programme.slug)
    return render(
        request,
        "training/evaluation/survey_form.html",
        {"form": form, "programme": programme, "survey": survey, "kind": Survey.Kind(kind)},
        status=400 if form.errors else 200,
    )


def _question_form_page(request, survey: Survey, question: Question | None):
    programme = survey.programme
    if request.method == "GET" and survey.responses.exists():
        messages.error(
            request,
            _(
                "People have already answered this survey, so its questions can no longer be "
                "added, changed or deleted: the results would stop being comparable."
            ),
        )
        return redirect("training:survey_builder", programme.slug)
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.question_save(
                survey=survey, question=question, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("The question has been saved."))
            return redirect("training:survey_builder", programme.slug)
    return render(
        request,
        "training/evaluation/question_form.html",
        {"form": form, "survey": survey, "question": question, "programme": programme},
        status=400 if form.errors else 200,
    )


@permission_required("programme.manage")
def question_add(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("programme"), pk=pk)
    return _question_form_page(request, survey, None)


@permission_required("programme.manage")
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__programme"), pk=pk)
    return _question_form_page(request, question.survey, question)


@require_POST
@permission_required("programme.manage")
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__programme"), pk=pk)
    slug = question.survey.programme.slug
    try:
        evaluation.question_delete(question=question, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The question has been deleted."))
    return redirect("training:survey_builder", slug)


@require_POST
@permission_required("programme.manage")
def question_move(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__programme"), pk=pk)
    evaluation.question_move(
        question=question, up=request.POST.get("direction") != "down", by=request.user
    )
    return redirect("training:survey_builder", question.survey.programme.slug)


# --- Answering (the participant, by token) -------------------------------------------------


def survey_answer(request, token, kind, phase):
    """Open to whoever has the registration's secret link. When the survey is not open to
    this person now (not accepted, not attended, too early, too late, answered already),
    they are sent back to their registration page with a message saying why."""
    registration = get_object_or_404(
        Registration.objects.select_related("edition__programme"), token=token
    )
    kind, phase = _kind(kind), PHASE_BY_SLUG.get(phase)
    if phase is None or phase not in evaluation.PHASES[kind]:
        raise Http404
    survey = Survey.objects.filter(programme=registration.edition.programme, kind=kind).first()
    if survey is None:
        raise Http404
    state = evaluation.availability(registration, survey, phase)
    if not state.open:
        messages.info(request, state.message)
        return redirect("training:registration", registration.token)
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            response = evaluation.response_submit(
                registration=registration, survey=survey, phase=phase, answers=form.answers()
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("training:registration", registration.token)
        if response.max_score:
            messages.success(
                request,
                _("Thank you for your answers. Your score: %(score)d of %(max)d.")
                % {"score": response.score, "max": response.max_score},
            )
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect("training:registration", registration.token)
    response = render(
        request,
        "training/evaluation/answer.html",
        {
            "form": form,
            "survey": survey,
            "phase": phase,
            "phase_label": evaluation.SurveyResponse.Phase(phase).label,
            "registration": registration,
            "edition": registration.edition,
        },
        status=400 if form.errors else 200,
    )
    # The address holds the registration's key; "same-origin" keeps it from other sites
    # without making browsers send "Origin: null" with the form on this page.
    response["Referrer-Policy"] = "same-origin"
    return response


def registration_context(registration) -> dict:
    """What this part adds to the participant's registration page: ``survey_items``, the
    surveys open to them, answered, or opening later."""
    return {"survey_items": evaluation.participant_items(registration)}


# --- Results --------------------------------------------------------------------------------


def _count_text(count: int, percent: int | None) -> str:
    return f"{count} ({percent}%)" if percent is not None else str(count)


def _charts(results: list[dict]) -> list[dict]:
    """The view's form of ``evaluation.results``: the same numbers, with the charts."""
    for item in results:
        survey = item["survey"]
        item["rate_chart"] = Chart(
            title=_("Response rate: %(survey)s") % {"survey": survey.title},
            bars=[
                Bar(
                    label=str(phase["label"]),
                    value=phase["rate"] or 0,
                    text=(
                        f"{phase['rate']}% ({phase['responses']}/{phase['expected']})"
                        if phase["rate"] is not None
                        else "—"
                    ),
                )
                for phase in item["phases"]
            ],
            maximum=100,
            headers=(_("Phase"), _("Responses"), _("Expected"), _("Response rate")),
            rows=[
                (
                    phase["label"],
                    phase["responses"],
                    phase["expected"],
                    "—" if phase["rate"] is None else f"{phase['rate']}%",
                )
                for phase in item["phases"]
            ],
        )
        knowledge = item["knowledge"]
        if knowledge and knowledge["paired"]["n"]:
            paired = knowledge["paired"]
            item["gain_chart"] = Chart(
                title=_("Mean score of the %(count)d people who took the test before and after")
                % {"count": paired["n"]},
                bars=[
                    Bar(_("Before"), paired["before"], f"{paired['before']:.2f}"),
                    Bar(_("After"), paired["after"], f"{paired['after']:.2f}"),
                ],
                maximum=knowledge["max_score"],
                headers=(_("Phase"), _("Mean score (points)")),
                rows=[
                    (_("Before"), f"{paired['before']:.2f}"),
                    (_("After"), f"{paired['after']:.2f}"),
                    (_("Learning gain (after − before)"), f"{paired['gain']:+.2f}"),
                ],
            )
        for phase in item["phases"]:
            for stats in phase["questions"]:
                stats["chart"] = _question_chart(stats)
    return results


def _question_chart(stats: dict) -> Chart | None:
    question = stats["question"]
    if stats["kind"] == Question.Kind.SCALE:
        rows = stats["distribution"]
        return Chart(
            title=question.text,
            bars=[
                Bar(str(row["value"]), row["count"], _count_text(row["count"], row["percent"]))
                for row in rows
            ],
            headers=(_("Rating"), _("Answers"), _("Percent")),
            rows=[
                (
                    row["value"],
                    row["count"],
                    "—" if row["percent"] is None else f"{row['percent']}%",
                )
                for row in rows
            ],
        )
    if stats["kind"] == Question.Kind.CHOICE:
        rows = stats["choices"]

        def label(row):
            return f"{row['label']} ({_('correct')})" if row["correct"] else row["label"]

        return Chart(
            title=question.text,
            bars=[
                Bar(label(row), row["count"], _count_text(row["count"], row["percent"]))
                for row in rows
            ],
            headers=(_("Answer"), _("Answers"), _("Percent")),
            rows=[
                (label(row), row["count"], "—" if row["percent"] is None else f"{row['percent']}%")
                for row in rows
            ],
        )
    return None


@login_required
def results_edition(request, pk):
    edition = get_object_or_404(
        visible_managed_editions(request.user).select_related("programme"), pk=pk
    )
    results = evaluation.results(edition.programme, Registration.objects.filter(edition=edition))
    return render(
        request,
        "training/evaluation/results.html",
        {
            "edition": edition,
            "programme": edition.programme,
            "results": _charts(results),
            "can_build": can(request.user, "programme.manage"),
        },
    )


@permission_required("programme.manage")
def results_programme(request, slug):
    programme = _programme(slug)
    results = evaluation.results(
        programme, Registration.objects.filter(edition__programme=programme)
    )
    return render(
        request,
        "training/evaluation/results.html",
        {
            "edition": None,
            "programme": programme,
            "results": _charts(results),
            "editions": programme.editions.count(),
            "can_build": True,
        },
    )


urlpatterns = [
    path("koordynacja/programy/<slug:slug>/ankiety/", survey_builder, name="survey_builder"),
    path("koordynacja/programy/<slug:slug>/ankiety/<slug:kind>/", survey_edit, name="survey_edit"),
    path(
        "koordynacja/programy/<slug:slug>/ewaluacja/",
        results_programme,
        name="evaluation_programme",
    ),
    path("koordynacja/ankiety/<int:pk>/pytania/nowe/", question_add, name="survey_question_add"),
    path("koordynacja/ankiety/pytania/<int:pk>/", question_edit, name="survey_question_edit"),
    path(
        "koordynacja/ankiety/pytania/<int:pk>/usun/",
        question_delete,
        name="survey_question_delete",
    ),
    path(
        "koordynacja/ankiety/pytania/<int:pk>/przesun/",
        question_move,
        name="survey_question_move",
    ),
    path("koordynacja/edycje/<int:pk>/ewaluacja/", results_edition, name="evaluation_edition"),
    path(
        "zgloszenie/<str:token>/ankiety/<slug:kind>/<slug:phase>/",
        survey_answer,
        name="survey_answer",
    ),
]
