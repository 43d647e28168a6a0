"""Checking a pasted credential with ``lokalnie.credentials.verify`` against this platform's
own published key set and status lists.

The verifier's ``fetch`` does not go to the network: it resolves the URL with Django's URL
resolver and calls the view that publishes it, in process. Only this site's key set and
status lists can be fetched; a credential of another issuer is reported as unverifiable
here, with the reason."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone

from lokalnie.credentials import VerificationResult, verify


class NotPublishedHere(Exception):
    pass


def local_fetch(url: str) -> bytes:
    from lokalnie.registry import views

    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or parts.query:
        raise NotPublishedHere(
            f"{url} is not published by this platform ({settings.SITE_URL}); only credentials "
            "issued here can be checked on this page"
        )
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise NotPublishedHere(f"nothing is published at {url}") from None
    if match.func not in (views.jwks, views.status_list):
        raise NotPublishedHere(f"{url} is not a key set or a status list")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = parts.path
    request.META = {"SERVER_NAME": site.hostname or "localhost", "SERVER_PORT": site.port or 80}
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise NotPublishedHere(f"HTTP {response.status_code} for {url}")
    return response.content


def verify_here(token: str) -> VerificationResult:
    return verify(token, fetch=local_fetch, now=timezone.now())
