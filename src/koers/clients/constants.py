"""Sections of a client's dossier and the network roles, as product.md's access rule names them."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(enum.IntFlag):
    """A part of the dossier with its own legal weight. Stored as a bitmask (a typed set)."""

    BASIS = enum.auto()  # name, date of birth, status, municipality, area team
    CONTACT = enum.auto()  # address, phone, e-mail
    HOUSEHOLD = enum.auto()  # members, relations, ages
    NETWORK = enum.auto()  # who does what: organisations and people involved, the regisseur
    LANGUAGES = enum.auto()  # languages spoken, with dialect and script; interpreter need
    PROFILE = enum.auto()  # education, work history, directions, language levels, certificates
    PLAN = enum.auto()  # plan, goals with life domain, actions
    TASKS = enum.auto()  # one's own tasks and appointments (no life domain behind them)
    MEASUREMENTS = enum.auto()  # ZRM non-sensitive domains, participation ladder
    INBURGERING = enum.auto()
    WORK_INCOME = enum.auto()
    HEALTH = enum.auto()  # AVG art. 9
    JUSTICE = enum.auto()  # AVG art. 10
    ASYLUM = enum.auto()  # asylum procedure and family reunification
    IDENTITY = enum.auto()  # BSN, V-number
    NOTES_NETWORK = enum.auto()  # notes shared with the whole network, volunteers included
    NOTES_PROFESSIONALS = enum.auto()  # notes for the professionals in the network
    NOTES_OWN_ORGANISATION = enum.auto()  # notes readable only inside the author's organisation
    DOCUMENTS = enum.auto()  # documents, further limited per type by the section it maps to

    @classmethod
    def none(cls) -> "Section":
        return cls(0)

    @classmethod
    def all(cls) -> "Section":
        return _ALL_SECTIONS

    @property
    def label(self) -> str:
        return str(SECTION_LABELS[self])

    def members(self) -> list["Section"]:
        return [member for member in Section if member in self]

    def labels(self) -> list[str]:
        return [member.label for member in self.members()]


# Computed once: the access rule asks for it for every client on a page.
_ALL_SECTIONS = Section(sum(member.value for member in Section))

SECTION_LABELS = {
    Section.BASIS: _("Basic details"),
    Section.CONTACT: _("Contact details"),
    Section.HOUSEHOLD: _("Household"),
    Section.NETWORK: _("Network (who does what)"),
    Section.LANGUAGES: _("Languages"),
    Section.PROFILE: _("Profile (education, work, language levels)"),
    Section.PLAN: _("Plan and actions"),
    Section.TASKS: _("Own tasks and appointments"),
    Section.MEASUREMENTS: _("Measurements (ZRM, participation ladder)"),
    Section.INBURGERING: _("Inburgering"),
    Section.WORK_INCOME: _("Work and income"),
    Section.HEALTH: _("Health"),
    Section.JUSTICE: _("Justice"),
    Section.ASYLUM: _("Asylum and family reunification"),
    Section.IDENTITY: _("Identity numbers (BSN, V-number)"),
    Section.NOTES_NETWORK: _("Notes shared with the whole network"),
    Section.NOTES_PROFESSIONALS: _("Notes for professionals"),
    Section.NOTES_OWN_ORGANISATION: _("Notes of the own organisation"),
    Section.DOCUMENTS: _("Documents"),
}

# Special categories of personal data (AVG art. 9 and 10) and numbers only a law may allow.
SENSITIVE_SECTIONS = Section.HEALTH | Section.JUSTICE | Section.ASYLUM | Section.IDENTITY

# The most a volunteer can ever see (product.md): the municipality and the task profile may
# narrow this, never widen it.
VOLUNTEER_MAX_SECTIONS = (
    Section.BASIS
    | Section.CONTACT
    | Section.HOUSEHOLD
    | Section.NETWORK
    | Section.LANGUAGES
    | Section.TASKS
    | Section.NOTES_NETWORK
)


class NetworkRole(models.TextChoices):
    """The role a person or organisation plays in a household's network."""

    REGISSEUR = "regisseur", _("Regisseur")
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    BEGELEIDER = "begeleider", _("Maatschappelijk begeleider")
    VRIJWILLIGER = "vrijwilliger", _("Volunteer")
    TAALMAATJE = "taalmaatje", _("Language buddy")
    JOBCOACH = "jobcoach", _("Jobcoach")
    AMW = "amw", _("Social work (AMW)")
    TAALAANBIEDER = "taalaanbieder", _("Language provider")
    OTHER = "other", _("Other")


class ClientStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Registered")
    ACTIEF = "actief", _("Active")
    UITGESTROOMD = "uitgestroomd", _("Outflow")
    VERHUISD = "verhuisd", _("Moved")
    AFGESLOTEN = "afgesloten", _("Closed")


class Gender(models.TextChoices):
    MAN = "man", _("Man")
    WOMAN = "vrouw", _("Woman")
    OTHER = "anders", _("Other")
    UNKNOWN = "onbekend", _("Unknown")


class ApplicableLaw(models.TextChoices):
    WI2021 = "wi2021", _("Wet inburgering 2021")
    WI2013 = "wi2013", _("Wet inburgering 2013")
    NONE = "geen", _("No inburgering duty")


class TargetGroup(models.TextChoices):
    ASIEL = "asiel", _("Asylum permit holder")
    NAREIZIGER = "nareiziger", _("Family reunification (nareiziger)")
    GEZIN = "gezin", _("Family migrant")
    OVERIG = "overig", _("Other migrant")


class Literacy(models.TextChoices):
    LITERATE = "geletterd", _("Literate in own language")
    OTHER_SCRIPT = "ander_schrift", _("Literate, in another script than the Latin")
    LIMITED = "beperkt", _("Limited literacy")
    ILLITERATE = "analfabeet", _("Not literate")
    UNKNOWN = "onbekend", _("Not yet known")


class Relation(models.TextChoices):
    HEAD = "hoofd", _("Head of household")
    PARTNER = "partner", _("Partner")
    CHILD = "kind", _("Child")
    PARENT = "ouder", _("Parent")
    SIBLING = "broer_zus", _("Brother or sister")
    OTHER = "overig", _("Other")


class ReunificationStatus(models.TextChoices):
    """Family reunification (nareis) per household member: the ASYLUM section."""

    NOT_APPLICABLE = "nvt", _("Not applicable")
    PREPARING = "voorbereiding", _("Being prepared")
    APPLIED = "aangevraagd", _("Applied for")
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")
    ARRIVED = "aangekomen", _("Arrived in the Netherlands")


class Script(models.TextChoices):
    LATIN = "latn", _("Latin")
    ARABIC = "arab", _("Arabic")
    ETHIOPIC = "ethi", _("Ethiopic (Ge'ez)")
    CYRILLIC = "cyrl", _("Cyrillic")
    OTHER = "other", _("Other")


# Languages most spoken by statushouders and their networks (ISO 639 codes). The list is data;
# extending it needs no code change elsewhere.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("ti", _("Tigrinya")),
    ("prs", _("Dari")),
    ("fa", _("Persian (Farsi)")),
    ("ps", _("Pashto")),
    ("so", _("Somali")),
    ("tr", _("Turkish")),
    ("ku", _("Kurdish")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("am", _("Amharic")),
    ("om", _("Oromo")),
    ("ur", _("Urdu")),
    ("en", _("English")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
    ("other", _("Other language")),
]

# Countries of origin (ISO 3166-1 alpha-2), the most common first in the domain's data.
COUNTRIES = [
    ("SY", _("Syria")),
    ("ER", _("Eritrea")),
    ("AF", _("Afghanistan")),
    ("TR", _("Turkey")),
    ("SO", _("Somalia")),
    ("YE", _("Yemen")),
    ("IQ", _("Iraq")),
    ("IR", _("Iran")),
    ("ET", _("Ethiopia")),
    ("SD", _("Sudan")),
    ("UA", _("Ukraine")),
    ("PS", _("Palestinian territories")),
    ("LB", _("Lebanon")),
    ("NG", _("Nigeria")),
    ("CD", _("DR Congo")),
    ("MA", _("Morocco")),
    ("XX", _("Stateless or unknown")),
    ("ZZ", _("Other country")),
]
