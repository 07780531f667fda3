"""Choices of the brede intake, the leerbaarheidstoets and the PIP decision.

DUO's own choices (leerroute, niveau, literacy indicator) live in koers.inburgering.constants
and are used from there; this module holds what only this app needs.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import Section, TargetGroup


class IntakeStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    COMPLETED = "afgerond", _("Completed")


class IntakeTopic(models.TextChoices):
    """Divosa's minimum topics of the brede intake (handreiking brede intake en PIP).

    The two health topics are the HEALTH section (AVG art. 9) and are stored in their own table;
    every other topic is the INBURGERING section.
    """

    SELF_RELIANCE = "zelfredzaamheid", _("Self-reliance")
    LANGUAGE = "taal", _("Language level")
    LBT = "leerbaarheidstoets", _("Learnability test (leerbaarheidstoets)")
    EDUCATION_WORK = "opleiding_werk", _("Education and work history")
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", _("Physical health")
    MENTAL_HEALTH = "psychische_gezondheid", _("Mental health")
    FAMILY = "gezin", _("Family situation")
    SOCIAL_NETWORK = "sociaal_netwerk", _("Social network")
    EARLY_EDUCATION = "vve", _("Early childhood education (VVE) for young children")
    PROSPECTS = "perspectief", _("Work and participation prospects")


HEALTH_TOPICS = (IntakeTopic.PHYSICAL_HEALTH, IntakeTopic.MENTAL_HEALTH)
INBURGERING_TOPICS = tuple(topic for topic in IntakeTopic if topic not in HEALTH_TOPICS)


def topic_section(topic: str) -> Section:
    return Section.HEALTH if topic in HEALTH_TOPICS else Section.INBURGERING


# The question that guides each topic in the form.
TOPIC_GUIDANCE = {
    IntakeTopic.SELF_RELIANCE: _(
        "How does the client manage daily life: money, housing, appointments, getting around? "
        "What can they do themselves, where is help needed?"
    ),
    IntakeTopic.LANGUAGE: _(
        "Dutch and other languages spoken, reading and writing in the own language, earlier "
        "Dutch lessons. Literacy in the own language decides the literacy indicator."
    ),
    IntakeTopic.LBT: _(
        "Was the learnability test taken, is the client exempt, or why was it not taken? "
        "The result itself is recorded on the test's own page."
    ),
    IntakeTopic.EDUCATION_WORK: _(
        "Schooling, diplomas and work in the country of origin and in the Netherlands; "
        "is the client following a study now?"
    ),
    IntakeTopic.PHYSICAL_HEALTH: _(
        "Physical health as far as it matters for learning and participating: only what is "
        "needed for the plan."
    ),
    IntakeTopic.MENTAL_HEALTH: _(
        "Mental health as far as it matters for learning and participating (stress, trauma, "
        "care already involved): only what is needed for the plan."
    ),
    IntakeTopic.FAMILY: _(
        "Household, care for children or family members, family reunification in progress, "
        "childcare needed for a course."
    ),
    IntakeTopic.SOCIAL_NETWORK: _(
        "Contacts in and outside the community, clubs, faith community, volunteers involved."
    ),
    IntakeTopic.EARLY_EDUCATION: _(
        "For young children: is early childhood education (VVE) or a pre-school place arranged? "
        "Write 'not applicable' when there are no young children."
    ),
    IntakeTopic.PROSPECTS: _(
        "Wishes and possibilities for work, volunteering, internships and study; what is "
        "realistic within the term?"
    ),
}


class LbtOutcome(models.TextChoices):
    """DUO's LeerbaarheidstoetsResultaat (Leerbaarheidstoets API)."""

    FEASIBLE = "haalbaar", _("B1 route feasible")
    NOT_FEASIBLE = "niet_haalbaar", _("B1 route not feasible")
    UNKNOWN = "onbekend", _("Unknown")


# What DUO sends, mapped to the stored value (for the DUO chain later).
LBT_OUTCOME_FROM_DUO = {
    "B1-route haalbaar": LbtOutcome.FEASIBLE,
    "B1-route niet haalbaar": LbtOutcome.NOT_FEASIBLE,
    "Onbekend": LbtOutcome.UNKNOWN,
}


class LbtExemption(models.TextChoices):
    """From 2023 the municipality exempts people with a visual or auditory impairment."""

    VISUAL = "visueel", _("Visual impairment")
    AUDITORY = "auditief", _("Auditory impairment")


LBT_EXEMPTION_FROM = datetime.date(2023, 1, 1)
# The cut-off was lowered on 12 April 2023 from 31/40 to 28/40.
LBT_CUT_OFF_LOWERED_ON = datetime.date(2023, 4, 12)
LBT_CUT_OFF_BEFORE = Decimal("31.00")
LBT_CUT_OFF_FROM = Decimal("28.00")
LBT_MAX_SCORE = Decimal("40.00")


def lbt_cut_off_on(day: datetime.date) -> Decimal:
    """The cut-off that applied on the test date."""
    return LBT_CUT_OFF_FROM if day >= LBT_CUT_OFF_LOWERED_ON else LBT_CUT_OFF_BEFORE


class DecisionStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    FINAL = "vastgesteld", _("Adopted (vastgesteld)")
    HANDED_OUT = "uitgereikt", _("Handed out")
    REPORTED = "gemeld", _("Reported to DUO")


FINAL_STATUSES = (DecisionStatus.FINAL, DecisionStatus.HANDED_OUT, DecisionStatus.REPORTED)


class DecisionReason(models.TextChoices):
    """Why a decision is made: the first PIP, or a change that needs a new decision."""

    FIRST = "eerste", _("First PIP")
    ROUTE_SWITCH = "leerroutewissel", _("Switch of learning route")
    AFSCHALEN = "afschalen", _("Lowering the level to A2 (afschalen)")
    MOVE = "verhuizing", _("Move to another municipality")
    OTHER = "wijziging", _("Other change of the PIP")


AMENDMENT_REASONS = (
    DecisionReason.ROUTE_SWITCH,
    DecisionReason.AFSCHALEN,
    DecisionReason.MOVE,
    DecisionReason.OTHER,
)


class EducationTargetLevel(models.TextChoices):
    """Koers only: the level aimed at in the onderwijsroute (the taalschakeltraject). DUO's PIP
    has no field for it; it is never sent to DUO."""

    B1 = "B1", "B1"
    B2 = "B2", "B2"


# Target groups that may have an estimated B1-route intensity (DUO: "Alleen voor
# Asielstatushouder"; nareizigers are asylum permit holders too).
ASYLUM_TARGET_GROUPS = (TargetGroup.ASIEL, TargetGroup.NAREIZIGER)

INTENSITY_MIN = 1
INTENSITY_MAX = 9999

# A route switch is allowed only within 18 months of the start of the term (Divosa, nt2.nl).
ROUTE_SWITCH_MONTHS = 18


class AppealKind(models.TextChoices):
    OBJECTION = "bezwaar", _("Objection (bezwaar)")
    APPEAL = "beroep", _("Appeal (beroep)")


class AppealOutcome(models.TextChoices):
    WELL_FOUNDED = "gegrond", _("Well-founded (gegrond)")
    UNFOUNDED = "ongegrond", _("Unfounded (ongegrond)")
    INADMISSIBLE = "niet_ontvankelijk", _("Inadmissible (niet-ontvankelijk)")
    WITHDRAWN = "ingetrokken", _("Withdrawn (ingetrokken)")
