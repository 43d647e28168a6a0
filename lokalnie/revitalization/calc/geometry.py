"""Boundaries of the diagnosis's units: reading a GeoJSON FeatureCollection, checking
it, computing areas on the ellipsoid, and drawing a choropleth map as SVG.

A plain module (no Django): problems are returned as ``Problem`` records with a ``kind``
(see ``KINDS``), the feature's position and its unit id; the caller words them.

Coordinates are WGS84 longitude/latitude (RFC 7946). A file that declares the Polish
national grid (PUWG 1992, EPSG:2180) in the old ``crs`` member is converted to WGS84 with
pyproj; other coordinate systems are refused. Every feature must lie roughly within
Poland (``POLAND``): a file whose coordinates are swapped (latitude first) is recognised
and refused with that reason.

Areas: ``area_ha`` — the geodesic area on the WGS84 ellipsoid
(``pyproj.Geod(ellps="WGS84").geometry_area_perimeter``), holes subtracted, in hectares.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

# Longitude and latitude bounds of Poland with a margin (the country spans about
# 14.1–24.2 °E and 49.0–54.9 °N).
POLAND = (13.8, 48.8, 24.4, 55.1)
# Property names that may hold the unit id (compared lower case, without diacritics).
ID_PROPERTIES = (
    "unit_id",
    "id",
    "kod",
    "code",
    "id_jednostki",
    "kod_jednostki",
    "identyfikator",
    "jednostka",
)
MAX_FEATURES = 20_000
MAX_POINTS = 2_000_000
PRECISION = 1e-6  # stored coordinates: about 0.1 m

KINDS = {
    "not_json": "the file is not JSON",
    "not_collection": "not a GeoJSON FeatureCollection",
    "no_features": "the collection has no features",
    "too_many_features": "more features than MAX_FEATURES",
    "too_many_points": "more coordinates than MAX_POINTS",
    "crs": "a coordinate system other than WGS84 or PUWG 1992 (detail: its name)",
    "projected": "coordinates in metres without a declared coordinate system",
    "not_feature": "an item of features is not a Feature",
    "no_geometry": "a feature without geometry",
    "geometry_type": "not a Polygon or MultiPolygon (detail: the type)",
    "coordinates": "malformed coordinates",
    "empty": "an empty geometry",
    "swapped": "latitude and longitude are swapped",
    "outside": "outside Poland (detail: the bounds)",
    "invalid": "an invalid geometry (detail: shapely's explanation)",
    "no_id": "no property holding the unit id",
    "duplicate_id": "the unit id appears in an earlier feature (detail: its number)",
}

_GEOD = Geod(ellps="WGS84")
_LETTERS = str.maketrans({"ł": "l", "Ł": "l"})


@dataclass(frozen=True)
class Problem:
    kind: str  # a key of KINDS
    feature: int | None = None  # 1-based position in the collection
    unit_id: str | None = None
    detail: str = ""


class GeoJSONError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.kind} {p.feature or ''} {p.detail}" for p in problems[:5]))
        self.problems = problems


@dataclass
class Feature:
    number: int  # 1-based position in the collection
    unit_id: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, WGS84, rounded to PRECISION
    area_ha: float


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _unit_id(feature: dict) -> str | None:
    properties = feature.get("properties") or {}
    if isinstance(properties, dict):
        by_key = {_key(name): value for name, value in properties.items()}
        for name in ID_PROPERTIES:
            value = by_key.get(name)
            if value not in (None, ""):
                return _id_text(value)
    if feature.get("id") not in (None, ""):
        return _id_text(feature["id"])
    return None


def _id_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _crs_source(collection: dict) -> str | None:
    """None for WGS84, "EPSG:2180" for PUWG 1992; GeoJSONError for anything else."""
    crs = collection.get("crs")
    if not crs:
        return None
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    compact = name.upper().replace(":", "").replace("_", "")
    if compact.endswith(("CRS84", "4326")):
        return None
    if compact.endswith("2180"):
        return "EPSG:2180"
    raise GeoJSONError([Problem("crs", detail=name or json.dumps(crs)[:80])])


def _count_points(coordinates) -> int:
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
        return 1
    if isinstance(coordinates, list):
        return sum(_count_points(item) for item in coordinates)
    return 0


def area_ha(geometry) -> float:
    """The geodesic area of a (shapely or GeoJSON) polygon geometry in hectares."""
    if isinstance(geometry, dict):
        geometry = shape(geometry)
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    area, _perimeter = _GEOD.geometry_area_perimeter(oriented)
    return abs(area) / 10_000


def _within(bounds, box) -> bool:
    west, south, east, north = bounds
    return west >= box[0] and south >= box[1] and east <= box[2] and north <= box[3]


def read_features(data: bytes | str | dict) -> list[Feature]:
    """The features of a GeoJSON FeatureCollection of unit boundaries.

    Raises GeoJSONError with every problem found (each naming the feature's position
    and, when known, its unit id): the file must be a FeatureCollection of Polygons or
    MultiPolygons in WGS84 (or declared PUWG 1992), within Poland, valid (OGC rules:
    no self-intersections, closed rings…), each with a unit id that no other feature
    repeats. Whether the ids are known units is for the caller to check."""
    if isinstance(data, bytes | str):
        try:
            collection = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise GeoJSONError([Problem("not_json", detail=str(exc)[:120])]) from None
    else:
        collection = data
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        kind = collection.get("type") if isinstance(collection, dict) else type(collection)
        raise GeoJSONError([Problem("not_collection", detail=str(kind)[:40])])
    items = collection.get("features")
    if not isinstance(items, list) or not items:
        raise GeoJSONError([Problem("no_features")])
    if len(items) > MAX_FEATURES:
        raise GeoJSONError([Problem("too_many_features", detail=str(len(items)))])
    source = _crs_source(collection)
    points = sum(_count_points(item["geometry"].get("coordinates")) for item in items if _geo(item))
    if points > MAX_POINTS:
        raise GeoJSONError([Problem("too_many_points", detail=str(points))])
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True) if source else None

    problems: list[Problem] = []
    features: list[Feature] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            problems.append(Problem("not_feature", feature=number))
            continue
        unit_id = _unit_id(item)
        geometry = item.get("geometry")
        if not isinstance(geometry, dict) or not geometry:
            problems.append(Problem("no_geometry", feature=number, unit_id=unit_id))
            continue
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(
                    "geometry_type",
                    feature=number,
                    unit_id=unit_id,
                    detail=str(geometry.get("type"))[:40],
                )
            )
            continue
        try:
            shaped = shape(geometry)
            if transformer is not None:
                shaped = shapely.transform(
                    shaped, lambda x, y: transformer.transform(x, y), interleaved=False
                )
            bounds = shaped.bounds
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError):
            problems.append(Problem("coordinates", feature=number, unit_id=unit_id))
            continue
        if shaped.is_empty:
            problems.append(Problem("empty", feature=number, unit_id=unit_id))
            continue
        if not all(math.isfinite(value) for value in bounds):
            problems.append(Problem("coordinates", feature=number, unit_id=unit_id))
            continue
        if not _within(bounds, POLAND):
            west, south, east, north = bounds
            if _within((south, west, north, east), POLAND):
                problems.append(Problem("swapped", feature=number, unit_id=unit_id))
            elif transformer is None and max(abs(value) for value in bounds) > 360:
                problems.append(Problem("projected", feature=number, unit_id=unit_id))
            else:
                detail = f"{west:.4f} {south:.4f} {east:.4f} {north:.4f}"
                problems.append(Problem("outside", feature=number, unit_id=unit_id, detail=detail))
            continue
        if not shaped.is_valid:
            problems.append(
                Problem("invalid", feature=number, unit_id=unit_id, detail=explain_validity(shaped))
            )
            continue
        if unit_id is None:
            problems.append(Problem("no_id", feature=number))
            continue
        if unit_id in seen:
            problems.append(
                Problem("duplicate_id", feature=number, unit_id=unit_id, detail=str(seen[unit_id]))
            )
            continue
        seen[unit_id] = number
        stored = shapely.set_precision(shaped, PRECISION)
        features.append(
            Feature(
                number=number,
                unit_id=unit_id,
                geometry=_rounded(mapping(stored)),
                area_ha=area_ha(shaped),
            )
        )
    if problems:
        raise GeoJSONError(problems)
    return features


def _geo(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("geometry"), dict)


def _rounded(geometry) -> dict:
    def walk(value):
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], int | float):
                return [round(float(number), 6) for number in value]
            return [walk(item) for item in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


# --- The choropleth map ----------------------------------------------------------------

# Fills by class: colours from ColorBrewer's RdBu scheme (safe for colour-blind readers
# and legible in greyscale), and hatching for the classes that matter most, so that the
# map does not rely on colour alone even when printed. Callers may pass their own.
DEFAULT_PALETTE = {
    "area": "url(#{prefix}-hatch-area)",  # the revitalization area
    "degraded": "url(#{prefix}-hatch-degraded)",  # degraded area (art. 9)
    "social": "#ef8a62",  # social crisis only
    "other": "#fddbc7",  # crisis in another sphere only
    "none": "#f7f7f7",  # no crisis
    "nodata": "#ffffff",  # no results
}
_PATTERNS = {
    "area": ("#2166ac", "#ffffff"),
    "degraded": ("#b2182b", "#ffffff"),
}
STROKE = "#404040"


def _patterns(prefix: str, palette: Mapping[str, str], used) -> str:
    """The hatching patterns the ``used`` categories need."""
    parts = []
    for name, (background, lines) in _PATTERNS.items():
        if name in used and palette.get(name, "").startswith("url(#{prefix}-hatch-"):
            parts.append(
                f'<pattern id="{prefix}-hatch-{name}" patternUnits="userSpaceOnUse" '
                'width="6" height="6" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="{background}"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{lines}" stroke-width="1.5"/>'
                "</pattern>"
            )
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def _fill(category: str, palette: Mapping[str, str], prefix: str) -> str:
    return palette.get(category, palette.get("nodata", "#ffffff")).replace("{prefix}", prefix)


def swatch_svg(
    category: str, *, palette: Mapping[str, str] | None = None, prefix: str = "swatch"
) -> str:
    """A small square filled as ``category`` is on the map (for a legend beside it).
    Decorative (``aria-hidden``): the legend's text says what it stands for."""
    palette = DEFAULT_PALETTE if palette is None else palette
    prefix = f"{prefix}-{category}"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="swatch" viewBox="0 0 18 18" '
        'width="18" height="18" aria-hidden="true" focusable="false">'
        f"{_patterns(prefix, palette, {category})}"
        f'<rect x="0.5" y="0.5" width="17" height="17" fill="{_fill(category, palette, prefix)}" '
        f'stroke="{STROKE}"/></svg>'
    )


def _rings(geometry) -> list:
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    rings = []
    for polygon in polygons:
        rings.append(polygon.exterior.coords)
        rings.extend(interior.coords for interior in polygon.interiors)
    return rings


def _path(geometry) -> str:
    parts = []
    for ring in _rings(geometry):
        points = []
        for x, y in ring:
            point = f"{x:.1f} {y:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def choropleth_svg(
    features: Mapping[str, dict],
    classes: Mapping[str, str],
    titles: Mapping[str, str],
    *,
    width: int = 360,
    height: int | None = None,
    label: str = "",
    palette: Mapping[str, str] | None = None,
    prefix: str = "map",
    margin: int = 4,
) -> str:
    """An SVG map with one ``<path>`` per unit.

    ``features``: unit code → GeoJSON geometry (Polygon/MultiPolygon, lon/lat);
    ``classes``: unit code → category (a key of ``palette``; a unit without one is drawn
    as "nodata"); ``titles``: unit code → the text of the path's ``<title>`` (shown on
    hover); ``label``: the map's accessible name (``aria-label`` and ``<title>``) — say
    what it shows and the counts, and put the same data in a table beside the map;
    ``height``: None to follow the area's shape (between 1/3 and 3 times the width);
    ``prefix``: makes the ids of the hatching patterns unique on the page.

    Projection: longitude scaled by the cosine of the middle latitude, latitude as is
    (an equirectangular projection — true enough for a gmina), fitted to the viewBox.
    Paths carry ``class="unit cat-<category>"`` and ``data-unit`` for styling and a
    ``fill`` attribute, so the map also prints (WeasyPrint) without a style sheet."""
    palette = DEFAULT_PALETTE if palette is None else palette
    shapes = {}
    for code, geometry in features.items():
        if geometry:
            try:
                shaped = shape(geometry)
            except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
                continue
            if not shaped.is_empty:
                shapes[code] = shaped
    if not shapes:
        height = height or width // 2
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f"aria-label={quoteattr(label)}><title>{escape(label)}</title></svg>"
        )
    west, south, east, north = shapely.total_bounds(list(shapes.values()))
    cosine = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * cosine, 1e-9)
    span_y = max(north - south, 1e-9)
    inner_width = width - 2 * margin
    if height is None:
        height = round(min(max(inner_width * span_y / span_x, width / 3), width * 3)) + 2 * margin
    inner_height = height - 2 * margin
    scale = min(inner_width / span_x, inner_height / span_y)
    offset_x = margin + (inner_width - span_x * scale) / 2
    offset_y = margin + (inner_height - span_y * scale) / 2

    def project(lon, lat):
        return (
            offset_x + (lon - west) * cosine * scale,
            offset_y + (north - lat) * scale,
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label={quoteattr(label)}>',
        f"<title>{escape(label)}</title>",
        _patterns(prefix, palette, {classes.get(code, "nodata") for code in shapes}),
        f'<g stroke="{STROKE}" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for code, shaped in shapes.items():
        projected = shapely.transform(shaped, lambda x, y: project(x, y), interleaved=False)
        projected = projected.simplify(0.3, preserve_topology=True)
        d = _path(projected)
        if not d:
            continue
        category = classes.get(code, "nodata")
        css = re.sub(r"[^a-z0-9_-]", "", category.lower())
        parts.append(
            f'<path class="unit cat-{css}" data-unit={quoteattr(code)} '
            f'fill="{_fill(category, palette, prefix)}" fill-rule="evenodd" d="{d}">'
            f"<title>{escape(titles.get(code, code))}</title></path>"
        )
    parts.append("</g></svg>")
    return "".join(parts)
