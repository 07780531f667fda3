"""Choices and figures of the inburgering trajectory, named as DUO names them where DUO has a
name (duo-m2m/*.openapi.yml) and as the Wet inburgering 2021 sets them."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyStatus(models.TextChoices):
    """The inburgering duty as DUO records it (Inburgeringsplicht API)."""

    UNKNOWN = "onbekend", _("Not yet known")
    DUTY = "plichtig", _("Duty to integrate")
    MET = "voldaan", _("Duty met")
    EXEMPT = "vrijgesteld", _("Exempt (vrijstelling)")
    TEMPORARY_EXEMPT = "tijdelijk_vrijgesteld", _("Temporarily exempt (tijdelijke vrijstelling)")
    RELEASED = "ontheven", _("Released (ontheffing)")
    ENDED = "beeindigd", _("Duty ended")


# Statuses in which there is no duty to run a trajectory for (DUO's RedenGeenInburgeringsplicht).
NO_DUTY_STATUSES = frozenset(
    {
        DutyStatus.MET,
        DutyStatus.EXEMPT,
        DutyStatus.TEMPORARY_EXEMPT,
        DutyStatus.RELEASED,
        DutyStatus.ENDED,
    }
)


class LearningRoute(models.TextChoices):
    """DUO's Leerroute: B (B1-route), O (onderwijsroute), Z (zelfstandigheidsroute)."""

    B1 = "B", _("B1 route")
    EDUCATION = "O", _("Education route (onderwijsroute)")
    Z = "Z", _("Self-reliance route (Z-route)")


class PipLevel(models.TextChoices):
    """DUO's NiveauPip: the minimum level of every language exam part in the B1 route."""

    A2 = "A2", "A2"
    B1 = "B1", "B1"


class LiteracyIndicator(models.TextChoices):
    """DUO's indicatorAlfabetiseringsonderwijs."""

    ILLITERATE = "A", _("Illiterate (analfabeet)")
    OTHER_SCRIPT = "AA", _("Literate in another script")
    NOT_APPLICABLE = "NVT", _("Not applicable")


# --- the 10-week clock to the PIP -------------------------------------------------------------

# From DUO's start signal (or the housing date) to the PIP: the norm of the Wi2021 practice.
PIP_NORM = timedelta(weeks=10)
# Within this many days of the deadline without a PIP, the clock shows "at risk".
CLOCK_AT_RISK_DAYS = 14


class ClockStatus(models.TextChoices):
    ON_TIME = "op_tijd", _("On time")
    AT_RISK = "risico", _("At risk")
    LATE = "te_laat", _("Late")
    MET = "gehaald", _("PIP issued")
    UNKNOWN = "onbekend", _("No start date yet")
    NOT_APPLICABLE = "nvt", _("No duty")


class ClockStart(models.TextChoices):
    SIGNAL = "signaal", _("DUO's start signal")
    HOUSING = "huisvesting", _("housing date")


# --- the term (inburgeringstermijn) -----------------------------------------------------------

TERM_YEARS = 3  # from the PIP: Wi2021 art. 7
TERM_ENDING_MONTHS = 6  # the radar warns this long before the term ends
LITERACY_EXTENSION_MAX_YEARS = 2  # a literacy course extends the term by at most two years


class ExtensionReason(models.TextChoices):
    """DUO's grounds for extending the term (verlengingsgrond), as the municipality names them."""

    ILLNESS = "ziekte", _("Illness")
    LITERACY = "alfabetisering", _("Literacy course")
    NOT_BLAMEWORTHY = "niet_verwijtbaar", _("Not blameworthy")
    OTHER = "overig", _("Other")


class Outcome(models.TextChoices):
    """DUO's AanvraagOordeel."""

    GRANTED = "toekenning", _("Granted")
    REFUSED = "afwijzing", _("Refused")


class ExemptionKind(models.TextChoices):
    FULL = "geheel", _("Full exemption")
    TEMPORARY = "tijdelijk", _("Temporary exemption")


class ExemptionReason(models.TextChoices):
    """DUO's RedenVrijstellingInburgeringsplicht (the partial-exemption code GED aside)."""

    AVI = "AVI", _("Shown to be sufficiently integrated (on request)")
    DIP = "DIP", _("Exempting Dutch diploma (DUO register)")
    DOC = "DOC", _("Exempting document recognised by DUO")
    INB = "INB", _("Inburgering diploma under Wi2013 at B1")
    INS = "INS", _("Temporary: proof of enrolment (on request)")
    OPL = "OPL", _("Temporary: enrolment in further education (by DUO)")


# Which reasons belong to which kind of exemption (DUO's descriptions of the codes).
EXEMPTION_REASONS_BY_KIND = {
    ExemptionKind.FULL: {
        ExemptionReason.AVI,
        ExemptionReason.DIP,
        ExemptionReason.DOC,
        ExemptionReason.INB,
    },
    ExemptionKind.TEMPORARY: {ExemptionReason.INS, ExemptionReason.OPL},
}


class ReleaseKind(models.TextChoices):
    FULL = "geheel", _("Full release")
    PARTIAL = "gedeeltelijk", _("Partial release (one exam part)")


class ReleaseGround(models.TextChoices):
    """DUO's OntheffingsgrondInburgering."""

    MEDICAL = "MED", _("Medical")
    SPECIAL = "BIO", _("Special individual circumstances")


# --- the course (inburgeringsaanbod) and its hours ---------------------------------------------

AFSCHALEN_HOURS = 600  # class hours at a BoW provider before afschalen to A2 (B1 route)
Z_ROUTE_LANGUAGE_HOURS = 800  # NT2 (and KNM) hours in the Z-route
Z_ROUTE_PARTICIPATION_HOURS = 800  # participation activities in the Z-route
MAX_HOURS_PER_MONTH = 744  # 31 days of 24 hours: anything above is a typing error


class AbsenceReason(models.TextChoices):
    ILLNESS = "ziek", _("Illness")
    CHILDCARE = "kinderopvang", _("No childcare")
    WORK = "werk", _("Work")
    APPOINTMENT = "afspraak", _("Appointment (doctor, authorities)")
    UNEXCUSED = "ongeoorloofd", _("Without a valid reason")
    OTHER = "overig", _("Other")


# --- PVT, MAP, exams ---------------------------------------------------------------------------

PVT_MIN_HOURS = 12  # the participation statement trajectory, signing included
MAP_MIN_PRACTICAL_HOURS = 40  # the practical part of the labour-market module

# The eight MAP themes (Besluit inburgering 2021): model field name -> label.
MAP_THEMES = [
    ("theme_career_orientation", _("Career orientation")),
    ("theme_work_competences", _("Work competences")),
    ("theme_realistic_job_picture", _("A realistic picture of the job")),
    ("theme_job_prospects", _("Job prospects")),
    ("theme_vocational_skills", _("Gaining vocational skills")),
    ("theme_networking", _("Networking")),
    ("theme_finding_work", _("Finding work")),
    ("theme_work_culture", _("Work culture in the Netherlands")),
]
MAP_THEME_FIELDS = [name for name, _label in MAP_THEMES]


class ExamPart(models.TextChoices):
    """DUO's ExamenonderdeelWI2021Inburgering."""

    READING = "LE", _("Reading")
    LISTENING = "LU", _("Listening")
    WRITING = "SC", _("Writing")
    SPEAKING = "SP", _("Speaking")
    KNM = "KNM", _("Knowledge of Dutch society (KNM)")


LANGUAGE_EXAM_PARTS = (
    ExamPart.READING,
    ExamPart.LISTENING,
    ExamPart.WRITING,
    ExamPart.SPEAKING,
)


class ExamLevel(models.TextChoices):
    """DUO's ExamenniveauWI2021."""

    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"


class ExamResultKind(models.TextChoices):
    """DUO's ExamenresultaatWI2021."""

    PASSED = "geslaagd", _("Passed")
    FAILED = "gezakt", _("Failed")
    NONE = "geen", _("No result")


class NoResultReason(models.TextChoices):
    """DUO's RedenGeenResultaatInburgeringsexamen."""

    BLAMEWORTHY = "verwijtbaar", _("Blameworthy (e.g. fraud, did not come by own fault)")
    NOT_BLAMEWORTHY = "niet_verwijtbaar", _("Not blameworthy (e.g. ill, cancelled in time)")
    CANCELLED = "afgemeld", _("Cancelled")
    ABSENT = "absent", _("Absent")


# --- ontzorgen and enforcement -----------------------------------------------------------------


class EnforcementKind(models.TextChoices):
    WARNING = "waarschuwing", _("Warning")
    FINE = "boete", _("Fine for not cooperating")
