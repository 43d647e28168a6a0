"""Writes of the diagnosis: settings, unit, boundary and value imports, indicators.
A refused file names its problems and stores nothing."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import DiagnosisIndicator, Unit, UnitValue
from lokalnie.revitalization.selectors.diagnosis import diagnosis_result
from lokalnie.revitalization.services import diagnosis as services
from lokalnie.revitalization.tabular import TableError
from lokalnie.revitalization.tests.factories_diagnosis import (
    add_catalogue_indicators,
    data_file,
    make_diagnosis,
    sample_programme,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return make_user()


@pytest.fixture
def programme(coordinator):
    return sample_programme(coordinator=coordinator)


def refused(call, **kwargs) -> list[str]:
    with pytest.raises(TableError) as caught:
        call(**kwargs)
    return [str(problem) for problem in caught.value.problems]


def units_csv(*rows, header="id;nazwa;mieszkańcy;powierzchnia (ha)") -> bytes:
    return "\n".join([header, *rows]).encode()


def import_sample_units(programme, by):
    return services.units_import(programme=programme, file=data_file("units.csv"), by=by)


# --- Settings --------------------------------------------------------------------------


def test_settings_are_saved_and_audited(coordinator):
    programme = sample_programme(coordinator=coordinator, gmina_area_ha=None, gmina_residents=None)
    services.diagnosis_settings_update(
        programme=programme,
        by=coordinator,
        gmina_area_ha=Decimal("614.44"),
        gmina_residents=4000,
        reference_year=2024,
        crisis_rules={"social": 2, "economic": None},
    )
    programme.refresh_from_db()
    assert programme.gmina_residents == 4000
    assert programme.crisis_rules == {"social": 2}
    entry = AuditEntry.objects.get(action="revitalization.diagnosis.settings_updated")
    assert entry.data["gmina_residents"] == [None, 4000]


def test_settings_refuse_nonsense_rules_and_totals(programme, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.diagnosis_settings_update(
            programme=programme,
            by=coordinator,
            gmina_area_ha=Decimal(0),
            gmina_residents=-1,
            reference_year=2024,
            crisis_rules={"social": 0},
        )
    assert set(caught.value.message_dict) == {"crisis_social", "gmina_area_ha", "gmina_residents"}


def test_settings_must_still_agree_with_the_units(programme, coordinator):
    import_sample_units(programme, coordinator)
    with pytest.raises(ValidationError) as caught:
        services.diagnosis_settings_update(
            programme=programme,
            by=coordinator,
            gmina_area_ha=Decimal(1000),
            gmina_residents=4000,
            reference_year=None,
            crisis_rules={},
        )
    assert "add up to 614.44 ha" in caught.value.messages[0]


def test_a_viewer_cannot_write(programme):
    viewer = make_user()
    programme.members.create(user=viewer, role="viewer")
    with pytest.raises(PermissionDenied):
        import_sample_units(programme, viewer)


# --- Units -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["units.csv", "units-cp1250.csv", "units.xlsx"])
def test_the_sample_unit_files_import(programme, coordinator, name):
    report = services.units_import(programme=programme, file=data_file(name), by=coordinator)
    assert report.created == 4
    units = list(Unit.objects.filter(programme=programme).order_by("code"))
    assert [(u.code, u.name, u.residents, u.area_ha) for u in units] == [
        ("A01", "Śródmieście", 1200, Decimal("150.50")),
        ("A02", "Bałuty-Północ", 800, Decimal("155.00")),
        ("A03", "Stare Polesie", 1500, Decimal("152.00")),
        ("A04", "Widzew-Wschód", 500, Decimal("156.94")),
    ]
    entry = AuditEntry.objects.get(action="revitalization.diagnosis.units_imported")
    assert entry.data["created"] == 4
    assert entry.data["file"] == name


def test_units_need_the_gmina_totals_first(coordinator):
    programme = sample_programme(coordinator=coordinator, gmina_area_ha=None)
    assert (
        "Enter the gmina's area"
        in refused(
            services.units_import, programme=programme, file=data_file("units.csv"), by=coordinator
        )[0]
    )


def test_bad_cells_are_all_named_and_nothing_is_stored(programme, coordinator):
    data = units_csv(
        "A01;Śródmieście;-5;150,5",
        "A02;;800;155",
        "A01;Stare Polesie;1500;abc",
        "A04;Widzew;99999;0",
    )
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert problems == [
        "Row 2, column “mieszkańcy”: The number may not be negative (it is -5).",
        "Row 3, column “nazwa”: The cell is empty; a value is required.",
        "Row 4, column “powierzchnia (ha)”: “abc” is not a number.",
        "Row 4, column “id”: The unit id “A01” is already used in row 2.",
        "Row 5, column “mieszkańcy”: The number is implausibly large: 99999 (at most 4 000).",
        "Row 5, column “powierzchnia (ha)”: The number may not be smaller than 0.01 (it is 0).",
    ]
    assert not Unit.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="revitalization.diagnosis").exists()


def test_a_missing_column_is_named(programme, coordinator):
    data = units_csv("A01;Śródmieście;1200", header="id;nazwa;mieszkańcy")
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert problems[0].startswith("Row 1: A column is missing: “area_ha”")


def test_areas_that_do_not_add_up_refuse_the_whole_file_with_the_numbers(programme, coordinator):
    data = units_csv("A01;Śródmieście;1200;150,5", "A02;Bałuty;800;155", "A03;Polesie;2000;152")
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert problems == [
        "Column “area (ha)”: The areas of the 3 units add up to 457.50 ha, but the gmina's "
        "area is 614.44 ha: a difference of 25.5%, more than the 1% allowed. Is a unit "
        "missing, or an area given in m² or km² instead of ha?"
    ]
    assert not Unit.objects.exists()


def test_residents_that_do_not_add_up_refuse_the_file(programme, coordinator):
    data = units_csv(
        "A01;Śródmieście;1200;150,5",
        "A02;Bałuty;800;155",
        "A03;Polesie;1500;152",
        "A04;Widzew;100;156,94",
    )
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert "residents of the 4 units add up to 3 600, but the gmina has 4 000" in problems[0]


def test_totals_within_the_tolerance_are_accepted_and_extra_columns_noted(programme, coordinator):
    # 0.5% off in area and residents.
    data = units_csv(
        "A01;Śródmieście;1200;150,5;miasto",
        "A02;Bałuty;800;155;miasto",
        "A03;Polesie;1500;152;miasto",
        "A04;Widzew;480;154;wieś",
        header="id;nazwa;mieszkańcy;powierzchnia (ha);typ",
    )
    report = services.units_import(programme=programme, file=upload("u.csv", data), by=coordinator)
    assert report.created == 4
    assert report.notes == ["Columns not used: typ."]


def test_a_wrong_encoding_is_named(programme, coordinator):
    data = units_csv("A01;Śródmieście;1200;150,5") + b"\nA02;Ba\xb3uty;800;155\n"
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert problems[0].startswith("Row 3: This row has characters that are not valid UTF-8")


def test_reimport_updates_units_by_id_and_keeps_their_values(programme, coordinator):
    import_sample_units(programme, coordinator)
    indicator = add_catalogue_indicators(programme, ["bezrobocie"])[0]
    a01 = Unit.objects.get(programme=programme, code="A01")
    UnitValue.objects.create(unit=a01, indicator=indicator, value=10)
    data = units_csv(
        "A01;Śródmieście Nowe;1210;150,5",
        "A02;Bałuty-Północ;800;155",
        "A03;Stare Polesie;1490;152",
        "A04;Widzew-Wschód;500;156,94",
    )
    report = services.units_import(programme=programme, file=upload("u.csv", data), by=coordinator)
    assert (report.created, report.updated, report.removed) == (0, 2, 0)
    a01.refresh_from_db()
    assert a01.name == "Śródmieście Nowe"
    assert a01.values.count() == 1


def test_units_missing_from_the_file_with_values_need_an_explicit_removal(programme, coordinator):
    import_sample_units(programme, coordinator)
    indicator = add_catalogue_indicators(programme, ["bezrobocie"])[0]
    a04 = Unit.objects.get(programme=programme, code="A04")
    UnitValue.objects.create(unit=a04, indicator=indicator, value=10)
    # A03 absorbs A04 (the totals still agree).
    data = units_csv(
        "A01;Śródmieście;1200;150,5", "A02;Bałuty;800;155", "A03;Polesie i Widzew;2000;308,94"
    )
    problems = refused(
        services.units_import, programme=programme, file=upload("u.csv", data), by=coordinator
    )
    assert problems[0].startswith(
        "Column “id”: This unit is not in the file but has indicator values: A04."
    )
    assert Unit.objects.filter(programme=programme).count() == 4
    report = services.units_import(
        programme=programme, file=upload("u.csv", data), by=coordinator, remove_missing=True
    )
    assert report.removed == 1
    assert not UnitValue.objects.exists()
    assert "1 indicator value of the removed units was removed with them." in report.notes


def test_an_empty_unit_file_is_refused(programme, coordinator):
    problems = refused(
        services.units_import,
        programme=programme,
        file=upload("u.csv", units_csv()),
        by=coordinator,
    )
    assert "The file has a header but no units." in problems


# --- Boundaries ------------------------------------------------------------------------


def test_boundaries_replace_the_typed_areas_and_are_flagged(programme, coordinator):
    import_sample_units(programme, coordinator)
    report = services.boundaries_import(
        programme=programme, file=data_file("boundaries.geojson"), by=coordinator
    )
    assert report.updated == 4
    a01 = Unit.objects.get(programme=programme, code="A01")
    assert a01.area_from_geometry is True
    assert a01.area_ha == Decimal("153.59")
    assert a01.geometry["type"] == "Polygon"
    assert "A01: 150.50 → 153.59 ha" in report.notes[0]
    # A later unit file keeps the areas computed from the boundaries.
    report = import_sample_units(programme, coordinator)
    assert Unit.objects.get(programme=programme, code="A01").area_ha == Decimal("153.59")
    assert "4 units keep the area computed from their boundaries." in report.notes


def test_a_feature_of_an_unknown_unit_is_named(programme, coordinator):
    import_sample_units(programme, coordinator)
    data = json.loads((data_file("boundaries.geojson")).read())
    data["features"][2]["properties"]["kod"] = "Z99"
    problems = refused(
        services.boundaries_import,
        programme=programme,
        file=upload("b.geojson", json.dumps(data)),
        by=coordinator,
    )
    assert problems == ["Feature 3: the unit id “Z99” is not in the unit list."]
    assert not Unit.objects.filter(geometry__isnull=False).exists()


def test_invalid_geojson_is_named(programme, coordinator):
    import_sample_units(programme, coordinator)
    bowtie = {
        "type": "Feature",
        "properties": {"id": "A01"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[19.40, 51.76], [19.42, 51.77], [19.42, 51.76], [19.40, 51.77], [19.40, 51.76]]
            ],
        },
    }
    data = {"type": "FeatureCollection", "features": [bowtie]}
    problems = refused(
        services.boundaries_import,
        programme=programme,
        file=upload("b.geojson", json.dumps(data)),
        by=coordinator,
    )
    assert problems[0].startswith(
        "Feature 1 (unit id “A01”): The boundary is not a valid polygon: Self-intersection"
    )
    assert refused(
        services.boundaries_import,
        programme=programme,
        file=upload("b.geojson", b"not json"),
        by=coordinator,
    )[0].startswith("The file is not valid JSON")


def test_boundaries_whose_areas_do_not_add_up_are_refused(programme, coordinator):
    import_sample_units(programme, coordinator)
    data = json.loads(data_file("boundaries.geojson").read())
    ring = data["features"][0]["geometry"]["coordinates"][0]
    for point in ring:  # A01 twice as tall
        if point[1] > 51.775:
            point[1] = 51.79
    problems = refused(
        services.boundaries_import,
        programme=programme,
        file=upload("b.geojson", json.dumps(data)),
        by=coordinator,
    )
    assert "The areas of the 4 units add up to" in problems[0]


# --- Indicators ------------------------------------------------------------------------


def test_catalogue_indicators_are_added_with_polish_names(programme, coordinator):
    added = services.indicator_add_from_catalogue(
        programme=programme, codes=["bezrobocie", "azbest"], by=coordinator
    )
    assert [i.code for i in added] == ["bezrobocie", "azbest"]
    assert added[0].name.startswith("Bezrobotni zarejestrowani")
    assert added[0].position < added[1].position
    with pytest.raises(ValidationError) as caught:
        services.indicator_add_from_catalogue(
            programme=programme, codes=["bezrobocie"], by=coordinator
        )
    assert "Already in the diagnosis: bezrobocie." in caught.value.messages


def test_an_own_indicator_gets_a_normalized_code(programme, coordinator):
    indicator = services.indicator_define(
        programme=programme,
        by=coordinator,
        code="Eksmisje Łódź",
        name="Eksmisje na 1000 mieszkańców",
        sphere="social",
        direction="higher_worse",
        aggregation="rate",
        per=1000,
    )
    assert indicator.code == "eksmisje_lodz"
    assert AuditEntry.objects.filter(action="revitalization.diagnosis.indicator_defined").exists()


@pytest.mark.parametrize("code", ["id", "nazwa", "bezrobocie_base", "  "])
def test_codes_that_would_clash_with_file_columns_are_refused(programme, coordinator, code):
    with pytest.raises(ValidationError) as caught:
        services.indicator_define(
            programme=programme,
            by=coordinator,
            code=code,
            name="X",
            sphere="social",
            direction="higher_worse",
            aggregation="rate",
            per=100,
        )
    assert "code" in caught.value.message_dict


def test_removing_an_indicator_removes_its_values(coordinator):
    programme = make_diagnosis(units=5, coordinator=coordinator)
    indicator = DiagnosisIndicator.objects.get(programme=programme, code="bezrobocie")
    assert services.indicator_remove(programme=programme, indicator=indicator, by=coordinator) == 5
    assert not UnitValue.objects.filter(indicator_id=indicator.pk).exists()
    entry = AuditEntry.objects.get(action="revitalization.diagnosis.indicator_removed")
    assert entry.data == {"code": "bezrobocie", "values_removed": 5}


# --- Values ----------------------------------------------------------------------------


@pytest.fixture
def with_units(programme, coordinator):
    import_sample_units(programme, coordinator)
    services.indicator_add_from_catalogue(
        programme=programme,
        codes=["bezrobocie", "pomoc_spoleczna", "podmioty_gospodarcze", "budynki_do_remontu"],
        by=coordinator,
    )
    return programme


def test_values_in_the_long_form(with_units, coordinator):
    report = services.values_import(
        programme=with_units, file=data_file("values-long.csv"), by=coordinator
    )
    assert (report.created, report.updated) == (12, 0)
    a01 = UnitValue.objects.get(unit__code="A01", indicator__code="bezrobocie")
    assert (a01.value, a01.base) == (120, 800)
    assert UnitValue.objects.get(unit__code="A01", indicator__code="pomoc_spoleczna").base is None
    result = diagnosis_result(with_units)
    assert result.unit("A01").values["bezrobocie"] == pytest.approx(15)  # 120 / 800 × 100
    entry = AuditEntry.objects.get(action="revitalization.diagnosis.values_imported")
    assert entry.data["form"] == "long"
    assert entry.data["values"] == {
        "bezrobocie": 4,
        "pomoc_spoleczna": 4,
        "budynki_do_remontu": 4,
    }


def test_values_in_the_wide_form_update_existing_ones(with_units, coordinator):
    services.values_import(programme=with_units, file=data_file("values-long.csv"), by=coordinator)
    report = services.values_import(
        programme=with_units, file=data_file("values-wide.csv"), by=coordinator
    )
    assert (report.created, report.updated) == (4, 4)  # businesses new, unemployment again
    assert UnitValue.objects.filter(indicator__code="podmioty_gospodarcze").count() == 4


def test_an_unknown_unit_id_is_named_by_row(with_units, coordinator):
    data = b"unit_id,indicator,value\nA01,bezrobocie,10\nZ99,bezrobocie,5\n"
    problems = refused(
        services.values_import, programme=with_units, file=upload("v.csv", data), by=coordinator
    )
    assert problems == ["Row 3, column “unit_id”: The unit id “Z99” is not in the unit list."]
    assert not UnitValue.objects.exists()


def test_an_unknown_indicator_column_is_named(with_units, coordinator):
    data = b"kod;bezrobocie;przemoc\nA01;10;3\n"
    problems = refused(
        services.values_import, programme=with_units, file=upload("v.csv", data), by=coordinator
    )
    assert problems[0].startswith(
        "Column “przemoc”: This is not the code of an indicator of this diagnosis"
    )


def test_an_unknown_indicator_code_in_the_long_form_is_named(with_units, coordinator):
    data = b"unit_id,indicator,value\nA01,przemoc,10\n"
    problems = refused(
        services.values_import, programme=with_units, file=upload("v.csv", data), by=coordinator
    )
    assert problems[0].startswith("Row 2, column “indicator”: “przemoc” is not the code")


def test_negative_counts_zero_bases_and_duplicates_are_refused(with_units, coordinator):
    data = (
        b"unit_id,indicator,value,base\n"
        b"A01,bezrobocie,-3,\n"
        b"A02,bezrobocie,3,0\n"
        b"A03,bezrobocie,3,\n"
        b"A03,bezrobocie,4,\n"
    )
    problems = refused(
        services.values_import, programme=with_units, file=upload("v.csv", data), by=coordinator
    )
    assert problems == [
        "Row 2, column “value”: The number may not be negative (it is -3).",
        "Row 3, column “base”: The number must be greater than 0 (it is 0).",
        "Row 5, column “indicator”: The value of this unit and indicator is already given in "
        "row 4.",
    ]


def test_values_need_a_column_of_values(with_units, coordinator):
    problems = refused(
        services.values_import,
        programme=with_units,
        file=upload("v.csv", b"unit_id;nazwa\nA01;x\n"),
        by=coordinator,
    )
    assert problems[0].startswith("The file has no column of values")


def test_values_need_units_and_indicators_first(programme, coordinator):
    problems = refused(
        services.values_import,
        programme=programme,
        file=data_file("values-long.csv"),
        by=coordinator,
    )
    assert problems == ["Import the unit list first, then the values."]
