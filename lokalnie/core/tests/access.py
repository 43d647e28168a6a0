"""Building blocks of the access matrix (see test_access_matrix.py).

Each app may add its own rows in ``lokalnie/<app>/tests/access_rows.py`` with
``ROWS: dict[str, Row]`` and, if its URLs need objects, ``extend_world(world)`` that adds
primary keys (or other URL arguments) to the shared world and returns nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = [
    "anonymous",
    "other_member",  # member (owner) of another institution
    "member",
    "owner",
    "assessor",
    "committee",
    "board",
    "trainer",
    "staff",
]
OK, LOGIN, REDIRECT = 200, "LOGIN", "REDIRECT"


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, anonymous=LOGIN):
    return {**everyone(outcome), "anonymous": anonymous}


# Accounts with these roles have a TOTP authenticator (it is required of them).
WITH_TOTP = ("assessor", "committee", "board", "staff")


def by_totp(*, with_totp, without_totp, anonymous=LOGIN):
    outcomes = signed_in(without_totp, anonymous=anonymous)
    outcomes.update(dict.fromkeys(WITH_TOTP, with_totp))
    return outcomes


def institution_private(*, member, owner, staff, anonymous=LOGIN):
    """Pages of one institution: outsiders get 404 so that ids reveal nothing."""
    outcomes = everyone(404)
    outcomes.update(anonymous=anonymous, member=member, owner=owner, staff=staff)
    return outcomes


@dataclass
class Row:
    args: tuple = ()
    outcomes: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
