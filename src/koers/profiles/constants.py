from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    NONE = "none", _("No education")
    PRIMARY = "primary", _("Primary education")
    SECONDARY = "secondary", _("Secondary education")
    MBO1 = "mbo1", _("MBO level 1")
    MBO2 = "mbo2", _("MBO level 2")
    MBO3 = "mbo3", _("MBO level 3")
    MBO4 = "mbo4", _("MBO level 4")
    HBO = "hbo", _("HBO (university of applied sciences)")
    WO = "wo", _("WO (university)")


class DiplomaEvaluation(models.TextChoices):
    """Whether IDW/Nuffic evaluated a foreign diploma."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    IN_PROGRESS = "in_progress", _("In progress")


class LanguageSkill(models.TextChoices):
    SPEAKING = "speaking", _("Speaking")
    LISTENING = "listening", _("Listening")
    READING = "reading", _("Reading")
    WRITING = "writing", _("Writing")


class CefrLevel(models.TextChoices):
    """Dutch language level on the CEFR scale; A0 below A1 as the inburgering practice uses it."""

    A0 = "A0", "A0"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    UNKNOWN = "ntb", _("Not yet determined")


class LevelSource(models.TextChoices):
    EXAM = "exam", _("Exam")
    INTAKE = "intake", _("Intake")
    ESTIMATE = "estimate", _("Estimate")


class CertificateKind(models.TextChoices):
    VCA_BASIS = "vca_basis", _("VCA basic")
    VCA_VOL = "vca_vol", _("VCA VOL")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    FORKLIFT = "forklift", _("Forklift certificate")
    OTHER = "other", _("Other")


# Driving licence categories, each a typed boolean column on Certificate (matchable, indexed).
LICENCE_CATEGORIES = [
    ("cat_am", "AM"),
    ("cat_a", "A"),
    ("cat_b", "B"),
    ("cat_be", "BE"),
    ("cat_c", "C"),
    ("cat_ce", "CE"),
    ("cat_d", "D"),
]

WEEKDAYS = [
    ("monday", _("Monday")),
    ("tuesday", _("Tuesday")),
    ("wednesday", _("Wednesday")),
    ("thursday", _("Thursday")),
    ("friday", _("Friday")),
    ("saturday", _("Saturday")),
    ("sunday", _("Sunday")),
]


# The directions the data migration 0002 seeded (the list itself is maintained by functional
# administrators afterwards). Tests re-seed them after a flush: see services.directions_seed.
SEED_DIRECTIONS = [
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
