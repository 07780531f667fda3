from django.db import models
from django.utils.translation import gettext_lazy as _

# The languages Koers ships a consent text in; any other language needs a certified translation.
CONSENT_FORM_LANGUAGES = ("nl", "en")
# How long the old municipality keeps access after a move out, unless set otherwise.
RELOCATION_ACCESS_DAYS = 30


class ConsentPurpose(models.TextChoices):
    """Optional processing that needs the client's own consent (no other legal basis)."""

    LANGUAGE_BUDDY = "taalmaatje", _("Being matched with a language buddy")
    EMPLOYER = "werkgever", _("Being proposed to an employer")
    PARTNER_SHARING = "partner", _("Sharing with a partner without another legal basis")


def purpose_label(value: str) -> str:
    try:
        return str(ConsentPurpose(value).label)
    except ValueError:
        return value
