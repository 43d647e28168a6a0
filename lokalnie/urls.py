from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from lokalnie.registry import views as registry_views

admin.site.site_header = _("Lokalnie administration")
admin.site.site_title = "Lokalnie"

urlpatterns = [
    path("", include("lokalnie.core.urls")),
    path("", include("lokalnie.accounts.urls")),
    path("instytucje/", include("lokalnie.institutions.urls")),
    # The registry's public pages (verification, credentials, status lists) are the most
    # requested: resolved first (docs/performance.md). The two URL sets do not overlap.
    path("certyfikat/", include("lokalnie.registry.urls")),
    path("certyfikat/", include("lokalnie.certification.urls")),
    path("warsztaty/", include("lokalnie.training.urls")),
    path("rewitalizacja/", include("lokalnie.revitalization.urls")),
    path(".well-known/jwks.json", registry_views.jwks, name="jwks"),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "lokalnie.core.errors.permission_denied"
handler404 = "lokalnie.core.errors.page_not_found"
handler500 = "lokalnie.core.errors.server_error"
