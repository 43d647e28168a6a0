from django import template

from lokalnie.revitalization.selectors.programme import stages

register = template.Library()


@register.inclusion_tag("revitalization/_stage_nav.html", takes_context=True)
def stage_nav(context, programme, current=""):
    """The programme's stages as navigation, with what is done and where the team is (a
    page that has computed them already passes ``stage_list`` in its context)."""
    stage_list = context.get("stage_list") or stages(programme)
    return {"programme": programme, "stage_list": stage_list, "here": current}
