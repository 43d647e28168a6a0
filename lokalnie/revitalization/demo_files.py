"""The demo programme's input files, as a gmina team would prepare them: the unit list
(CSV), the units' boundaries (GeoJSON) and the indicator values (CSV).

The gmina is real (Wałbrzych, TERYT 0265011, a city that has run revitalization
programmes for years); its 30 units carry the names of its districts, but their shapes (a
grid over the city's position) and every number are made up for the demo, deterministically
from a seed. The files go through the same imports as anyone's (``demo.py``; the browser
test uploads them through the pages)."""

from __future__ import annotations

import csv
import io
import json
import random

from pyproj import Geod

GMINA_CODE = "0265011"
GMINA_AREA_HA = 8480.0
WEST, SOUTH = 16.205, 50.735  # south-west corner of the grid
COLUMNS, ROWS = 6, 5
# Widths (degrees of longitude) and heights (degrees of latitude) of the grid's columns and
# rows: uneven, like real districts; scaled below so that the cells add up to the gmina.
WIDTHS = [1.0, 1.3, 0.9, 1.1, 1.4, 0.8]
HEIGHTS = [1.1, 0.9, 1.2, 1.0, 0.8]
UNIT_NAMES = [
    "Szczawienko",
    "Książ",
    "Lubiechów",
    "Piaskowa Góra I",
    "Piaskowa Góra II",
    "Piaskowa Góra III",
    "Podzamcze I",
    "Podzamcze II",
    "Stary Zdrój Zachód",
    "Nowe Miasto Północ",
    "Śródmieście Rynek",
    "Sobięcin Górny",
    "Kozice",
    "Stary Zdrój Wschód",
    "Nowe Miasto Południe",
    "Śródmieście Dworcowa",
    "Sobięcin Dolny",
    "Biały Kamień Północ",
    "Gaj",
    "Rusinowa",
    "Poniatów",
    "Podgórze Górne",
    "Podgórze Dolne",
    "Biały Kamień Południe",
    "Konradów",
    "Glinik Stary",
    "Glinik Nowy",
    "Kuźnice Świdnickie",
    "Osiedle Górnicze",
    "Rusinowa Wschód",
]
# Districts where problems concentrate in the demo (old tenement districts and the former
# mining estates), and the estates of large blocks that fare better.
TROUBLED = {
    "Śródmieście Rynek": 1.0,
    "Śródmieście Dworcowa": 0.9,
    "Sobięcin Dolny": 1.0,
    "Sobięcin Górny": 0.8,
    "Biały Kamień Północ": 0.7,
    "Podgórze Dolne": 0.9,
    "Podgórze Górne": 0.6,
    "Nowe Miasto Północ": 0.6,
    "Osiedle Górnicze": 0.8,
    "Stary Zdrój Wschód": 0.4,
}
_GEOD = Geod(ellps="WGS84")


def _cells() -> list[list[tuple[float, float]]]:
    """Rings of the 30 cells (west→east, south→north), scaled so they cover the gmina."""
    lon_unit, lat_unit = 0.0138, 0.0128
    for _ in range(3):  # fit the total area (the scale converges in a couple of steps)
        rings = []
        y = SOUTH
        for height in HEIGHTS:
            x = WEST
            top = y + height * lat_unit
            for width in WIDTHS:
                right = x + width * lon_unit
                rings.append([(x, y), (right, y), (right, top), (x, top), (x, y)])
                x = right
            y = top
        total = sum(_ring_area_ha(ring) for ring in rings)
        scale = (GMINA_AREA_HA / total) ** 0.5
        lon_unit, lat_unit = lon_unit * scale, lat_unit * scale
    return rings


def _ring_area_ha(ring) -> float:
    lons, lats = zip(*ring, strict=True)
    area, _perimeter = _GEOD.polygon_area_perimeter(lons, lats)
    return abs(area) / 10_000


def units(seed: int = 2026) -> list[dict]:
    """Code, name, residents, area in ha (from the cell's geometry) and the ring."""
    rng = random.Random(seed)  # noqa: S311 (demo numbers, not secrets)
    result = []
    for number, (name, ring) in enumerate(zip(UNIT_NAMES, _cells(), strict=True), start=1):
        dense = name.startswith(("Piaskowa", "Podzamcze", "Śródmieście", "Biały", "Nowe"))
        residents = rng.randint(4300, 8200) if dense else rng.randint(500, 3000)
        result.append(
            {
                "code": f"W{number:02d}",
                "name": name,
                "residents": residents,
                "area_ha": round(_ring_area_ha(ring), 2),
                "ring": [(round(x, 6), round(y, 6)) for x, y in ring],
            }
        )
    return result


def gmina_residents(seed: int = 2026) -> int:
    return sum(unit["residents"] for unit in units(seed))


def units_csv(seed: int = 2026) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["id", "nazwa", "mieszkancy", "powierzchnia_ha"])
    for unit in units(seed):
        writer.writerow([unit["code"], unit["name"], unit["residents"], f"{unit['area_ha']:.2f}"])
    return out.getvalue().encode("utf-8-sig")


def boundaries_geojson(seed: int = 2026) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"id": unit["code"], "nazwa": unit["name"]},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in unit["ring"]]]},
        }
        for unit in units(seed)
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()


# The demo diagnosis: four social indicators and one of every other sphere, with the
# team's crisis rule (at least 2 of the 4 social indicators worse than the gmina's value,
# at least 1 in any other sphere).
INDICATORS = [
    "bezrobocie",
    "pomoc_spoleczna",
    "przestepczosc",
    "frekwencja",
    "podmioty_gospodarcze",
    "ogrzewanie_paliwem_stalym",
    "dostep_do_uslug",
    "budynki_do_remontu",
]
CRISIS_RULES = {"social": 2, "economic": 1, "environmental": 1, "spatial": 1, "technical": 1}


def values(seed: int = 2026) -> list[dict]:
    """One row per unit: counts with their bases (rates) or values (means)."""
    rng = random.Random(seed + 1)  # noqa: S311
    rows = []
    for unit in units(seed):
        severity = TROUBLED.get(unit["name"], 0.0) + rng.uniform(-0.08, 0.12)
        severity = max(0.0, severity)
        residents = unit["residents"]
        working_age = round(residents * rng.uniform(0.58, 0.66))
        eligible = round(residents * rng.uniform(0.79, 0.84))
        dense = unit["name"].startswith(("Piaskowa", "Podzamcze", "Śródmieście", "Biały", "Nowe"))
        buildings = max(12, round(residents / (55 if dense else 22)))

        def share(low, high, base, severity=severity):
            return round(base * min(0.95, max(0.0, low + (high - low) * severity)))

        rows.append(
            {
                "unit_id": unit["code"],
                "bezrobocie": share(0.03, 0.11, working_age),
                "bezrobocie_base": working_age,
                "pomoc_spoleczna": share(0.035, 0.16, residents),
                "przestepczosc": share(0.014, 0.055, residents),
                "frekwencja": share(0.62, 0.38, eligible),
                "frekwencja_base": eligible,
                "podmioty_gospodarcze": share(0.11, 0.05, residents),
                "ogrzewanie_paliwem_stalym": share(0.08, 0.55, buildings),
                "ogrzewanie_paliwem_stalym_base": buildings,
                "dostep_do_uslug": round(380 + 420 * severity + rng.uniform(-60, 60)),
                "budynki_do_remontu": share(0.06, 0.48, buildings),
                "budynki_do_remontu_base": buildings,
            }
        )
    return rows


def values_csv(seed: int = 2026) -> bytes:
    rows = values(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
