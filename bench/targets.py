"""What the load driver requests: paths files (one path a line) for the pages that rotate
over many certificates, institutions, towns or programmes, chosen deterministically from the
bench data.

A line may carry, after a tab, the Cookie header to send with that path: the monitoring
dashboard is a signed-in page, so each of its lines carries a session of the programme's
coordinator, created here in the bench database (and the bench's cache, as the
``cached_db`` session engine does at login). Those sessions belong to generated people of
the bench database and are only ever sent to 127.0.0.1.

    .venv/bin/python -m bench.targets OUT_DIR   # prints a JSON summary
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench.common import setup_django

SAMPLE = 200  # certificates and institutions a warm page rotates over


def main(out_dir: str) -> dict:
    setup_django()
    from django.urls import reverse
    from django.utils import timezone

    from lokalnie.institutions.models import TerytUnit
    from lokalnie.registry.models import Certificate

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    today = timezone.localdate()
    valid = list(
        Certificate.objects.effective_status("valid", today=today)
        .order_by("number")
        .values_list("number", "institution_id")
    )
    if len(valid) < 2 * SAMPLE:
        raise SystemExit(f"Only {len(valid)} valid certificates: generate the data first.")
    rng.shuffle(valid)
    warm, cold = valid[:SAMPLE], valid[SAMPLE:]

    def slug(number: str) -> str:
        return number.replace("/", "-")

    files = {
        "verify": [reverse("registry:verify_number", args=[slug(n)]) for n, _ in warm],
        "verify_cold": [reverse("registry:verify_number", args=[slug(n)]) for n, _ in cold],
        "credential_json": [reverse("registry:json", args=[slug(n)]) for n, _ in warm],
        "institution": sorted({reverse("registry:institution", args=[pk]) for _, pk in warm}),
        "status_lists": [
            reverse("registry:status_list", args=[name])
            for name in ("uniewaznienia", "zawieszenia")
        ],
    }
    from lokalnie.training.models import Edition

    upcoming = list(
        Edition.objects.public()
        .filter(ends_on__gte=today)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    rng.shuffle(upcoming)
    files["editions"] = [reverse("training:edition", args=[slug]) for slug in upcoming[:SAMPLE]]
    towns = list(
        TerytUnit.objects.filter(level=TerytUnit.Level.GMINA)
        .order_by("code")
        .values_list("search_name", flat=True)
        .distinct()
    )
    rng.shuffle(towns)
    base = reverse("registry:registry")
    files["search_towns"] = [f"{base}?{urlencode({'q': town})}" for town in towns]
    files.update(revitalization_paths(rng))
    for name, paths in files.items():
        (out / f"{name}.txt").write_text("\n".join(paths) + "\n")
    summary = {name: len(paths) for name, paths in files.items()}
    summary["valid_certificates"] = len(valid)
    return summary


def revitalization_paths(rng: random.Random) -> dict[str, list[str]]:
    """Public results pages of SAMPLE public programmes, and the monitoring dashboards of
    SAMPLE running programmes, each with a session cookie of its coordinator."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.urls import reverse
    from django.utils.crypto import get_random_string
    from django.utils.module_loading import import_string

    from lokalnie.revitalization.models import Programme, ProgrammeMember

    public = list(
        Programme.objects.filter(public_results=True)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    if len(public) < SAMPLE:
        raise SystemExit(f"Only {len(public)} public programmes: generate the data first.")
    rng.shuffle(public)
    running = list(
        ProgrammeMember.objects.filter(role="coordinator", programme__stage="monitoring")
        .order_by("programme_id")
        .values_list("programme_id", "user_id")
    )
    if len(running) < SAMPLE:
        raise SystemExit(f"Only {len(running)} programmes in monitoring: generate the data first.")
    chosen = rng.sample(running, SAMPLE)
    users = get_user_model().objects.in_bulk({user for _pk, user in chosen})
    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    cookies = {}
    for user_pk, user in sorted(users.items()):
        session = store_class()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        # As a browser would: the session and the CSRF cookie the pages' forms set.
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        cookies[user_pk] = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )
    return {
        "revitalization_results": [
            reverse("revitalization:public_results", args=[slug]) for slug in public[:SAMPLE]
        ],
        "revitalization_dashboard": [
            f"{reverse('revitalization:monitoring', args=[pk])}\t{cookies[user]}"
            for pk, user in chosen
        ],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
