"""Choices of work, income and education. Stored as short typed codes: the dashboards count
outflow from benefit and participation on these columns (never on free text)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitKind(models.TextChoices):
    BIJSTAND = "bijstand", _("Bijstand (Participatiewet)")
    WW = "ww", _("UWV WW")
    WIA = "wia", _("UWV WIA/WAO")
    WAJONG = "wajong", _("Wajong")
    AOW = "aow", _("AOW")
    OTHER = "anders", _("Other benefit")


class BenefitEndReason(models.TextChoices):
    """Why a benefit ended. The first two are the outflow to work of the dashboards: full
    (no benefit left) and partial (work with a top-up from a benefit)."""

    WORK_FULL = "werk_volledig", _("Work: full (no benefit left)")
    WORK_PARTIAL = "werk_deels", _("Work: partial, with a top-up")
    EDUCATION = "opleiding", _("Education")
    MOVED = "verhuisd", _("Moved")
    OTHER = "anders", _("Other reason")


# The outflow to work, as the dashboards count it.
OUTFLOW_TO_WORK = (BenefitEndReason.WORK_FULL, BenefitEndReason.WORK_PARTIAL)


class JobKind(models.TextChoices):
    """Paid work, and the unpaid participation that is recorded too (participation ladder
    rung 4: volunteering or an internship with responsibilities)."""

    PAID = "betaald", _("Paid work")
    VOLUNTEER = "vrijwilligerswerk", _("Volunteer work")
    INTERNSHIP = "stage", _("Internship")


class Contract(models.TextChoices):
    PERMANENT = "vast", _("Permanent")
    TEMPORARY = "tijdelijk", _("Temporary")
    AGENCY = "uitzend", _("Agency work (uitzend)")
    ON_CALL = "oproep", _("On call")
    SELF_EMPLOYED = "zelfstandig", _("Self-employed")
    TRIAL_PLACEMENT = "proefplaatsing", _("Trial placement (proefplaatsing)")


class WageSubsidy(models.TextChoices):
    NONE = "geen", _("None")
    LKS = "lks", _("Wage cost subsidy (loonkostensubsidie)")
    DISPENSATION = "loondispensatie", _("Wage dispensation (loondispensatie)")


class JobEndReason(models.TextChoices):
    CONTRACT_ENDED = "einde_contract", _("Contract ended")
    DISMISSED = "ontslag", _("Dismissed")
    RESIGNED = "eigen_ontslag", _("Resigned")
    OTHER_JOB = "ander_werk", _("Other work")
    EDUCATION = "opleiding", _("Education")
    MOVED = "verhuisd", _("Moved")
    OTHER = "anders", _("Other reason")


class EnrolmentLevel(models.TextChoices):
    ISK = "isk", _("ISK (international transition class)")
    SECONDARY = "vo", _("Secondary school")
    LANGUAGE_BRIDGE = "taalschakel", _("Language bridging programme (taalschakeltraject)")
    ENTREE = "entree", _("Entree")
    MBO1 = "mbo1", _("MBO level 1")
    MBO2 = "mbo2", _("MBO level 2")
    MBO3 = "mbo3", _("MBO level 3")
    MBO4 = "mbo4", _("MBO level 4")
    HBO = "hbo", _("HBO")
    WO = "wo", _("WO (university)")
    OTHER = "anders", _("Other education")


class EnrolmentResult(models.TextChoices):
    ONGOING = "lopend", _("Ongoing")
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificaat", _("Certificate")
    STOPPED = "gestopt", _("Stopped")


# Upper bound of a working week as Koers records it (hours per week).
MAX_HOURS_PER_WEEK = 60
