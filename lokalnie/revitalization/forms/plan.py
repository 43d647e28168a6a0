"""Forms of the plan part: an action."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lokalnie.revitalization.models import ResultIndicator, Stakeholder
from lokalnie.revitalization.selectors import partners as partner_selectors
from lokalnie.revitalization.selectors import plan as selectors

AMOUNT = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_pln(text: str) -> Decimal:
    """An amount as people type it: "12 345,50", "12345.50", "12 345 zł", "1.234,50";
    ValueError when it is not an amount."""
    text = (text or "").strip().lower()
    for suffix in ("zł", "zl", "pln"):
        text = text.removesuffix(suffix)
    text = re.sub(r"[\s\u00a0\u202f']", "", text.removeprefix("pln"))
    if "," in text and "." in text:  # the one that comes last is the decimal separator
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    if not AMOUNT.match(text):
        raise ValueError(text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should change for the residents, and how you will know."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible partner"),
        queryset=Stakeholder.objects.none(),
        empty_label=_("— choose a stakeholder —"),
        error_messages={
            "required": _("Choose the partner responsible for the action."),
            "invalid_choice": _(
                "Choose the responsible partner among this programme's stakeholders."
            ),
        },
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Other partners"),
        queryset=Stakeholder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose the other partners among this programme's stakeholders.")
        },
    )
    starts_on = forms.DateField(
        label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    budget_pln = forms.CharField(
        label=_("Budget (PLN)"),
        max_length=40,
        help_text=_("E.g. 12 345,50; write 0 if the action costs nothing."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    funding_source = forms.CharField(
        label=_("Source of funding"),
        max_length=200,
        help_text=_("Choose a suggestion or type your own."),
        widget=forms.TextInput(attrs={"list": "funding-sources", "autocomplete": "off"}),
    )
    target_group = forms.CharField(
        label=_("Target group"),
        max_length=300,
        help_text=_("E.g. “young people aged 15–24 from the area not in education or work”."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Result indicators"),
        queryset=ResultIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose indicators of this programme.")},
    )

    def __init__(self, *args, programme, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "goal": instance.goal,
                "responsible": instance.responsible_id,
                "partners": [p.pk for p in instance.partners.all()],
                "starts_on": instance.starts_on,
                "ends_on": instance.ends_on,
                "budget_pln": selectors.format_pln(instance.budget_pln)
                .removesuffix("\xa0zł")
                .removeprefix("PLN\xa0"),
                "funding_source": instance.funding_source,
                "target_group": instance.target_group,
                "indicators": [i.pk for i in instance.indicators.all()],
            }
        super().__init__(*args, **kwargs)
        stakeholders = partner_selectors.stakeholder_choices(programme)
        self.fields["responsible"].queryset = stakeholders
        self.fields["partners"].queryset = stakeholders
        indicators = selectors.indicator_choices(programme)
        self.has_indicators = indicators.exists()
        if self.has_indicators:
            self.fields["indicators"].queryset = indicators
            self.fields["indicators"].label_from_instance = lambda i: f"{i.code} — {i.name}"
        else:
            del self.fields["indicators"]
        if programme.period_start or programme.period_end:
            self.fields["starts_on"].help_text = _("Within the programme's period: %(period)s.") % {
                "period": _period(programme)
            }

    def clean_budget_pln(self):
        text = self.cleaned_data["budget_pln"]
        try:
            return parse_pln(text)
        except ValueError:
            raise forms.ValidationError(
                _("Write the budget as an amount in PLN, e.g. 12 345,50.")
            ) from None

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "title",
                "goal",
                "responsible",
                "partners",
                "starts_on",
                "ends_on",
                "budget_pln",
                "funding_source",
                "target_group",
                "indicators",
            )
        }


def _period(programme) -> str:
    start = date_format(programme.period_start, "DATE_FORMAT") if programme.period_start else "…"
    end = date_format(programme.period_end, "DATE_FORMAT") if programme.period_end else "…"
    return f"{start} – {end}"
