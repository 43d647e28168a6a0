"""The diagnosis's reads: ``diagnosis_result`` (what the delimitation consumes) runs
three queries whatever the number of units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalnie.revitalization.models import Unit, UnitValue
from lokalnie.revitalization.selectors.diagnosis import (
    diagnosis_result,
    overview,
    unit_geometries,
)
from lokalnie.revitalization.tests.factories_diagnosis import make_diagnosis

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("units", [10, 200])
def test_diagnosis_result_runs_three_queries(units):
    programme = make_diagnosis(units=units)
    with CaptureQueriesContext(connection) as captured:
        result = diagnosis_result(programme)
    assert len(captured) == 3
    assert len(result.units) == units
    assert [i.code for i in result.indicators] == [
        "bezrobocie",
        "pomoc_spoleczna",
        "podmioty_gospodarcze",
        "budynki_do_remontu",
    ]


def test_the_result_has_the_attributes_the_delimitation_uses():
    programme = make_diagnosis(units=12, crisis_rules={"social": 1})
    result = diagnosis_result(programme)
    unit = result.units[0]
    assert unit.code == "U001" and unit.name == "Osiedle 1"
    assert isinstance(unit.residents, int) and isinstance(unit.area_ha, float)
    for name in ("values", "ratios", "z", "worse"):
        assert set(getattr(unit, name)) == {i.code for i in result.indicators}
    assert (
        set(unit.sphere_index)
        == set(unit.crisis)
        == {
            "social",
            "economic",
            "environmental",
            "spatial",
            "technical",
        }
    )
    assert isinstance(unit.degraded, bool)
    assert result.crisis_rules["social"] == 1
    assert result.missing == []
    assert set(result.gmina_values) == {i.code for i in result.indicators}


def test_values_of_another_programme_are_not_mixed_in():
    mine = make_diagnosis(units=3)
    make_diagnosis(units=3)
    result = diagnosis_result(mine)
    assert len(result.units) == 3
    assert UnitValue.objects.count() == 24


def test_missing_values_are_reported():
    programme = make_diagnosis(units=3)
    UnitValue.objects.filter(unit__code="U002", indicator__code="bezrobocie").delete()
    missing = diagnosis_result(programme).missing
    assert [(m.unit, m.indicator, m.reason) for m in missing] == [
        ("U002", "bezrobocie", "no_value")
    ]


def test_geometries_and_overview():
    programme = make_diagnosis(units=4, geometry=True)
    Unit.objects.filter(programme=programme, code="U004").update(geometry=None)
    assert sorted(unit_geometries(programme)) == ["U001", "U002", "U003"]
    counts = overview(programme)
    assert (counts.units, counts.with_boundary, counts.indicators, counts.values) == (4, 3, 4, 16)
    assert counts.complete
