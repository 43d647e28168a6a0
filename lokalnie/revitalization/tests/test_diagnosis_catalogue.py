"""The standard indicator catalogue: every sphere of art. 9 is covered and every entry
can be used as it is (codes that the files' headers match, valid directions)."""

from django.utils import translation

from lokalnie.revitalization.calc.indices import SPHERES
from lokalnie.revitalization.catalogue import BY_CODE, CATALOGUE, catalogue_by_sphere
from lokalnie.revitalization.models import DiagnosisIndicator
from lokalnie.revitalization.services.diagnosis import (
    BASE_SUFFIXES,
    RESERVED_CODES,
    clean_indicator_code,
)


def test_every_sphere_has_indicators_and_social_covers_the_phenomena_of_art_9():
    grouped = catalogue_by_sphere()
    assert list(grouped) == list(SPHERES)
    assert all(grouped[sphere] for sphere in SPHERES)
    social = {entry.code for entry in grouped["social"]}
    # unemployment, poverty, crime, education, participation
    assert {"bezrobocie", "pomoc_spoleczna", "przestepczosc", "wyniki_egzaminu"} <= social
    assert {"frekwencja", "organizacje_pozarzadowe"} <= social


def test_entries_are_usable_as_they_are():
    assert len(BY_CODE) == len(CATALOGUE)
    for entry in CATALOGUE:
        assert clean_indicator_code(entry.code) == entry.code
        assert entry.code not in RESERVED_CODES
        assert not entry.code.endswith(BASE_SUFFIXES)
        assert len(entry.code) <= 40 and len(entry.name_pl) <= 200
        assert entry.direction in DiagnosisIndicator.Direction.values
        assert entry.aggregation in DiagnosisIndicator.Aggregation.values
        assert entry.per >= 1 and entry.source
        assert entry.name_pl and entry.name_en
        if entry.aggregation == "rate":
            assert entry.base_pl and entry.base_en


def test_names_follow_the_language():
    entry = BY_CODE["bezrobocie"]
    with translation.override("en"):
        assert entry.name == "Registered unemployed per 100 residents of working age"
    with translation.override("pl"):
        assert entry.name.startswith("Bezrobotni zarejestrowani")
