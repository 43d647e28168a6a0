from lokalnie.accounts.permissions import can
from lokalnie.core.modules import MODULES


def platform(request):
    path = getattr(request, "path", "")
    nav = []
    for module in MODULES:
        url = module.url
        nav.append({"title": module.title, "url": url, "current": path.startswith(url)})
    user = getattr(request, "user", None)
    return {
        "nav_modules": nav,
        "can_view_audit": bool(user is not None and can(user, "audit.view")),
    }
