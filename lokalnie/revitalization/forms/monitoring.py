"""Forms of the monitoring part: an evaluation review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.revitalization.models import Review


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["held_on", "findings", "recommendations"]
        labels = {"held_on": _("Date of the review")}
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 8}),
            "recommendations": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "held_on": _(
                "When the assessment of the programme was completed (e.g. the date of the report)."
            ),
            "findings": _(
                "How far the programme has got and whether it still answers the area's "
                "needs: what the indicators show, what worked, what did not."
            ),
            "recommendations": _(
                "What should change: actions, indicators, targets, the area — or that "
                "nothing needs to."
            ),
        }
        error_messages = {
            "held_on": {
                "required": _("Give the date of the review."),
                "invalid": _("Give the date as YYYY-MM-DD, for example 2026-03-14."),
            },
            "findings": {"required": _("Write what the review found.")},
        }
