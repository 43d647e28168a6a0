"""Access-matrix rows of the revitalization module (collected by core's test_access_matrix).

Each part keeps its rows in ``access_rows_<part>.py``; this module joins them and builds the
shared world: a programme whose coordinator is the world's "owner" and whose team member
(editor) is the world's "member". Everyone else is an outsider (404); CAL staff may read."""

import importlib

from lokalnie.accounts.models import User
from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import ProgrammeMember
from lokalnie.revitalization.tests.factories import make_programme


def team_page(*, staff=OK):
    """A programme page every team member reads: outsiders 404, staff read."""
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, owner=OK, member=OK, staff=staff)
    return outcomes


def team_action(*, member=REDIRECT, owner=REDIRECT):
    """A change by the team: outsiders 404, staff 403 (support reads only)."""
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, owner=owner, member=member, staff=403)
    return outcomes


def coordinator_action(*, owner=REDIRECT):
    """A coordinator's change: the world's editor ("member") and staff get 403."""
    return team_action(member=403, owner=owner)


PARTS = ("diagnosis", "delimitation", "partners", "plan", "results", "monitoring")
_modules = []
for _part in PARTS:
    try:
        _modules.append(
            importlib.import_module(f"lokalnie.revitalization.tests.access_rows_{_part}")
        )
    except ModuleNotFoundError as exc:  # a part not written yet
        if exc.name != f"lokalnie.revitalization.tests.access_rows_{_part}":
            raise


ROWS = {
    "revitalization:index": Row(outcomes=everyone(OK)),
    "revitalization:programme_new": Row(outcomes={**everyone(OK), "anonymous": LOGIN}),
    "revitalization:programme": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:programme_edit": Row(
        args=("rev_programme",), outcomes=coordinator_action(owner=OK)
    ),
    "revitalization:programme_stage": Row(
        method="post",
        args=("rev_programme",),
        data={"stage": "diagnosis"},
        outcomes=coordinator_action(),
    ),
    "revitalization:team": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:member_role": Row(
        method="post",
        args=("rev_programme", "rev_programme_member"),
        data={"role": "editor"},
        outcomes=coordinator_action(),
    ),
    "revitalization:member_remove": Row(
        method="post", args=("rev_programme", "rev_programme_member"), outcomes=coordinator_action()
    ),
}
for _module in _modules:
    _repeated = set(_module.ROWS) & set(ROWS)
    assert not _repeated, f"{_module.__name__} repeats rows: {_repeated}"
    ROWS.update(_module.ROWS)


def extend_world(world):
    # Keys of their own ("rev_…"): the workshops module's world has a "programme" too.
    users = world["users"]
    programme = make_programme(coordinator=users["owner"], editor=users["member"])
    observer = User.objects.create_user(email="observer@example.org", password="x-Pass-1234!")
    world["rev_programme"] = programme.pk
    world["rev_programme_slug"] = programme.slug
    world["rev_programme_member"] = ProgrammeMember.objects.create(
        programme=programme, user=observer, role="viewer"
    ).pk
    for module in _modules:
        if hasattr(module, "extend_world"):
            module.extend_world(world)
