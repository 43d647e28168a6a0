"""Translation completeness: every string in the code is in the Polish catalogue,
translated (all three Polish plural forms), not fuzzy, and the compiled ``.mo`` that
the app actually loads matches the ``.po``.

Used by ``manage.py check_translations`` (part of ``make test``) and by a test."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings

SOURCE_LANGUAGE = "en"  # source strings are English


def catalogue_problems(po_path: Path, *, nplurals: int) -> list[str]:
    """Untranslated, fuzzy or incomplete plural entries in one .po file."""
    problems = []
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{po_path.name}: msgid {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is marked fuzzy")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(forms):
                problems.append(f"{where} lacks some of its {nplurals} plural forms")
        elif not entry.msgstr:
            problems.append(f"{where} is not translated")
    return problems


def plural_count(po_path: Path) -> int:
    header = polib.pofile(str(po_path)).metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def compiled_matches(po_path: Path) -> list[str]:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path} is missing; run `make messages`"]
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))

    def table(catalogue):
        rows = {}
        for entry in catalogue:
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            rows[key] = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        return rows

    po_rows, mo_rows = table(po), table(mo)
    po_rows = {k: v for k, v in po_rows.items() if k[1]}
    mo_rows = {k: v for k, v in mo_rows.items() if k[1]}
    if po_rows != mo_rows:
        return [f"{mo_path} is out of date with {po_path.name}; run `make messages`"]
    return []


def extraction_problems(language: str) -> list[str]:
    """Extract the strings from a copy of the code and report any the catalogue lacks."""
    if shutil.which("xgettext") is None:
        return ["xgettext (Debian package gettext) is needed to check the catalogue"]
    base = Path(settings.BASE_DIR)
    committed = base / "locale" / language / "LC_MESSAGES" / "django.po"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(
            base / "lokalnie",
            work / "lokalnie",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static"),
        )
        shutil.copy(base / "manage.py", work / "manage.py")
        (work / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        result = subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--locale",
                language,
                "--no-obsolete",
                "--no-location",
                "--verbosity",
                "0",
            ],
            cwd=work,
            env={
                "PATH": "/usr/local/bin:/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "lokalnie.settings",
                "DATA_DIR": str(work / "var"),
                "PYTHONPATH": str(work),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return [f"makemessages failed: {result.stderr.strip()[-500:]}"]
        extracted = polib.pofile(str(work / "locale" / language / "LC_MESSAGES" / "django.po"))
        wanted = {(e.msgctxt, e.msgid) for e in extracted if e.msgid}
    have = (
        {(e.msgctxt, e.msgid) for e in polib.pofile(str(committed)) if not e.obsolete}
        if committed.exists()
        else set()
    )
    missing = sorted(wanted - have, key=lambda k: k[1])
    return [
        f"locale/{language}: {msgid!r} is used in the code but missing from the catalogue; "
        "run `make messages` and translate it"
        for _ctx, msgid in missing
    ]


def translation_problems(*, extract: bool = True) -> list[str]:
    problems: list[str] = []
    for language, _name in settings.LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        po_path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            problems.append(f"{po_path} is missing")
            continue
        nplurals = plural_count(po_path)
        problems += catalogue_problems(po_path, nplurals=nplurals)
        problems += compiled_matches(po_path)
        if extract:
            problems += extraction_problems(language)
    return problems
