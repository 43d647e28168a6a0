"""Writes of the diagnosis: the gmina's settings, the unit list and its boundaries, the
indicators and their values.

Every write checks ``revitalization.edit`` on the programme, reads and checks the whole
input before touching the database, happens in one transaction (the programme's row is
locked, so two imports at once run one after the other) and is written to the audit log
with the programme as its object. A refused file raises ``TableError`` whose
``problems`` name the row and column (or the GeoJSON feature) of each problem; nothing of
it is stored.

**The unit file is the complete list of the gmina's units.** Units are matched by id:
a unit whose id is in the file is updated in place (its values, boundary and the
delimitation's decisions on it stay); new ids are added; units missing from the file are
removed. Removing a unit that has indicator values needs ``remove_missing=True`` (a typo
in an id would otherwise silently delete its data): without it the file is refused,
naming those units. The areas of the units must add up to the gmina's area, and their
residents to the gmina's residents, within ``TOLERANCE`` (1%) — a missing unit, or an
area in m² instead of ha, is caught there. Units whose area was computed from their
boundary keep that area.

**Boundaries** (GeoJSON) replace the boundary and the area of the units they name (the
area is then computed on the ellipsoid and flagged as such); units not in the file keep
what they had. **Values** are added or replaced per unit and indicator; a blank cell
changes nothing (remove an indicator to remove its values)."""

from lokalnie.revitalization.services.diagnosis._common import (
    BASE_SUFFIXES,
    TOLERANCE,
    ImportReport,
)
from lokalnie.revitalization.services.diagnosis.indicators import (
    RESERVED_CODES,
    clean_indicator_code,
    indicator_add_from_catalogue,
    indicator_define,
    indicator_remove,
)
from lokalnie.revitalization.services.diagnosis.settings import (
    CRISIS_MAX,
    diagnosis_settings_update,
)
from lokalnie.revitalization.services.diagnosis.units import (
    GEOJSON_MAX_BYTES,
    MAX_UNITS,
    UNIT_COLUMNS,
    boundaries_import,
    units_import,
)
from lokalnie.revitalization.services.diagnosis.values import MAX_VALUE, values_import

__all__ = [
    "BASE_SUFFIXES",
    "CRISIS_MAX",
    "GEOJSON_MAX_BYTES",
    "MAX_UNITS",
    "MAX_VALUE",
    "RESERVED_CODES",
    "TOLERANCE",
    "UNIT_COLUMNS",
    "ImportReport",
    "boundaries_import",
    "clean_indicator_code",
    "diagnosis_settings_update",
    "indicator_add_from_catalogue",
    "indicator_define",
    "indicator_remove",
    "units_import",
    "values_import",
]
