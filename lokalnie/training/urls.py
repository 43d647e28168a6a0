"""Addresses of the workshops module (under /warsztaty/). Each area of the module keeps its
own ``urlpatterns`` in its views module; they are joined here."""

from lokalnie.training.views import attendance, coordination, evaluation, materials, public, reports

app_name = "training"

urlpatterns = [
    *public.urlpatterns,
    *coordination.urlpatterns,
    *attendance.urlpatterns,
    *evaluation.urlpatterns,
    *materials.urlpatterns,
    *reports.urlpatterns,
]
