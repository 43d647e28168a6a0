from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevitalizationConfig(AppConfig):
    name = "lokalnie.revitalization"
    label = "revitalization"
    verbose_name = _("Social revitalization programmes")
    default_auto_field = "django.db.models.BigAutoField"
