"""Addresses of the revitalization module (under /rewitalizacja/). Each part keeps its own
``urlpatterns`` in its views module; they are joined here."""

from lokalnie.revitalization.views import (
    delimitation,
    diagnosis,
    monitoring,
    partners,
    plan,
    results,
    workspace,
)

app_name = "revitalization"

urlpatterns = [
    *workspace.urlpatterns,
    *diagnosis.urlpatterns,
    *delimitation.urlpatterns,
    *partners.urlpatterns,
    *plan.urlpatterns,
    *results.urlpatterns,
    *monitoring.urlpatterns,
]
