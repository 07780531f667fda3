from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistConfig(AppConfig):
    name = "koers.checklist"
    verbose_name = _("First-phase checklist")
