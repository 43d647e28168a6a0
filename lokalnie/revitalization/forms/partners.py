"""Forms of the partners part: a stakeholder (with the institution picked from the
registry) and a partnership agreement."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lokalnie.institutions.models import Institution
from lokalnie.revitalization.models import Stakeholder
from lokalnie.revitalization.selectors import partners as selectors
from lokalnie.revitalization.services.partners import AGREEMENT_MAX_BYTES

NONE = "none"  # the picker's "not in the registry" choice


def _levels(levels: dict) -> list[tuple[int, str]]:
    # Lazy: the choices are built once, at import, and shown in each request's language.
    return [(level, format_lazy("{} — {}", level, levels[level])) for level in levels]


class StakeholderForm(forms.Form):
    """A stakeholder. The registry institution is picked by typing its name or NIP (htmx
    search; without JavaScript the "Find institution" button reloads the form with the
    matches, and a NIP alone finds the institution). Render ``institution_query`` with
    ``revitalization/partners/_institution_picker.html``."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Stakeholder.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of stakeholder.")},
    )
    institution_query = forms.CharField(
        label=_("Institution in the registry"),
        required=False,
        max_length=200,
        help_text=_(
            "Optional, for institutions, NGOs and businesses registered in Lokalnie: type the "
            "name or the NIP, then choose it from the list."
        ),
    )
    # The choice in the picker: an institution's id, NONE ("not in the registry") or empty
    # (nothing chosen yet: the query alone decides, e.g. a NIP).
    institution = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the name from the registry."),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest in social change"),
        coerce=int,
        choices=_levels(selectors.INTEREST_LEVELS),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the interest from 1 to 5.")},
    )
    influence = forms.TypedChoiceField(
        label=_("Influence on the programme"),
        coerce=int,
        choices=_levels(selectors.INFLUENCE_LEVELS),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the influence from 1 to 5.")},
    )
    role = forms.CharField(
        label=_("Role in the programme"),
        required=False,
        max_length=300,
        help_text=_("E.g. “runs the club for young people”, “co-finances the actions”."),
    )
    is_partner = forms.BooleanField(label=_("Partner of the programme"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, instance: Stakeholder | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "kind",
                    "name",
                    "interest",
                    "influence",
                    "role",
                    "is_partner",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                )
            }
            if instance.institution_id:
                kwargs["initial"]["institution"] = instance.institution_id
                kwargs["initial"]["institution_query"] = instance.institution.name
        super().__init__(*args, **kwargs)
        self.institution_matches: list[Institution] = []

    def chosen_institution(self) -> Institution | None:
        """The institution currently chosen (shown checked in the picker)."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("institution")
        if self.instance is not None:
            return self.instance.institution
        return None

    def clean_institution(self):
        choice = (self.cleaned_data.get("institution") or "").strip()
        query = (self.cleaned_data.get("institution_query") or "").strip()
        if choice == NONE:
            return None
        if choice:
            institution = (
                Institution.objects.select_related("gmina").filter(pk=choice).first()
                if choice.isdigit()
                else None
            )
            if institution is None:
                self.add_error(
                    "institution_query", _("Choose the institution from the list again.")
                )
            return institution
        if not query:
            return None
        self.institution_matches = selectors.institution_search(query=query)
        found = selectors.institution_unambiguous(query=query, matches=self.institution_matches)
        if found is not None:
            return found
        if selectors.nip_digits(query):
            self.add_error(
                "institution_query",
                _("No institution in the registry has the NIP %(nip)s.")
                % {"nip": selectors.nip_digits(query)},
            )
        elif not self.institution_matches:
            self.add_error(
                "institution_query",
                _(
                    "No institution in the registry matches “%(query)s”. Check the spelling, "
                    "or leave the field empty and give the name below."
                )
                % {"query": query},
            )
        else:
            self.add_error(
                "institution_query",
                _("Several institutions match “%(query)s”; choose one from the list.")
                % {"query": query},
            )
        return None

    def clean(self):
        data = super().clean()
        no_registry = not data.get("institution") and not data.get("institution_query")
        if no_registry and not data.get("name") and "name" not in self.errors:
            self.add_error(
                "name",
                _("Give the stakeholder's name (or choose an institution from the registry)."),
            )
        return data

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "kind",
                "institution",
                "name",
                "interest",
                "influence",
                "role",
                "is_partner",
                "contact_name",
                "contact_email",
                "contact_phone",
            )
        }
        return data


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    stakeholders = forms.ModelMultipleChoiceField(
        label=_("Parties (stakeholders)"),
        queryset=Stakeholder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one party of the agreement."),
            "invalid_choice": _("Choose the parties among this programme's stakeholders."),
        },
    )
    document = forms.FileField(label=_("Document"), required=False)
    remove_document = forms.BooleanField(label=_("Remove the stored document"), required=False)

    def __init__(self, *args, programme, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "signed_on": instance.signed_on,
                "stakeholders": [party.pk for party in instance.stakeholders.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = selectors.stakeholder_choices(programme)
        self.fields["document"].help_text = _(
            "The signed agreement: PDF, DOCX or ODT, at most %(limit)s."
        ) % {"limit": filesizeformat(AGREEMENT_MAX_BYTES)}
        if instance is None or not instance.document:
            del self.fields["remove_document"]
        else:
            self.fields["document"].help_text = _(
                "A new file replaces “%(file)s”. PDF, DOCX or ODT, at most %(limit)s."
            ) % {"file": instance.filename, "limit": filesizeformat(AGREEMENT_MAX_BYTES)}
