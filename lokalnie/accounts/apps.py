from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lokalnie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from lokalnie.accounts import audit_events  # noqa: F401 — connects the receivers
