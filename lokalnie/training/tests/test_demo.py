"""The demo data (make run) include workshops: a full edition with a waiting list, an open
one, one not open yet and one already held. Loading twice changes nothing."""

import pytest
from django.core.management import call_command

from lokalnie.training.models import Edition, Registration
from lokalnie.training.workflow import RegStatus

pytestmark = pytest.mark.django_db


def test_demo_data_include_workshops_and_load_twice():
    call_command("load_demo", "--quiet-logins", verbosity=0)
    editions = {e.city: e for e in Edition.objects.with_seats()}
    assert set(editions) == {"Warszawa", "Poznań", "Kraków", "Łódź"}
    assert editions["Łódź"].slug.startswith("lodz-")
    warsaw = editions["Warszawa"]
    assert warsaw.seats_taken == warsaw.capacity
    assert warsaw.registrations.filter(status=RegStatus.WAITLISTED).exists()
    assert not editions["Kraków"].registration_open()
    programme = warsaw.programme
    assert set(programme.surveys.values_list("kind", flat=True)) == {"knowledge", "satisfaction"}
    assert set(programme.materials.values_list("title_pl", flat=True)) == {
        "Podręcznik trenera",
        "Katalog dobrych praktyk programów rewitalizacji społecznej",
    }
    count = Registration.objects.count()
    call_command("load_demo", "--quiet-logins", verbosity=0)
    assert Registration.objects.count() == count
    assert Edition.objects.count() == 4
    assert programme.materials.count() == 2
