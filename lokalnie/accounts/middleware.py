from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import requires_mfa

# Pages a person who must still set up a second factor can open.
_ALLOWED_PREFIXES = ("/konto/", "/static/", "/jezyk/")


class MFARequiredMiddleware:
    """Staff, board, committee and assessor accounts must have a second factor (TOTP).

    Until they set one up, every page except the account pages sends them to the
    authenticator setup, with a message that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives access to other people's data, so your account must "
                    "use two-factor authentication. Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
