"""Views of the results part."""

urlpatterns = []
