"""What changed in a renewal's report compared with the previous one: word-level
differences, rendered as <ins>/<del> with text labels (colour is not the only signal)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts = []
    added, removed = _("added:"), _("removed:")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(
                f'<del><span class="visually-hidden">{escape(removed)} </span>'
                f"{escape(''.join(a[i1:i2]))}</del>"
            )
        if op in ("insert", "replace"):
            parts.append(
                f'<ins><span class="visually-hidden">{escape(added)} </span>'
                f"{escape(''.join(b[j1:j2]))}</ins>"
            )
    return mark_safe("".join(parts).replace("\n", "<br>"))  # every piece escaped above


def changed_sections(application) -> list[dict]:
    from lokalnie.certification.report import SECTIONS

    previous = application.renewal_of
    old = dict(previous.sections.values_list("key", "body")) if previous else {}
    new = dict(application.sections.values_list("key", "body"))
    rows = []
    for section in SECTIONS:
        before, after = old.get(section.key, ""), new.get(section.key, "")
        rows.append(
            {"section": section, "changed": before != after, "diff": word_diff(before, after)}
        )
    return rows


__all__ = ["changed_sections", "word_diff"]
