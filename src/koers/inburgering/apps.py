from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InburgeringConfig(AppConfig):
    name = "koers.inburgering"
    verbose_name = _("Inburgering trajectory")
