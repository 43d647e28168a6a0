"""Writes of the results framework: indicators and their baselines, periods (and locking
them), targets, measurements with breakdowns and evidence, and their approval.

Every function checks the permission, validates everything before writing, writes in one
transaction and records an audit entry (``revitalization.results.<what>_<verb>``). Bad
input raises a ValidationError whose message says what is wrong (with the numbers);
messages are keyed by form field where there is one.

Rules kept here (tests enumerate them):
- an indicator's kind, method, unit, direction and whether a numerator may exceed its
  denominator cannot change once measurements exist (make a new indicator instead);
- a baseline is typed (with its year and source) or computed from the diagnosis over the
  adopted revitalization area's units (the whole gmina while no area is adopted) as the
  total count over the total base, and its provenance is kept;
- one measurement per indicator and period; its status moves only as
  ``models.results.MEASUREMENT_TRANSITIONS`` allows, and nothing of a locked period moves;
- breakdowns must cover every category of every required dimension and add up to the
  measurement's value (numerator and denominator for a percentage);
- a measurement deviating from its target beyond the tolerance is submitted (and
  approved) only with an explanation.
"""

from lokalnie.revitalization.services.results._common import locked_error, number_text
from lokalnie.revitalization.services.results.indicators import (
    DEFINING_FIELDS,
    INDICATOR_FIELDS,
    BaselineInput,
    baseline_from_diagnosis,
    indicator_create,
    indicator_delete,
    indicator_update,
)
from lokalnie.revitalization.services.results.measurements import (
    EVIDENCE_KINDS,
    EVIDENCE_MAX_BYTES,
    XLSX,
    MeasurementInput,
    deviation_message,
    evidence_delete,
    measurement_approve,
    measurement_delete,
    measurement_reopen,
    measurement_return,
    measurement_save,
    measurement_submit,
    measurement_withdraw,
)
from lokalnie.revitalization.services.results.periods import (
    period_create,
    period_delete,
    period_lock,
    period_unlock,
    period_update,
    periods_generate,
    targets_set,
)

__all__ = [
    "DEFINING_FIELDS",
    "EVIDENCE_KINDS",
    "EVIDENCE_MAX_BYTES",
    "INDICATOR_FIELDS",
    "XLSX",
    "BaselineInput",
    "MeasurementInput",
    "baseline_from_diagnosis",
    "deviation_message",
    "evidence_delete",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "locked_error",
    "measurement_approve",
    "measurement_delete",
    "measurement_reopen",
    "measurement_return",
    "measurement_save",
    "measurement_submit",
    "measurement_withdraw",
    "number_text",
    "period_create",
    "period_delete",
    "period_lock",
    "period_unlock",
    "period_update",
    "periods_generate",
    "targets_set",
]
