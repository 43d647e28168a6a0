"""Services of the plan part: actions — validation messages, programme scoping, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Action, ResultIndicator
from lokalnie.revitalization.services import plan as services
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_partners import make_action, make_stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    coordinator, editor, viewer = make_user(), make_user(), make_user()
    programme = make_programme(
        coordinator=coordinator,
        editor=editor,
        viewer=viewer,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2030, 12, 31),
    )
    return programme, coordinator, editor, viewer


def _indicator(programme, code="W1"):
    return ResultIndicator.objects.create(
        programme=programme,
        code=code,
        name=f"Wskaźnik {code}",
        kind="quantitative",
        method="liczba uczestników",
        direction="increase",
    )


def _data(programme, **fields):
    responsible = fields.pop("responsible", None) or make_stakeholder(programme, name="MOPS")
    data = {
        "title": "Klub młodzieżowy",
        "goal": "Młodzież spędza czas po szkole w klubie.",
        "responsible": responsible,
        "partners": [],
        "starts_on": dt.date(2025, 9, 1),
        "ends_on": dt.date(2026, 6, 30),
        "budget_pln": Decimal("120000.00"),
        "funding_source": "EFS+ (FEnIKS/program regionalny)",
        "target_group": "młodzież 13–18 lat",
        "indicators": [],
    }
    data.update(fields)
    return data


def _messages(error: ValidationError) -> dict:
    return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


def test_create_stores_links_and_audits(team):
    programme, _coordinator, editor, _viewer = team
    partner = make_stakeholder(programme, name="Szkoła Podstawowa nr 5")
    indicator = _indicator(programme)
    action = services.action_create(
        programme=programme,
        by=editor,
        data=_data(programme, partners=[partner], indicators=[indicator]),
    )
    assert list(action.partners.all()) == [partner]
    assert list(action.indicators.all()) == [indicator]
    assert action.created_by == editor
    entry = AuditEntry.objects.get(action="revitalization.plan.action_created")
    assert entry.data["budget_pln"] == "120000.00"
    assert entry.data["partners"] == [partner.pk]
    assert entry.data["indicators"] == [indicator.pk]


def test_every_problem_is_named_at_once(team):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            programme=programme,
            by=coordinator,
            data=_data(
                programme,
                title=" ",
                goal="",
                funding_source="",
                target_group="",
                budget_pln=Decimal("-5"),
                starts_on=dt.date(2026, 5, 1),
                ends_on=dt.date(2026, 4, 30),
            ),
        )
    errors = _messages(caught.value)
    assert errors["title"] == ["Give the action a title."]
    assert errors["goal"] == ["Say what the action is meant to achieve."]
    assert errors["funding_source"] == ["Give the source of funding (e.g. “środki własne gminy”)."]
    assert errors["target_group"] == ["Say who the action is for."]
    assert errors["budget_pln"] == ["The budget cannot be negative."]
    assert errors["ends_on"] == [
        "The action cannot end (April 30, 2026) before it starts (May 1, 2026)."
    ]
    assert not Action.objects.exists()


def test_dates_must_be_within_the_programme(team):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            programme=programme,
            by=coordinator,
            data=_data(programme, starts_on=dt.date(2024, 12, 1), ends_on=dt.date(2031, 1, 31)),
        )
    errors = _messages(caught.value)
    assert errors["starts_on"] == [
        "The action starts on Dec. 1, 2024, before the programme starts (Jan. 1, 2025)."
    ]
    assert errors["ends_on"] == [
        "The action ends on Jan. 31, 2031, after the programme ends (Dec. 31, 2030)."
    ]


def test_programme_without_a_period_takes_any_dates(team):
    _programme, coordinator, *_ = team
    open_programme = make_programme(coordinator=coordinator)
    action = services.action_create(
        programme=open_programme,
        by=coordinator,
        data=_data(open_programme, starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2019, 1, 1)),
    )
    assert action.starts_on == action.ends_on


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (Decimal("10.005"), "Give the budget to the grosz (at most two decimal places)."),
        (Decimal("1000000000000"), "The budget is too large (at most 999 999 999 999,99 zł)."),
        (None, "Give the budget in PLN (0 if the action costs nothing)."),
        ("abc", "Write the budget as an amount in PLN, e.g. 12 345,50."),
        (Decimal("NaN"), "Write the budget as an amount in PLN, e.g. 12 345,50."),
    ],
)
def test_budget_problems(team, budget, message):
    programme, coordinator, *_ = team
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            programme=programme, by=coordinator, data=_data(programme, budget_pln=budget)
        )
    assert _messages(caught.value)["budget_pln"] == [message]


def test_zero_budget_is_fine(team):
    programme, coordinator, *_ = team
    action = services.action_create(
        programme=programme, by=coordinator, data=_data(programme, budget_pln=Decimal("0"))
    )
    assert action.budget_pln == Decimal("0.00")


def test_another_programmes_stakeholders_and_indicators_are_refused(team):
    programme, coordinator, *_ = team
    other = make_programme()
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            programme=programme,
            by=coordinator,
            data=_data(
                programme,
                responsible=make_stakeholder(other),
                partners=[make_stakeholder(other)],
                indicators=[_indicator(other)],
            ),
        )
    errors = _messages(caught.value)
    assert errors["responsible"] == [
        "Choose the responsible partner among this programme's stakeholders."
    ]
    assert errors["partners"] == ["Choose the other partners among this programme's stakeholders."]
    assert errors["indicators"] == ["Choose indicators of this programme."]


def test_the_responsible_partner_is_not_also_an_other_partner(team):
    programme, coordinator, *_ = team
    responsible = make_stakeholder(programme)
    action = services.action_create(
        programme=programme,
        by=coordinator,
        data=_data(programme, responsible=responsible, partners=[responsible]),
    )
    assert not action.partners.exists()


def test_observers_cannot_write(team):
    programme, _coordinator, _editor, viewer = team
    with pytest.raises(PermissionDenied):
        services.action_create(programme=programme, by=viewer, data=_data(programme))
    action = make_action(programme)
    with pytest.raises(PermissionDenied):
        services.action_delete(action=action, by=viewer)


def test_update_audits_what_changed(team):
    programme, coordinator, *_ = team
    action = make_action(programme, budget_pln=Decimal("100.00"))
    partner = make_stakeholder(programme)
    data = _data(
        programme,
        responsible=action.responsible,
        title=action.title,
        goal=action.goal,
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        funding_source=action.funding_source,
        target_group=action.target_group,
        budget_pln=Decimal("250.50"),
        partners=[partner],
    )
    services.action_update(action=action, by=coordinator, data=data)
    action.refresh_from_db()
    assert action.budget_pln == Decimal("250.50")
    entry = AuditEntry.objects.get(action="revitalization.plan.action_updated")
    assert entry.data["changed"] == {
        "budget_pln": ["100.00", "250.50"],
        "partners": [[], [partner.pk]],
    }


def test_delete_is_audited(team):
    programme, coordinator, *_ = team
    action = make_action(programme, title="Festyn sąsiedzki")
    services.action_delete(action=action, by=coordinator)
    assert not Action.objects.exists()
    entry = AuditEntry.objects.get(action="revitalization.plan.action_deleted")
    assert entry.data["title"] == "Festyn sąsiedzki"


def test_a_responsible_partner_removed_meanwhile_is_named(team):
    programme, coordinator, *_ = team
    responsible = make_stakeholder(programme)
    type(responsible).objects.filter(pk=responsible.pk).delete()  # in another request
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            programme=programme, by=coordinator, data=_data(programme, responsible=responsible)
        )
    assert _messages(caught.value)["responsible"] == [
        "This stakeholder has just been removed; choose another."
    ]
    assert not Action.objects.exists()
