"""Forms of the delimitation: the objective of a run and a unit's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.revitalization.models import Delimitation, Unit

OBJECTIVE_HELP = {
    Delimitation.Objective.INDEX_RESIDENTS: _(
        "The composite index of each unit times its residents: where the most people live "
        "in the worst conditions (the usual choice)."
    ),
    Delimitation.Objective.INDEX: _(
        "The sum of the units' composite indices: the worst-off units, whatever their size."
    ),
    Delimitation.Objective.RESIDENTS: _(
        "The residents of the chosen degraded units: as many people as the limits allow."
    ),
}


class RunForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("What the area should maximize"),
        choices=Delimitation.Objective.choices,
        initial=Delimitation.Objective.INDEX_RESIDENTS,
        widget=forms.RadioSelect,
    )


class PinForm(forms.Form):
    pin = forms.ChoiceField(
        label=_("How this unit is decided"),
        choices=Unit.Pin.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when the unit is kept in or out: it is printed in the delimitation "
            "report annexed to the council's resolution."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the decision."))
        return data
