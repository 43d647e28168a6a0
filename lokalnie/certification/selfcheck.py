"""The public self-check: the eight questions of CAL's certificate page, word for word.

The source strings are English (as everywhere in the code); the Polish catalogue holds
the original wording verbatim, and a test checks it against the source text."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# 5 or more "yes" of 8 is "most"; the visitor is invited to apply.
INVITE_THRESHOLD = 5


@dataclass(frozen=True)
class Question:
    number: int
    text: Promise
    advice: Promise  # what to develop first when the answer is "no"


QUESTIONS = [
    Question(
        1,
        _(
            "Do you think your institution/organization is one of the places that forms an "
            "important point on the map of activity in your town?"
        ),
        _(
            "Make your institution a place residents come to on their own: open its rooms "
            "for residents' meetings and initiatives, and let people know about it."
        ),
    ),
    Question(
        2,
        _(
            "Do you see the problems of your community through the eyes of its residents? "
            "Can you diagnose these problems?"
        ),
        _(
            "Start with a diagnosis of the community's problems and needs made together with "
            "residents: talk to them, walk the neighbourhood, collect their views."
        ),
    ),
    Question(
        3,
        _("Do you know how to look for and bring out the potential around you?"),
        _(
            "Map the resources around you: people with skills, groups, places, local "
            "businesses and organizations that could act with you."
        ),
    ),
    Question(
        4,
        _(
            "Do you think your team does not shut itself away in the institution's/"
            "organization's day-to-day matters, but looks for new forms of action?"
        ),
        _(
            "Give your team time and room to try new forms of action beyond day-to-day "
            "tasks, and learn from other institutions' good practices."
        ),
    ),
    Question(
        5,
        _(
            "Do you have the courage to carry out new ideas not on paper, but by putting "
            "them into practice?"
        ),
        _(
            "Choose one small idea that residents care about and carry it out from start to "
            "finish; it shows what works better than any plan."
        ),
    ),
    Question(
        6,
        _("Does your institution or organization do nothing for people without people?"),
        _(
            "Involve residents in deciding and doing, not only in receiving help: move from "
            "working for people to working with them and through them."
        ),
    ),
    Question(
        7,
        _("Do you take working with partners seriously?"),
        _(
            "Build a partnership network: agree common goals with other institutions, "
            "organizations and businesses, and meet regularly."
        ),
    ),
    Question(
        8,
        _(
            "Have you ever taken part in training organized by Centrum Wspierania "
            "Aktywności Lokalnej CAL?"
        ),
        _(
            "Take part in CAL's training on community organizing (OSL): it is the fastest "
            "way to learn the model the certificate confirms."
        ),
    ),
]


def yes_count(answers: list[bool]) -> int:
    return sum(1 for answer in answers if answer)


def is_invited(answers: list[bool]) -> bool:
    return yes_count(answers) >= INVITE_THRESHOLD
