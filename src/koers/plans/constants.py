"""The household plan's choices: life domains, priorities, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import Section


class LifeDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix 2017, used as the plan's life domains.

    The values are the plan's own: the instruments app ships the ZRM as data and is not needed
    to write a plan."""

    FINANCES = "financien", _("Finances")
    WORK_EDUCATION = "werk_opleiding", _("Work and education")
    USE_OF_TIME = "tijdsbesteding", _("Use of time")
    HOUSING = "huisvesting", _("Housing")
    DOMESTIC_RELATIONS = "huiselijke_relaties", _("Domestic relations")
    MENTAL_HEALTH = "geestelijke_gezondheid", _("Mental health")
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", _("Physical health")
    SUBSTANCE_USE = "middelengebruik", _("Substance use")
    BASIC_ADL = "basale_adl", _("Basic ADL")
    INSTRUMENTAL_ADL = "instrumentele_adl", _("Instrumental ADL")
    SOCIAL_NETWORK = "sociaal_netwerk", _("Social network")
    SOCIAL_PARTICIPATION = "maatschappelijke_participatie", _("Social participation")
    JUSTICE = "justitie", _("Justice")


# A goal in these domains is also health (AVG art. 9) or justice (art. 10) data: reading or
# writing it needs that section besides PLAN (product.md; the ZRM's health, addiction and
# justice domains belong to the health and justice sections).
LIFE_DOMAIN_SECTIONS: dict[str, Section] = {
    LifeDomain.MENTAL_HEALTH: Section.HEALTH,
    LifeDomain.PHYSICAL_HEALTH: Section.HEALTH,
    LifeDomain.SUBSTANCE_USE: Section.HEALTH,
    LifeDomain.JUSTICE: Section.JUSTICE,
}


def domain_section(life_domain: str) -> Section:
    """The extra section a goal in this life domain belongs to (none for most domains)."""
    return LIFE_DOMAIN_SECTIONS.get(life_domain, Section.none())


class Priority(models.TextChoices):
    HIGH = "hoog", _("High")
    MEDIUM = "middel", _("Medium")
    LOW = "laag", _("Low")


class VersionStatus(models.TextChoices):
    """concept -> vastgesteld -> geëvalueerd (any number of reviews) -> herzien (a new concept
    version based on this one was started; this one stays in force until that is
    vastgesteld)."""

    CONCEPT = "concept", _("Draft")
    ESTABLISHED = "vastgesteld", _("Established")
    REVIEWED = "geevalueerd", _("Evaluated")
    REVISED = "herzien", _("Revised")


# A version in force and not (yet) being revised: the one whose review can fall due.
CURRENT_STATUSES = (VersionStatus.ESTABLISHED, VersionStatus.REVIEWED)


class ReviewOutcome(models.TextChoices):
    CONTINUE = "doorgaan", _("The plan continues")
    REVISE = "herzien", _("The plan is revised")
    COMPLETE = "afgerond", _("The plan is completed")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REACHED = "bereikt", _("Reached")
    STOPPED = "gestopt", _("Stopped")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "bezig", _("Under way")
    DONE = "gedaan", _("Done")
    DROPPED = "vervallen", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)

TARGET_SCORES = [(score, str(score)) for score in range(1, 6)]

# How an action's owner is written in a form: "<kind>:<id>".
OWNER_INVOLVEMENT = "involvement"
OWNER_ORGANISATION = "organisation"
OWNER_CLIENT = "client"
