"""Forms of the workshops module."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lokalnie.institutions import identifiers
from lokalnie.institutions.forms import GminaPickerMixin
from lokalnie.institutions.models import Institution, TerytUnit
from lokalnie.training.models import AgeGroup, Edition, Gender, Programme

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PersonForm(forms.Form):
    """Who registers: the fields an EU-funded project reports, and the institution — picked
    from the user's own institutions, found in the registry by NIP, or typed in."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send a link to confirm the address; the registration counts from then."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        help_text=_("For example: social worker, community organizer, head of the centre."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=AgeGroup.choices, widget=forms.RadioSelect
    )
    my_institution = forms.ModelChoiceField(
        label=_("Your institution"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("— another institution (type it below) —"),
    )
    institution_name = forms.CharField(
        label=_("Institution"),
        max_length=255,
        required=False,
        help_text=_("The full name of the institution you work for."),
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    institution_nip = forms.CharField(
        label=_("Institution's NIP"),
        max_length=20,
        required=False,
        help_text=_(
            "Optional; 10 digits. With it we find the institution in our registry (and its "
            "priority, if any)."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            mine = Institution.objects.filter(memberships__user=user).order_by("name")
            self.fields["my_institution"].queryset = mine
            if not mine.exists():
                del self.fields["my_institution"]
            if not self.is_bound:
                self.initial.setdefault("first_name", user.first_name)
                self.initial.setdefault("last_name", user.last_name)
                self.initial.setdefault("email", user.email)
        else:
            del self.fields["my_institution"]

    def clean_institution_nip(self):
        value = self.cleaned_data.get("institution_nip", "").strip()
        return identifiers.clean_nip(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("my_institution")
        nip = cleaned.get("institution_nip")
        institution = chosen
        if institution is None and nip:
            institution = Institution.objects.filter(nip=nip).first()
        named = cleaned.get("institution_name", "").strip()
        if institution is None and not named and "institution_nip" not in self.errors:
            self.add_error(
                "institution_name",
                _("Give the name of your institution (or choose one of yours)."),
            )
        cleaned["institution"] = institution
        if institution is not None:
            cleaned["institution_name"] = institution.name
            cleaned["institution_nip"] = institution.nip
        return cleaned

    def person(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"],
            "phone": data["phone"].strip(),
            "position": data["position"].strip(),
            "gender": data["gender"],
            "age_group": data["age_group"],
            "institution": data.get("institution"),
            "institution_name": data["institution_name"].strip(),
            "institution_nip": data.get("institution_nip", ""),
        }


def _consent_field():
    return forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to the processing of my data for "
            "this workshop."
        ),
        help_text=format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Privacy notice (RODO)")
        ),
    )


class RegistrationForm(PersonForm):
    needs_accessibility = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("For example: sign language interpreter, step-free access, large print."),
    )
    needs_diet = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For example: vegetarian, gluten-free, allergies."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(programme.eligibility_questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.ChoiceField(
                label=question.text, choices=YES_NO, widget=forms.RadioSelect
            )
        self.fields["consent"] = _consent_field()

    def answers(self) -> dict[str, bool]:
        return {str(q.pk): self.cleaned_data[f"q_{q.pk}"] == "yes" for q in self.questions}


class WaitlistRequestForm(PersonForm):
    voivodeship = forms.ModelChoiceField(
        label=_("Voivodeship"),
        queryset=TerytUnit.objects.filter(level=TerytUnit.Level.VOIVODESHIP).order_by("name"),
        empty_label=_("— choose —"),
    )
    weeks = forms.IntegerField(
        label=_("Within how many weeks"),
        min_value=1,
        max_value=52,
        initial=8,
        help_text=_("We offer you a seat in any edition that starts within this time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voivodeship"].label_from_instance = lambda unit: unit.name.lower()
        self.fields["consent"] = _consent_field()


class EditionForm(GminaPickerMixin, forms.ModelForm):
    gmina_missing_message = _("Choose the gmina where the workshop takes place.")
    day1 = forms.DateField(label=_("Day 1"), widget=forms.DateInput({"type": "date"}))
    day2 = forms.DateField(
        label=_("Day 2"), required=False, widget=forms.DateInput({"type": "date"})
    )
    day3 = forms.DateField(
        label=_("Day 3"), required=False, widget=forms.DateInput({"type": "date"})
    )
    starts_at = forms.TimeField(
        label=_("Each day starts at"),
        initial=dt.time(9, 0),
        widget=forms.TimeInput({"type": "time"}),
    )
    ends_at = forms.TimeField(
        label=_("Each day ends at"),
        initial=dt.time(16, 0),
        widget=forms.TimeInput({"type": "time"}),
    )

    class Meta:
        model = Edition
        fields = [
            "programme",
            "city",
            "gmina",
            "venue_name",
            "venue_address",
            "accessibility_pl",
            "accessibility_en",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "acceptance",
            "offer_hours",
            "priority_certificate",
            "priority_social_assistance",
        ]
        widgets = {
            "registration_opens_at": forms.DateTimeInput(
                {"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "registration_closes_at": forms.DateTimeInput(
                {"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "accessibility_pl": forms.Textarea({"rows": 3}),
            "accessibility_en": forms.Textarea({"rows": 3}),
            "acceptance": forms.RadioSelect,
        }

    field_order = [
        "programme",
        "city",
        "gmina_query",
        "gmina",
        "venue_name",
        "venue_address",
        "accessibility_pl",
        "accessibility_en",
        "day1",
        "day2",
        "day3",
        "starts_at",
        "ends_at",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "acceptance",
        "offer_hours",
        "priority_certificate",
        "priority_social_assistance",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            days = list(self.instance.days.order_by("number"))
            for day in days:
                self.initial[f"day{day.number}"] = day.date
            if days:
                self.initial["starts_at"] = days[0].starts_at
                self.initial["ends_at"] = days[0].ends_at
        if self.instance.pk:
            # The programme of an edition with registrations does not change.
            self.fields["programme"].disabled = True

    def day_plans(self):
        from lokalnie.training.services import DayPlan

        data = self.cleaned_data
        programme = data.get("programme") or self.instance.programme
        dates = [data.get(f"day{n}") for n in range(1, programme.days + 1)]
        if any(date is None for date in dates):
            raise forms.ValidationError(
                ngettext(
                    "Give the date of the programme's day.",
                    "Give the date of each of the programme's %(days)d days.",
                    programme.days,
                )
                % {"days": programme.days}
            )
        return [DayPlan(date, data["starts_at"], data["ends_at"]) for date in dates]

    def clean(self):
        cleaned = super().clean()
        opens = cleaned.get("registration_opens_at")
        if opens and not self.instance.pk and opens < timezone.now() - dt.timedelta(days=365):
            self.add_error("registration_opens_at", _("This date is more than a year ago."))
        return cleaned


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "title_pl",
            "title_en",
            "slug",
            "description_pl",
            "description_en",
            "target_group_pl",
            "target_group_en",
            "eligibility_pl",
            "eligibility_en",
            "days",
            "min_days_to_complete",
        ]
        widgets = {
            name: forms.Textarea({"rows": 4})
            for name in (
                "description_pl",
                "description_en",
                "target_group_pl",
                "target_group_en",
                "eligibility_pl",
                "eligibility_en",
            )
        }

    def clean(self):
        cleaned = super().clean()
        days, needed = cleaned.get("days"), cleaned.get("min_days_to_complete")
        if days and needed and needed > days:
            self.add_error(
                "min_days_to_complete",
                ngettext(
                    "A one-day programme cannot require more than that day.",
                    "A programme of %(days)d days cannot require more days than that.",
                    days,
                )
                % {"days": days},
            )
        if days and not 1 <= days <= 3:
            self.add_error("days", _("The form takes programmes of 1 to 3 days."))
        return cleaned


class EligibilityQuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("Eligibility questions (Polish), one per line"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Yes/no questions; the eligible answer is “yes”. Start a line with “!” when the "
            "eligible answer is “no”."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("The person reads it in the e-mail."),
    )
