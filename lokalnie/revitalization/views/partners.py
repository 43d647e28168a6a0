"""Views of the partners part."""

urlpatterns = []
