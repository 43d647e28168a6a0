from django import template

from lokalnie.revitalization.selectors.programme import stages

register = template.Library()


@register.inclusion_tag("revitalization/_stage_nav.html")
def stage_nav(programme, current=""):
    """The programme's stages as navigation, with what is done and where the team is."""
    return {"programme": programme, "stage_list": stages(programme), "here": current}
