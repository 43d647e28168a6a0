"""Factories shared by the revitalization module's tests (each part adds its own in
``factories_<part>.py``)."""

from __future__ import annotations

from lokalnie.conftest import make_gmina
from lokalnie.revitalization.models import Programme, ProgrammeMember, TeamRole

_counter = {"n": 0}


def make_programme(
    *, coordinator=None, editor=None, viewer=None, gmina_code: str = "1061011", **fields
) -> Programme:
    _counter["n"] += 1
    fields.setdefault("title", f"Program rewitalizacji {_counter['n']}")
    fields.setdefault("slug", f"program-{_counter['n']}-{Programme.objects.count() + 1}")
    programme = Programme.objects.create(
        gmina=make_gmina(gmina_code), created_by=coordinator, **fields
    )
    for user, role in (
        (coordinator, TeamRole.COORDINATOR),
        (editor, TeamRole.EDITOR),
        (viewer, TeamRole.VIEWER),
    ):
        if user is not None:
            ProgrammeMember.objects.create(programme=programme, user=user, role=role)
    return programme
