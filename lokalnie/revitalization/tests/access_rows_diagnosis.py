"""Access-matrix rows of the diagnosis (joined by ``access_rows.py``).

The team reads every page (staff too); the team's coordinator and editor change things,
staff may not (403), outsiders get 404. The import forms posted without a file re-render
with the form's error (200); removing an indicator redirects."""

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import DiagnosisIndicator, Programme


# As access_rows.team_page/team_action (that module imports this one before it defines
# them): the world's coordinator is "owner", its editor "member".
def team_page():
    return {**everyone(404), "anonymous": LOGIN, "owner": OK, "member": OK, "staff": OK}


def team_action(*, member=REDIRECT, owner=REDIRECT):
    return {**everyone(404), "anonymous": LOGIN, "owner": owner, "member": member, "staff": 403}


FORM_AGAIN = team_action(member=OK, owner=OK)

ROWS = {
    "revitalization:diagnosis": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_results_csv": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_settings": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_units": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_units_import": Row(
        method="post", args=("rev_programme",), outcomes=FORM_AGAIN
    ),
    "revitalization:diagnosis_boundaries_import": Row(
        method="post", args=("rev_programme",), outcomes=FORM_AGAIN
    ),
    "revitalization:diagnosis_indicators": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_indicators_add": Row(
        method="post", args=("rev_programme",), outcomes=FORM_AGAIN
    ),
    "revitalization:diagnosis_indicator_define": Row(
        method="post", args=("rev_programme",), outcomes=FORM_AGAIN
    ),
    "revitalization:diagnosis_indicator_remove": Row(
        method="post",
        args=("rev_programme", "diagnosis_indicator"),
        outcomes=team_action(member=REDIRECT, owner=REDIRECT),
    ),
    "revitalization:diagnosis_values": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:diagnosis_values_import": Row(
        method="post", args=("rev_programme",), outcomes=FORM_AGAIN
    ),
    "revitalization:diagnosis_template": Row(
        args=("rev_programme", "jednostki"), outcomes=team_page()
    ),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    world["diagnosis_indicator"] = DiagnosisIndicator.objects.create(
        programme=programme,
        code="bezrobocie",
        name="Bezrobocie",
        sphere="social",
        direction="higher_worse",
        aggregation="rate",
    ).pk
