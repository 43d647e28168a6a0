"""Views of the delimitation part."""

urlpatterns = []
