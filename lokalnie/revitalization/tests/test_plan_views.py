"""Pages of the plan part: who sees and changes what, the action form (Polish amounts,
suggestions, programme scoping), the budget's totals, the timeline and the CSV export."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Action, ResultIndicator
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_partners import make_action, make_stakeholder

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PL = {"HTTP_ACCEPT_LANGUAGE": "pl"}


@pytest.fixture
def team():
    coordinator, editor, viewer = make_user(), make_user(), make_user()
    programme = make_programme(
        coordinator=coordinator,
        editor=editor,
        viewer=viewer,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    return programme, coordinator, editor, viewer


def url(name, programme, *args):
    return reverse(f"revitalization:{name}", args=[programme.pk, *args])


def _post_data(responsible, **fields):
    data = {
        "title": "Klub młodzieżowy",
        "goal": "Młodzież spędza czas po szkole w klubie.",
        "responsible": responsible.pk,
        "starts_on": "2025-09-01",
        "ends_on": "2026-06-30",
        "budget_pln": "12 345,50",
        "funding_source": "EFS+ (FEnIKS/program regionalny)",
        "target_group": "młodzież 13–18 lat",
    }
    data.update(fields)
    return data


# --- Who may do what -----------------------------------------------------------------------


def test_outsiders_get_404(client, team):
    programme, *_ = team
    action = make_action(programme)
    client.force_login(make_user())
    for name, args in (
        ("plan", ()),
        ("plan_timeline", ()),
        ("plan_csv", ()),
        ("plan_detail", (action.pk,)),
        ("plan_add", ()),
    ):
        assert client.get(url(name, programme, *args)).status_code == 404, name


def test_observers_read_but_cannot_change(client, team):
    programme, _coordinator, _editor, viewer = team
    action = make_action(programme, title="Festyn sąsiedzki")
    client.force_login(viewer)
    page = client.get(url("plan", programme), **EN)
    assert page.status_code == 200
    assert "Festyn sąsiedzki" in page.text
    assert "Add an action" not in page.text
    assert client.get(url("plan_timeline", programme)).status_code == 200
    assert client.get(url("plan_add", programme)).status_code == 403
    assert (
        client.post(url("plan_add", programme), _post_data(action.responsible)).status_code == 403
    )
    assert client.get(url("plan_edit", programme, action.pk)).status_code == 403
    assert client.post(url("plan_delete", programme, action.pk)).status_code == 403
    assert Action.objects.count() == 1


def test_another_programmes_actions_and_stakeholders_are_refused(client, team):
    programme, coordinator, *_ = team
    other = make_programme()
    their_action = make_action(other)
    theirs = make_stakeholder(other)
    client.force_login(coordinator)
    assert client.get(url("plan_detail", programme, their_action.pk)).status_code == 404
    assert client.get(url("plan_edit", programme, their_action.pk)).status_code == 404
    assert client.post(url("plan_delete", programme, their_action.pk)).status_code == 404
    mine = make_stakeholder(programme)
    response = client.post(
        url("plan_add", programme), _post_data(theirs, partners=[mine.pk, theirs.pk]), **EN
    )
    assert response.status_code == 200
    assert "Choose the responsible partner among this programme" in response.text
    assert "Choose the other partners among this programme" in response.text
    assert not Action.objects.filter(programme=programme).exists()


# --- The form ------------------------------------------------------------------------------


def test_adding_an_action_with_a_polish_amount(client, team):
    programme, _coordinator, editor, _viewer = team
    responsible = make_stakeholder(programme, name="MOPS")
    partner = make_stakeholder(programme, name="Szkoła")
    indicator = ResultIndicator.objects.create(
        programme=programme,
        code="W1",
        name="Uczestnicy klubu",
        kind="quantitative",
        method="lista obecności",
        direction="increase",
    )
    client.force_login(editor)
    response = client.post(
        url("plan_add", programme),
        _post_data(responsible, partners=[partner.pk], indicators=[indicator.pk]),
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response.url == url("plan_detail", programme, action.pk)
    assert action.budget_pln == Decimal("12345.50")
    assert list(action.indicators.all()) == [indicator]
    detail = client.get(response.url, **PL).text
    assert "12\xa0345,50\xa0zł" in detail
    assert "W1 — Uczestnicy klubu" in detail


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1 000", "1000.00"), ("1.234,56 zł", "1234.56"), ("99.5", "99.50"), ("0", "0.00")],
)
def test_amounts_as_people_type_them(client, team, typed, stored):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    response = client.post(
        url("plan_add", programme), _post_data(make_stakeholder(programme), budget_pln=typed)
    )
    assert response.status_code == 302
    assert Action.objects.get().budget_pln == Decimal(stored)


def test_form_problems_are_named(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    response = client.post(
        url("plan_add", programme),
        _post_data(
            make_stakeholder(programme),
            budget_pln="dużo",
            starts_on="2028-01-01",
            ends_on="2027-01-01",
        ),
        **EN,
    )
    assert response.status_code == 200
    assert "Write the budget as an amount in PLN, e.g. 12 345,50." in response.text
    assert not Action.objects.exists()
    response = client.post(
        url("plan_add", programme),
        _post_data(make_stakeholder(programme), starts_on="2027-06-01", ends_on="2028-01-31"),
        **EN,
    )
    assert "after the programme ends (Dec. 31, 2027)" in response.text
    response = client.post(
        url("plan_add", programme),
        _post_data(make_stakeholder(programme), starts_on="2026-06-01", ends_on="2026-05-31"),
        **EN,
    )
    assert "The action cannot end (May 31, 2026) before it starts (June 1, 2026)." in response.text
    assert not Action.objects.exists()


def test_funding_sources_are_suggested(client, team):
    programme, coordinator, *_ = team
    make_action(programme, funding_source="Fundusz Sołecki")
    client.force_login(coordinator)
    page = client.get(url("plan_add", programme), **EN).text
    assert 'list="funding-sources"' in page
    for source in (
        "środki własne gminy",
        "EFS+ (FEnIKS/program regionalny)",
        "budżet państwa",
        "Fundusz Sołecki",
    ):
        assert f'<option value="{source}">' in page


def test_without_stakeholders_the_form_says_to_add_them_first(client, team):
    programme, coordinator, *_ = team
    client.force_login(coordinator)
    page = client.get(url("plan_add", programme), **EN).text
    assert "add the stakeholders first" in page
    assert '<form method="post" novalidate>' not in page


def test_editing_prefills_the_amount_and_saves(client, team):
    programme, coordinator, *_ = team
    action = make_action(programme, budget_pln=Decimal("12345.00"))
    client.force_login(coordinator)
    form = client.get(url("plan_edit", programme, action.pk), **PL).text
    assert 'value="12\xa0345,00"' in form
    response = client.post(
        url("plan_edit", programme, action.pk),
        _post_data(action.responsible, title="Nowa nazwa", budget_pln="12\xa0345,00"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.budget_pln) == ("Nowa nazwa", Decimal("12345.00"))


def test_removing_an_action(client, team):
    programme, coordinator, *_ = team
    action = make_action(programme)
    client.force_login(coordinator)
    response = client.post(url("plan_delete", programme, action.pk))
    assert response.status_code == 302
    assert not Action.objects.exists()
    assert client.get(url("plan_delete", programme, action.pk)).status_code == 405


# --- Totals, timeline, export --------------------------------------------------------------


def test_budget_totals_by_source_and_by_year_in_polish(client, team):
    programme, coordinator, *_ = team
    responsible = make_stakeholder(programme)
    make_action(
        programme,
        responsible=responsible,
        budget_pln=Decimal("10000.00"),
        funding_source="środki własne gminy",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    make_action(
        programme,
        responsible=responsible,
        budget_pln=Decimal("2345.00"),
        funding_source="Środki  własne gminy",  # the same source, typed differently
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    make_action(
        programme,
        responsible=responsible,
        budget_pln=Decimal("730.00"),
        funding_source="budżet państwa",
        starts_on=dt.date(2025, 7, 2),  # 183 days in 2025, 182 in 2026 → 366 / 364 zł
        ends_on=dt.date(2026, 7, 1),
    )
    client.force_login(coordinator)
    page = client.get(url("plan", programme), **PL).text
    by_source = page[page.index('class="budget-totals"') :]
    assert (
        'środki własne gminy</th><td>2</td><td class="amount">12\xa0345,00\xa0zł</td>' in by_source
    )
    assert 'budżet państwa</th><td>1</td><td class="amount">730,00\xa0zł</td>' in by_source
    assert '<th scope="row">2025</th><td class="amount">10\xa0366,00\xa0zł</td>' in page
    assert '<th scope="row">2026</th><td class="amount">2\xa0709,00\xa0zł</td>' in page
    assert "13\xa0075,00\xa0zł" in page  # the total


def test_timeline_svg_and_its_table(client, team):
    programme, coordinator, *_ = team
    responsible = make_stakeholder(programme, name="MOPS")
    make_action(
        programme,
        responsible=responsible,
        title="Klub <młodzieżowy>",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 8, 31),
    )
    make_action(
        programme,
        responsible=responsible,
        title="Kawiarenka",
        starts_on=dt.date(2025, 6, 15),
        ends_on=dt.date(2026, 2, 28),
    )
    client.force_login(coordinator)
    page = client.get(url("plan_timeline", programme), **EN).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-label="Timeline of 2 actions from March 1, 2025 to Feb. 28, 2026 by month.' in svg
    assert "Klub &lt;młodzieżowy&gt;" in svg and "<młodzieżowy>" not in svg
    assert ">2025</text>" in svg and ">2026</text>" in svg
    # 12 month columns, March 2025 – February 2026; the chart scrolls inside its own box.
    assert svg.count('font-size="11">') >= 12
    assert 'class="timeline-scroll" role="region"' in page and 'tabindex="0"' in page
    table = page[page.index("The actions' dates") :]
    assert "Kawiarenka" in table and "June 15, 2025" in table and "Feb. 28, 2026" in table
    quarterly = client.get(url("plan_timeline", programme), {"scale": "quarter"}, **EN).text
    assert ">Q1</text>" in quarterly and "by quarter." in quarterly


def test_long_plans_default_to_quarters(client, team):
    programme, coordinator, *_ = team
    make_action(programme, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 12, 31))
    client.force_login(coordinator)
    page = client.get(url("plan_timeline", programme), **EN).text
    assert "by quarter." in page


def test_csv_export(client, team):
    programme, _coordinator, _editor, viewer = team
    responsible = make_stakeholder(programme, name="MOPS")
    partner = make_stakeholder(programme, name="Szkoła")
    make_action(
        programme,
        responsible=responsible,
        partners=[partner],
        title='=HYPERLINK("x")',
        budget_pln=Decimal("12345.5"),
    )
    client.force_login(viewer)
    response = client.get(url("plan_csv", programme), **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Title", "Goal", "Responsible partner"]
    assert rows[1][0] == '\'=HYPERLINK("x")'  # not run as a formula
    assert rows[1][2:7] == ["MOPS", "Szkoła", "2025-03-01", "2025-12-31", "12345,50"]
    assert AuditEntry.objects.filter(action="revitalization.plan.exported").count() == 1
