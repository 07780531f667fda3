from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    # A municipality's own organisation, or a body acting on its legal task (a regional service
    # centre, a WerkBedrijf under a joint arrangement).
    MUNICIPAL = "municipal", _("Municipal (acts on the municipality's legal task)")
    PARTNER = "partner", _("Partner organisation")


class LegalBasisKind(models.TextChoices):
    PROCESSOR = "verwerker", _("Processor for the municipality (verwerkersovereenkomst)")
    COVENANT = "convenant", _("Covenant (independent controller)")
    CONSENT = "toestemming", _("Client's consent")
