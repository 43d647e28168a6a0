"""Reads of the partners part: a programme's stakeholders, the interest × influence map,
the partnership agreements and the search of the institution registry.

Every read is scoped to one programme (the views find it with ``access.programme_for``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from lokalnie.institutions.models import Institution
from lokalnie.institutions.text import fold
from lokalnie.revitalization.calc import stakeholder_map as calc
from lokalnie.revitalization.models import Agreement, Programme, Stakeholder

# What each level means (shown beside the choices and on the map page).
INTEREST_LEVELS = {
    1: gettext_lazy("none: the area's social problems are not among its concerns"),
    2: gettext_lazy("low: aware of the problems, but not ready to act on them"),
    3: gettext_lazy("moderate: interested in some of the problems or actions"),
    4: gettext_lazy("high: wants the change and is ready to take part in actions"),
    5: gettext_lazy("very high: the change is part of its mission; ready to lead actions"),
}
INFLUENCE_LEVELS = {
    1: gettext_lazy("none: cannot affect the programme's decisions or actions"),
    2: gettext_lazy("low: can affect a single action or a small group of residents"),
    3: gettext_lazy("moderate: shapes opinion or provides services in the area"),
    4: gettext_lazy("high: controls resources or decisions the programme needs"),
    5: gettext_lazy("decisive: the programme cannot go ahead without it"),
}
QUADRANT_NAMES = {
    calc.MANAGE_CLOSELY: pgettext_lazy("stakeholder map", "manage closely"),
    calc.KEEP_SATISFIED: pgettext_lazy("stakeholder map", "keep satisfied"),
    calc.KEEP_INFORMED: pgettext_lazy("stakeholder map", "keep informed"),
    calc.MONITOR: pgettext_lazy("stakeholder map", "monitor"),
}
QUADRANT_ADVICE = {
    calc.MANAGE_CLOSELY: gettext_lazy(
        "High interest and high influence: involve them in planning and decisions; natural "
        "partners."
    ),
    calc.KEEP_SATISFIED: gettext_lazy(
        "High influence, low interest: consult them and keep their support; show what the "
        "social change brings them."
    ),
    calc.KEEP_INFORMED: gettext_lazy(
        "High interest, low influence: inform them regularly and invite them to take part; "
        "the programme can strengthen their voice."
    ),
    calc.MONITOR: gettext_lazy(
        "Low interest and low influence: watch whether this changes; inform them of the main steps."
    ),
}

# Sorting of the list: key → (ordering, label).
SORTS = {
    "name": (("name", "pk"), gettext_lazy("name")),
    "kind": (("kind", "name", "pk"), gettext_lazy("kind")),
    "interest": (
        ("-interest", "-influence", "name", "pk"),
        gettext_lazy("interest (highest first)"),
    ),
    "influence": (
        ("-influence", "-interest", "name", "pk"),
        gettext_lazy("influence (highest first)"),
    ),
    "partner": (("-is_partner", "name", "pk"), gettext_lazy("partners first")),
}
DEFAULT_SORT = "name"


def level_text(level: int, levels: dict) -> str:
    """E.g. "4 — high: wants the change…"."""
    return f"{level} — {levels[level]}"


def quadrant_of(stakeholder: Stakeholder) -> str:
    return calc.quadrant(interest=stakeholder.interest, influence=stakeholder.influence)


def stakeholders_of(
    programme: Programme, *, kind: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Stakeholder]:
    """The programme's stakeholders, optionally of one kind, in the chosen order, each with
    ``responsible_count`` (actions it is responsible for)."""
    queryset = Stakeholder.objects.filter(programme=programme).select_related("institution")
    if kind in Stakeholder.Kind.values:
        queryset = queryset.filter(kind=kind)
    ordering = SORTS.get(sort, SORTS[DEFAULT_SORT])[0]
    return queryset.annotate(responsible_count=Count("responsible_for", distinct=True)).order_by(
        *ordering
    )


def stakeholder_for(programme: Programme, pk: int) -> Stakeholder:
    """One stakeholder of the programme (404 for any other id)."""
    return get_object_or_404(
        Stakeholder.objects.select_related("institution__gmina", "programme"),
        programme=programme,
        pk=pk,
    )


def stakeholder_choices(programme: Programme) -> QuerySet[Stakeholder]:
    """The programme's stakeholders for choosing (the parties of an agreement, the
    partners of an action)."""
    return Stakeholder.objects.filter(programme=programme).order_by("name", "pk")


def kind_counts(programme: Programme) -> dict[str, int]:
    rows = (
        Stakeholder.objects.filter(programme=programme)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)


# --- The interest × influence map --------------------------------------------------------


@dataclass
class MapRow:
    number: int
    stakeholder: Stakeholder
    quadrant: str

    @property
    def quadrant_name(self) -> str:
        return str(QUADRANT_NAMES[self.quadrant])


@dataclass
class StakeholderMap:
    svg: SafeString
    summary: str
    rows: list[MapRow]
    quadrant_counts: list[tuple[str, str, int]]  # key, name, count


def stakeholder_map(programme: Programme) -> StakeholderMap:
    """The map of every stakeholder of the programme (numbered by name, as in its table)."""
    stakeholders = list(Stakeholder.objects.filter(programme=programme).order_by("name", "pk"))
    rows = [
        MapRow(number, stakeholder, quadrant_of(stakeholder))
        for number, stakeholder in enumerate(stakeholders, start=1)
    ]
    counts = dict.fromkeys(calc.QUADRANTS, 0)
    for row in rows:
        counts[row.quadrant] += 1
    quadrant_counts = [(key, str(QUADRANT_NAMES[key]), counts[key]) for key in calc.QUADRANTS]
    summary = (
        ngettext(
            "Interest × influence map of %(count)s stakeholder",
            "Interest × influence map of %(count)s stakeholders",
            len(rows),
        )
        % {"count": len(rows)}
        + ": "
        + "; ".join(f"{name}: {count}" for _key, name, count in quadrant_counts)
        + ". "
        + _("Each stakeholder is listed with its quadrant in the table below.")
    )
    text = calc.MapText(
        summary=summary,
        interest_axis=_("Interest in social change"),
        influence_axis=_("Influence"),
        quadrant_names={key: str(name) for key, name in QUADRANT_NAMES.items()},
        point_title=_("{number}. {label} (interest {interest}, influence {influence})"),
    )
    points = [
        calc.Point(
            number=row.number,
            label=row.stakeholder.name,
            interest=row.stakeholder.interest,
            influence=row.stakeholder.influence,
            partner=row.stakeholder.is_partner,
        )
        for row in rows
    ]
    return StakeholderMap(
        svg=mark_safe(calc.map_svg(points, text)),
        summary=summary,
        rows=rows,
        quadrant_counts=quadrant_counts,
    )


# --- Partnership agreements ------------------------------------------------------------


def agreements_of(programme: Programme) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(programme=programme)
        .prefetch_related("stakeholders")
        .order_by("-signed_on", "pk")
    )


def agreement_for(programme: Programme, pk: int) -> Agreement:
    """One agreement of the programme (404 for any other id)."""
    return get_object_or_404(
        Agreement.objects.select_related("programme"), programme=programme, pk=pk
    )


# --- The institution registry ----------------------------------------------------------

NIP_LIKE = re.compile(r"^(PL)?[\d\s-]{10,13}$", re.IGNORECASE)


def nip_digits(query: str) -> str | None:
    """The 10 digits of a query that looks like a NIP ("123-456-78-90", "PL1234567890")."""
    query = (query or "").strip()
    if not NIP_LIKE.match(query):
        return None
    digits = re.sub(r"\D", "", query)
    return digits if len(digits) == 10 else None


def institution_search(*, query: str, limit: int = 15) -> list[Institution]:
    """Institutions of the registry whose name contains the query (ignoring case and Polish
    diacritics; names starting with it first) or whose NIP is the query."""
    nip = nip_digits(query)
    queryset = Institution.objects.select_related("gmina")
    if nip:
        return list(queryset.filter(nip=nip).order_by("name", "pk")[:limit])
    needle = fold(query)
    if len(needle) < 2:
        return []
    found = list(queryset.filter(search_name__contains=needle).order_by("search_name", "pk")[:200])
    found.sort(key=lambda i: (not i.search_name.startswith(needle), i.search_name, i.pk))
    return found[:limit]


def institution_unambiguous(*, query: str, matches: list[Institution]) -> Institution | None:
    """The one institution the query clearly means: the only match, or the only one with
    exactly that name; None when a choice is needed."""
    if len(matches) == 1:
        return matches[0]
    needle = fold(query)
    exact = [institution for institution in matches if institution.search_name == needle]
    return exact[0] if len(exact) == 1 else None
