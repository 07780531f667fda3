from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipConfig(AppConfig):
    name = "koers.pip"
    verbose_name = _("Brede intake and PIP decisions")
