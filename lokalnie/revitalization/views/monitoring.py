"""Views of the monitoring part."""

urlpatterns = []
