from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import Section


class Confidentiality(models.TextChoices):
    OWN_ORGANISATION = "organisatie", _("Own organisation only")
    PROFESSIONALS = "professionals", _("Professionals in the network")
    NETWORK = "netwerk", _("The whole network, volunteers included")


# The section of the access rule each confidentiality level falls under.
CONFIDENTIALITY_SECTIONS = {
    Confidentiality.OWN_ORGANISATION: Section.NOTES_OWN_ORGANISATION,
    Confidentiality.PROFESSIONALS: Section.NOTES_PROFESSIONALS,
    Confidentiality.NETWORK: Section.NOTES_NETWORK,
}


class ContactKind(models.TextChoices):
    HOME_VISIT = "huisbezoek", _("Home visit")
    WALK_IN = "spreekuur", _("Walk-in hours")
    PHONE = "telefonisch", _("By phone")
    NETWORK_MEETING = "mdo", _("Network meeting (MDO)")
    EMAIL = "email", _("E-mail")
    OFFICE = "kantoor", _("Appointment at the office")
    VIDEO = "video", _("Video call")


class ContactStatus(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    HELD = "gehouden", _("Held")
    NO_SHOW = "niet_verschenen", _("Did not show up")
    CANCELLED = "geannuleerd", _("Cancelled")
