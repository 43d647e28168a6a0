"""The demo programme: built through the services, believable, and idempotent."""

import pytest

from lokalnie.conftest import make_user
from lokalnie.revitalization import demo
from lokalnie.revitalization.models import Delimitation, Measurement, Programme
from lokalnie.revitalization.selectors.diagnosis import diagnosis_result
from lokalnie.revitalization.selectors.programme import stage_completion

pytestmark = pytest.mark.django_db


def test_the_demo_programme_walks_every_stage_within_the_law(teryt):
    coordinator, editor = make_user(), make_user()
    programme = demo.load(coordinator=coordinator, editor=editor)
    assert programme.gmina.name == "Wałbrzych"
    result = diagnosis_result(programme)
    assert len(result.units) == 30
    assert sum(unit.degraded for unit in result.units) >= 5
    adopted = Delimitation.objects.get(programme=programme, status="adopted")
    assert adopted.result["status"] == "optimal"
    area = sum(
        float(u.area_ha) for u in programme.units.filter(code__in=adopted.result["selected"])
    )
    residents = sum(
        u.residents for u in programme.units.filter(code__in=adopted.result["selected"])
    )
    assert area <= 0.2 * float(programme.gmina_area_ha)
    assert residents <= 0.3 * programme.gmina_residents
    approved = Measurement.objects.filter(period__programme=programme, status="approved")
    assert approved.count() == 6  # three indicators × 2024 and 2025
    assert Measurement.objects.filter(period__programme=programme, status="submitted").count() == 3
    assert all(stage_completion(programme).values())
    programme.refresh_from_db()
    assert programme.stage == "monitoring"
    assert programme.public_results or Programme.objects.get(pk=programme.pk).public_results
    assert demo.load(coordinator=coordinator) is None  # idempotent


def test_load_demo_includes_the_programme_of_walbrzych_for_its_coordinator():
    from django.core.management import call_command

    call_command("load_demo", "--quiet-logins", verbosity=0)
    programme = Programme.objects.get(slug=demo.SLUG)
    assert programme.members.get(role="coordinator").user.email == "gmina@lokalnie.test"
    assert programme.members.get(role="editor").user.email == "czlonek@lokalnie.test"
    call_command("load_demo", "--quiet-logins", verbosity=0)
    assert Programme.objects.count() == 1
