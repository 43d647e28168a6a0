"""Views of the plan part."""

urlpatterns = []
