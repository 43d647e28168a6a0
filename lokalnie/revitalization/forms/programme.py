from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.institutions.forms import GminaPickerMixin
from lokalnie.institutions.models import Institution
from lokalnie.revitalization.models import Programme, TeamRole


class ProgrammeForm(GminaPickerMixin, forms.ModelForm):
    gmina_missing_message = _("Choose the gmina whose programme this is.")

    class Meta:
        model = Programme
        fields = ["title", "gmina_query", "gmina", "institution", "description"]
        fields += ["period_start", "period_end"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("For example “Gminny Program Rewitalizacji Miasta Łodzi 2026–2032”."),
            "institution": _("One of your institutions that leads the programme (optional)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            memberships__user=user
        ).order_by("name")
        self.fields["institution"].required = False
        self.fields["period_start"].required = False
        self.fields["period_end"].required = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The programme cannot end before it starts."))
        return cleaned


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address of the person's account on Lokalnie."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
