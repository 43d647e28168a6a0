"""Social revitalization programmes (MSAI). One module per part of a programme's work;
each is owned by that part (see docs/revitalization.md)."""

from lokalnie.revitalization.models.delimitation import Delimitation
from lokalnie.revitalization.models.diagnosis import DiagnosisIndicator, Sphere, Unit, UnitValue
from lokalnie.revitalization.models.partners import Action, Agreement, Stakeholder
from lokalnie.revitalization.models.programme import Programme, ProgrammeMember, Stage, TeamRole
from lokalnie.revitalization.models.results import (
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    ResultIndicator,
    Review,
    Target,
)

__all__ = [
    "Action",
    "Agreement",
    "Delimitation",
    "DiagnosisIndicator",
    "Evidence",
    "Measurement",
    "MeasurementBreakdown",
    "Period",
    "Programme",
    "ProgrammeMember",
    "ResultIndicator",
    "Review",
    "Sphere",
    "Stage",
    "Stakeholder",
    "Target",
    "TeamRole",
    "Unit",
    "UnitValue",
]
