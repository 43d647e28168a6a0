"""Finding the programme a request is about, with the permission check every programme
page needs: outsiders get 404 (ids reveal nothing), team members without the right 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from lokalnie.accounts.permissions import require, visible_programmes
from lokalnie.revitalization.models import Programme


def programme_for(request, pk, action: str = "revitalization.view") -> Programme:
    programme = get_object_or_404(
        visible_programmes(request.user).select_related("gmina__parent__parent", "institution"),
        pk=pk,
    )
    require(request.user, action, programme)
    return programme
