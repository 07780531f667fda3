"""Choices of the inburgering trajectory, named as DUO names them where DUO has a name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyStatus(models.TextChoices):
    """The inburgering duty as DUO records it (Inburgeringsplicht API)."""

    UNKNOWN = "onbekend", _("Not yet known")
    DUTY = "plichtig", _("Duty to integrate")
    MET = "voldaan", _("Duty met")
    EXEMPT = "vrijgesteld", _("Exempt (vrijstelling)")
    RELEASED = "ontheven", _("Released (ontheffing)")
    ENDED = "beeindigd", _("Duty ended")


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
