"""Helpers shared by the results services: numbers in messages, locked periods,
fractions."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lokalnie.revitalization.models import (
    Measurement,
    Period,
    Programme,
    ResultIndicator,
)

Kinds = ResultIndicator.Kind
Status = Measurement.Status


# --- Helpers -------------------------------------------------------------------------


def number_text(value) -> str:
    """A number as people read it: no trailing ".0", at most two decimals, localized."""
    if value is None:
        return "–"
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, decimal_pos=2, force_grouping=True).rstrip("0")


def _finite(value, *, field_name: str, label: str) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError({field_name: _("%(label)s must be a number.") % {"label": label}})
    return number


def locked_error(period: Period) -> ValidationError:
    return ValidationError(
        _(
            "The period “%(period)s” is locked: its measurements and targets cannot be "
            "changed, submitted or approved. The coordinator can unlock it, giving a reason."
        )
        % {"period": period.label},
        code="locked",
    )


def _check_unlocked(period: Period) -> None:
    if period.locked:
        raise locked_error(period)


def _fraction_problem(numerator: float, denominator: float, *, may_exceed: bool) -> str:
    if denominator <= 0:
        return _("The denominator must be greater than 0 (it is %(denominator)s).") % {
            "denominator": number_text(denominator)
        }
    if numerator < 0:
        return _("The numerator cannot be negative.")
    if numerator > denominator and not may_exceed:
        return _(
            "The numerator (%(numerator)s) is greater than the denominator "
            "(%(denominator)s); this indicator does not allow that."
        ) % {"numerator": number_text(numerator), "denominator": number_text(denominator)}
    return ""


def public_results_changed(programme_id: int) -> None:
    """Indicators, periods, targets or approved measurements changed: drop the cached
    public results page of the programme (and the public list)."""
    from lokalnie.revitalization.services.monitoring import forget_public_results

    forget_public_results(Programme.objects.only("slug").get(pk=programme_id))
