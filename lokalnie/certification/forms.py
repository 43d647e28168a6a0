from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.certification.selfcheck import QUESTIONS
from lokalnie.institutions.models import AreaOfWork

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SelfCheckForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Your area of work (optional)"),
        queryset=AreaOfWork.objects.all(),
        required=False,
        empty_label=_("— I am not sure yet —"),
        help_text=_("We will show the procedure documents for this area."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[f"q{question.number}"] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose “yes” or “no”.")},
            )
        self.order_fields([f"q{q.number}" for q in QUESTIONS] + ["area"])

    def answers(self) -> list[bool]:
        return [self.cleaned_data[f"q{q.number}"] == "yes" for q in QUESTIONS]


class AreaForm(forms.Form):
    description_pl = forms.CharField(
        label=_("Description (Polish)"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea, required=False
    )
    requirements_pl = forms.CharField(
        label=_("Requirements checklist (Polish), one per line"),
        widget=forms.Textarea,
        required=False,
    )
    requirements_en = forms.CharField(
        label=_("Requirements checklist (English), one per line, in the same order"),
        widget=forms.Textarea,
        required=False,
    )

    def clean(self):
        data = super().clean()
        pl = [line.strip() for line in data.get("requirements_pl", "").splitlines() if line.strip()]
        en = [line.strip() for line in data.get("requirements_en", "").splitlines() if line.strip()]
        if en and len(en) != len(pl):
            self.add_error(
                "requirements_en",
                _(
                    "There are %(pl)s Polish and %(en)s English requirements; "
                    "give the same number, in the same order."
                )
                % {"pl": len(pl), "en": len(en)},
            )
        for line in pl + en:
            if len(line) > 300:
                self.add_error(None, _("A requirement may have at most 300 characters."))
                break
        if not en:
            en = [""] * len(pl)
        data["requirements"] = list(zip(pl, en, strict=False))
        return data


class DocumentForm(forms.Form):
    title_pl = forms.CharField(label=_("Title (Polish)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT, at most 20 MB."),
    )


class RegulationForm(forms.Form):
    body_pl = forms.CharField(
        label=_("Regulation (Polish)"), widget=forms.Textarea(attrs={"rows": 20})
    )
    body_en = forms.CharField(
        label=_("Regulation (English)"), widget=forms.Textarea(attrs={"rows": 20})
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300)


class ApplicationCreateForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, empty_label=None)
    area = forms.ModelChoiceField(
        label=_("Area of work"), queryset=AreaOfWork.objects.all(), empty_label=None
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ActionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )
    appeal_days = forms.IntegerField(
        label=_("Days to appeal"), min_value=7, max_value=90, required=False, initial=30
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file is"), choices=())
    file = forms.FileField(label=_("File"))
    alt_text = forms.CharField(
        label=_("Description of the picture (for photos)"),
        max_length=300,
        required=False,
        help_text=_("Say what the photo shows, for people who cannot see it."),
    )

    def __init__(self, *args, **kwargs):
        from lokalnie.certification.report import AttachmentKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— choose —")), *AttachmentKind.choices]


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(label=_("Assessor"), queryset=None)

    def __init__(self, *args, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors
        self.fields["assessor"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"


class ReviewForm(forms.Form):
    summary = forms.CharField(
        label=_("Overall assessment"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.look_for,
                choices=[(str(n), str(n)) for n in range(criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment: %(title)s") % {"title": criterion.title},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.order_fields(
            [name for c in self.criteria for name in (f"score_{c.pk}", f"comment_{c.pk}")]
            + ["summary"]
        )

    def scores(self) -> dict:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}", ""),
            )
            for c in self.criteria
        }


class QuestionForm(forms.Form):
    section_key = forms.ChoiceField(label=_("Report section"), choices=())
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        from lokalnie.certification.report import SECTIONS

        super().__init__(*args, **kwargs)
        self.fields["section_key"].choices = [(s.key, f"{s.part}. {s.title}") for s in SECTIONS]


class VisitForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    expert = forms.ModelChoiceField(label=_("CAL expert"), queryset=None)
    reason = forms.CharField(
        label=_("Why a site visit is needed"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"


class ProtocolForm(forms.Form):
    protocol = forms.CharField(
        label=_("Protocol of the visit"), widget=forms.Textarea(attrs={"rows": 10})
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=(), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment (required when voting to refuse)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from lokalnie.certification.models import Vote

        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = Vote.Choice.choices


class RubricCriterionForm(forms.ModelForm):
    class Meta:
        from lokalnie.certification.models import RubricCriterion

        model = RubricCriterion
        fields = [
            "title_pl",
            "title_en",
            "look_for_pl",
            "look_for_en",
            "scale_max",
            "position",
            "active",
        ]
        widgets = {
            "look_for_pl": forms.Textarea(attrs={"rows": 3}),
            "look_for_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_scale_max(self):
        value = self.cleaned_data["scale_max"]
        if not 1 <= value <= 10:
            raise forms.ValidationError(_("The highest score must be between 1 and 10."))
        return value
