"""Reads about programmes as a whole: the user's list and the stages' progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lokalnie.accounts.permissions import visible_programmes
from lokalnie.revitalization.models import (
    Action,
    Delimitation,
    Measurement,
    Programme,
    ProgrammeMember,
    Review,
    Stage,
    Stakeholder,
    Unit,
    UnitValue,
)
from lokalnie.revitalization.models.programme import STAGE_ORDER

# Each stage's page (the URL names the parts define) and what "done" means for it.
STAGE_PAGES = {
    Stage.DIAGNOSIS: "revitalization:diagnosis",
    Stage.AREA: "revitalization:delimitation",
    Stage.PARTNERS: "revitalization:partners",
    Stage.PLAN: "revitalization:plan",
    Stage.MONITORING: "revitalization:monitoring",
    Stage.EVALUATION: "revitalization:evaluation",
}
STAGE_DONE_WHEN: dict[str, Promise] = {
    Stage.DIAGNOSIS: _(
        "the gmina's area and residents are set, and units with indicator values are imported"
    ),
    Stage.AREA: _("a delimitation of the revitalization area is adopted"),
    Stage.PARTNERS: _("at least one stakeholder is marked as a partner"),
    Stage.PLAN: _("the action plan has at least one action"),
    Stage.MONITORING: _("at least one measurement is approved"),
    Stage.EVALUATION: _("at least one evaluation review is recorded"),
}


@dataclass(frozen=True)
class StageState:
    key: str
    label: str
    url: str
    done: bool
    current: bool
    done_when: Promise
    number: int


def stage_completion(programme: Programme) -> dict[str, bool]:
    """Whether each stage's work is done, from the data (six small EXISTS queries)."""
    diagnosis = (
        programme.gmina_area_ha is not None
        and programme.gmina_residents is not None
        and Unit.objects.filter(programme=programme).exists()
        and UnitValue.objects.filter(unit__programme=programme).exists()
    )
    return {
        Stage.DIAGNOSIS: diagnosis,
        Stage.AREA: Delimitation.objects.filter(
            programme=programme, status=Delimitation.Status.ADOPTED
        ).exists(),
        Stage.PARTNERS: Stakeholder.objects.filter(programme=programme, is_partner=True).exists(),
        Stage.PLAN: Action.objects.filter(programme=programme).exists(),
        Stage.MONITORING: Measurement.objects.filter(
            period__programme=programme, status=Measurement.Status.APPROVED
        ).exists(),
        Stage.EVALUATION: Review.objects.filter(programme=programme).exists(),
    }


def _stage_url(programme: Programme, key: str) -> str:
    try:
        return reverse(STAGE_PAGES[key], args=[programme.pk])
    except NoReverseMatch:  # a part whose pages are not there yet
        return ""


def stages(programme: Programme, completion: dict[str, bool] | None = None) -> list[StageState]:
    completion = stage_completion(programme) if completion is None else completion
    return [
        StageState(
            key=key,
            label=str(Stage(key).label),
            url=_stage_url(programme, key),
            done=completion[key],
            current=programme.stage == key,
            done_when=STAGE_DONE_WHEN[key],
            number=number,
        )
        for number, key in enumerate(STAGE_ORDER, start=1)
    ]


def programmes_of(user):
    """The programmes the user may open, with the user's role on each."""
    programmes = list(
        visible_programmes(user).select_related("gmina__parent__parent").order_by("title")
    )
    roles = dict(
        ProgrammeMember.objects.filter(
            user_id=user.pk, programme__in=[p.pk for p in programmes]
        ).values_list("programme_id", "role")
    )
    for programme in programmes:
        programme.my_role = roles.get(programme.pk)
    return programmes
