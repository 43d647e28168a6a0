"""Helpers shared by the diagnosis services: the tolerance of the units' totals, the
import report, locking the programme and the totals check."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.tabular import Problem, TableError

TOLERANCE = Decimal("0.01")  # the units' total area and residents against the gmina's
# Headers that mean a base column in the wide form of the values file: "<code>_base".
BASE_SUFFIXES = ("_base", "_podstawa", "_mianownik")


@dataclass
class ImportReport:
    """What an import did, for the page's message and the audit log."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    notes: list[str] = field(default_factory=list)


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _filename(file) -> str:
    return str(getattr(file, "name", "") or "")[:200]


def _ha(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _format(number) -> str:
    """12345.5 → "12 345,5" would be locale work; keep the plain form with a space."""
    if isinstance(number, Decimal | float) and number != int(number):
        return f"{number:,.2f}".replace(",", " ")
    return f"{int(number):,}".replace(",", " ")


def _totals_problems(
    programme: Programme, *, area: Decimal, residents: int, count: int
) -> list[Problem]:
    """Problems when the units do not add up to the gmina (within TOLERANCE)."""
    problems = []
    gmina_area = programme.gmina_area_ha
    if gmina_area and abs(area - gmina_area) > gmina_area * TOLERANCE:
        problems.append(
            Problem(
                _(
                    "The areas of the %(count)s units add up to %(units)s ha, but the gmina's "
                    "area is %(gmina)s ha: a difference of %(share)s%%, more than the %(limit)s%% "
                    "allowed. Is a unit missing, or an area given in m² or km² instead of ha?"
                )
                % {
                    "count": count,
                    "units": _format(area),
                    "gmina": _format(gmina_area),
                    "share": f"{abs(area - gmina_area) / gmina_area * 100:.1f}",
                    "limit": f"{float(TOLERANCE * 100):g}",
                },
                column=_("area (ha)"),
            )
        )
    gmina_residents = programme.gmina_residents
    if gmina_residents and abs(residents - gmina_residents) > gmina_residents * TOLERANCE:
        problems.append(
            Problem(
                _(
                    "The residents of the %(count)s units add up to %(units)s, but the gmina "
                    "has %(gmina)s residents: a difference of %(share)s%%, more than the "
                    "%(limit)s%% allowed. Is a unit missing, or are the numbers from another "
                    "year or source than the gmina's?"
                )
                % {
                    "count": count,
                    "units": _format(residents),
                    "gmina": _format(gmina_residents),
                    "share": f"{abs(residents - gmina_residents) / gmina_residents * 100:.1f}",
                    "limit": f"{float(TOLERANCE * 100):g}",
                },
                column=_("residents"),
            )
        )
    return problems


def _settings_missing(programme: Programme) -> None:
    if programme.gmina_area_ha is None or programme.gmina_residents is None:
        raise TableError(
            [
                Problem(
                    _(
                        "Enter the gmina's area and number of residents in the diagnosis "
                        "settings first: the units are checked against them."
                    )
                )
            ]
        )
