from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import DutyStatus


class InburgeringDuty(models.Model):
    """A client's inburgering duty: one per client, the INBURGERING section.

    The dates DUO decides (term start and end) are DUO's; Koers records them as received or
    entered from DUO's letters. `start_signal_on` starts the 10-week clock to the PIP (DUO
    event SS101/SS139); without it the housing date counts.
    """

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_duty",
        verbose_name=_("client"),
    )
    status = models.CharField(
        _("duty status"), max_length=20, choices=DutyStatus.choices, default=DutyStatus.UNKNOWN
    )
    duty_start_on = models.DateField(_("duty starts on"), null=True, blank=True)
    start_signal_on = models.DateField(
        _("start signal received on"),
        null=True,
        blank=True,
        help_text=_("DUO's signal that the 10-week period for the learning route started."),
    )
    municipality_registered_on = models.DateField(
        _("registered in the municipality on"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inburgering duty")
        verbose_name_plural = _("inburgering duties")
        indexes = [models.Index(fields=["status", "start_signal_on"], name="duty_status_signal")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.status}"
