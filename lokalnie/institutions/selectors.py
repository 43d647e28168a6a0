"""Reads for institutions and the TERYT register, scoped through accounts.permissions."""

from __future__ import annotations

from django.db.models import QuerySet

from lokalnie.accounts.permissions import visible_institutions
from lokalnie.institutions.models import Institution, TerytUnit
from lokalnie.institutions.text import fold


def gmina_search(*, query: str, limit: int = 15) -> list[TerytUnit]:
    """Gminas whose name contains the query, ignoring case and Polish diacritics.

    Exact and prefix matches come first ("lodz" → Łódź before Łódź-Widzew-like names)."""
    needle = fold(query)
    if len(needle) < 2:
        return []
    units = list(
        TerytUnit.objects.filter(level=TerytUnit.Level.GMINA, search_name__contains=needle)
        .select_related("parent__parent")
        .order_by("search_name", "code")[:200]
    )
    units.sort(
        key=lambda u: (
            u.search_name != needle,
            not u.search_name.startswith(needle),
            u.search_name,
            u.code,
        )
    )
    return units[:limit]


def gmina_unambiguous(*, query: str, matches: list[TerytUnit]) -> TerytUnit | None:
    """The one gmina the query clearly means: the only match, or the only exact name match
    ("lodz" → Łódź, although Kłodzko also contains "lodz"); None when a choice is needed
    (e.g. "Sejny": a town gmina and a rural gmina share the name)."""
    if len(matches) == 1:
        return matches[0]
    needle = fold(query)
    exact = [unit for unit in matches if unit.search_name == needle]
    return exact[0] if len(exact) == 1 else None


def institutions_for_user(*, user) -> QuerySet[Institution]:
    return visible_institutions(user).select_related("gmina__parent__parent").order_by("name", "pk")
