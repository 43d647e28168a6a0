"""What the coordinator's edition page shows about attendance and completions (the page
includes ``training/coordination/_tools_attendance.html`` with the edition only)."""

from django import template

from lokalnie.training import attendance
from lokalnie.training.models import Completion

register = template.Library()


@register.simple_tag
def completions_summary(edition) -> dict:
    return {
        "days": list(edition.days.all()),
        "rule": attendance.completion_rule_text(edition.programme),
        "qualifying": attendance.qualifying(edition).count(),
        "issued": Completion.objects.filter(registration__edition=edition).count(),
        "may_issue": attendance.may_issue(edition),
    }
