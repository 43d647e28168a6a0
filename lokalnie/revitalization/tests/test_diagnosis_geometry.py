"""Unit boundaries on their own (calc.geometry, no database): reading and checking
GeoJSON, geodesic areas and the SVG choropleth."""

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pyproj import Transformer
from shapely.geometry import box, mapping

from lokalnie.revitalization.calc.geometry import (
    GeoJSONError,
    Problem,
    area_ha,
    choropleth_svg,
    read_features,
    swatch_svg,
)

DATA = Path(__file__).parent / "data"
SVG = "{http://www.w3.org/2000/svg}"


def square(x=19.40, y=51.76, size=0.01):
    return mapping(box(x, y, x + size, y + size))


def collection(*features, **extra):
    return {"type": "FeatureCollection", "features": list(features), **extra}


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def problems(data) -> list[Problem]:
    with pytest.raises(GeoJSONError) as caught:
        read_features(data)
    return caught.value.problems


def test_the_sample_file_reads_with_areas_on_the_ellipsoid():
    features = read_features((DATA / "boundaries.geojson").read_bytes())
    assert [f.unit_id for f in features] == ["A01", "A02", "A03", "A04"]
    assert [round(f.area_ha, 2) for f in features] == [153.59, 153.59, 153.63, 153.63]
    assert features[0].geometry["type"] == "Polygon"


def test_area_of_a_known_square():
    # One degree of latitude is about 111.25 km at 52°N; a 0.01° × 0.01° cell there is
    # about 1.1125 km × 0.6854 km = 76.25 ha.
    assert area_ha(square(19.0, 52.0)) == pytest.approx(76.3, abs=0.2)


def test_holes_are_subtracted_and_ring_orientation_does_not_matter():
    outer = [[19.0, 52.0], [19.02, 52.0], [19.02, 52.02], [19.0, 52.02], [19.0, 52.0]]
    hole = [
        [19.005, 52.005],
        [19.015, 52.005],
        [19.015, 52.015],
        [19.005, 52.015],
        [19.005, 52.005],
    ]
    whole = area_ha({"type": "Polygon", "coordinates": [outer]})
    holed = area_ha({"type": "Polygon", "coordinates": [outer, hole]})
    clockwise = area_ha({"type": "Polygon", "coordinates": [outer[::-1], hole]})
    assert holed == pytest.approx(whole * 0.75, rel=1e-3)
    assert clockwise == pytest.approx(holed)


def test_multipolygons_add_up():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(19.0, 52.0)["coordinates"], square(19.1, 52.0)["coordinates"]],
    }
    assert area_ha(multi) == pytest.approx(2 * area_ha(square(19.0, 52.0)), rel=1e-6)


@pytest.mark.parametrize(
    ("properties", "top_id", "unit_id"),
    [
        ({"id": "A"}, None, "A"),
        ({"KOD": 7.0}, None, "7"),
        ({"Kod jednostki": "B"}, None, "B"),
        ({}, "C", "C"),
    ],
)
def test_the_unit_id_comes_from_a_property_or_the_feature_id(properties, top_id, unit_id):
    item = feature(square(), **properties)
    if top_id:
        item["id"] = top_id
    assert read_features(collection(item))[0].unit_id == unit_id


def test_not_json_and_not_a_collection():
    assert problems(b"{not json")[0].kind == "not_json"
    assert problems({"type": "Feature"})[0].kind == "not_collection"
    assert problems(collection())[0].kind == "no_features"


def test_every_bad_feature_is_named():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[19.0, 52.0], [19.01, 52.01], [19.01, 52.0], [19.0, 52.01], [19.0, 52.0]]],
    }
    found = problems(
        collection(
            feature(square(), id="A"),
            {"type": "Point"},
            feature(None, id="B"),
            feature({"type": "Point", "coordinates": [19.0, 52.0]}, id="C"),
            feature(bowtie, id="D"),
            feature(square(2.35, 48.85), id="E"),  # Paris
            feature(square(), nazwa="bez id"),
            feature(square(), id="A"),
            feature({"type": "Polygon", "coordinates": [[["x", 1]]]}, id="F"),
        )
    )
    assert [(p.feature, p.kind, p.unit_id) for p in found] == [
        (2, "not_feature", None),
        (3, "no_geometry", "B"),
        (4, "geometry_type", "C"),
        (5, "invalid", "D"),
        (6, "outside", "E"),
        (7, "no_id", None),
        (8, "duplicate_id", "A"),
        (9, "coordinates", "F"),
    ]
    assert found[2].detail == "Point"
    assert found[3].detail.startswith("Self-intersection")
    assert found[6].detail == "1"


def test_swapped_coordinates_are_recognised():
    lat_lon = {
        "type": "Polygon",
        "coordinates": [[[52.0, 19.0], [52.0, 19.01], [52.01, 19.01], [52.0, 19.0]]],
    }
    assert problems(collection(feature(lat_lon, id="A")))[0].kind == "swapped"


def test_metres_without_a_coordinate_system_are_refused_with_that_reason():
    metres = mapping(box(500000, 300000, 501000, 301000))
    assert problems(collection(feature(metres, id="A")))[0].kind == "projected"


def test_puwg_1992_declared_in_crs_is_converted_to_wgs84():
    to_puwg = Transformer.from_crs("EPSG:4326", "EPSG:2180", always_xy=True)
    ring = [to_puwg.transform(x, y) for x, y in square(19.4, 51.76)["coordinates"][0]]
    data = collection(
        feature({"type": "Polygon", "coordinates": [ring]}, id="A"),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
    )
    read = read_features(data)[0]
    west, south = read.geometry["coordinates"][0][0]
    assert west == pytest.approx(19.4, abs=1e-5)
    assert south == pytest.approx(51.76, abs=1e-5)
    assert read.area_ha == pytest.approx(area_ha(square(19.4, 51.76)), rel=1e-3)


def test_other_coordinate_systems_are_refused():
    data = collection(
        feature(square(), id="A"), crs={"type": "name", "properties": {"name": "EPSG:3857"}}
    )
    assert problems(data)[0] == Problem("crs", detail="EPSG:3857")


def _parse(svg: str):
    return ElementTree.fromstring(svg)  # noqa: S314 — our own SVG, not untrusted input


def test_choropleth_draws_one_path_per_unit_with_class_fill_and_title():
    features = {
        f.unit_id: f.geometry for f in read_features((DATA / "boundaries.geojson").read_bytes())
    }
    svg = choropleth_svg(
        features,
        {"A01": "degraded", "A02": "none"},
        {"A01": "A01 Śródmieście: degraded", "A02": "A02 <Bałuty>"},
        width=300,
        label="Map: 1 of 4 units degraded",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Map: 1 of 4 units degraded"
    assert root.get("viewBox").startswith("0 0 300 ")
    paths = root.findall(f".//{SVG}path")
    assert [p.get("data-unit") for p in paths] == ["A01", "A02", "A03", "A04"]
    assert paths[0].get("class") == "unit cat-degraded"
    assert paths[0].get("fill") == "url(#map-hatch-degraded)"
    assert paths[1].get("fill") == "#f7f7f7"
    assert paths[2].get("class") == "unit cat-nodata"  # no class given
    assert paths[1].find(f"{SVG}title").text == "A02 <Bałuty>"  # escaped in the markup
    assert root.find(f".//{SVG}pattern").get("id") == "map-hatch-degraded"


def test_choropleth_fits_the_view_box_and_keeps_the_shape():
    # A 2 × 1 (in km, roughly) area: the map is about twice as wide as high.
    wide = {"A": mapping(box(19.0, 52.0, 19.0 + 0.02 / 0.6157 * 0.6157 * 2, 52.01))}
    root = _parse(choropleth_svg(wide, {}, {}, width=400, margin=0))
    height = float(root.get("height"))
    assert 400 / height == pytest.approx(0.04 * 0.6157 / 0.01, rel=0.05)
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d", root.find(f".//{SVG}path").get("d"))]
    assert min(numbers) >= 0 and max(numbers) <= 400


def test_choropleth_without_geometries_is_an_empty_labelled_image():
    root = _parse(choropleth_svg({}, {}, {}, label="No boundaries"))
    assert root.get("aria-label") == "No boundaries"
    assert root.findall(f".//{SVG}path") == []


def test_custom_palette_and_prefix_for_a_second_map_on_the_page():
    svg = choropleth_svg(
        {"A": square()}, {"A": "area"}, {}, palette={"area": "#123456"}, prefix="pdf"
    )
    assert 'fill="#123456"' in svg
    assert "<pattern" not in svg


def test_swatch_is_decorative_and_matches_the_map():
    root = _parse(swatch_svg("degraded", prefix="legend"))
    assert root.get("aria-hidden") == "true"
    assert root.find(f".//{SVG}rect[@stroke]").get("fill") == "url(#legend-degraded-hatch-degraded)"


def test_stored_geometry_is_rounded_json():
    geometry = read_features(collection(feature(square(19.123456789, 51.5), id="A")))[0].geometry
    text = json.dumps(geometry)
    assert "19.123457" in text
    assert "19.123456789" not in text
