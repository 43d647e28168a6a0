from django import forms
from django.utils.translation import gettext_lazy as _

from lokalnie.institutions import identifiers
from lokalnie.institutions.models import AreaOfWork, Institution, Membership, TerytUnit
from lokalnie.institutions.selectors import gmina_search, gmina_unambiguous
from lokalnie.institutions.services import INSTITUTION_FIELDS


class GminaPickerMixin(forms.Form):
    """The gmina picked by typing its name (htmx search; without JavaScript the "Find
    gmina" button reloads the form with the matches). Render ``gmina_query`` with
    ``institutions/_gmina_picker.html``. Forms with an instance pre-fill it from
    ``instance.gmina``."""

    gmina_query = forms.CharField(
        label=_("Gmina"),
        required=False,
        max_length=100,
        help_text=_(
            "Type the name of the gmina, e.g. “Łódź” or “lodz”, then choose it from the list."
        ),
    )
    gmina = forms.ModelChoiceField(
        label=_("Chosen gmina"),
        queryset=TerytUnit.objects.filter(level=TerytUnit.Level.GMINA).select_related(
            "parent__parent"
        ),
        required=False,
        widget=forms.HiddenInput,
    )
    gmina_missing_message = _("Choose the gmina where the institution is located.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gmina_matches: list[TerytUnit] = []
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["gmina_query"] = instance.gmina.name

    def chosen_gmina(self) -> TerytUnit | None:
        """The gmina currently chosen (for showing it checked in the picker)."""
        if self.is_bound:
            return self.cleaned_data.get("gmina") if hasattr(self, "cleaned_data") else None
        instance = getattr(self, "instance", None)
        return instance.gmina if instance is not None and instance.pk else None

    def clean_gmina(self):
        gmina = self.cleaned_data.get("gmina")
        query = (self.cleaned_data.get("gmina_query") or "").strip()
        if gmina is not None:
            return gmina
        if not query:
            raise forms.ValidationError(self.gmina_missing_message)
        self.gmina_matches = gmina_search(query=query)
        unit = gmina_unambiguous(query=query, matches=self.gmina_matches)
        if unit is not None:
            return unit
        if not self.gmina_matches:
            raise forms.ValidationError(
                _("No gmina matches “%(query)s”. Check the spelling and try again."),
                params={"query": query},
            )
        raise forms.ValidationError(
            _("Several gminas match “%(query)s”; choose one from the list."),
            params={"query": query},
        )


class InstitutionForm(GminaPickerMixin, forms.ModelForm):
    """Institution data; the gmina through the picker of ``GminaPickerMixin``."""

    # Longer than the stored values: people type NIP with dashes and spaces; the clean_*
    # methods store the compact form.
    nip = forms.CharField(
        label=_("NIP"),
        max_length=20,
        required=False,
        help_text=_("10 digits; dashes and spaces are allowed."),
    )
    regon = forms.CharField(
        label=_("REGON"), max_length=20, required=False, help_text=_("9 or 14 digits.")
    )
    krs = forms.CharField(
        label=_("KRS number"),
        max_length=20,
        required=False,
        help_text=_("Only for organizations registered in KRS: 10 digits; spaces are allowed."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of work"),
        queryset=AreaOfWork.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Institution
        fields = [*INSTITUTION_FIELDS, "areas"]
        help_texts = {"postal_code": _("NN-NNN")}
        widgets = {
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    field_order = [
        "name",
        "kind",
        "areas",
        "street",
        "postal_code",
        "city",
        "gmina_query",
        "gmina",
        "nip",
        "regon",
        "krs",
        "email",
        "phone",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— choose the type —")), *Institution.Kind.choices]

    def clean_nip(self):
        value = self.cleaned_data.get("nip", "").strip()
        return identifiers.clean_nip(value) if value else ""

    def clean_regon(self):
        value = self.cleaned_data.get("regon", "").strip()
        return identifiers.clean_regon(value) if value else ""

    def clean_krs(self):
        value = self.cleaned_data.get("krs", "").strip()
        return identifiers.clean_krs(value) if value else ""

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in INSTITUTION_FIELDS}


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role in the institution"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_("Owners can edit the institution's data and invite or remove members."),
    )
