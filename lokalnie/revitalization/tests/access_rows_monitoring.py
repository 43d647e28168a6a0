"""Access-matrix rows of the monitoring part: the dashboard, its exports, publishing the
results, the evaluation reviews, and the public results pages."""

import datetime as dt

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import Programme, Review
from lokalnie.revitalization.tests.factories import make_programme

# As access_rows.team_page/team_action/coordinator_action (that module imports this one
# before it defines them): the world's coordinator is "owner", its team member "member";
# everyone else is an outsider (404); CAL staff read but change nothing (403).


def team_page():
    return {**everyone(404), "anonymous": LOGIN, "owner": OK, "member": OK, "staff": OK}


def team_action(*, member=REDIRECT, owner=REDIRECT):
    return {**everyone(404), "anonymous": LOGIN, "owner": owner, "member": member, "staff": 403}


def coordinator_action():
    return team_action(member=403)


TEAM_FORM = team_action(member=OK, owner=OK)

ROWS = {
    "revitalization:monitoring": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:monitoring_xlsx": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:monitoring_pdf": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:monitoring_publish": Row(
        method="post", args=("rev_programme",), outcomes=coordinator_action()
    ),
    # The world's programme is not public: the coordinator is told so and sent back.
    "revitalization:monitoring_unpublish": Row(
        method="post", args=("rev_programme",), outcomes=coordinator_action()
    ),
    "revitalization:evaluation": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:evaluation_add": Row(args=("rev_programme",), outcomes=TEAM_FORM),
    "revitalization:evaluation_edit": Row(args=("rev_programme", "review"), outcomes=TEAM_FORM),
    "revitalization:public_list": Row(outcomes=everyone(OK)),
    # Another programme, whose team made its results public.
    "revitalization:public_results": Row(args=("public_programme_slug",), outcomes=everyone(OK)),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    review = Review.objects.create(
        programme=programme,
        held_on=dt.date(2025, 12, 1),
        findings="Program realizowany zgodnie z planem.",
    )
    public = make_programme(public_results=True)
    world.update(review=review.pk, public_programme_slug=public.slug)
