"""The page cache (``core.pagecache``), the cached home page and the language switch that
needs no CSRF token. The registry's cached pages: lokalnie/registry/tests/test_page_cache.py.
With ``REDIS_URL`` set (CI on PostgreSQL) these run against Redis, as in production."""

from __future__ import annotations

import re
import types

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import include, path, reverse

from lokalnie.accounts.models import User
from lokalnie.conftest import make_user
from lokalnie.core import pagecache
from lokalnie.core.tests.pagecache import page_cache_of_this_test

pytestmark = pytest.mark.django_db

FORM = engines["django"].from_string(
    '<form method="post" action="/">{% csrf_token %}<button>Send</button></form>'
)
renders = []


def _page_with_a_form(request):
    def render_page(extra):
        renders.append(request.path)
        return HttpResponse(FORM.render({**extra}, request))

    return pagecache.cached_page(
        request, version_key="test:version", seconds=60, render_page=render_page
    )


urlpatterns = [
    path("form/", _page_with_a_form),
    path("", include("lokalnie.urls")),
]


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.REGISTRY_PAGE_CACHE = True
    renders.clear()
    with page_cache_of_this_test(settings) as redis_url:
        yield redis_url


# --- The language switch --------------------------------------------------------------------


def test_the_language_switch_needs_no_csrf_token():
    visitor = Client(enforce_csrf_checks=True)
    home = visitor.get("/")
    assert "csrfmiddlewaretoken" not in home.content.decode()
    assert not home.cookies
    response = visitor.post(
        reverse("core:set_language"), {"language": "en", "next": "/polityka-prywatnosci/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/polityka-prywatnosci/"
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in visitor.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://example.com/", "//example.com/", "http://evil.example/x", ""]
)
def test_the_language_switch_goes_nowhere_off_site(next_url):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("core:set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


def test_a_signed_in_persons_saved_language_needs_the_csrf_token():
    """Their preference (for e-mails) is part of the account: another site cannot change it."""
    user = make_user(language="pl")
    visitor = Client(enforce_csrf_checks=True)
    visitor.force_login(user)
    response = visitor.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).preferred_language == "pl"
    html = visitor.get("/").content.decode()
    form = html[html.index('<form class="lang-switch"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = visitor.post(
        reverse("core:set_language"),
        {"csrfmiddlewaretoken": token, "language": "en", "next": "/"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).preferred_language == "en"


# --- The home page --------------------------------------------------------------------------


def test_the_home_page_is_cached_for_anonymous_visitors(monkeypatch):
    from lokalnie.core import views

    calls = []
    render = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: calls.append(1) or render(*a, **k))
    first = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    second = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert first.content == second.content and len(calls) == 1
    assert "Cookie" in second["Vary"] and not second.cookies
    polish = Client().get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert 'lang="pl"' in polish.content.decode() and len(calls) == 2


def test_signed_in_visitors_get_their_own_home_page():
    visitor = Client()
    visitor.get("/")  # the anonymous page is in the cache
    visitor.force_login(make_user())
    html = visitor.get("/").content.decode()
    assert reverse("accounts:dashboard") in html


# --- Whole pages and their CSRF tokens --------------------------------------------------------


@override_settings(ROOT_URLCONF=__name__)
def test_a_cached_page_with_a_form_gives_each_visitor_their_own_token():
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/form/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert not token.startswith("csrf-")  # never the placeholder
        response = visitor.post("/jezyk/", {"csrfmiddlewaretoken": token, "language": "en"})
        assert response.status_code in (204, 302)
        assert visitor.cookies["csrftoken"].value  # the token came with its cookie
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert renders == ["/form/"]  # rendered once, then from the cache


@override_settings(ROOT_URLCONF=__name__)
def test_a_forgotten_version_renders_the_page_afresh(django_capture_on_commit_callbacks):
    Client().get("/form/")
    Client().get("/form/")
    assert len(renders) == 1
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.forget("test:version")
    Client().get("/form/")
    assert len(renders) == 2


def test_lookup_store_and_forget():
    version, value = pagecache.lookup("test:version", "test:entry")
    assert value is None
    pagecache.store("test:entry", version, b"page", 60)
    assert pagecache.lookup("test:version", "test:entry") == (version, b"page")
    assert pagecache.lookup("test:version", "test:entry") == (version, b"page")
    pagecache.forget("test:version")
    new_version, value = pagecache.lookup("test:version", "test:entry")
    assert value is None and new_version != version


# --- With Redis: what each process keeps, and Redis's messages ---------------------------------


@pytest.fixture
def redis_only(_page_cache):
    if not _page_cache:
        pytest.skip("needs REDIS_URL (the page cache keeps nothing in the process without Redis)")
    import redis

    other_process = redis.Redis.from_url(_page_cache)
    yield other_process
    other_process.close()


def _from_the_process_only(monkeypatch):
    """Fail any round trip to Redis for the page cache's lookups."""
    client = pagecache._redis()

    def no_round_trip(*args, **kwargs):
        raise AssertionError("a round trip to Redis")

    monkeypatch.setattr(client, "mget", no_round_trip)


def test_the_process_serves_what_it_keeps_without_a_round_trip(redis_only, monkeypatch):
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    assert pagecache.lookup("test:version", "test:entry") == (version, b"page")  # kept now
    with monkeypatch.context() as patch:
        _from_the_process_only(patch)
        assert pagecache.lookup("test:version", "test:entry") == (version, b"page")


def _told(check, attempts=200):
    import time

    for _ in range(attempts):
        if check():
            return True
        time.sleep(0.005)
    return False


def test_a_change_made_by_another_process_shows_at_once(redis_only):
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    pagecache.lookup("test:version", "test:entry")
    pagecache.lookup("test:version", "test:entry")
    # Another process forgets the version: Redis tells this one.
    redis_only.delete(cache.make_key("version:test:version"))
    assert _told(lambda: pagecache.lookup("test:version", "test:entry")[1] is None)
    # ... and so does a flush of the whole database.
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    assert pagecache.lookup("test:version", "test:entry")[1] == b"page"
    # (Not flushed here: other test runs share the database.) Redis's message for a flush:
    with pagecache._local.lock:
        pagecache._local._message([b"message", b"__redis__:invalidate", None], 0.0)
    assert pagecache.lookup("test:version", "test:entry") == (version, b"page")  # asked again
    assert pagecache._local.versions  # and kept again


def test_a_lost_connection_drops_everything_kept(redis_only):
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    assert pagecache.lookup("test:version", "test:entry")[1] == b"page"
    assert pagecache._local.versions
    redis_only.execute_command("CLIENT", "KILL", "ID", pagecache._local.client_id)

    def dropped():
        pagecache.lookup("test:version", "test:entry")
        return not pagecache._local.versions and pagecache._local.connection is None

    assert _told(dropped)
    # Asked from Redis meanwhile, and subscribed again after a while.
    assert pagecache.lookup("test:version", "test:entry")[1] == b"page"


def test_nothing_kept_is_served_without_a_recent_answer_from_redis(redis_only, monkeypatch):
    """If the connection that brings the messages went silent, what the process keeps is not
    trusted for longer than ``_TRUST_SECONDS``: it asks Redis again."""
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    pagecache.lookup("test:version", "test:entry")
    now = [pagecache._now()]
    monkeypatch.setattr(pagecache, "_now", lambda: now[0])
    with monkeypatch.context() as patch:
        _from_the_process_only(patch)
        assert pagecache.lookup("test:version", "test:entry")[1] == b"page"
        now[0] += pagecache._TRUST_SECONDS * 5  # the ping's answer is read, but it is old
        with pytest.raises(AssertionError, match="round trip"):
            pagecache.lookup("test:version", "test:entry")
    assert pagecache.lookup("test:version", "test:entry")[1] == b"page"


def test_a_forked_process_does_not_use_its_parents_connection(redis_only, monkeypatch):
    version, _ = pagecache.lookup("test:version", "test:entry")
    pagecache.store("test:entry", version, b"page", 60)
    pagecache.lookup("test:version", "test:entry")
    parent = pagecache._local.connection
    monkeypatch.setattr(pagecache, "os", types.SimpleNamespace(getpid=lambda: -1))
    assert pagecache.lookup("test:version", "test:entry")[1] == b"page"
    assert pagecache._local.connection is not parent
