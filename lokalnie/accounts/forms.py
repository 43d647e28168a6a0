from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lokalnie.accounts.services import user_accept_privacy_notice


def _privacy_label():
    return format_html(
        str(_('I have read the <a href="{}">privacy notice</a>.')),
        reverse_lazy("core:privacy"),
    )


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    privacy = forms.BooleanField(
        label=lazy(_privacy_label, SafeString)(),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "privacy"]

    def save(self, request):
        user = super().save(request)
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        user_accept_privacy_notice(user=user)
        return user


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages open in this language after you log in, and e-mails are sent in it."),
    )
