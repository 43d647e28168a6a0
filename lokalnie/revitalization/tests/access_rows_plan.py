"""Access-matrix rows of the plan part (actions, timeline, CSV).

The world's programme has the world's "owner" as coordinator and "member" as editor;
everyone else is an outsider (404) and CAL staff read but do not change (403)."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.tests.factories_partners import make_action, make_stakeholder


def _outcomes(*, owner, member, staff):
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, owner=owner, member=member, staff=staff)
    return outcomes


READ = _outcomes(owner=OK, member=OK, staff=OK)
EDIT_PAGE = _outcomes(owner=OK, member=OK, staff=403)
CHANGE = _outcomes(owner=REDIRECT, member=REDIRECT, staff=403)

ROWS = {
    "revitalization:plan": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:plan_timeline": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:plan_csv": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:plan_detail": Row(args=("rev_programme", "plan_action"), outcomes=READ),
    "revitalization:plan_add": Row(args=("rev_programme",), outcomes=EDIT_PAGE),
    "revitalization:plan_edit": Row(args=("rev_programme", "plan_action"), outcomes=EDIT_PAGE),
    "revitalization:plan_delete": Row(
        method="post", args=("rev_programme", "plan_action"), outcomes=CHANGE
    ),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    responsible = make_stakeholder(programme, name="Dom Kultury")
    world["plan_action"] = make_action(
        programme, responsible=responsible, title="Kawiarenka sąsiedzka"
    ).pk
