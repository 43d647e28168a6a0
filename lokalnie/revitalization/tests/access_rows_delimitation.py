"""Access-matrix rows of the delimitation (joined by ``access_rows.py``).

The team reads the page, the report and the CSV (staff too); the coordinator ("owner")
and the editor ("member") run the calculation and decide on units (staff 403); only the
coordinator adopts (the editor and staff 403); outsiders get 404."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import Programme, Unit
from lokalnie.revitalization.tests.factories_delimitation import fake_diagnosis, stored_run


def team_page():
    return {**everyone(404), "anonymous": LOGIN, "owner": OK, "member": OK, "staff": OK}


def team_action(*, member=REDIRECT, owner=REDIRECT):
    return {**everyone(404), "anonymous": LOGIN, "owner": owner, "member": member, "staff": 403}


ROWS = {
    "revitalization:delimitation": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:delimitation_run": Row(
        method="post",
        args=("rev_programme",),
        data={"objective": "index_residents"},
        outcomes=team_action(),
    ),
    "revitalization:delimitation_adopt": Row(
        method="post",
        args=("rev_programme", "delimitation_run"),
        outcomes=team_action(member=403),
    ),
    "revitalization:delimitation_pdf": Row(
        args=("rev_programme", "delimitation_run"), outcomes=team_page()
    ),
    "revitalization:delimitation_csv": Row(
        args=("rev_programme", "delimitation_run"), outcomes=team_page()
    ),
    "revitalization:delimitation_pin": Row(
        args=("rev_programme", "delimitation_unit"), outcomes=team_action(member=OK, owner=OK)
    ),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    diagnosis = fake_diagnosis(
        programme,
        [
            ("W01", 300, 50.0, 1.2, True),
            ("W02", 200, 60.0, 0.8, True),
            ("W03", 500, 200.0, -0.5, False),
        ],
    )
    world["delimitation_run"] = stored_run(programme, diagnosis).pk
    world["delimitation_unit"] = Unit.objects.get(programme=programme, code="W01").pk
