"""Load the instruments shipped as data (data/*.json): ZRM 2017, the participation ladder and
Positieve Gezondheid. Later files are loaded by every migrate too (apps.py), without a new
migration."""

from django.db import migrations


def load(apps, schema_editor):
    from koers.instruments.loader import load_instrument_files

    load_instrument_files(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
