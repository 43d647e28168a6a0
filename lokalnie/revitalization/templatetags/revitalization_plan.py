"""Template filters of the plan part."""

from django import template

from lokalnie.revitalization.selectors.plan import format_pln

register = template.Library()


@register.filter
def pln(value):
    """An amount in the reader's way of writing it ("12 345,00 zł" in Polish)."""
    return format_pln(value)
