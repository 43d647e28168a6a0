"""Views of the diagnosis part."""

urlpatterns = []
