from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_instruments(sender, *, using, apps=None, **kwargs):
    """After every migrate (and every test-database flush, which sends the same signal): load
    the instrument data files that are new or changed. Cheap when nothing changed: one query."""
    from django.apps import apps as global_apps

    from .loader import load_instrument_files

    apps = apps or global_apps  # a flush sends the signal without the migration state
    try:
        apps.get_model("instruments", "InstrumentVersion")
    except LookupError:  # migrated backwards past this app's tables
        return
    load_instrument_files(apps=apps, using=using)


class InstrumentsConfig(AppConfig):
    name = "koers.instruments"
    verbose_name = _("Instruments and measurements")

    def ready(self):
        post_migrate.connect(_load_instruments, sender=self, dispatch_uid="instruments_load_data")
