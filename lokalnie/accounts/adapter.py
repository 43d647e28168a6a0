"""allauth hooks: e-mail through our outbox (in the recipient's language), language on login."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from lokalnie.core.emails import email_store


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", "") or translation.get_language()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            request = allauth_context.request
            ctx = {"email": email, "request": request, "site_url": settings.SITE_URL}
            ctx.update(context)
            # allauth's messages greet "from {{ current_site.name }}"; use the platform's name.
            site = get_current_site(request)
            ctx["current_site"] = SimpleNamespace(name="Lokalnie", domain=site.domain)
            message = self.render_mail(template_prefix, email, ctx)
        email_store(
            key=f"allauth:{template_prefix}:{uuid.uuid4()}",
            to=email,
            language=language,
            subject=message.subject,
            body=message.body,
        )

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = _supported(translation.get_language())
        return super().save_user(request, user, form, commit=commit)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        set_language_cookie(response, user.preferred_language)
        return response


def set_language_cookie(response, language: str) -> None:
    """Make the pages follow the person's preferred language from now on."""
    language = _supported(language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _supported(language: str | None) -> str:
    language = (language or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
