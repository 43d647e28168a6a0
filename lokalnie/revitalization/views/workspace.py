"""Views of the workspace part."""

urlpatterns = []
