from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.registry.models import parse_number
from lokalnie.registry.workflow import Decision

TOKEN_MAX = 50_000


class NumberForm(forms.Form):
    numer = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. CAL/2026/0042."),
        error_messages={"required": _("Enter the certificate number.")},
    )

    def clean_numer(self):
        number = parse_number(self.cleaned_data["numer"])
        if number is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a certificate number; it looks like CAL/2026/0042."),
                params={"value": self.cleaned_data["numer"]},
            )
        return number


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Signed credential (JWT)"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        max_length=TOKEN_MAX,
        help_text=_(
            "Paste the content of the .jwt file: three parts separated by dots, "
            "beginning with “eyJ”."
        ),
        error_messages={"required": _("Paste the signed credential.")},
    )


class ChargesForm(forms.Form):
    charges = forms.CharField(
        label=_("Charges (in writing)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The institution's members receive them and may respond before you decide."),
        error_messages={"required": _("State the charges in writing.")},
    )


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Your response to the charges"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your response.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reasons = forms.CharField(
        label=_("Written reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Written reasons are required for the decision.")},
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for lifting the suspension"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Written reasons are required for this step.")},
    )


class ResponsiblePersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    function_pl = forms.CharField(
        label=_("Function (Polish)"),
        max_length=200,
        help_text=_("As printed on certificates, e.g. “Pełnomocnik Zarządu ds. certyfikacji”."),
    )
    function_en = forms.CharField(label=_("Function (English)"), max_length=200, required=False)
    from_date = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date of the Board's resolution or a later date, as YYYY-MM-DD."),
    )
