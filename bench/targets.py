"""What the load driver requests: paths files (one path a line) for the pages that rotate
over many certificates, institutions or towns, chosen deterministically from the bench data.

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
    for name, paths in files.items():
        (out / f"{name}.txt").write_text("\n".join(paths) + "\n")
    summary = {name: len(paths) for name, paths in files.items()}
    summary["valid_certificates"] = len(valid)
    return summary


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
