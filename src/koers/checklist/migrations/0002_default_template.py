"""Seed the default first-phase checklist template (reference data, not demo data): the tasks
of domain.md section 3, for every municipality without a template of its own.

The list is frozen here, as migrations must be; checklist.constants.DEFAULT_TASKS holds the same
tasks (a test keeps them equal) for re-seeding after the flush of a transactional test."""

from django.db import migrations

NAME = 'Eerste fase (standaard)'

# (title, description, default owner role, due within days of the housing date, extra section)
TASKS = [
    ('Inschrijving BRP op het nieuwe adres', 'Inschrijven in de Basisregistratie Personen op het adres van de woning.', 'regisseur', 5, ''),
    ('Energie- en watercontracten', 'Gas, elektriciteit en water op naam zetten; meterstanden bij de sleuteloverdracht.', 'begeleider', 7, ''),
    ('Bijstand aanvragen en ontzorgen regelen', 'Aanvraag levensonderhoud (Participatiewet); afspraken over ontzorgen: huur, energie en zorgverzekering uit de uitkering, en training in financiële zelfredzaamheid.', 'klantmanager', 7, 'WORK_INCOME'),
    ('Bankrekening openen', 'Betaalrekening met pas; nodig voor uitkering, toeslagen en vaste lasten.', 'begeleider', 14, ''),
    ('DigiD aanvragen', 'Na inschrijving in de BRP; de activeringsbrief komt op het woonadres.', 'begeleider', 14, ''),
    ('Zorgverzekering en zorgtoeslag', 'Basisverzekering afsluiten (verplicht) en zorgtoeslag aanvragen bij de Belastingdienst.', 'begeleider', 14, ''),
    ('Inrichting van de woning', 'Vloer, raambekleding en basisinrichting; financiering volgens de regeling van de gemeente.', 'begeleider', 14, ''),
    ('Inschrijving school (leerplicht, ISK)', 'Leerplichtige kinderen inschrijven op een school of internationale schakelklas; leerplichtambtenaar informeren.', 'regisseur', 14, ''),
    ('Overige verzekeringen', 'Aansprakelijkheids- en inboedelverzekering.', 'begeleider', 30, ''),
    ('Huisarts en tandarts', 'Inschrijven bij een huisarts en een tandarts in de buurt.', 'begeleider', 30, ''),
    ('Huurtoeslag aanvragen', 'Aanvragen bij de Belastingdienst met het huurcontract.', 'begeleider', 30, ''),
    ('Kinderbijslag en kindgebonden budget', 'Kinderbijslag aanvragen bij de SVB; kindgebonden budget bij de Belastingdienst.', 'begeleider', 30, ''),
    ('Voor- en vroegschoolse educatie (VVE)', 'Jonge kinderen (2-4 jaar) aanmelden voor een VVE-plek.', 'regisseur', 30, ''),
    ('Nareis aanvragen', 'Gezinshereniging: aanvraag nareis bij de IND binnen de termijn, met hulp van VluchtelingenWerk.', 'begeleider', 60, 'ASYLUM'),
]


def seed(apps, schema_editor):
    ChecklistTemplate = apps.get_model("checklist", "ChecklistTemplate")
    TemplateTask = apps.get_model("checklist", "TemplateTask")
    if ChecklistTemplate.objects.filter(is_default=True).exists():
        return
    template = ChecklistTemplate.objects.create(is_default=True, name=NAME)
    TemplateTask.objects.bulk_create(
        TemplateTask(
            template=template,
            position=position,
            title=title,
            description=description,
            default_owner_role=role,
            due_within_days=days,
            extra_section=extra,
        )
        for position, (title, description, role, days, extra) in enumerate(TASKS, 1)
    )


def unseed(apps, schema_editor):
    apps.get_model("checklist", "ChecklistTemplate").objects.filter(is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("checklist", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
