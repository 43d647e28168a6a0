"""The OSL implementation report ("Raport z realizacji pracy w zakresie wdrażania modelu
OSL"): its sections, their length guidance, and the attachments it needs.

One printed page is counted as 1,800 characters (a standard page, "strona
znormalizowana"). ``target`` is the length the guidance asks for; ``limit`` is the most
that can be submitted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PAGE = 1800


@dataclass(frozen=True)
class Section:
    key: str
    part: str
    title: Promise
    guidance: Promise
    target: int
    limit: int
    required: bool = True
    rows: int = 10


SECTIONS = [
    Section(
        "institutional",
        "I",
        _("Institutional report"),
        _(
            "About one page. Since when and how is community organizing (OSL) built into "
            "the institution? Does the whole team know the model: who trained whom, and when?"
        ),
        target=PAGE,
        limit=PAGE * 3 // 2,
    ),
    Section(
        "community",
        "II",
        _("Community work report"),
        _(
            "About three pages. The context: why OSL, which communities (territorial or "
            "categorial). The main activities and methods (volunteering, partnerships, civic "
            "meetings, campaigns, local events, self-help groups). Key results, difficulties "
            "and challenges."
        ),
        target=3 * PAGE,
        limit=4 * PAGE,
        rows=18,
    ),
    Section(
        "practice_title",
        "III",
        _("Selected practice: title"),
        _("A short name of the practice you describe."),
        target=120,
        limit=200,
        rows=2,
    ),
    Section(
        "practice_story",
        "III",
        _("Selected practice: what happened"),
        _(
            "In plain language and without sensitive data: the problem, who took part, what "
            "was done and how, and which community-organizing tools were used."
        ),
        target=2 * PAGE,
        limit=3 * PAGE,
        rows=14,
    ),
    Section(
        "practice_quotes",
        "III",
        _("Selected practice: residents' own words"),
        _("Quotes from residents who took part (with their consent, without surnames)."),
        target=PAGE // 2,
        limit=PAGE,
        rows=6,
    ),
    Section(
        "practice_evidence",
        "III",
        _("Selected practice: evidence of change"),
        _(
            "What changed, and how you know: numbers, new groups or initiatives, decisions, "
            "residents who took on roles."
        ),
        target=PAGE,
        limit=2 * PAGE,
        rows=8,
    ),
    Section(
        "media_note",
        "IV",
        _("Optional: films and recordings"),
        _("If you attach films or audio, say briefly what they show."),
        target=300,
        limit=1000,
        required=False,
        rows=3,
    ),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
PARTS = {
    "I": _("I. Institutional report"),
    "II": _("II. Community work report"),
    "III": _("III. Selected practice"),
    "IV": _("IV. Optional attachments"),
}


class AttachmentKind(models.TextChoices):
    STATUTE = "statute", _("statute")
    ORG_RULES = "org_rules", _("organizational rules")
    STRUCTURE = "structure", _("organizational structure")
    JOB_DESCRIPTIONS = "job_descriptions", _("organizers' job descriptions")
    PHOTO = "photo", _("photo of the practice")
    AUDIO = "audio", _("audio recording")
    VIDEO = "video", _("film")


REQUIRED_DOCUMENTS = [
    AttachmentKind.STATUTE,
    AttachmentKind.ORG_RULES,
    AttachmentKind.STRUCTURE,
    AttachmentKind.JOB_DESCRIPTIONS,
]
PHOTOS_MIN, PHOTOS_MAX = 3, 4
MEGABYTE = 1024 * 1024
MAX_BYTES = {
    "document": 20 * MEGABYTE,
    AttachmentKind.PHOTO: 10 * MEGABYTE,
    AttachmentKind.AUDIO: 50 * MEGABYTE,
    AttachmentKind.VIDEO: 200 * MEGABYTE,
}


def length(text: str) -> int:
    """Characters as the counter in the editor shows them (line breaks count as one)."""
    return len((text or "").replace("\r\n", "\n"))
