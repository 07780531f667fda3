from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import NetworkRole


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BUSY = "bezig", _("Working on it")
    DONE = "gedaan", _("Done")
    NOT_APPLICABLE = "nvt", _("Not applicable")


# A task still to do; past its due date it makes the checklist "stuck".
OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.BUSY)
# A closed task records when and by whom it was closed.
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)


# A task whose status tells something of a more sensitive section (a bijstand application: work
# and income; a nareis application: asylum and family reunification) is shown only to who may
# also read that section. The checklist as a whole is the PLAN section.
class ExtraSection(models.TextChoices):
    NONE = "", _("None: everyone who sees the checklist")
    WORK_INCOME = "WORK_INCOME", _("Work and income")
    INBURGERING = "INBURGERING", _("Inburgering")
    HOUSEHOLD = "HOUSEHOLD", _("Household")
    HEALTH = "HEALTH", _("Health")
    ASYLUM = "ASYLUM", _("Asylum and family reunification")


MAX_DUE_WITHIN_DAYS = 365

DEFAULT_TEMPLATE_NAME = "Eerste fase (standaard)"

# The default first-phase checklist (domain.md section 3), applied to every municipality without
# a template of its own. Reference data in Dutch, like other data a municipality maintains;
# migration 0002 seeds a frozen copy, and services.default_template() re-seeds it from here when
# it is missing (after the flush of a transactional test). A test keeps the two equal.
# (title, description, default owner role in the household's network, due within N days of the
# housing date, extra section)
DEFAULT_TASKS: list[tuple[str, str, str, int, str]] = [
    (
        "Inschrijving BRP op het nieuwe adres",
        "Inschrijven in de Basisregistratie Personen op het adres van de woning.",
        NetworkRole.REGISSEUR,
        5,
        ExtraSection.NONE,
    ),
    (
        "Energie- en watercontracten",
        "Gas, elektriciteit en water op naam zetten; meterstanden bij de sleuteloverdracht.",
        NetworkRole.BEGELEIDER,
        7,
        ExtraSection.NONE,
    ),
    (
        "Bijstand aanvragen en ontzorgen regelen",
        "Aanvraag levensonderhoud (Participatiewet); afspraken over ontzorgen: huur, energie en "
        "zorgverzekering uit de uitkering, en training in financiële zelfredzaamheid.",
        NetworkRole.KLANTMANAGER,
        7,
        ExtraSection.WORK_INCOME,
    ),
    (
        "Bankrekening openen",
        "Betaalrekening met pas; nodig voor uitkering, toeslagen en vaste lasten.",
        NetworkRole.BEGELEIDER,
        14,
        ExtraSection.NONE,
    ),
    (
        "DigiD aanvragen",
        "Na inschrijving in de BRP; de activeringsbrief komt op het woonadres.",
        NetworkRole.BEGELEIDER,
        14,
        ExtraSection.NONE,
    ),
    (
        "Zorgverzekering en zorgtoeslag",
        "Basisverzekering afsluiten (verplicht) en zorgtoeslag aanvragen bij de Belastingdienst.",
        NetworkRole.BEGELEIDER,
        14,
        ExtraSection.NONE,
    ),
    (
        "Inrichting van de woning",
        "Vloer, raambekleding en basisinrichting; financiering volgens de regeling van de "
        "gemeente.",
        NetworkRole.BEGELEIDER,
        14,
        ExtraSection.NONE,
    ),
    (
        "Inschrijving school (leerplicht, ISK)",
        "Leerplichtige kinderen inschrijven op een school of internationale schakelklas; "
        "leerplichtambtenaar informeren.",
        NetworkRole.REGISSEUR,
        14,
        ExtraSection.NONE,
    ),
    (
        "Overige verzekeringen",
        "Aansprakelijkheids- en inboedelverzekering.",
        NetworkRole.BEGELEIDER,
        30,
        ExtraSection.NONE,
    ),
    (
        "Huisarts en tandarts",
        "Inschrijven bij een huisarts en een tandarts in de buurt.",
        NetworkRole.BEGELEIDER,
        30,
        ExtraSection.NONE,
    ),
    (
        "Huurtoeslag aanvragen",
        "Aanvragen bij de Belastingdienst met het huurcontract.",
        NetworkRole.BEGELEIDER,
        30,
        ExtraSection.NONE,
    ),
    (
        "Kinderbijslag en kindgebonden budget",
        "Kinderbijslag aanvragen bij de SVB; kindgebonden budget bij de Belastingdienst.",
        NetworkRole.BEGELEIDER,
        30,
        ExtraSection.NONE,
    ),
    (
        "Voor- en vroegschoolse educatie (VVE)",
        "Jonge kinderen (2-4 jaar) aanmelden voor een VVE-plek.",
        NetworkRole.REGISSEUR,
        30,
        ExtraSection.NONE,
    ),
    (
        "Nareis aanvragen",
        "Gezinshereniging: aanvraag nareis bij de IND binnen de termijn, met hulp van "
        "VluchtelingenWerk.",
        NetworkRole.BEGELEIDER,
        60,
        ExtraSection.ASYLUM,
    ),
]
