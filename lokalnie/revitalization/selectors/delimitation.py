"""Reads of the delimitation: the adopted area (other parts use ``adopted_delimitation``
and ``area_unit_codes``), the history of runs and one run of a programme."""

from __future__ import annotations

from django.db.models.fields.json import KT
from django.shortcuts import get_object_or_404

from lokalnie.revitalization.models import Delimitation, Programme, Unit


def adopted_delimitation(programme: Programme) -> Delimitation | None:
    """The programme's adopted delimitation (its revitalization area), or None."""
    return (
        Delimitation.objects.filter(programme=programme, status=Delimitation.Status.ADOPTED)
        .select_related("adopted_by", "created_by")
        .order_by("-adopted_at", "-pk")
        .first()
    )


def area_unit_codes(programme: Programme) -> set[str]:
    """Codes of the units in the adopted revitalization area (empty if none is adopted).
    One query, reading only the list of chosen units."""
    selected = (
        Delimitation.objects.filter(programme=programme, status=Delimitation.Status.ADOPTED)
        .order_by("-adopted_at", "-pk")
        .values_list("result__selected", flat=True)
        .first()
    )
    return set(selected or [])


def runs(programme: Programme):
    """Every run of the programme, newest first, without the stored inputs and results
    (only the few numbers the history shows)."""
    return (
        Delimitation.objects.filter(programme=programme)
        .defer("inputs", "result")
        .select_related("created_by", "adopted_by")
        .annotate(
            run_status=KT("result__status"),
            run_objective=KT("result__objective"),
            run_gap_rel=KT("result__gap_rel"),
            run_area_share=KT("result__area_share"),
            run_residents_share=KT("result__residents_share"),
        )
        .order_by("-created_at", "-pk")
    )


def run_of(programme: Programme, pk: int) -> Delimitation:
    """One run of the programme (404 if it belongs to another)."""
    return get_object_or_404(
        Delimitation.objects.select_related("created_by", "adopted_by"),
        programme=programme,
        pk=pk,
    )


def latest_run(programme: Programme) -> Delimitation | None:
    return (
        Delimitation.objects.filter(programme=programme)
        .select_related("created_by", "adopted_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def pinned_units(programme: Programme) -> list[Unit]:
    """The units the team kept in or out of the area, by code (without their boundaries)."""
    return list(
        Unit.objects.filter(programme=programme)
        .exclude(pin="")
        .only("pk", "code", "name", "pin", "pin_reason")
        .order_by("code")
    )


def unit_pks(programme: Programme, codes: list[str]) -> dict[str, int]:
    """Unit code → pk of the programme's units with these codes (one query)."""
    return dict(Unit.objects.filter(programme=programme, code__in=codes).values_list("code", "pk"))
