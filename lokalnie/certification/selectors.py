from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from lokalnie.accounts.permissions import visible_applications
from lokalnie.certification.models import Application, RegulationVersion, SelfCheckResponse
from lokalnie.certification.selfcheck import QUESTIONS, is_invited
from lokalnie.core.models import AuditEntry


def applications_for_user(*, user):
    return visible_applications(user).select_related("institution__gmina", "area")


def application_history(application: Application):
    content_type = ContentType.objects.get_for_model(Application)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(application.pk)
    ).order_by("created_at", "id")


def regulation_current(version: int | None = None) -> RegulationVersion | None:
    versions = RegulationVersion.objects.all()
    if version is not None:
        return versions.filter(version=version).first()
    return versions.order_by("-version").first()


def regulation_versions():
    return RegulationVersion.objects.only("version", "published_at", "change_note")


def selfcheck_statistics() -> dict:
    """Aggregates only: nothing here identifies a visitor."""
    responses = SelfCheckResponse.objects.all()
    total = responses.count()
    per_question = [0] * len(QUESTIONS)
    invited = 0
    for answers in responses.values_list("answers", flat=True).iterator():
        invited += is_invited(answers)
        for index, answer in enumerate(answers[: len(QUESTIONS)]):
            per_question[index] += bool(answer)
    distribution = dict(
        responses.values_list("yes_count").annotate(n=Count("id")).order_by("yes_count")
    )
    by_area = list(
        responses.values("area__name_pl", "area__name_en").annotate(n=Count("id")).order_by("-n")
    )
    return {
        "total": total,
        "invited": invited,
        "questions": [
            {
                "question": question,
                "yes": per_question[i],
                "percent": round(100 * per_question[i] / total) if total else 0,
            }
            for i, question in enumerate(QUESTIONS)
        ],
        "distribution": [
            {"yes_count": k, "n": distribution.get(k, 0)} for k in range(len(QUESTIONS) + 1)
        ],
        "by_area": by_area,
    }
