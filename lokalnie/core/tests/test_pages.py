import pytest
from django.test import override_settings
from django.urls import path, reverse

from lokalnie.accounts.models import User
from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "html_lang"), [("pl", 'lang="pl"'), ("en", 'lang="en"')])
def test_home_page_in_both_languages(client, language, html_lang):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    assert html_lang in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert page.count("<h1") == 1


def test_polish_is_the_default_language(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'lang="pl"' in page


def test_language_switch_is_remembered_for_a_signed_in_person(client):
    user = make_user(language="pl")
    client.force_login(user)
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert AuditEntry.objects.filter(
        action="user.language_changed", object_id=str(user.pk)
    ).exists()


def test_language_switch_ignores_unknown_languages(client):
    user = make_user(language="pl")
    client.force_login(user)
    client.post(reverse("core:set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).preferred_language == "pl"


@pytest.mark.parametrize(
    ("language", "text"), [("pl", "Nie znaleziono strony"), ("en", "Page not found")]
)
def test_404_page_in_both_languages(client, language, text):
    response = client.get("/nie-ma-takiej-strony/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert text in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize(
    ("language", "text"), [("pl", "Coś poszło nie tak"), ("en", "Something went wrong")]
)
def test_500_page_in_both_languages(client, language, text):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert text in response.content.decode()


def test_403_page_explains_what_to_do(client):
    client.force_login(make_user())
    response = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_content_security_policy_allows_no_inline_script(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_do_not_contain_inline_scripts_or_styles(client):
    page = client.get("/").content.decode()
    assert "<script>" not in page and "style=" not in page


def test_module_pages_say_honestly_that_they_are_not_ready(client):
    page = client.get(
        reverse("core:module", args=["dobre-praktyki"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "This part of the platform is not available yet" in page
    assert client.get(reverse("core:module", args=["nonexistent"])).status_code == 404


def test_health_check(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}
