from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "koers.core"
    verbose_name = _("Koers")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
