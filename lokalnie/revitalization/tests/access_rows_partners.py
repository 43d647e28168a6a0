"""Access-matrix rows of the partners part (stakeholders, the map, agreements).

The world's programme has the world's "owner" as coordinator and "member" as editor;
everyone else is an outsider (404) and CAL staff read but do not change (403)."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.tests.factories_partners import (
    make_action,
    make_agreement,
    make_stakeholder,
)


def _outcomes(*, owner, member, staff):
    outcomes = everyone(404)
    outcomes.update(anonymous=LOGIN, owner=owner, member=member, staff=staff)
    return outcomes


READ = _outcomes(owner=OK, member=OK, staff=OK)
EDIT_PAGE = _outcomes(owner=OK, member=OK, staff=403)
CHANGE = _outcomes(owner=REDIRECT, member=REDIRECT, staff=403)

ROWS = {
    "revitalization:partners": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:partners_map": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:partners_detail": Row(
        args=("rev_programme", "partners_stakeholder"), outcomes=READ
    ),
    "revitalization:partners_add": Row(args=("rev_programme",), outcomes=EDIT_PAGE),
    "revitalization:partners_institutions": Row(args=("rev_programme",), outcomes=EDIT_PAGE),
    "revitalization:partners_edit": Row(
        args=("rev_programme", "partners_stakeholder"), outcomes=EDIT_PAGE
    ),
    # A stakeholder responsible for no action and party to no agreement: removable.
    "revitalization:partners_delete": Row(
        method="post", args=("rev_programme", "partners_free_stakeholder"), outcomes=CHANGE
    ),
    "revitalization:partners_agreements": Row(args=("rev_programme",), outcomes=READ),
    "revitalization:partners_agreement_add": Row(args=("rev_programme",), outcomes=EDIT_PAGE),
    "revitalization:partners_agreement_edit": Row(
        args=("rev_programme", "partners_agreement"), outcomes=EDIT_PAGE
    ),
    "revitalization:partners_agreement_file": Row(
        args=("rev_programme", "partners_agreement"), outcomes=READ
    ),
    "revitalization:partners_agreement_delete": Row(
        method="post", args=("rev_programme", "partners_agreement"), outcomes=CHANGE
    ),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    stakeholder = make_stakeholder(programme, name="Miejski Ośrodek Pomocy Społecznej")
    make_action(programme, responsible=stakeholder, title="Klub młodzieżowy")
    world["partners_stakeholder"] = stakeholder.pk
    world["partners_free_stakeholder"] = make_stakeholder(programme, name="Rada Osiedla").pk
    world["partners_agreement"] = make_agreement(
        programme, parties=[stakeholder], with_file=True
    ).pk
