"""Seed the maintained list of professional directions (reference data, not demo data).

The list is frozen here, as migrations must be; profiles.constants.SEED_DIRECTIONS holds the same
names (a test keeps them equal) for re-seeding after the flush of a transactional test."""

from django.db import migrations

DIRECTIONS = [
    "Techniek",
    "Bouw",
    "Logistiek",
    "Zorg en welzijn",
    "Horeca",
    "Schoonmaak",
    "Detailhandel",
    "ICT",
    "Onderwijs",
    "Landbouw en groen",
    "Productie",
    "Transport/chauffeur",
    "Administratie",
    "Beveiliging",
    "Kinderopvang",
    "Kapper/schoonheid",
    "Textiel",
    "Automotive",
    "Metaal",
    "Elektrotechniek",
    "Installatietechniek",
    "Voedingsindustrie",
    "Callcenter",
    "Vrijwilligerswerk",
    "Overig",
]


def seed(apps, schema_editor):
    ProfessionalDirection = apps.get_model("profiles", "ProfessionalDirection")
    for name in DIRECTIONS:
        ProfessionalDirection.objects.get_or_create(name=name, defaults={"active": True})


def unseed(apps, schema_editor):
    ProfessionalDirection = apps.get_model("profiles", "ProfessionalDirection")
    ProfessionalDirection.objects.filter(
        name__in=DIRECTIONS, preferences__isnull=True, work_experiences__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
