from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lokalnie.accounts.adapter import set_language_cookie
from lokalnie.accounts.forms import ProfileForm
from lokalnie.accounts.models import Role
from lokalnie.accounts.permissions import institution_roles, requires_mfa, roles_of
from lokalnie.accounts.services import user_update_profile
from lokalnie.institutions.selectors import institutions_for_user


@login_required
def dashboard(request):
    user = request.user
    memberships = institution_roles(user)
    institutions = [
        (institution, memberships.get(institution.pk))
        for institution in institutions_for_user(user=user).filter(memberships__user=user)
    ]
    return render(
        request,
        "accounts/dashboard.html",
        {
            "roles": [Role(r).label for r in sorted(roles_of(user))],
            "institutions": institutions,
            "mfa_enabled": is_mfa_enabled(user),
            "mfa_required": requires_mfa(user),
        },
    )


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            user_update_profile(
                user=user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=form.cleaned_data["language"],
                by=user,
            )
            response = redirect("accounts:profile")
            set_language_cookie(response, user.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            return response
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "language": user.preferred_language,
            }
        )
    return render(request, "accounts/profile.html", {"form": form})
